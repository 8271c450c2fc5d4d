import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../api/client';
import { Providers } from '../../../app/providers';
import { fakeApi, resetLanguage } from '../../../test/helpers';
import { MoneySheets } from './MoneySheets';

/** The download choice of household statements and payouts: XLSX / CSV / CSV (GBK), masked unless asked. */
describe('MoneySheets', () => {
  const downloads: { url: string; auth: string | null }[] = [];
  const clicked: string[] = [];
  beforeEach(async () => {
    await resetLanguage();
    downloads.length = 0;
    clicked.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        downloads.push({ url, auth: (init.headers as Record<string, string>).Authorization ?? null });
        if (url.includes('/payouts?'))
          return new Response(JSON.stringify({ statusCode: 404, code: 'COOPERATIVE_NOT_FOUND', message: 'x' }), {
            status: 404,
          });
        return new Response('x', {
          status: 200,
          headers: { 'Content-Disposition': 'attachment; filename="household-statements-c1-2026-12-08.xlsx"' },
        });
      }),
    );
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  function renderSheets() {
    const { fetch } = fakeApi({});
    const client = new ApiClient({ fetch });
    const queryClient = new QueryClient();
    return render(
      <Providers client={client} queryClient={queryClient}>
        <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
          <MoneySheets coopId="c1" />
        </MemoryRouter>
      </Providers>,
    );
  }

  it('offers XLSX, CSV (UTF-8) and CSV (GBK) for statements and payouts, in Chinese first', () => {
    renderSheets();
    expect(screen.getByRole('heading', { name: '农户对账单和兑付记录（表格）' })).toBeTruthy();
    const statements = screen.getByRole('group', { name: '农户对账单' });
    expect([...statements.querySelectorAll('button')].map((b) => b.textContent)).toEqual([
      'Excel 表格（.xlsx）',
      'CSV（UTF-8）',
      'CSV（GBK，旧版 Excel）',
    ]);
    expect(screen.getByRole('group', { name: '兑付记录' })).toBeTruthy();
  });

  it('asks for the chosen format, masked names unless the box is ticked, and saves the file under its name', async () => {
    renderSheets();
    fireEvent.click(screen.getByTestId('money-sheets-statements-xlsx'));
    await waitFor(() => expect(clicked).toEqual(['household-statements-c1-2026-12-08.xlsx']));
    fireEvent.click(screen.getByTestId('money-sheets-clear-names'));
    fireEvent.click(screen.getByTestId('money-sheets-statements-csv-gbk'));
    await waitFor(() => expect(downloads).toHaveLength(2));
    expect(downloads.map((d) => d.url)).toEqual([
      '/api/cooperatives/c1/ledger/statements?format=xlsx',
      '/api/cooperatives/c1/ledger/statements?format=csv&encoding=gbk&names=clear',
    ]);
  });

  it('says so when the download is refused', async () => {
    renderSheets();
    fireEvent.click(screen.getByTestId('money-sheets-payouts-csv'));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(downloads[0].url).toBe('/api/cooperatives/c1/ledger/payouts?format=csv');
    expect(clicked).toEqual([]);
  });
});
