import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { CallbackSampleView, PayoutToAttest, RecordPayoutResponse } from '@xiangbo/contracts';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { ApiClient } from '../../../api/client';
import { Providers } from '../../../app/providers';
import { fakeApi, json, resetLanguage } from '../../../test/helpers';
import { ConfirmationNotice } from '../payouts/ConfirmationNotice';
import { AttestPayouts, CallbackChecks } from './PayoutChecks';

function wrap(fetch: ReturnType<typeof fakeApi>['fetch'], children: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <Providers client={new ApiClient({ fetch })} queryClient={queryClient}>
      <MemoryRouter>{children}</MemoryRouter>
    </Providers>,
  );
}

const toAttest: PayoutToAttest = {
  id: 'p-1',
  householdId: 'h-1',
  headName: '陈玉兰',
  idNumberMasked: '6110**********203X',
  village: '金米村',
  amountFen: 1849,
  channel: 'cash',
  reference: 'R-001',
  paidOn: '2026-12-07',
  confirmRoute: 'attest',
  smsToMasked: null,
};

const pendingCheck = (outcome: CallbackSampleView['checks'][number]['outcome'] = 'pending') => ({
  id: 'k-1',
  payoutId: 'p-2',
  householdId: 'h-2',
  householdNameMasked: '王*明',
  village: '金米村',
  amountFen: 1849,
  paidOn: '2026-12-07',
  confirmMethod: 'sms' as const,
  confirmedAt: '2026-12-07T03:00:00.000Z',
  outcome,
  via: outcome === 'pending' ? null : ('phone' as const),
  note: outcome === 'disputed' ? '户主说没有收到' : '',
  checkedBy: null,
  checkedAt: outcome === 'pending' ? null : '2026-12-07T04:00:00.000Z',
  findingId: outcome === 'disputed' ? 'f-1' : null,
});

const sample = (outcome: CallbackSampleView['checks'][number]['outcome'] = 'pending'): CallbackSampleView => ({
  id: 's-1',
  cooperativeId: 'c-1',
  auditorId: 'u-1',
  auditorName: '何监督',
  requestedSize: 1,
  population: 4,
  drawn: 1,
  drawnAt: '2026-12-07T03:30:00.000Z',
  checks: [pendingCheck(outcome)],
});

describe('the console after recording a payout', () => {
  beforeEach(resetLanguage);

  it('says where the SMS went, masked, or that a supervisor must confirm — never a code', () => {
    const base = {
      payout: {
        id: 'p-1',
        batchId: 'b-1',
        householdId: 'h-1',
        householdNameMasked: '王*明',
        village: '金米村',
        registryStatus: 'registered' as const,
        amountFen: 5000,
        status: 'paid' as const,
        channel: 'bank' as const,
        reference: 'BOC-1',
        paidOn: '2026-12-07',
        confirmedAt: null,
        confirmRoute: 'sms' as const,
        smsToMasked: '138****1234',
        confirmMethod: null,
        unconfirmedFlag: false,
        createdAt: '2026-12-07T00:00:00.000Z',
      },
      ledgerTransactionId: 't-1',
    };
    const sms: RecordPayoutResponse = {
      ...base,
      confirmation: { route: 'sms', phoneMasked: '138****1234', sms: 'sent' },
    };
    const { unmount } = wrap(fakeApi({}).fetch, <ConfirmationNotice result={sms} onDone={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('已发短信至 138****1234');
    expect(screen.getByTestId('confirm-notice').textContent).not.toMatch(/\d{6}|\/h\//);
    unmount();
    const attest: RecordPayoutResponse = {
      ...base,
      payout: { ...base.payout, confirmRoute: 'attest', smsToMasked: null },
      confirmation: { route: 'attest', phoneMasked: null, sms: null },
    };
    wrap(fakeApi({}).fetch, <ConfirmationNotice result={attest} onDone={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('需由监督员现场确认');
  });
});

describe('the auditor’s payout checks', () => {
  beforeEach(resetLanguage);

  it('attests in person only with a note saying where and how', async () => {
    const sent: unknown[] = [];
    let attested = false;
    const api = fakeApi({
      'GET /api/audit/cooperatives/c-1/payouts-to-attest': () => json(200, attested ? [] : [toAttest]),
      'POST /api/audit/payouts/p-1/attest': (init) => {
        sent.push(JSON.parse(String(init.body)));
        attested = true;
        return json(200, {
          payoutId: 'p-1',
          confirmedAt: '2026-12-07T05:00:00.000Z',
          confirmMethod: 'attested',
          attestedBy: 'u-1',
          note: '村委会',
        });
      },
    });
    wrap(api.fetch, <AttestPayouts coopId="c-1" />);
    const item = await screen.findByTestId('attest-item');
    expect(item.textContent).toContain('陈玉兰');
    expect(item.textContent).toContain('需现场确认');
    fireEvent.click(within(item).getByRole('button', { name: '现场确认' }));
    fireEvent.click(within(item).getByRole('button', { name: '确认：农户当面确认收到' }));
    expect(await within(item).findByText('请写明在哪里、如何核实的')).toBeTruthy();
    expect(sent).toEqual([]);
    fireEvent.change(within(item).getByLabelText('核实情况（地点、如何核实身份）'), {
      target: { value: ' 村委会，户主本人出示身份证 ' },
    });
    fireEvent.click(within(item).getByRole('button', { name: '确认：农户当面确认收到' }));
    await waitFor(() => expect(sent).toEqual([{ note: '村委会，户主本人出示身份证' }]));
    expect(await screen.findByText('已确认：陈玉兰 ¥18.49')).toBeTruthy();
    expect(await screen.findByText('没有待确认的兑付。')).toBeTruthy();
  });

  it('draws a sample, shows the phone on request, records the outcome', async () => {
    const draws: unknown[] = [];
    const outcomes: unknown[] = [];
    let state: CallbackSampleView[] = [];
    const api = fakeApi({
      'GET /api/audit/cooperatives/c-1/callback-samples': () => json(200, state),
      'POST /api/audit/cooperatives/c-1/callback-samples': (init) => {
        draws.push(JSON.parse(String(init.body)));
        state = [sample()];
        return json(201, state[0]);
      },
      'GET /api/audit/callback-checks/k-1/contact': () =>
        json(200, { checkId: 'k-1', householdId: 'h-2', headName: '王建明', village: '金米村', phone: '13900010000' }),
      'POST /api/audit/callback-checks/k-1': (init) => {
        outcomes.push(JSON.parse(String(init.body)));
        state = [sample('disputed')];
        return json(200, state[0]);
      },
    });
    wrap(api.fetch, <CallbackChecks coopId="c-1" />);
    expect(await screen.findByText('还没有抽查记录。')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('抽取笔数'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: '随机抽取' }));
    expect(await screen.findByText('请填写 1 到 50 之间的整数')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('抽取笔数'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: '随机抽取' }));
    const check = await screen.findByTestId('callback-check');
    expect(draws).toEqual([{ size: 1 }]);
    expect(check.textContent).toContain('王*明');
    expect(check.textContent).not.toContain('王建明');
    fireEvent.click(within(check).getByRole('button', { name: '查看电话' }));
    expect(await within(check).findByRole('link', { name: '13900010000' })).toBeTruthy();
    fireEvent.click(within(check).getByLabelText('否认收到'));
    fireEvent.click(within(check).getByLabelText('上门'));
    fireEvent.change(within(check).getByLabelText('回访记录'), { target: { value: '户主说没有收到' } });
    fireEvent.click(within(check).getByRole('button', { name: '保存结果' }));
    await waitFor(() => expect(outcomes).toEqual([{ outcome: 'disputed', via: 'visit', note: '户主说没有收到' }]));
    expect(await screen.findByText('已生成问题线索')).toBeTruthy();
  });
});
