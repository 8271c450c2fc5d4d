import { statusOf } from './after-sales.service';

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
});
