import { QueryClient } from '@tanstack/react-query';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { LiveCoupon, LiveServerEvents, MyCoupon, RoomCoupon } from '@xiangbo/contracts';
import { useState } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { ApiClient } from '../../api/client';
import { Providers } from '../../app/providers';
import { apiError, fakeApi, json, renderApp, resetLanguage, session } from '../../test/helpers';
import CheckoutCoupon, { type CouponChoice } from './CheckoutCoupon';
import RoomCoupons from './RoomCoupons';

const SHOW = '11111111-1111-4111-8111-111111111111';
const COOP = '22222222-2222-4222-8222-222222222222';
const COUPON = '33333333-3333-4333-8333-333333333333';
const PRODUCT = '44444444-4444-4444-8444-444444444444';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

const live = (over: Partial<LiveCoupon> = {}): LiveCoupon => ({
  id: COUPON,
  showId: SHOW,
  cooperativeId: COOP,
  cooperativeName: '金米村木耳合作社',
  amountOffFen: 500,
  minSpendFen: 5000,
  quantity: 100,
  claimed: 0,
  perViewerLimit: 1,
  validity: 'show',
  status: 'live',
  createdAt: new Date().toISOString(),
  ...over,
});

const mine = (over: Partial<MyCoupon> = {}): MyCoupon => ({
  id: '55555555-5555-4555-8555-555555555555',
  couponId: COUPON,
  showId: SHOW,
  showTitle: '秦岭木耳丰收季',
  cooperativeId: COOP,
  cooperativeName: '金米村木耳合作社',
  amountOffFen: 500,
  minSpendFen: 5000,
  status: 'usable',
  validUntil: null,
  claimedAt: new Date().toISOString(),
  orderId: null,
  discountFen: null,
  ...over,
});

function renderWith(node: React.ReactNode, fetch: ReturnType<typeof fakeApi>['fetch']) {
  const client = new ApiClient({ fetch });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <Providers client={client} queryClient={queryClient}>
      <MemoryRouter
        initialEntries={[`/live/${SHOW}`]}
        future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
      >
        {node}
      </MemoryRouter>
    </Providers>,
  );
}

/** A room whose server events the test sends. */
function fakeRoom() {
  const handlers = new Set<LiveServerEvents['coupon:changed']>();
  return {
    on: ((event: string, h: LiveServerEvents['coupon:changed']) => {
      if (event === 'coupon:changed') handlers.add(h);
      return () => void handlers.delete(h);
    }) as never,
    send: (c: LiveCoupon) => act(() => handlers.forEach((h) => h(c))),
  };
}

describe('the coupon drop in the live room', () => {
  it('appears when the host drops it (socket event), 领取 → 已领取 in one tap, the count follows', async () => {
    let claims = 0;
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/shows/${SHOW}/coupons`]: () => json(200, [] as RoomCoupon[]),
      [`POST /api/coupons/${COUPON}/claim`]: () => {
        claims++;
        return json(201, { claim: mine(), coupon: live({ claimed: 1 }) });
      },
    });
    const room = fakeRoom();
    renderWith(<RoomCoupons showId={SHOW} room={room} />, api.fetch);
    // the room's coupons were read (none yet) and the card listens
    await vi.waitFor(() => expect(api.count(`GET /api/shows/${SHOW}/coupons`)).toBe(1));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(screen.queryByTestId('coupon-drop')).toBeNull();

    room.send(live());
    const card = await screen.findByTestId('coupon-drop');
    expect(card.textContent).toContain('直播间专享券');
    expect(card.textContent).toContain('满 ¥50 可用');
    expect(card.textContent).toContain('剩余 100 张');
    fireEvent.click(await screen.findByRole('button', { name: '领取' }));
    expect((await screen.findByTestId('coupon-claimed')).textContent).toBe('已领取');
    expect(claims).toBe(1);
    expect(screen.getByTestId('coupon-drop').textContent).toContain('剩余 99 张');
    // another viewer's claim arrives as a new count
    room.send(live({ claimed: 7 }));
    expect(await screen.findByText('剩余 93 张')).toBeTruthy();
  });

  it('says in Chinese when every coupon is gone', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      [`GET /api/shows/${SHOW}/coupons`]: () => json(200, [{ ...live(), mine: 0 }] as RoomCoupon[]),
      [`POST /api/coupons/${COUPON}/claim`]: () => apiError(409, 'COUPONS_GONE', 'every coupon has been claimed'),
    });
    renderWith(<RoomCoupons showId={SHOW} room={fakeRoom()} />, api.fetch);
    fireEvent.click(await screen.findByRole('button', { name: '领取' }));
    expect((await screen.findByRole('alert')).textContent).toBe('手慢了，优惠券已被抢光。');
  });
});

describe('the coupon row of a checkout', () => {
  function Probe({ onChoice }: { onChoice: (c: CouponChoice) => void }) {
    const [last, setLast] = useState<CouponChoice | null>(null);
    return (
      <>
        <CheckoutCoupon
          items={[{ productId: PRODUCT, quantity: 2 }]}
          onChange={(c) => {
            setLast(c);
            onChoice(c);
          }}
        />
        <output data-testid="choice">{last ? `${last.couponId}:${last.discountFen}` : 'none yet'}</output>
      </>
    );
  }

  it('chooses the best coupon by itself (已优惠), and the buyer may choose none', async () => {
    const best = { ...mine({ id: 'a0000000-0000-4000-8000-000000000001', amountOffFen: 1000 }), discountFen: 1000 };
    const other = { ...mine({ id: 'a0000000-0000-4000-8000-000000000002', amountOffFen: 300 }), discountFen: 300 };
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'POST /api/coupons/quote': () => json(201, { usable: [best, other], best }),
    });
    const choices: CouponChoice[] = [];
    renderWith(<Probe onChoice={(c) => choices.push(c)} />, api.fetch);
    expect((await screen.findByTestId('coupon-saved')).textContent).toBe('已优惠 ¥10.00');
    expect(screen.getByTestId('choice').textContent).toBe(`${best.id}:1000`);
    fireEvent.change(screen.getByLabelText('优惠券'), { target: { value: 'none' } });
    expect(screen.queryByTestId('coupon-saved')).toBeNull();
    expect(screen.getByTestId('choice').textContent).toBe('null:0');
    fireEvent.change(screen.getByLabelText('优惠券'), { target: { value: other.id } });
    expect((await screen.findByTestId('coupon-saved')).textContent).toBe('已优惠 ¥3.00');
  });
});

describe('我的优惠券 /me/coupons', () => {
  it('lists usable coupons first, then used and expired ones, each with its state', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'GET /api/me/coupons': () =>
        json(200, [
          mine({ id: 'b0000000-0000-4000-8000-000000000001', status: 'used', orderId: PRODUCT, discountFen: 500 }),
          mine({ id: 'b0000000-0000-4000-8000-000000000002', status: 'expired' }),
          mine({ id: 'b0000000-0000-4000-8000-000000000003', status: 'usable' }),
        ]),
    });
    renderApp('/me/coupons', api.fetch);
    expect(await screen.findByRole('heading', { level: 1, name: '我的优惠券' })).toBeTruthy();
    const cards = await screen.findAllByTestId('my-coupon');
    expect(cards.map((c) => c.getAttribute('data-status'))).toEqual(['usable', 'used', 'expired']);
    expect(cards[0].textContent).toContain('直播结束前有效');
    expect(cards[1].textContent).toContain('已用于订单，优惠 ¥5.00');
    expect(cards[2].textContent).toContain('已过期');
  });
});
