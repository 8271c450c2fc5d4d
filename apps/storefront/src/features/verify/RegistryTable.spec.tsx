import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render, screen, within } from '@testing-library/react';
import { verifyExport } from '@xiangbo/domain';
import { RegistryTable } from './VerifyPage';

/** The committed good-registry vector (docs/ledger-vectors), verified as the page's worker does. */
const lines = readFileSync(resolve(__dirname, '../../../../../docs/ledger-vectors/good-registry.jsonl'), 'utf8')
  .trimEnd()
  .split('\n');

describe('/verify: what reached each registry status, in Chinese', () => {
  it('lists credited, reversed, paid out and owed per status, from the export alone, and says confirmations are not in it', async () => {
    const result = verifyExport(lines);
    expect(result.ok).toBe(true);
    render(<RegistryTable result={result} />);
    expect(await screen.findByText('按户类：到账与兑付')).toBeTruthy();
    const registered = screen.getByText('建档立卡户').closest('tr') as HTMLElement;
    expect(
      within(registered)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['¥29.04', '¥0.00', '¥20.00', '¥9.04']);
    const monitored = screen.getByText('监测户').closest('tr') as HTMLElement;
    expect(
      within(monitored)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['¥64.42', '¥6.27', '¥30.00', '¥28.15']);
    // nothing reached a 已脱贫 household, and every credit recorded its status
    expect(screen.queryByText('已脱贫户')).toBeNull();
    expect(screen.queryByText('未记户类（早期账目）')).toBeNull();
    expect(screen.getByText(/确认在兑付之后才有/)).toBeTruthy();
  });
});
