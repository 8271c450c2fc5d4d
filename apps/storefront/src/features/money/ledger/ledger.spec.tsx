import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { ImpactReceiptDto, TransparencyDto } from '@xiangbo/contracts';
import { ApiClient } from '../../../api/client';
import { Providers } from '../../../app/providers';
import i18n from '../../../i18n/i18n';
import { json, resetLanguage } from '../../../test/helpers';
import { bpToPercent, percentToBp } from '../../../format';
import { ImpactReceipt } from './ImpactReceipt';
import { EMPTY_FORM, exampleSplit, readPolicyForm } from './policy-form';
import { fullyRefunded, impactSentence } from './receipt-sentence';
import { SplitBar } from './SplitBar';
import { transparencyCsv } from './transparency-csv';

const zh = () => i18n.getFixedT('zh-CN', 'money') as unknown as Parameters<typeof impactSentence>[1];
const en = () => i18n.getFixedT('en', 'money') as unknown as Parameters<typeof impactSentence>[1];

const settled: ImpactReceiptDto = {
  orderId: 'o-1',
  totalFen: 5900,
  currency: 'CNY',
  state: 'settled',
  settledAt: '2026-03-05T02:00:00.000Z',
  policyVersion: 1,
  pendingFen: 0,
  refundedFen: 0,
  destinations: {
    processingFeeFen: 35,
    platformFeeFen: 177,
    purchaseFen: 3820,
    dividendPoolFen: 410,
    wagesFen: 568,
    retainedFen: 890,
  },
  households: [
    { maskedName: '王*明', status: 'registered', amountFen: 1910 },
    { maskedName: '李*梅', status: 'registered', amountFen: 1146 },
    { maskedName: '张*国', status: 'registered', amountFen: 764 },
  ],
  householdCount: 3,
  registeredCount: 3,
  monitoredCount: 0,
};

describe('impact receipt sentence', () => {
  beforeEach(resetLanguage);

  it('says where the money went, in Chinese, with masked names and every part', () => {
    expect(impactSentence(settled, zh(), 'zh-CN')).toBe(
      '¥59.00 中有 ¥38.20 作为收购款到达 3 户脱贫户（王*明、李*梅、…），¥4.10 进入分红池，¥5.68 用于务工工资，¥8.90 留作合作社积累，¥2.12 为支付手续费和平台服务费。',
    );
  });

  it('names the statuses when not every household is a registered poor household, and mentions refunds', () => {
    const mixed: ImpactReceiptDto = {
      ...settled,
      refundedFen: 900,
      households: [settled.households[0], { maskedName: '张*国', status: 'monitored', amountFen: 764 }],
      householdCount: 2,
      registeredCount: 1,
      monitoredCount: 1,
    };
    expect(impactSentence(mixed, zh(), 'zh-CN')).toMatch(
      /^¥59\.00 中有 ¥38\.20 作为收购款到达 2 户农户（王\*明、张\*国），其中 1 户脱贫户、1 户监测户，¥4\.10 进入分红池/,
    );
    expect(impactSentence(mixed, zh(), 'zh-CN')).toMatch(/。已退款 ¥9\.00。$/);
    expect(impactSentence(settled, en(), 'en')).toBe(
      'Of ¥59.00, ¥38.20 reached 3 registered poor households (王*明, 李*梅, …) as purchase payments; ¥4.10 went to the dividend pool; ¥5.68 to wages; ¥8.90 stays with the cooperative; ¥2.12 paid processing and platform fees.',
    );
  });

  it('says plainly when the order is not settled yet', () => {
    const pending: ImpactReceiptDto = {
      ...settled,
      state: 'pending',
      pendingFen: 5900,
      households: [],
      householdCount: 0,
      registeredCount: 0,
      settledAt: null,
      policyVersion: null,
    };
    expect(impactSentence(pending, zh(), 'zh-CN')).toBe(
      '这笔订单已付款 ¥59.00，还没有结算：订单完成后合作社结算时，会按利益联结机制把钱分到农户。目前 ¥59.00 暂存在合作社的待结算账户。',
    );
  });

  it('a fully refunded order says so, never that its money will be shared with households', () => {
    const refunded: ImpactReceiptDto = {
      ...settled,
      state: 'pending',
      pendingFen: 0,
      refundedFen: 5900,
      households: [],
      householdCount: 0,
      registeredCount: 0,
      settledAt: null,
      policyVersion: null,
    };
    expect(impactSentence(refunded, zh(), 'zh-CN')).toBe(
      '这笔订单付款 ¥59.00 已全额退回给买家，没有钱会分给农户，也不会结算。',
    );
    expect(impactSentence(refunded, en(), 'en')).not.toMatch(/households that|will be/);
    // a partial refund still says what is left to share, and what was refunded
    expect(impactSentence({ ...refunded, pendingFen: 3000, refundedFen: 2900 }, zh(), 'zh-CN')).toMatch(
      /目前 ¥30.00 暂存在合作社的待结算账户。已退款 ¥29.00。$/,
    );
  });

  it('an order refunded in full after settlement says its money was taken back, not where it went', () => {
    const zeroed = { processingFeeFen: 0, platformFeeFen: 0, purchaseFen: 0, dividendPoolFen: 0, wagesFen: 0 };
    const reversed: ImpactReceiptDto = {
      ...settled,
      refundedFen: 5900,
      destinations: { ...zeroed, retainedFen: 0 },
      households: [],
      householdCount: 0,
      registeredCount: 0,
    };
    expect(fullyRefunded(reversed)).toBe(true);
    expect(impactSentence(reversed, zh(), 'zh-CN')).toBe(
      '这笔订单付款 ¥59.00 已全额退回给买家：结算时分给农户、分红池和合作社的钱已按规则全部冲回，没有钱留给农户。',
    );
    expect(impactSentence(reversed, en(), 'en')).not.toMatch(/reached|will be shared/);
    // refunded in part after settlement: what stays is still told, with the refund
    const partly = { ...reversed, refundedFen: 5000, destinations: { ...zeroed, retainedFen: 900 } };
    expect(fullyRefunded(partly)).toBe(false);
    expect(impactSentence(partly, zh(), 'zh-CN')).toBe('¥59.00 中有 ¥9.00 留作合作社积累。已退款 ¥50.00。');
    // the whole amount refunded but 1 fen still with the cooperative (cannot happen under the reversal rule): not "all"
    expect(fullyRefunded({ ...reversed, destinations: { ...zeroed, retainedFen: 1 } })).toBe(false);
  });

  it('the receipt of a fully refunded order shows no split and no "households will be listed" note', async () => {
    const refunded: ImpactReceiptDto = {
      ...settled,
      state: 'pending',
      pendingFen: 0,
      refundedFen: 5900,
      destinations: {
        processingFeeFen: 0,
        platformFeeFen: 0,
        purchaseFen: 0,
        dividendPoolFen: 0,
        wagesFen: 0,
        retainedFen: 0,
      },
      households: [],
      householdCount: 0,
      registeredCount: 0,
      settledAt: null,
      policyVersion: null,
    };
    const client = new ApiClient({ fetch: async () => json(200, refunded) });
    render(
      <Providers client={client} queryClient={new QueryClient()}>
        <ImpactReceipt orderId="o-1" orderStatus="refunded" />
      </Providers>,
    );
    const receipt = await screen.findByTestId('impact-receipt');
    expect(receipt.textContent).toContain('已全额退回给买家');
    expect(receipt.textContent).not.toContain('结算后，这里会列出收到收购款的农户');
    expect(within(receipt).queryByRole('figure')).toBeNull();
  });

  it('draws the split as a bar whose legend carries the amounts', () => {
    render(
      <SplitBar
        parts={[
          { key: 'purchase', fen: 3820, label: '收购款到农户' },
          { key: 'fees', fen: 0, label: '手续费' },
        ]}
      />,
    );
    expect(screen.getByText('收购款到农户').parentElement?.textContent).toBe('收购款到农户 ¥38.20');
    expect(screen.queryByText('手续费')).toBeNull();
  });
});

describe('policy editor: worked example of ¥59.00', () => {
  it('reads percentages exactly (no float) and back', () => {
    expect(percentToBp('65')).toBe(6500);
    expect(percentToBp('6.5')).toBe(650);
    expect(percentToBp('0.05')).toBe(5);
    expect(percentToBp('6.555')).toBeNull();
    expect(percentToBp('abc')).toBeNull();
    expect(bpToPercent(650)).toBe('6.5');
    expect(bpToPercent(6500)).toBe('65');
    expect(bpToPercent(5)).toBe('0.05');
  });

  it('splits ¥59.00 by the default form exactly as the ledger will (parts add up to ¥59.00)', () => {
    const s = exampleSplit(EMPTY_FORM)!;
    // fee 0.6% = 35; platform 3% = 177; net 5688; purchase 65% = 3697 (1849/1109/739); dividend 455; wages 568; retained 968
    expect(s).toMatchObject({
      processingFeeFen: 35,
      platformFeeFen: 177,
      netFen: 5688,
      purchaseFen: 3697,
      dividendFen: 455,
      wagesFen: 568,
      retainedFen: 968,
    });
    expect(s.purchaseByHousehold.map((h) => h.amount)).toEqual([1849, 1109, 739]);
    expect(s.processingFeeFen + s.platformFeeFen + s.purchaseFen + s.dividendFen + s.wagesFen + s.retainedFen).toBe(
      5900,
    );
  });

  it('uses the guaranteed price per unit in yuan, and refuses parts over 100%', () => {
    expect(exampleSplit({ ...EMPTY_FORM, purchaseKind: 'per_unit', purchaseYuanPerUnit: '30' })).toMatchObject({
      purchaseFen: 3000,
    });
    const over = readPolicyForm({ ...EMPTY_FORM, purchasePct: '90', dividendPct: '20' });
    expect(over.input).toBeNull();
    expect(over.errors).toEqual({ purchasePct: 'tooMuch' });
    expect(exampleSplit({ ...EMPTY_FORM, purchasePct: '90', dividendPct: '20' })).toBeNull();
    expect(readPolicyForm({ ...EMPTY_FORM, platformFeePct: '25' }).errors).toEqual({ platformFeePct: 'platformMax' });
    expect(readPolicyForm(EMPTY_FORM).input).toEqual({
      platformFeeBp: 300,
      purchase: { kind: 'percent', bp: 6500 },
      dividendBp: 800,
      wagesBp: 1000,
      dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
      note: '',
    });
  });
});

describe('transparency CSV', () => {
  it('has one row per month, the totals, hides small groups, and never a clear name', () => {
    const d: TransparencyDto = {
      cooperative: { id: 'c-1', name: '金米村合作社' },
      minGroup: 3,
      generatedAt: '2026-03-05T00:00:00.000Z',
      months: [
        {
          month: '2026-02',
          salesFen: 17700,
          orders: 3,
          refundsFen: 0,
          processingFeesFen: 105,
          platformFeesFen: 531,
          toHouseholds: { registered: null, monitored: null, all: { households: 3, amountFen: 11091 } },
          payouts: { madeFen: 2000, madeCount: 1, confirmedFen: 2000, confirmedCount: 1 },
        },
      ],
      totals: {
        salesFen: 17700,
        orders: 3,
        refundsFen: 0,
        processingFeesFen: 105,
        platformFeesFen: 531,
        toHouseholdsFen: 11091,
        toRegistered: null,
        toMonitored: null,
        householdsReached: 3,
        paidOutFen: 2000,
        payoutsMadeFen: 2000,
        payoutsConfirmedFen: 2000,
        dividendPoolFen: 0,
        wagesPayableFen: 0,
        retainedFen: 0,
      },
      households: [{ maskedName: '王*明', status: 'registered', receivedFen: 5547, paidOutFen: 2000 }],
      confirmations: {
        sms: { count: 1, amountFen: 2000 },
        attested: { count: 0, amountFen: 0 },
        legacy: { count: 0, amountFen: 0 },
        pending: { count: 0, amountFen: 0 },
        callbacks: { samples: 0, sampled: 0, confirmed: 0, disputed: 0, unreachable: 0 },
      },
    };
    const csv = transparencyCsv(d, { columns: ['月份'], total: '合计', households: ['农户'], hidden: '不足3户' });
    const lines = csv.replace('\uFEFF', '').trim().split('\r\n');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(lines[1]).toBe('2026-02,177.00,3,0.00,不足3户,不足3户,不足3户,不足3户,3,110.91,20.00,20.00,6.36');
    expect(lines[2]).toBe('合计,177.00,3,0.00,不足3户,不足3户,不足3户,不足3户,3,110.91,20.00,20.00,6.36');
    expect(lines.at(-1)).toBe('王*明,registered,55.47,20.00');
  });
});

describe('SplitBar in a page', () => {
  it('renders inside a query client without crashing', () => {
    const qc = new QueryClient();
    render(
      <QueryClientProvider client={qc}>
        <SplitBar parts={[{ key: 'dividend', fen: 410, label: '分红池' }]} />
      </QueryClientProvider>,
    );
    const legend = screen.getByRole('figure');
    expect(within(legend).getByText('¥4.10')).toBeTruthy();
    fireEvent.click(legend);
  });
});
