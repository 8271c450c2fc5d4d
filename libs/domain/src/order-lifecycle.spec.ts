import { allowedNext, canTransition, ORDER_STATUSES, refundableFen } from './order-lifecycle';

describe('order lifecycle', () => {
  it('follows the happy path', () => {
    expect(canTransition('pending_payment', 'paid')).toBe(true);
    expect(canTransition('paid', 'shipped')).toBe(true);
    expect(canTransition('shipped', 'delivered')).toBe(true);
    expect(canTransition('delivered', 'completed')).toBe(true);
  });

  it('refuses skipping payment, shipping an unpaid order, or leaving a terminal state', () => {
    expect(canTransition('pending_payment', 'shipped')).toBe(false);
    expect(canTransition('pending_payment', 'refunded')).toBe(false);
    expect(canTransition('paid', 'cancelled')).toBe(false);
    for (const s of ORDER_STATUSES) {
      expect(canTransition('cancelled', s)).toBe(false);
      expect(canTransition('refunded', s)).toBe(false);
    }
    expect(allowedNext('completed')).toEqual(['refunded']);
  });

  it('never refunds more than was paid', () => {
    expect(refundableFen(5900, 0)).toBe(5900);
    expect(refundableFen(5900, 5900)).toBe(0);
    expect(refundableFen(5900, 6000)).toBe(0);
  });
});
