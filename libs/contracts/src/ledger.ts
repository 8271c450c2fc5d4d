import { z } from 'zod';
import type { RegistryStatus } from './registry';

/**
 * Revenue to households: sharing policies, settlement runs, dividends, impact receipts and the public
 * transparency page (公示). Amounts are integer fen; rates are basis points (1/10000) — the console shows %.
 */

/** Figures about fewer households than this are shown only in aggregate on public pages. */
export const XB_MIN_GROUP = 3;

const bp = (max = 10000) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number of basis points' })
    .min(0, { message: 'must be 0 or more' })
    .max(max, { message: `must be at most ${max} basis points` });

const weight = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole percentage' })
  .min(0, { message: 'must be 0 or more' })
  .max(1000, { message: 'must be at most 1000%' });

export const sharingPolicyInputSchema = z.object({
  /**
   * The platform's fee is set by the platform (POST /api/admin/cooperatives/:id/platform-fee), never by the
   * cooperative: a new version takes the current one. Sending it is allowed only with that same value.
   */
  platformFeeBp: bp(2000).optional(),
  purchase: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('percent'), bp: bp() }),
      z.object({
        kind: z.literal('per_unit'),
        fenPerUnit: z
          .number({ message: 'must be a number' })
          .int({ message: 'must be a whole number of fen' })
          .min(0, { message: 'must be 0 or more' })
          .max(100_000_000, { message: 'is too large' }),
      }),
    ],
    { message: "must be {kind:'percent', bp} or {kind:'per_unit', fenPerUnit}" },
  ),
  dividendBp: bp(),
  wagesBp: bp(),
  dividendWeights: z.object({ registered: weight, monitored: weight, lifted: weight, none: weight }),
  /** Applies to orders paid at or after this instant; now when omitted; never in the past. */
  effectiveFrom: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with a time zone' }).optional(),
  /** Why this version (the change log). */
  note: z.string().trim().max(500, { message: 'must be at most 500 characters' }).default(''),
});
export type SharingPolicyInput = z.input<typeof sharingPolicyInputSchema>;

export interface SharingPolicyDto {
  version: number;
  platformFeeBp: number;
  purchase: { kind: 'percent'; bp: number } | { kind: 'per_unit'; fenPerUnit: number };
  dividendBp: number;
  wagesBp: number;
  dividendWeights: { registered: number; monitored: number; lifted: number; none: number };
  /** Who carries live coupons' discounts (absent: the cooperative). Set by the platform. */
  couponCarrier?: 'cooperative' | 'platform';
  effectiveFrom: string;
  note: string;
  createdAt: string;
  createdByName: string | null;
  /** The version in force now (the latest whose effectiveFrom has passed). */
  inForce: boolean;
}

export interface SharingPoliciesResponse {
  versions: SharingPolicyDto[];
  /** The platform's fee for this cooperative now, set by the platform: what its next version takes. */
  platformFeeBp: number;
}

/** The platform admin sets a cooperative's platform fee: a new policy version, the cooperative's shares unchanged. */
export const platformFeeSchema = z.object({
  platformFeeBp: bp(2000),
  /** Who carries live coupons' discounts from this version on; left out, as before. */
  couponCarrier: z.enum(['cooperative', 'platform'], { message: 'must be one of cooperative, platform' }).optional(),
  note: z.string().trim().max(500, { message: 'must be at most 500 characters' }).default(''),
});
export type PlatformFeeRequest = z.input<typeof platformFeeSchema>;

export interface SettlementSkip {
  orderId: string;
  orderNumber: string;
  reason: string;
}

export interface SettlementRunDto {
  id: string;
  cooperativeId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  /** Orders this run could not settle, each with the reason (they stay unsettled for a later run). */
  skipped: SettlementSkip[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** Settled by this run so far: number of orders and gross amount. */
  settledOrders: number;
  settledFen: number;
}

export interface SettlementOverview {
  /** Completed orders not yet settled. */
  unsettledOrders: number;
  unsettledFen: number;
  runs: SettlementRunDto[];
  balances: {
    clearingFen: number;
    dividendPoolFen: number;
    wagesPayableFen: number;
    retainedFen: number;
    householdsOwedFen: number;
  };
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const dividendRequestSchema = z.object({
  period: z.string({ message: 'is required' }).regex(PERIOD, { message: 'must be a month, YYYY-MM' }),
  /** Fen to distribute; the whole dividend pool when omitted. */
  amountFen: z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number of fen' })
    .min(1, { message: 'must be at least 1 fen' })
    .max(Number.MAX_SAFE_INTEGER)
    .optional(),
});
export type DividendRequest = z.infer<typeof dividendRequestSchema>;

export interface DividendPreviewDto {
  period: string;
  poolBalanceFen: number;
  amountFen: number;
  policyVersion: number;
  weights: { registered: number; monitored: number; lifted: number; none: number };
  members: { householdId: string; maskedName: string; status: RegistryStatus; shareUnits: number; amountFen: number }[];
  /** Posted already (dividend:<coop>:<period>): posting again changes nothing. */
  alreadyPosted: boolean;
  /** Ledger transaction seq once posted. */
  seq?: number;
}

export interface ImpactHousehold {
  maskedName: string;
  status: RegistryStatus;
  amountFen: number;
}

/** Where the money of one order went, from the ledger alone (the impact receipt). */
export interface ImpactReceiptDto {
  orderId: string;
  totalFen: number;
  currency: 'CNY';
  /** unpaid: not in the ledger; pending: paid, not yet settled; settled: split into the destinations. */
  state: 'unpaid' | 'pending' | 'settled';
  settledAt: string | null;
  policyVersion: number | null;
  /** Still in the cooperative's clearing account (not yet settled). */
  pendingFen: number;
  refundedFen: number;
  destinations: {
    processingFeeFen: number;
    platformFeeFen: number;
    purchaseFen: number;
    dividendPoolFen: number;
    wagesFen: number;
    retainedFen: number;
  };
  households: ImpactHousehold[];
  householdCount: number;
  registeredCount: number;
  monitoredCount: number;
}

export interface TransparencyGroup {
  households: number;
  amountFen: number;
}

export interface TransparencyMonth {
  /** YYYY-MM, Beijing time. */
  month: string;
  salesFen: number;
  orders: number;
  refundsFen: number;
  processingFeesFen: number;
  platformFeesFen: number;
  /** Purchase payments, dividends (net of reversals) credited to household payables, by registry status at the time. */
  toHouseholds: {
    /** null: fewer than XB_MIN_GROUP households — only counted in `all` or in the totals. */
    registered: TransparencyGroup | null;
    monitored: TransparencyGroup | null;
    all: TransparencyGroup | null;
  };
  /**
   * Payouts made (paid or confirmed) in the month. null: fewer than XB_MIN_GROUP households were paid that month;
   * confirmedFen/confirmedCount are null when 1 or 2 households confirmed (the same rule as `toHouseholds`).
   */
  payouts: { madeFen: number; madeCount: number; confirmedFen: number | null; confirmedCount: number | null } | null;
}

export interface TransparencyDto {
  cooperative: { id: string; name: string };
  minGroup: number;
  generatedAt: string;
  months: TransparencyMonth[];
  totals: {
    salesFen: number;
    orders: number;
    refundsFen: number;
    processingFeesFen: number;
    platformFeesFen: number;
    /**
     * Net amount credited to all household payables (purchase + dividends − reversals); null with
     * householdsReached when fewer than XB_MIN_GROUP households were reached (as in the month rows).
     */
    toHouseholdsFen: number | null;
    toRegistered: TransparencyGroup | null;
    toMonitored: TransparencyGroup | null;
    householdsReached: number | null;
    /** Paid out to households per the ledger (Dr payable, Cr paid_out). */
    paidOutFen: number;
    payoutsMadeFen: number;
    payoutsConfirmedFen: number;
    dividendPoolFen: number;
    wagesPayableFen: number;
    retainedFen: number;
  };
  /** Masked, one per household reached; empty when fewer than minGroup households were reached. */
  households: { maskedName: string; status: RegistryStatus; receivedFen: number; paidOutFen: number }[];
  /** How the payouts made (paid or confirmed) were confirmed, and what the auditors' call-backs found. */
  confirmations: TransparencyConfirmations;
}

export interface TransparencyCount {
  count: number;
  amountFen: number;
}

export interface TransparencyConfirmations {
  /** The household typed the code sent by SMS to its phone in the platform's registry. */
  sms: TransparencyCount;
  /** An assigned auditor attested in person. */
  attested: TransparencyCount;
  /** Confirmed through the old self-service link (before codes went by SMS). */
  legacy: TransparencyCount;
  /** Paid, not confirmed yet. */
  pending: TransparencyCount;
  /** 回访抽查: payouts drawn at random for a call-back, and the outcomes recorded so far. */
  callbacks: { samples: number; sampled: number; confirmed: number; disputed: number; unreachable: number };
}
