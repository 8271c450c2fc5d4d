import { allocate } from './allocation';

/**
 * Live coupons (直播间专享券): which of a buyer's coupons an order can use and what each takes off. Pure: the
 * database supplies the buyer's claimed, still valid coupons; nothing here reads a clock or does I/O.
 */

export interface HeldCoupon {
  /** The claim's id (one coupon a buyer holds). */
  id: string;
  cooperativeId: string;
  amountOffFen: number;
  /** The order's amount must reach it (满 X 可用); 0: no threshold. */
  minSpendFen: number;
  /** ISO time until which it can be used, or null (while its show is live): the one ending first is used first. */
  validUntil: string | null;
}

/**
 * What a coupon takes off an order of `amountFen` (before discounts): nothing below its threshold, else its amount,
 * capped so that at least one fen is left to pay — never negative, never the whole order.
 */
export function couponDiscount(amountFen: number, coupon: Pick<HeldCoupon, 'amountOffFen' | 'minSpendFen'>): number {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 1) return 0;
  if (amountFen < coupon.minSpendFen) return 0;
  return Math.max(0, Math.min(coupon.amountOffFen, amountFen - 1));
}

/**
 * The coupons an order of a cooperative can use, best first: the largest discount, then the one ending first
 * (a show coupon ends with the show: after every dated one), then by id (stable). Each with its discount.
 */
export function rankCoupons<C extends HeldCoupon>(
  coupons: readonly C[],
  cooperativeId: string,
  amountFen: number,
): (C & { discountFen: number })[] {
  return coupons
    .filter((c) => c.cooperativeId === cooperativeId)
    .map((c) => ({ ...c, discountFen: couponDiscount(amountFen, c) }))
    .filter((c) => c.discountFen > 0)
    .sort((a, b) => {
      if (a.discountFen !== b.discountFen) return b.discountFen - a.discountFen;
      const ea = a.validUntil ?? '~';
      const eb = b.validUntil ?? '~';
      if (ea !== eb) return ea < eb ? -1 : 1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
}

/**
 * An order's lines as the buyer paid for them: a discount (the lines' amounts above what the order cost, `paidFen`)
 * comes off the lines in proportion to their amounts, largest remainder by line id — so settlement splits what was
 * actually paid and the parts still add up to it. Lines are returned in their order, none below zero.
 */
export function linesAsPaid<L extends { lineId: string; amountFen: number }>(
  lines: readonly L[],
  paidFen: number,
): L[] {
  const listed = lines.reduce((x, l) => x + l.amountFen, 0);
  const discount = Math.max(0, listed - Math.max(0, paidFen));
  if (discount === 0 || listed === 0) return [...lines];
  const off = new Map(
    allocate(
      discount,
      lines.map((l) => ({ key: l.lineId, weight: l.amountFen })),
    ).map((a) => [a.key, a.amount]),
  );
  return lines.map((l) => ({ ...l, amountFen: l.amountFen - (off.get(l.lineId) ?? 0) }));
}
