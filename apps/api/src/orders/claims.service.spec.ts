import type { DomainEvents } from '../common/domain-events';
import type { AppConfig } from '../config/config';
import type { JobsService } from '../jobs/jobs.service';
import type { PaymentProvider } from '../payments/payment-provider';
import { ClaimsService, type ClaimInput } from './claims.service';
import { type OfferHooks, OrderHooks } from './order-hooks';
import { OrderException } from './orders.exception';
import type { ClaimRow, OrdersRepository, ProductForSale } from './orders.repository';

/** The claims service with its repository, hooks and clock-free collaborators replaced by in-memory doubles. */
function setup(
  opts: {
    stock?: number;
    limit?: number | null;
    onSale?: boolean;
    offer?: { remaining: number; cap: number };
    provider?: 'demo' | 'stripe';
  } = {},
) {
  const state = {
    stock: opts.stock ?? 10,
    committed: 0,
    inserted: [] as ClaimRow[],
    returned: 0,
    takes: [] as number[],
    held: new Map<string, number>(),
    offerHeld: new Map<string, number>(),
    offerRemaining: opts.offer?.remaining ?? 0,
    released: 0,
  };
  const product: ProductForSale = {
    ...PRODUCT,
    perBuyerLimit: opts.limit ?? null,
    stock: state.stock,
    onSale: opts.onSale ?? true,
  };
  const repo = {
    readProducts: jest.fn(async (): Promise<Map<string, ProductForSale>> => new Map([[product.id, product]])),
    lockBuyerKeys: jest.fn(async () => undefined),
    unitsHeld: jest.fn(async (_m: unknown, _b: string[], scope: { productId?: string; offerId?: string }) =>
      scope.offerId ? state.offerHeld : state.held,
    ),
    takeUpTo: jest.fn(async (_m: unknown, _id: string, want: number) => {
      state.takes.push(want);
      if (state.stock === 0) return { taken: 0 as const, reason: 'EMPTY' as const };
      const taken = Math.min(state.stock, want);
      state.stock -= taken;
      return { taken, left: state.stock };
    }),
    returnStock: jest.fn(async (_m: unknown, _id: string, n: number) => {
      state.stock += n;
      state.returned += n;
    }),
    insertClaims: jest.fn(async (_m: unknown, rows: ClaimRow[]) => {
      state.inserted.push(...rows);
    }),
    clearCarts: jest.fn(async () => undefined),
    setIntents: jest.fn(async () => undefined),
  };
  const listeners = new Map<string, (p: { productId: string }) => void>();
  const events = {
    on: jest.fn((name: string, l: (p: { productId: string }) => void) => listeners.set(name, l)),
    publish: jest.fn(),
  };
  const db = {
    manager: {},
    transaction: jest.fn(async (cb: (m: unknown) => Promise<unknown>) => {
      const r = await cb({});
      state.committed++;
      return r;
    }),
  };
  const provider =
    opts.provider === 'stripe'
      ? // a remote provider that never answers: a claim must not wait for it
        { name: 'stripe', createIntent: jest.fn(() => new Promise(() => undefined)) }
      : {
          name: 'demo',
          createIntent: jest.fn(async (i: { paymentId: string }) => ({
            providerRef: `demo_${i.paymentId}`,
            clientSecret: null,
          })),
        };
  const jobs = { sendManyAt: jest.fn(async () => undefined) };
  const hooks = new OrderHooks();
  const offerHooks: OfferHooks = {
    terms: async () => ({ productId: 'p1', unitPriceFen: 2900, perBuyerCap: opts.offer?.cap ?? null, showId: 's1' }),
    reserve: jest.fn(async (_m, _id, want) => {
      const taken = Math.min(state.offerRemaining, want);
      state.offerRemaining -= taken;
      return taken ? { taken, left: state.offerRemaining } : { taken: 0 as const, refusal: new Error('DEAL SOLD_OUT') };
    }),
    release: jest.fn(async (_m, _id, n) => {
      state.offerRemaining += n;
      state.released += n;
    }),
    refusal: (code) => new Error(`DEAL ${code}`),
  };
  if (opts.offer) hooks.registerOffer('flash-deal', offerHooks);
  const service = new ClaimsService(
    db as never,
    { RESERVATION_SECONDS: 900 } as AppConfig,
    provider as unknown as PaymentProvider,
    repo as unknown as OrdersRepository,
    hooks,
    jobs as unknown as JobsService,
    events as unknown as DomainEvents,
  );
  service.onModuleInit();
  const claim = (buyerId: string, quantity = 1, extra: Partial<ClaimInput> = {}) =>
    service.claim({ buyerId, productId: 'p1', quantity, address: ADDRESS, ...extra });
  return { service, state, repo, db, events, listeners, offerHooks, claim, provider };
}

const PRODUCT: ProductForSale = {
  id: 'p1',
  cooperativeId: 'c1',
  cooperativeName: '金米村合作社',
  nameZh: '木耳',
  unit: 'box',
  priceFen: 5900,
  perBuyerLimit: null,
  stock: 10,
  onSale: true,
};

const ADDRESS = {
  recipient: '陈静',
  mobile: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 100 号',
};

const settle = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);

describe('ClaimsService (repository mocked)', () => {
  it('decides the claims arriving together in ONE transaction with ONE take; first come first served; answers after COMMIT', async () => {
    const { state, repo, db, claim } = setup({ stock: 3 });
    const seenCommitted: number[] = [];
    const ps = ['a', 'b', 'c', 'd', 'e'].map((b) =>
      claim(b).then(
        (r) => (seenCommitted.push(state.committed), r),
        (e) => {
          seenCommitted.push(state.committed);
          throw e;
        },
      ),
    );
    const results = await settle(ps);
    expect(db.transaction).toHaveBeenCalledTimes(1);
    expect(repo.takeUpTo).toHaveBeenCalledTimes(1);
    expect(state.takes).toEqual([5]); // the batch's total, one UPDATE
    expect(repo.insertClaims).toHaveBeenCalledTimes(1); // the winners' rows in one statement
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(state.inserted.map((r) => r.buyerId)).toEqual(['a', 'b', 'c']);
    const refused = results[3] as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(OrderException);
    expect(refused.reason.code).toBe('SOLD_OUT');
    expect(seenCommitted.every((c) => c === 1)).toBe(true); // nobody heard before the COMMIT
    const won = (results[0] as PromiseFulfilledResult<{ order: { totalFen: number; status: string } }>).value;
    expect(won.order).toMatchObject({ status: 'pending_payment', totalFen: 5900 });
  });

  it('a rush pays for the next batch’s reads while the current transaction runs (read, then COMMIT, not after)', async () => {
    const { repo, db, claim } = setup({ stock: 10 });
    const log: string[] = [];
    repo.readProducts.mockImplementation(async () => {
      log.push('read');
      return new Map([['p1', { ...PRODUCT }]]);
    });
    let late: Promise<unknown> | undefined;
    db.transaction.mockImplementation(async (cb: (m: unknown) => Promise<unknown>) => {
      log.push('begin');
      // a buyer arrives while the first batch's transaction runs: the next batch
      late ??= claim('c');
      const r = await cb({});
      log.push('commit');
      return r;
    });
    await Promise.all([claim('a'), claim('b')]);
    await late;
    // batch 2's reads (the second read) were made before batch 1's COMMIT; batch 2 then began with no read of its
    // own in between (the third read is the prefetch for a batch 3 that never comes)
    expect(log).toEqual(['read', 'read', 'begin', 'commit', 'read', 'begin', 'commit']);
  });

  it('the answer waits for no remote payment intent (created when the buyer opens the payment)', async () => {
    const { claim, provider, state } = setup({ stock: 2, provider: 'stripe' });
    const won = await claim('a');
    expect(won.checkout).toMatchObject({ provider: 'stripe', clientSecret: null });
    expect(provider.createIntent).not.toHaveBeenCalled();
    expect(state.inserted[0]).toMatchObject({ buyerId: 'a' });
    expect(state.inserted[0].providerRef ?? null).toBeNull();
  });

  it('a local (demo) provider’s intent is written with the payment, so the buyer can pay at once', async () => {
    const { claim, state } = setup({ stock: 2 });
    const won = await claim('a');
    expect(state.inserted[0].providerRef).toBe(`demo_${won.checkout.paymentId}`);
    expect(won.checkout.clientSecret).toBeNull();
  });

  it('once sold out answers SOLD_OUT from memory without the database; a release seen here opens it again', async () => {
    const { state, repo, listeners, claim } = setup({ stock: 1 });
    await claim('a');
    expect(state.stock).toBe(0);
    const calls = repo.takeUpTo.mock.calls.length;
    await expect(claim('b')).rejects.toMatchObject({ code: 'SOLD_OUT' });
    expect(repo.takeUpTo.mock.calls.length).toBe(calls); // no transaction for b
    // a reservation expires: the stock is back and the release is published
    state.stock = 1;
    listeners.get('stock.changed')?.({ productId: 'p1' });
    await expect(claim('c')).resolves.toMatchObject({ order: { status: 'pending_payment' } });
  });

  it('the per-buyer limit is decided in the batch: LIMIT_REACHED with what the buyer holds', async () => {
    const { state, claim, repo } = setup({ stock: 10, limit: 2 });
    state.held.set('a', 1);
    const results = await settle([claim('a'), claim('a'), claim('b', 2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'LIMIT_REACHED',
      details: { limit: 2, alreadyHeld: 1 },
    });
    expect(repo.lockBuyerKeys).toHaveBeenCalledWith(expect.anything(), ['a:p1', 'b:p1']);
    expect(state.takes).toEqual([3]);
  });

  it('an offer prices the line, takes its units after the product, and its cap refuses in its own words', async () => {
    const { state, claim, offerHooks } = setup({ stock: 100, offer: { remaining: 2, cap: 1 } });
    state.offerHeld.set('x', 1);
    const results = await settle([
      claim('a', 1, { offerId: 'd1' }),
      claim('x', 1, { offerId: 'd1' }),
      claim('b', 1, { offerId: 'd1' }),
      claim('c', 1, { offerId: 'd1' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('DEAL CAP_REACHED');
    expect((results[3] as PromiseRejectedResult).reason.message).toBe('DEAL SOLD_OUT');
    expect(offerHooks.reserve).toHaveBeenCalledWith(expect.anything(), 'd1', 3);
    // the product gave back what the deal could not: 3 taken from stock, 2 kept
    expect(state.stock).toBe(98);
    expect(state.inserted.map((r) => [r.buyerId, r.unitPriceFen, r.offerId, r.showId])).toEqual([
      ['a', 2900, 'd1', 's1'],
      ['b', 2900, 'd1', 's1'],
    ]);
  });

  it('units a large last claim could not use go back to the product and to the offer in the same transaction', async () => {
    const { state, claim, offerHooks } = setup({ stock: 100, offer: { remaining: 2, cap: 5 } });
    await expect(claim('a', 3, { offerId: 'd1' })).rejects.toThrow('DEAL SOLD_OUT');
    expect(offerHooks.release).toHaveBeenCalledWith(expect.anything(), 'd1', 2);
    expect(state.offerRemaining).toBe(2);
    expect(state.stock).toBe(100);
    expect(state.inserted).toHaveLength(0);
  });

  it('a product not on sale is refused for the whole batch before any row is locked or taken', async () => {
    const { repo, claim } = setup({ onSale: false });
    const results = await settle([claim('a'), claim('b')]);
    expect(results.map((r) => r.status === 'rejected' && r.reason.code)).toEqual([
      'PRODUCT_UNAVAILABLE',
      'PRODUCT_UNAVAILABLE',
    ]);
    expect(repo.lockBuyerKeys).not.toHaveBeenCalled();
    expect(repo.takeUpTo).not.toHaveBeenCalled();
  });
});
