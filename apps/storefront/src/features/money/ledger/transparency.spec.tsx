import { screen, waitFor, within } from '@testing-library/react';
import type { LedgerHeadHistoryDto, LedgerPublicKeyDto, TransparencyDto } from '@xiangbo/contracts';
import i18n from '../../../i18n/i18n';
import { fakeApi, json, renderApp, resetLanguage, signedOutRefresh } from '../../../test/helpers';
import { householdsChart, salesChart } from './transparency-charts';
import { transparencyCsv } from './transparency-csv';

const COOP = 'c0ffee00-0000-4000-8000-000000000001';
const zh = () => i18n.getFixedT('zh-CN', 'money') as unknown as Parameters<typeof salesChart>[1];

/** February: 2 households reached (hidden); March: 3 reached, 3 paid, 1 confirmed (hidden); 3 households in all. */
function page(): TransparencyDto {
  return {
    cooperative: { id: COOP, name: '金米村木耳专业合作社' },
    minGroup: 3,
    generatedAt: '2026-04-01T00:00:00.000Z',
    months: [
      {
        month: '2026-02',
        salesFen: 17700,
        orders: 3,
        refundsFen: 5900,
        processingFeesFen: 105,
        platformFeesFen: 531,
        toHouseholds: { registered: null, monitored: null, all: null },
        payouts: null,
      },
      {
        month: '2026-03',
        salesFen: 11800,
        orders: 2,
        refundsFen: 0,
        processingFeesFen: 70,
        platformFeesFen: 354,
        toHouseholds: { registered: null, monitored: null, all: { households: 3, amountFen: 1874 } },
        payouts: { madeFen: 6000, madeCount: 3, confirmedFen: null, confirmedCount: null },
      },
    ],
    totals: {
      salesFen: 29500,
      orders: 5,
      refundsFen: 5900,
      processingFeesFen: 175,
      platformFeesFen: 885,
      toHouseholdsFen: 3120,
      toRegistered: null,
      toMonitored: null,
      householdsReached: 3,
      paidOutFen: 6000,
      payoutsMadeFen: 6000,
      payoutsConfirmedFen: 2000,
      dividendPoolFen: 0,
      wagesPayableFen: 0,
      retainedFen: 0,
    },
    households: [],
    confirmations: {
      sms: { count: 1, amountFen: 2000 },
      attested: { count: 0, amountFen: 0 },
      legacy: { count: 0, amountFen: 0 },
      pending: { count: 2, amountFen: 4000 },
      callbacks: { samples: 0, sampled: 0, confirmed: 0, disputed: 0, unreachable: 0 },
    },
  };
}

/** Only February's 2 households: the headline must hide them as the month rows do (not "¥12.46 / 2 户"). */
function small(): TransparencyDto {
  const d = page();
  return {
    ...d,
    months: d.months.slice(0, 1),
    totals: { ...d.totals, toHouseholdsFen: null, householdsReached: null, payoutsMadeFen: 0, payoutsConfirmedFen: 0 },
  };
}

const hash = (c: string) => c.repeat(64);
const heads: LedgerHeadHistoryDto = {
  cooperativeId: COOP,
  heads: [
    {
      cooperativeId: COOP,
      seq: 56,
      hash: hash('b'),
      at: '2026-03-31T16:05:00.000Z',
      keyId: 'k1',
      signature: 'U0lHMg==',
      reason: 'daily',
    },
    {
      cooperativeId: COOP,
      seq: 41,
      hash: hash('a'),
      at: '2026-03-20T03:00:00.000Z',
      keyId: 'k1',
      signature: 'U0lHMQ==',
      reason: 'settlement',
    },
  ],
};
const key: LedgerPublicKeyDto = {
  algorithm: 'Ed25519',
  keyId: 'k1',
  publicKey: 'UFVCS0VZ',
  pem: '-----BEGIN PUBLIC KEY-----',
};

describe('the transparency page', () => {
  beforeEach(resetLanguage);

  it(
    'hides every figure about fewer than 3 households alike: headline, month rows, chart tables and the CSV',
    {
      timeout: 30000,
    },
    async () => {
      const api = fakeApi({
        'POST /api/auth/refresh': signedOutRefresh,
        [`GET /api/cooperatives/${COOP}/transparency`]: () => json(200, page()),
        [`GET /api/cooperatives/c-small/transparency`]: () =>
          json(200, { ...small(), cooperative: { id: 'c-small', name: '小合作社' } }),
        [`GET /api/cooperatives/${COOP}/ledger/heads`]: () => json(200, heads),
        'GET /api/ledger/public-key': () => json(200, key),
      });
      const first = renderApp(`/cooperatives/c-small/transparency`, api.fetch);
      expect(await screen.findByRole('heading', { level: 1, name: '小合作社 · 收益公示' })).toBeTruthy();
      // the headline card: not "¥12.46 / 2 户" but the same words as the month rows
      const stat = screen.getByText('到达农户', { selector: '.ledger-stat__label' }).closest('.ledger-stat')!;
      expect(stat.textContent).toBe('到达农户—不足 3 户，计入合计');
      first.unmount();

      renderApp(`/cooperatives/${COOP}/transparency`, api.fetch);
      expect(await screen.findByRole('heading', { level: 1, name: '金米村木耳专业合作社 · 收益公示' })).toBeTruthy();
      const big = screen.getByText('到达农户', { selector: '.ledger-stat__label' }).closest('.ledger-stat')!;
      expect(big.textContent).toBe('到达农户¥31.203 户农户');

      // the chart of households: its table hides February (no group) and shows March
      const chart = screen.getByTestId('chart-households');
      const rows = within(chart).getAllByRole('row');
      expect(rows[1].textContent).toBe('2026年2月不足 3 户，计入合计不足 3 户，计入合计');
      expect(rows[2].textContent).toBe('2026年3月¥18.74¥60.00');

      // the month table: March's payouts made are shown (3 households), its single confirmation is not
      const march = within(screen.getByRole('region', { name: '按月' })).getAllByRole('row')[2];
      expect(march.textContent).toContain('2026年3月¥118.00');
      expect(march.textContent).toContain('¥60.00');
      expect(march.textContent).toContain('不足 3 户');
      expect(march.textContent).not.toContain('¥20.00');

      // the ECharts chunk draws into the figure (SVG renderer)
      await waitFor(() => expect(within(chart).getByTestId('echart').querySelector('svg')).toBeTruthy(), {
        timeout: 20000,
      });
    },
  );

  it('lists the signed heads (daily, after settlement) with the command and the signed payload to check them', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/cooperatives/${COOP}/transparency`]: () => json(200, page()),
      [`GET /api/cooperatives/${COOP}/ledger/heads`]: () => json(200, heads),
      'GET /api/ledger/public-key': () => json(200, key),
    });
    renderApp(`/cooperatives/${COOP}/transparency`, api.fetch);
    const section = await screen.findByTestId('head-history');
    const table = await within(section).findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('每日')).toBeTruthy();
    expect(within(rows[1]).getByText('结算后')).toBeTruthy();
    expect(rows[0].textContent).toContain('56');
    expect(rows[0].textContent).toContain(`verify-ledger ledger.jsonl --head 56:${hash('b')}`);
    expect(rows[0].textContent).toContain('U0lHMg==');
    const hint = within(section).getByTestId('head-verify-hint');
    expect(hint.textContent).toContain('"format":"xiangbo-ledger-head/1"');
    await waitFor(() => expect(hint.textContent).toContain('UFVCS0VZ'));
    expect(hint.textContent).toContain('编号 k1');
    expect(within(hint).getByRole('link', { name: '去核对账本 →' }).getAttribute('href')).toBe('/verify');
  });
});

describe('the charts and the CSV share the page rule', () => {
  it('a hidden group is null in the chart data (a gap) and the hidden text in the CSV', () => {
    const d = page();
    const h = householdsChart(d, zh(), 'zh-CN');
    expect(h.series.map((s) => s.data)).toEqual([
      [null, 1874],
      [null, 6000],
    ]);
    expect(salesChart(d, zh(), 'zh-CN').series.map((s) => s.data)).toEqual([
      [17700, 11800],
      [5900, 0],
      [636, 424],
    ]);
    const csv = transparencyCsv(d, { columns: ['月份'], total: '合计', households: ['农户'], hidden: '不足3户' });
    const lines = csv.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[1]).toBe(
      '2026-02,177.00,3,59.00,不足3户,不足3户,不足3户,不足3户,不足3户,不足3户,不足3户,不足3户,6.36',
    );
    expect(lines[2]).toBe('2026-03,118.00,2,0.00,不足3户,不足3户,不足3户,不足3户,3,18.74,60.00,不足3户,4.24');
    expect(lines[3]).toBe('合计,295.00,5,59.00,不足3户,不足3户,不足3户,不足3户,3,31.20,60.00,20.00,10.60');
    // only February's two households: the totals row hides them, as the page does
    const two = transparencyCsv(small(), { columns: ['月份'], total: '合计', households: ['农户'], hidden: '不足3户' });
    expect(two.replace('\uFEFF', '').trim().split('\r\n')[2]).toBe(
      '合计,295.00,5,59.00,不足3户,不足3户,不足3户,不足3户,不足3户,不足3户,0.00,0.00,10.60',
    );
  });
});
