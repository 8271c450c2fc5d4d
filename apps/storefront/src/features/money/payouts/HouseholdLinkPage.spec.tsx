import { fireEvent, screen } from '@testing-library/react';
import type { ConfirmPayoutResponse, HouseholdLinkView } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, signedOutRefresh } from '../../../test/helpers';

const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

function view(overrides: Partial<HouseholdLinkView['payout']> = {}): HouseholdLinkView {
  return {
    householdNameMasked: '王*明',
    cooperative: { id: 'c-1', name: '金米村木耳专业合作社' },
    payout: {
      id: 'p-1',
      amountFen: 382000,
      channel: 'bank',
      paidOn: '2026-03-05',
      status: 'paid',
      confirmedAt: null,
      confirmMethod: null,
      ...overrides,
    },
    statement: {
      householdId: 'h-1',
      householdNameMasked: '王*明',
      householdName: null,
      cooperativeId: 'c-1',
      cooperativeName: '金米村木耳专业合作社',
      account: 'coop:c-1:household:h-1:payable',
      earnedFen: 400000,
      purchaseFen: 380000,
      dividendFen: 20000,
      adjustmentsFen: 0,
      paidOutFen: 382000,
      owedFen: 18000,
      byChannel: [{ channel: 'bank', paidOutFen: 382000, count: 1 }],
      byMonth: [{ month: '2026-03', earnedFen: 400000, paidOutFen: 382000 }],
      entries: [],
    },
  };
}

describe('the household page /h/:token (no account)', () => {
  beforeEach(resetLanguage);

  it('shows the masked name, the amount, how and when, and the statement; confirms with the code from the SMS', async () => {
    let confirmed: string | null = null;
    const sent: unknown[] = [];
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/household-links/${token}`]: () =>
        json(200, view(confirmed ? { status: 'confirmed', confirmedAt: confirmed } : {})),
      [`POST /api/household-links/${token}/confirm`]: (init) => {
        const body = JSON.parse(String(init.body)) as { code: string };
        sent.push(body);
        if (body.code !== '042917')
          return json(400, { statusCode: 400, code: 'WRONG_CODE', message: 'x', details: { attemptsLeft: 4 } });
        confirmed = '2026-03-06T02:00:00.000Z';
        return json(200, {
          payoutId: 'p-1',
          confirmedAt: confirmed,
          alreadyConfirmed: false,
        } satisfies ConfirmPayoutResponse);
      },
    });
    renderApp(`/h/${token}`, api.fetch);

    expect(await screen.findByRole('heading', { level: 1, name: '王*明，您好' })).toBeTruthy();
    expect(screen.getByText('金米村木耳专业合作社')).toBeTruthy();
    expect(screen.getByTestId('household-amount').textContent).toBe('¥3,820.00');
    expect(screen.getByText('银行转账 · 2026年3月5日')).toBeTruthy();
    expect(screen.getByTestId('statement-earned').textContent).toBe('¥4,000.00');
    expect(screen.getByTestId('statement-owed').textContent).toBe('¥180.00');
    expect(document.body.textContent).not.toContain('王小明');

    // Without the 6 digits nothing is sent; a wrong code says how many tries are left.
    fireEvent.click(screen.getByRole('button', { name: '确认收到' }));
    expect(await screen.findByText('请输入收到的 6 位数字')).toBeTruthy();
    expect(api.count(`POST /api/household-links/${token}/confirm`)).toBe(0);
    const input = screen.getByLabelText('短信里的 6 位确认码');
    fireEvent.change(input, { target: { value: '111111' } });
    fireEvent.click(screen.getByRole('button', { name: '确认收到' }));
    expect(await screen.findByText('确认码不对，还可以再试 4 次')).toBeTruthy();
    fireEvent.change(input, { target: { value: '042917' } });
    fireEvent.click(screen.getByRole('button', { name: '确认收到' }));
    expect(await screen.findByText('已确认收到，谢谢！')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '确认收到' })).toBeNull();
    expect(sent).toEqual([{ code: '111111' }, { code: '042917' }]);
    // The link is public: no access token is ever sent.
    for (const c of api.calls.filter((x) => x.url.startsWith('/api/household-links'))) {
      expect((c.init.headers as Record<string, string>)['Authorization']).toBeUndefined();
    }
  });

  it('an already confirmed payout shows when, without the button', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/household-links/${token}`]: () =>
        json(200, view({ status: 'confirmed', confirmedAt: '2026-03-06T02:00:00.000Z' })),
    });
    renderApp(`/h/${token}`, api.fetch);
    expect(await screen.findByText('您已于 2026/3/6 10:00 确认收到')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '确认收到' })).toBeNull();
  });

  it('a wrong or expired link says so plainly', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      [`GET /api/household-links/${token}`]: () => apiError(404, 'LINK_NOT_FOUND'),
    });
    renderApp(`/h/${token}`, api.fetch);
    expect(await screen.findByRole('heading', { level: 1, name: '链接无效' })).toBeTruthy();
  });

  it('the code page confirms with payout number and 6-digit code, and tells how many tries are left', async () => {
    let tries = 0;
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'POST /api/household-links/confirm-by-code': (init) => {
        const body = JSON.parse(String(init.body)) as { payoutId: string; code: string };
        tries++;
        if (body.code !== '123456')
          return json(400, { statusCode: 400, code: 'WRONG_CODE', message: 'x', details: { attemptsLeft: 5 - tries } });
        return json(200, { payoutId: body.payoutId, confirmedAt: '2026-03-06T02:00:00.000Z', alreadyConfirmed: false });
      },
    });
    renderApp('/h/code?p=11111111-1111-4111-8111-111111111111', api.fetch);
    const input = await screen.findByLabelText('6 位确认码');
    fireEvent.change(input, { target: { value: '12a' } });
    expect((input as HTMLInputElement).value).toBe('12');
    fireEvent.click(screen.getByRole('button', { name: '确认收到' }));
    expect(await screen.findByText('请输入收到的 6 位数字')).toBeTruthy();
    fireEvent.change(input, { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: '确认收到' }));
    expect(await screen.findByText('确认码不对，还可以再试 4 次')).toBeTruthy();
    fireEvent.change(input, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '确认收到' }));
    expect(await screen.findByText('已确认收到，谢谢！')).toBeTruthy();
  });
});
