import { buyableTotalFen, groupByCooperative, lineProblem, type CartViewLine } from './cart-lines';
import { formatFen } from '../../format';
import { checkRefundAmount, refundRoomFen } from './refund';

describe('money formatting (integer fen, never floats)', () => {
  it('adds line totals exactly (10 + 20 fen is 30, not 0.30000000000000004 yuan)', () => {
    const line = (
      productId: string,
      priceFen: number,
      quantity: number,
      extra: Partial<CartViewLine> = {},
    ): CartViewLine => ({
      productId,
      quantity,
      priceFen,
      nameZh: productId,
      unit: 'jin',
      stock: 100,
      published: true,
      coverThumbUrl: null,
      cooperative: { id: 'c1', name: '合作社' },
      ...extra,
    });
    const lines = [line('a', 10, 1), line('b', 20, 1), line('c', 1999, 3), line('gone', 500, 1, { published: false })];
    expect(buyableTotalFen(lines)).toBe(30 + 5997);
    expect(formatFen(buyableTotalFen(lines), 'zh-CN')).toBe('¥60.27');
  });

  it('parses a refund amount typed in yuan exactly and checks it against what is refundable', () => {
    expect(checkRefundAmount('', 5000)).toEqual({ ok: true });
    expect(checkRefundAmount('0.1', 5000)).toEqual({ ok: true, amountFen: 10 });
    expect(checkRefundAmount(' 19.99 ', 5000)).toEqual({ ok: true, amountFen: 1999 });
    expect(checkRefundAmount('50', 5000)).toEqual({ ok: true, amountFen: 5000 });
    expect(checkRefundAmount('50.01', 5000)).toEqual({ ok: false, key: 'amountTooLarge' });
    expect(checkRefundAmount('1.234', 5000)).toEqual({ ok: false, key: 'amountInvalid' });
    expect(checkRefundAmount('-1', 5000)).toEqual({ ok: false, key: 'amountInvalid' });
    expect(checkRefundAmount('0', 5000)).toEqual({ ok: false, key: 'amountZero' });
  });

  it('counts open refund requests against what can still be refunded', () => {
    const refund = (amountFen: number, status: 'requested' | 'declined' | 'pending' | 'succeeded' | 'failed') => ({
      id: status,
      amountFen,
      reason: 'x',
      status,
      decisionNote: null,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(
      refundRoomFen({
        totalFen: 10000,
        refundedFen: 2000,
        refunds: [refund(2000, 'succeeded'), refund(3000, 'requested'), refund(500, 'declined')],
      }),
    ).toBe(5000);
  });
});

describe('cart lines', () => {
  it('flags off-sale, sold-out and short lines', () => {
    expect(lineProblem({ published: false, stock: 5, quantity: 1 })).toBe('unavailable');
    expect(lineProblem({ published: true, stock: 0, quantity: 1 })).toBe('soldOut');
    expect(lineProblem({ published: true, stock: 2, quantity: 3 })).toBe('short');
    expect(lineProblem({ published: true, stock: 3, quantity: 3 })).toBeNull();
  });

  it('groups lines by cooperative in first-seen order', () => {
    const g = groupByCooperative([
      { id: 1, cooperative: { id: 'b', name: 'B' } },
      { id: 2, cooperative: { id: 'a', name: 'A' } },
      { id: 3, cooperative: { id: 'b', name: 'B' } },
    ]);
    expect(g.map((x) => [x.cooperative.id, x.lines.map((l) => l.id)])).toEqual([
      ['b', [1, 3]],
      ['a', [2]],
    ]);
  });
});
