import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { assertMinorUnits } from '../money';

/**
 * The ledger's pure core: postings, balancing, the canonical serialisation and the hash chain.
 * Specification (also in docs/ledger.md): see `canonicalJson` and `transactionHash`.
 */
export type LedgerKind = 'payment' | 'settlement' | 'refund' | 'reversal' | 'refund_fee' | 'dividend' | 'payout';

export interface Posting {
  /** Account code, e.g. `coop:<id>:household:<hid>:payable` (see accountCode helpers). */
  account: string;
  /** Signed minor units: debit positive, credit negative. Never zero. */
  amount: number;
  currency: 'CNY';
}

export interface LedgerTransactionContent {
  cooperativeId: string;
  /** 1, 2, 3… within the cooperative's chain. */
  seq: number;
  idempotencyKey: string;
  kind: LedgerKind;
  /** ISO-8601 UTC with milliseconds. */
  occurredAt: string;
  /** What caused it, e.g. {"orderId": "..."}; settlement transactions carry the inputs of their split. */
  reference: Record<string, unknown>;
  postings: Posting[];
  /** Hash of the previous transaction of the same cooperative; 64 zeros for the first. */
  prevHash: string;
}

export interface LedgerTransaction extends LedgerTransactionContent {
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}

/** Per currency, debits equal credits; at least two postings; no zero or fractional amounts. */
export function assertBalanced(postings: readonly Posting[]): void {
  if (postings.length < 2) throw new LedgerError('a transaction needs at least two postings');
  const sums = new Map<string, number>();
  for (const p of postings) {
    assertMinorUnits(p.amount, `posting ${p.account}`);
    if (p.amount === 0) throw new LedgerError(`posting ${p.account} is zero`);
    if (!p.account) throw new LedgerError('a posting needs an account');
    sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amount);
  }
  for (const [currency, s] of sums) if (s !== 0) throw new LedgerError(`${currency} debits and credits differ by ${s}`);
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, arrays in order, strings as
 * JSON.stringify writes them, numbers must be safe integers (no floats anywhere in the ledger).
 * It runs once per entry when a million-entry export is verified, so it is done by the engine's own JSON.stringify
 * on the value with its keys in canonical order (the value itself when they already are, else a reordered copy);
 * anything that JSON.stringify would write differently (a key that looks like an array index, `__proto__`, an
 * undefined array element, a non-plain object, …) is written by `canonicalJsonSlow`, the specification in code.
 */
export function canonicalJson(value: unknown): string {
  const ordered = canonicalOrder(value);
  return ordered === UNUSUAL ? canonicalJsonSlow(value) : (JSON.stringify(ordered) as string);
}

/** Marks a value `canonicalOrder` leaves to `canonicalJsonSlow`. */
const UNUSUAL: unique symbol = Symbol('unusual');

/**
 * The value with every object's keys in canonical order, for JSON.stringify: the value itself (no copy) when they
 * already are; UNUSUAL when JSON.stringify would not write it as canonical JSON. Refuses numbers that are not safe
 * integers, as canonical JSON does.
 */
function canonicalOrder(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isSafeInteger(value)) throw new LedgerError(`canonical JSON allows only safe integers, got ${value}`);
      return value;
    case 'object': {
      if (value === null) return value;
      if (Array.isArray(value)) {
        let out: unknown[] = value;
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) return UNUSUAL;
          const o = canonicalOrder(item);
          if (o === UNUSUAL) return UNUSUAL;
          if (o !== item) {
            if (out === value) out = value.slice();
            out[i] = o;
          }
        }
        return out;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return UNUSUAL;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let sorted = true;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const c = key.charCodeAt(0);
        // array-index-like keys are enumerated in numeric order, whatever the insertion order
        if ((c >= 48 && c <= 57) || key === '__proto__' || key === 'toJSON') return UNUSUAL;
        if (i > 0 && keys[i - 1] > key) sorted = false;
      }
      if (!sorted) keys.sort(); // default sort compares UTF-16 code units
      let values: unknown[] | null = null;
      for (let i = 0; i < keys.length; i++) {
        const v = record[keys[i]];
        const o = v === undefined ? v : canonicalOrder(v);
        if (o === UNUSUAL) return UNUSUAL;
        if (o !== v && !values) values = keys.slice(0, i).map((k) => record[k]);
        if (values) values.push(o);
      }
      if (sorted && !values) return value;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]] = values ? values[i] : record[keys[i]];
      return out;
    }
    default:
      if (value === undefined) return UNUSUAL;
      throw new LedgerError(`canonical JSON cannot hold ${typeof value}`);
  }
}

/** Canonical JSON written out member by member: the specification (and `canonicalJson` for unusual values). */
export function canonicalJsonSlow(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) throw new LedgerError(`canonical JSON allows only safe integers, got ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJsonSlow(value[i]);
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = 1; i < keys.length; i++) {
        if (keys[i - 1] > keys[i]) {
          keys.sort(); // default sort compares UTF-16 code units
          break;
        }
      }
      let out = '{';
      let first = true;
      for (const key of keys) {
        const v = record[key];
        if (v === undefined) continue;
        out += (first ? '' : ',') + quotedKey(key) + ':' + canonicalJsonSlow(v);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new LedgerError(`canonical JSON cannot hold ${typeof value}`);
  }
}

/** JSON.stringify of an object key, remembered: the same few keys repeat in every entry. */
const keyCache = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = keyCache.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (keyCache.size < 4096) keyCache.set(key, quoted);
  }
  return quoted;
}

/** The canonical JSON of a transaction's content (its eight members, nothing else): what its hash is taken of. */
export function transactionCanonicalJson(content: LedgerTransactionContent): string {
  const { cooperativeId, seq, idempotencyKey, kind, occurredAt, reference, postings, prevHash } = content;
  // (written in canonical key order already, so only the nested values may need reordering)
  return canonicalJson({
    cooperativeId,
    idempotencyKey,
    kind,
    occurredAt,
    postings,
    prevHash,
    reference,
    seq,
  });
}

/** SHA-256 (hex) of the canonical JSON of the transaction content, prevHash included: the chain link. */
export function transactionHash(content: LedgerTransactionContent, hasher?: (canonical: string) => string): string {
  const canonical = transactionCanonicalJson(content);
  return hasher ? hasher(canonical) : bytesToHex(sha256(utf8ToBytes(canonical)));
}

/** What every transaction line of an export begins with (`transactionLine`). */
export const TRANSACTION_LINE_PREFIX = '{"type":"transaction",';

/**
 * A transaction line of an export (`xiangbo-ledger/1`, docs/ledger.md) with its hashed content verbatim:
 * `{"type":"transaction",` + the canonical JSON of the content without its braces + `,"hash":"<hash>"}`. Still
 * plain JSON (key order carries no meaning, so exports written otherwise verify the same); this layout lets the
 * verifier hash the line's own bytes instead of parsing and re-serialising it. `hash` is written as given (an
 * export states the stored hash; the verifier checks it). Throws, as `transactionHash` does, on content that
 * canonical JSON cannot hold.
 */
export function transactionLine(content: LedgerTransactionContent, hash: string): string {
  const canonical = transactionCanonicalJson(content);
  const members = canonical.slice(1, -1);
  return TRANSACTION_LINE_PREFIX + members + (members ? ',' : '') + '"hash":' + JSON.stringify(hash) + '}';
}

/** Builds the next link of a chain after checking balance. */
export function seal(content: LedgerTransactionContent): LedgerTransaction {
  assertBalanced(content.postings);
  return { ...content, hash: transactionHash(content) };
}

/** Account codes: one place that names them, used by the API, the exports and the verifier. */
export const accountCode = {
  pspReceivable: () => 'platform:psp_receivable',
  platformFeeRevenue: () => 'platform:fee_revenue',
  paymentFees: () => 'platform:payment_fees',
  clearing: (coop: string) => `coop:${coop}:clearing`,
  retained: (coop: string) => `coop:${coop}:retained`,
  dividendPool: (coop: string) => `coop:${coop}:dividend_pool`,
  wagesPayable: (coop: string) => `coop:${coop}:wages_payable`,
  householdPayable: (coop: string, household: string) => `coop:${coop}:household:${household}:payable`,
  paidOut: (coop: string) => `coop:${coop}:paid_out`,
  /** What the platform pays for live coupons it carries (sharing policy `couponCarrier: 'platform'`). */
  couponSubsidies: () => 'platform:coupon_subsidies',
  /**
   * Processing fees the provider kept on orders refunded in full before settlement (`refund_fee`): carried by the
   * platform, as no settlement exists to take them from and no household received anything of the order.
   */
  refundedOrderFees: () => 'platform:refunded_order_fees',
};

export function householdOfAccount(account: string): string | null {
  const m = /^coop:[^:]+:household:([^:]+):payable$/.exec(account);
  return m ? m[1] : null;
}

/** Balances derived from postings (the only source of truth). */
export function balances(transactions: readonly Pick<LedgerTransactionContent, 'postings'>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of transactions) for (const p of t.postings) out.set(p.account, (out.get(p.account) ?? 0) + p.amount);
  return out;
}
