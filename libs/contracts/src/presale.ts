import { z } from 'zod';

/**
 * 预售: a product sold before its harvest. The buyer pays a deposit (定金) per unit now and the balance (尾款) per unit
 * once the cooperative declares the harvest in; balanceFen 0 is a full prepayment (全款预售). Units are capped by what
 * the supplying households promised; each is paid the guaranteed purchase price (保底收购价) fixed at opening.
 */
export const PRESALE_LIMITS = {
  maxPromises: 50,
  maxUnitsPerPromise: 100_000,
  minBalanceDays: 1,
  maxBalanceDays: 30,
} as const;

export type PresaleStatus = 'open' | 'harvested' | 'cancelled';

/**
 * The rule shown to the buyer when the balance is not paid by its deadline: the deposit is refunded in full and the
 * order cancelled (chosen over forfeiting it: the buyer is never charged for produce they did not receive).
 */
export const PRESALE_UNPAID_BALANCE_RULE = 'refund' as const;

/** On the product page (`presale` of GET /api/products/:id) and in the list's pre-sale badge. */
export interface PresaleOffer {
  id: string;
  status: PresaleStatus;
  /** Per unit. */
  depositFen: number;
  /** Per unit; 0 = full prepayment. */
  balanceFen: number;
  /** depositFen + balanceFen. */
  totalFen: number;
  /** Expected shipping window (calendar days, China time), YYYY-MM-DD. */
  shipFrom: string;
  shipTo: string;
  /** Days the buyer has to pay the balance once the harvest is declared in. */
  balanceDays: number;
  /** When the balance is due (set when the harvest is declared in), else null. */
  balanceDueAt: string | null;
  /** Units the households promised, and units already ordered. */
  promisedUnits: number;
  remainingUnits: number;
  /** What happens when the balance is not paid in time. */
  unpaidBalanceRule: typeof PRESALE_UNPAID_BALANCE_RULE;
  /** The households' promises (masked names) and the guaranteed purchase price per unit. */
  guaranteedFen: number;
  promises: { name: string; quantity: number }[];
}

/** The console opens a pre-sale for one of its products, with its households' promises. */
export const createPresaleSchema = z
  .object({
    productId: z.uuid({ message: 'must be a UUID' }),
    depositFen: z.number().int().min(1).max(100_000_000),
    balanceFen: z.number().int().min(0).max(100_000_000),
    guaranteedFen: z.number().int().min(0).max(100_000_000),
    shipFrom: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
    shipTo: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
    balanceDays: z.number().int().min(PRESALE_LIMITS.minBalanceDays).max(PRESALE_LIMITS.maxBalanceDays).default(7),
    promises: z
      .array(
        z.object({
          householdId: z.uuid({ message: 'must be a UUID' }),
          quantity: z.number().int().min(1).max(PRESALE_LIMITS.maxUnitsPerPromise),
        }),
      )
      .min(1, { message: 'at least one household must promise a quantity' })
      .max(PRESALE_LIMITS.maxPromises),
  })
  .refine((v) => v.shipFrom <= v.shipTo, { path: ['shipTo'], message: 'must be on or after shipFrom' })
  .refine((v) => v.guaranteedFen <= v.depositFen + v.balanceFen, {
    path: ['guaranteedFen'],
    message: 'the guaranteed purchase price cannot exceed the sale price (deposit + balance)',
  })
  .refine((v) => new Set(v.promises.map((p) => p.householdId)).size === v.promises.length, {
    path: ['promises'],
    message: 'a household is listed twice',
  });
export type CreatePresaleRequest = z.input<typeof createPresaleSchema>;

export const cancelPresaleSchema = z.object({ reason: z.string().trim().min(1).max(200) });
export type CancelPresaleRequest = z.input<typeof cancelPresaleSchema>;

/** A pre-sale in the console: the offer and its orders. */
export interface ConsolePresale extends PresaleOffer {
  productId: string;
  productName: string;
  createdAt: string;
  harvestedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** The households' promises with their ids (the console sees its own registry). */
  promisedBy: { householdId: string; name: string; quantity: number }[];
  orders: { depositPaid: number; balancePaid: number; refunded: number; units: number };
}

/**
 * A buyer's pre-sale order, as their order list shows it:
 * deposit_paid (定金已付, harvest not in yet), balance_due (待付尾款, with the pay button until balanceDueAt),
 * balance_paid (尾款已付, ships in the window), refunding / refunded (the pre-sale was cancelled, or the balance
 * was not paid in time).
 */
export type PresaleOrderState = 'deposit_paid' | 'balance_due' | 'balance_paid' | 'refunding' | 'refunded';

export interface MyPresaleOrder {
  /** The deposit order (the one placed with POST /api/orders). */
  orderId: string;
  /** The balance order, once the buyer started paying the balance. */
  balanceOrderId: string | null;
  presaleId: string;
  productId: string;
  productName: string;
  quantity: number;
  state: PresaleOrderState;
  depositFen: number;
  balanceFen: number;
  balanceDueAt: string | null;
  shipFrom: string;
  shipTo: string;
}

/** POST /api/presale-orders/:orderId/balance → the balance order and its payment (paid through the existing routes). */
export interface PresaleBalanceResponse {
  orderId: string;
  balanceOrderId: string;
  paymentId: string;
  amountFen: number;
}

/** The transparency page: a cooperative's pre-sales and what was promised to its households. */
export interface PublicPresale {
  id: string;
  productId: string;
  productName: string;
  status: PresaleStatus;
  guaranteedFen: number;
  depositFen: number;
  balanceFen: number;
  shipFrom: string;
  shipTo: string;
  promises: { name: string; quantity: number }[];
  promisedUnits: number;
  orderedUnits: number;
}

/** A pre-sale order in the cooperative's console (its orders page badge, the pre-sale page's shipping list). */
export interface ConsolePresaleOrder {
  /** The deposit order, and the balance order once the buyer started paying it. */
  orderId: string;
  orderNumber: string;
  balanceOrderId: string | null;
  presaleId: string;
  productName: string;
  quantity: number;
  state: PresaleOrderState;
  /** Both orders may ship now, in one parcel (harvest in, balance paid, not shipped yet). */
  shippable: boolean;
  /** The deposit order's status (paid, shipped …). */
  orderStatus: string;
}
