import { z } from 'zod';
import { isoDateSchema } from './cooperatives';
import type { RegistryStatus } from './registry';

/**
 * Payouts (兑付): batches of households owed at least a threshold, the payment of each (channel, reference,
 * date: the ledger's payout transaction), and the household's confirmation through a channel the cooperative does
 * not control: a one-time code sent by SMS to the phone in the platform's registry, or, for a household without a
 * phone, an assigned auditor's attestation in person. Every amount is integer fen.
 */

export const PAYOUT_STATUSES = ['planned', 'paid', 'confirmed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** 银行转账 / 移动支付 / 现金. */
export const PAYOUT_CHANNELS = ['bank', 'mobile', 'cash'] as const;
export type PayoutChannel = (typeof PAYOUT_CHANNELS)[number];

/** ¥1,000,000.00: far above any one household's payout, far below anything that could overflow. */
export const PAYOUT_THRESHOLD_MAX_FEN = 100_000_000;

export const createPayoutBatchSchema = z.object({
  /** Households owed at least this much (fen) get a planned payout. */
  thresholdFen: z
    .number({ message: 'must be a whole number of fen' })
    .int({ message: 'must be a whole number of fen' })
    .min(1, { message: 'must be at least 1 fen' })
    .max(PAYOUT_THRESHOLD_MAX_FEN, { message: `must be at most ${PAYOUT_THRESHOLD_MAX_FEN} fen` }),
});
export type CreatePayoutBatchRequest = z.infer<typeof createPayoutBatchSchema>;

/** A date that is not after today in China (UTC+8). */
function notAfterTodayInChina(v: string): boolean {
  return v <= new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const recordPayoutSchema = z.object({
  channel: z.enum(PAYOUT_CHANNELS, { message: `must be one of ${PAYOUT_CHANNELS.join(', ')}` }),
  /** Bank or payment reference, or the number of the cash receipt. */
  reference: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(100, { message: 'must be at most 100 characters' }),
  paidOn: isoDateSchema.refine(notAfterTodayInChina, { message: 'must not be in the future' }),
});
export type RecordPayoutRequest = z.infer<typeof recordPayoutSchema>;

/**
 * How a paid payout is to be confirmed, decided when it is recorded: `sms` (a code went to the registry phone) or
 * `attest` (no phone in the registry: an assigned auditor attests in person).
 */
export const PAYOUT_CONFIRM_ROUTES = ['sms', 'attest'] as const;
export type PayoutConfirmRoute = (typeof PAYOUT_CONFIRM_ROUTES)[number];

/**
 * How a payout was confirmed: `sms` the household typed the code it received, `attested` an assigned auditor
 * attested in person, `legacy` through the old self-service link (before codes went by SMS).
 */
export const PAYOUT_CONFIRM_METHODS = ['sms', 'attested', 'legacy'] as const;
export type PayoutConfirmMethod = (typeof PAYOUT_CONFIRM_METHODS)[number];

export const PAYOUT_FLAGS = ['unconfirmed'] as const;
export const payoutListQuerySchema = z.object({
  /** `unconfirmed`: paid, not confirmed by the household, paid more than PAYOUT_CONFIRM_DAYS ago. */
  flag: z.enum(PAYOUT_FLAGS).optional(),
  status: z.enum(PAYOUT_STATUSES).optional(),
});
export type PayoutListQuery = z.infer<typeof payoutListQuerySchema>;

export const EXPORT_ENCODINGS = ['utf8', 'gbk'] as const;
export type ExportEncoding = (typeof EXPORT_ENCODINGS)[number];
export const payoutExportQuerySchema = z.object({
  encoding: z.enum(EXPORT_ENCODINGS, { message: 'must be utf8 or gbk' }).default('utf8'),
});

/** The one-time confirmation token is 32 random bytes in base64url (43 characters). */
export const CONFIRM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const confirmCode = z
  .string({ message: 'is required' })
  .trim()
  .regex(/^\d{6}$/, { message: 'must be the 6 digits you received' });

export const confirmByCodeSchema = z.object({
  payoutId: z.uuid({ message: 'must be the payout number sent with the code' }),
  code: confirmCode,
});
export type ConfirmByCodeRequest = z.infer<typeof confirmByCodeSchema>;

/** The household's page from the SMS (`/h/<token>`) confirms only with the code of the same SMS. */
export const confirmByLinkSchema = z.object({ code: confirmCode });
export type ConfirmByLinkRequest = z.infer<typeof confirmByLinkSchema>;

/** One payout in the console: the household by masked name only (the bank export has the clear name). */
export interface PayoutView {
  id: string;
  batchId: string;
  householdId: string;
  householdNameMasked: string;
  village: string;
  registryStatus: RegistryStatus;
  amountFen: number;
  status: PayoutStatus;
  channel: PayoutChannel | null;
  reference: string | null;
  paidOn: string | null;
  confirmedAt: string | null;
  /** Set when recorded: the code went by SMS, or an auditor must attest (no phone in the registry). */
  confirmRoute: PayoutConfirmRoute | null;
  /** The registry phone the code was sent to, masked (138****1234); null on the attest route. */
  smsToMasked: string | null;
  confirmMethod: PayoutConfirmMethod | null;
  /** Paid, still unconfirmed, paid more than PAYOUT_CONFIRM_DAYS ago. */
  unconfirmedFlag: boolean;
  createdAt: string;
}

export interface PayoutBatchSummary {
  id: string;
  cooperativeId: string;
  thresholdFen: number;
  createdAt: string;
  payouts: number;
  totalFen: number;
  planned: number;
  paid: number;
  confirmed: number;
  unconfirmedFlagged: number;
}

export interface PayoutBatchDetail extends PayoutBatchSummary {
  items: PayoutView[];
}

export interface PayoutBatchList {
  items: PayoutBatchSummary[];
  /** Paid payouts the households have not confirmed after `confirmDays` days (all batches). */
  unconfirmedFlagged: number;
  confirmDays: number;
}

/**
 * After recording: how the household will confirm. Never the code or the household's link — they go only to
 * the phone in the platform's registry.
 */
export interface RecordPayoutResponse {
  payout: PayoutView;
  confirmation: {
    route: PayoutConfirmRoute;
    /** e.g. 138****1234; null on the attest route. */
    phoneMasked: string | null;
    /**
     * `sent`: the SMS provider accepted it; `pending`: it is retried in the background; `failed`: the provider
     * refused it (e.g. the number): an assigned auditor attests instead.
     */
    sms: 'sent' | 'pending' | 'failed' | null;
  };
  ledgerTransactionId: string;
}

export interface PayoutList {
  items: PayoutView[];
  confirmDays: number;
}

// ---------- Household statement ----------

export interface StatementMonth {
  /** YYYY-MM in China's time zone. */
  month: string;
  earnedFen: number;
  paidOutFen: number;
}

export interface StatementEntry {
  seq: number;
  kind: string;
  occurredAt: string;
  /** From the household's side: positive = earned, negative = paid out or reversed. */
  amountFen: number;
  channel: PayoutChannel | null;
}

/** Earned, paid out and still owed, from the ledger postings of the household's payable account alone. */
export interface HouseholdStatement {
  householdId: string;
  householdNameMasked: string;
  /** Only in the console (the read is access-logged); null through the household's link. */
  householdName: string | null;
  cooperativeId: string;
  cooperativeName: string;
  account: string;
  /** Everything credited to the household (purchase payments + dividends) net of reversals. */
  earnedFen: number;
  purchaseFen: number;
  dividendFen: number;
  /** Refunds and reversals taken back (≤ 0). */
  adjustmentsFen: number;
  paidOutFen: number;
  owedFen: number;
  byChannel: { channel: PayoutChannel | 'unknown'; paidOutFen: number; count: number }[];
  byMonth: StatementMonth[];
  entries: StatementEntry[];
}

// ---------- Household link (public, no account) ----------

export interface HouseholdLinkView {
  householdNameMasked: string;
  cooperative: { id: string; name: string };
  payout: {
    id: string;
    amountFen: number;
    channel: PayoutChannel | null;
    paidOn: string | null;
    status: PayoutStatus;
    confirmedAt: string | null;
    confirmMethod: PayoutConfirmMethod | null;
  };
  statement: HouseholdStatement;
}

export interface ConfirmPayoutResponse {
  payoutId: string;
  confirmedAt: string;
  /** True when it had been confirmed before (nothing changed). */
  alreadyConfirmed: boolean;
}
