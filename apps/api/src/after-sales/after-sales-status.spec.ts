import { escalatableFrom, statusOf, statusWithDispute } from './after-sales.service';

/** What the buyer and the cooperative read as a request's state, from its refund row and the return's steps. */
describe('after-sales status', () => {
  const refund = { kind: 'refund' as const, returnAcceptedAt: null, returnShippedAt: null };
  const agreed = { kind: 'return' as const, returnAcceptedAt: new Date(), returnShippedAt: null };
  const sentBack = { ...agreed, returnShippedAt: new Date() };

  it('follows the refund once the cooperative decided', () => {
    expect(statusOf(refund, { status: 'requested' })).toBe('requested');
    expect(statusOf(refund, { status: 'declined' })).toBe('refused');
    expect(statusOf(refund, { status: 'pending' })).toBe('processing');
    expect(statusOf(refund, { status: 'succeeded' })).toBe('refunded');
    expect(statusOf(refund, { status: 'failed' })).toBe('failed');
  });

  it('shows the return’s steps while its refund waits', () => {
    expect(statusOf({ ...agreed, returnAcceptedAt: null }, { status: 'requested' })).toBe('requested');
    expect(statusOf(agreed, { status: 'requested' })).toBe('awaiting_return');
    expect(statusOf(sentBack, { status: 'requested' })).toBe('returned');
    // Money decides over the steps: a refunded or refused return says so.
    expect(statusOf(sentBack, { status: 'succeeded' })).toBe('refunded');
    expect(statusOf(agreed, { status: 'declined' })).toBe('refused');
  });

  it('a refund accepted for a refund-only request never shows a return step', () => {
    expect(statusOf({ ...refund, returnAcceptedAt: new Date() }, { status: 'requested' })).toBe('requested');
  });

  it('with a dispute: disputed while open, refused when upheld, the platform’s refund once it refunded', () => {
    const open = { status: 'open' as const };
    expect(statusWithDispute(refund, { status: 'declined' }, open, undefined)).toBe('disputed');
    expect(statusWithDispute(refund, { status: 'requested' }, open, undefined)).toBe('disputed');
    expect(statusWithDispute(sentBack, { status: 'requested' }, open, undefined)).toBe('disputed');
    // The cooperative accepted meanwhile: the money says so.
    expect(statusWithDispute(refund, { status: 'succeeded' }, open, undefined)).toBe('refunded');
    expect(statusWithDispute(refund, { status: 'declined' }, { status: 'upheld' }, undefined)).toBe('refused');
    const refunded = { status: 'refunded' as const };
    expect(statusWithDispute(refund, { status: 'declined' }, refunded, { status: 'pending' })).toBe('processing');
    expect(statusWithDispute(refund, { status: 'declined' }, refunded, { status: 'succeeded' })).toBe('refunded');
    expect(statusWithDispute(sentBack, { status: 'declined' }, refunded, { status: 'failed' })).toBe('failed');
    expect(statusWithDispute(refund, { status: 'declined' }, null, undefined)).toBe('refused');
  });

  it('escalating: a refusal at once; no answer after 48 hours (of the request, or of the goods sent back)', () => {
    const createdAt = new Date('2026-12-01T00:00:00Z');
    const returnShippedAt = new Date('2026-12-03T00:00:00Z');
    expect(escalatableFrom({ createdAt, returnShippedAt: null }, 'refused')?.getTime()).toBe(0);
    expect(escalatableFrom({ createdAt, returnShippedAt: null }, 'requested')?.toISOString()).toBe(
      '2026-12-03T00:00:00.000Z',
    );
    expect(escalatableFrom({ createdAt, returnShippedAt }, 'returned')?.toISOString()).toBe('2026-12-05T00:00:00.000Z');
    for (const s of ['awaiting_return', 'processing', 'refunded', 'failed', 'disputed'] as const)
      expect(escalatableFrom({ createdAt, returnShippedAt }, s)).toBeNull();
  });
});
