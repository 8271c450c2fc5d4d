import { accountCode, householdOfAccount, type LedgerTransaction } from './ledger';
import { distributeDividend, type SharingPolicy } from './sharing-policy';

/**
 * Registry status in the ledger (docs/ledger.md, "Dividend inputs and registry status"): a settlement's
 * `reference.statuses` ({householdId: status}) and a dividend's `reference.members` ([{householdId, shareUnits,
 * status}]) record each credited household's registry status at the time, hashed with the entry, so a dividend's
 * split can be recomputed from the export alone and the verifier can say how much reached each status and how much
 * of it was paid out. Entries written before (issue 16) lack them and verify as before: their credits count as
 * "not recorded".
 */

/** The household registry's statuses (libs/contracts registry.ts): 建档立卡 · 防返贫监测 · 已脱贫 · 一般. */
export const LEDGER_REGISTRY_STATUSES = ['registered', 'monitored', 'lifted', 'none'] as const;
export type LedgerRegistryStatus = (typeof LEDGER_REGISTRY_STATUSES)[number];
/** A summary row's status: one of the registry's, or `unrecorded` (a credit written before statuses were kept). */
export type RegistrySummaryStatus = LedgerRegistryStatus | 'unrecorded';
export const REGISTRY_SUMMARY_STATUSES: readonly RegistrySummaryStatus[] = [...LEDGER_REGISTRY_STATUSES, 'unrecorded'];
const UNRECORDED = 4;

const statusCode = (s: unknown): number => {
  switch (s) {
    case 'registered':
      return 0;
    case 'monitored':
      return 1;
    case 'lifted':
      return 2;
    case 'none':
      return 3;
    default:
      return -1;
  }
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** One dividend input: a member household active in the period, its share units and its registry status. */
export interface DividendMemberInput {
  householdId: string;
  shareUnits: number;
  status: LedgerRegistryStatus;
}

/**
 * A settlement's `reference.statuses`, when present: an object whose every value is a registry status and which
 * names every household whose payable the settlement credits. A problem, or null (absent: an older entry).
 */
export function settlementStatusProblem(t: LedgerTransaction): string | null {
  const statuses = (t.reference as Record<string, unknown>).statuses;
  if (statuses === undefined) return null;
  if (!isPlainObject(statuses)) return 'its reference.statuses must be an object: household id → registry status';
  for (const [household, status] of Object.entries(statuses))
    if (statusCode(status) < 0)
      return `reference.statuses gives household ${household} the status ${JSON.stringify(status)}, not one of ${LEDGER_REGISTRY_STATUSES.join(', ')}`;
  for (const p of t.postings) {
    const household = p.amount < 0 ? householdOfAccount(p.account) : null;
    if (household !== null && !Object.prototype.hasOwnProperty.call(statuses, household))
      return `it credits household ${household}, whose registry status reference.statuses does not give`;
  }
  return null;
}

/**
 * A dividend's `reference.members`, when present: the inputs of its split (docs/ledger.md). Each member
 * {householdId, shareUnits (an integer ≥ 0), status}, no household twice; the split is
 * allocate(amountFen, shareUnits × the weight of its status in policy `policyVersion`) by largest remainder
 * (`distributeDividend`), and the dividend must credit exactly that to each household's payable. A problem, or
 * null (absent: a dividend posted before the inputs were kept, checked for shape and pool only).
 */
export function dividendInputsProblem(t: LedgerTransaction, policies: Map<number, SharingPolicy>): string | null {
  const ref = t.reference as Record<string, unknown>;
  if (ref.members === undefined) return null;
  if (!Array.isArray(ref.members)) return 'its reference.members must be a list of {householdId, shareUnits, status}';
  const members: DividendMemberInput[] = [];
  const seen = new Set<string>();
  for (const m of ref.members as unknown[]) {
    if (!isPlainObject(m) || typeof m.householdId !== 'string')
      return 'each of reference.members must name its household (householdId)';
    if (Object.keys(m).some((k) => k !== 'householdId' && k !== 'shareUnits' && k !== 'status'))
      return `member ${m.householdId} of reference.members has a member other than householdId, shareUnits, status`;
    if (typeof m.shareUnits !== 'number' || !Number.isSafeInteger(m.shareUnits) || m.shareUnits < 0)
      return `member ${m.householdId}'s shareUnits must be a whole number, 0 or more`;
    if (statusCode(m.status) < 0)
      return `member ${m.householdId}'s status must be one of ${LEDGER_REGISTRY_STATUSES.join(', ')}`;
    if (seen.has(m.householdId)) return `household ${m.householdId} is twice in reference.members`;
    seen.add(m.householdId);
    members.push({ householdId: m.householdId, shareUnits: m.shareUnits, status: m.status as LedgerRegistryStatus });
  }
  const policy = policies.get(ref.policyVersion as number);
  if (!policy) return `dividend names policy version ${String(ref.policyVersion)}, which is not in the export`;
  const amount = ref.amountFen as number;
  const expected = new Map<string, number>();
  for (const s of distributeDividend(amount, members, policy.dividendWeights))
    if (s.amount !== 0) expected.set(accountCode.householdPayable(t.cooperativeId, s.householdId), -s.amount);
  if (expected.size === 0)
    return `no member of reference.members has share units with a non-zero weight in policy v${policy.version}: nothing could be split`;
  const actual = new Map<string, number>();
  for (const p of t.postings)
    if (p.amount < 0) actual.set(p.account, (actual.get(p.account) ?? 0) + p.amount);
    else if (householdOfAccount(p.account)) actual.set(p.account, (actual.get(p.account) ?? 0) + p.amount);
  for (const [account, fen] of expected)
    if ((actual.get(account) ?? 0) !== fen)
      return `dividend split does not follow its inputs: household ${householdOfAccount(account)} receives ${-(actual.get(account) ?? 0)} fen, share units × weight of policy v${policy.version} give ${-fen}`;
  for (const [account, fen] of actual)
    if (!expected.has(account) && fen !== 0)
      return `dividend split does not follow its inputs: household ${householdOfAccount(account) ?? account} receives ${-fen} fen, but is not a member with weight in reference.members`;
  return null;
}

/** The statuses of a settlement's or dividend's credits: household id → status code (for `RegistryBook`). */
export function statusesOf(t: LedgerTransaction): Map<string, number> | undefined {
  const ref = t.reference as Record<string, unknown>;
  if (t.kind === 'settlement' && isPlainObject(ref.statuses)) {
    const out = new Map<string, number>();
    for (const [h, s] of Object.entries(ref.statuses)) out.set(h, statusCode(s));
    return out;
  }
  if (t.kind === 'dividend' && Array.isArray(ref.members)) {
    const out = new Map<string, number>();
    for (const m of ref.members as DividendMemberInput[]) out.set(m.householdId, statusCode(m.status));
    return out;
  }
  return undefined;
}

/** One row of the summary: what reached the households of one status, and what of it left their accounts. */
export interface RegistrySummaryRow {
  status: RegistrySummaryStatus;
  /** Credited to household payables (purchase payments and dividends). */
  creditedFen: number;
  /** Taken back by reversals. */
  reversedFen: number;
  /** Paid out (payouts recorded as paid). */
  paidOutFen: number;
  /** Still owed: credited − reversed − paid out. */
  owedFen: number;
}

export interface RegistrySummary {
  rows: RegistrySummaryRow[];
  /**
   * Whether the export says which payouts the households confirmed: it does not (a confirmation is recorded on the
   * payout, after its ledger entry, and the ledger is append-only): see the payouts sheet (`…/ledger/payouts`).
   */
  confirmationsInExport: false;
}

/**
 * The registry summary, fed in file order: every fen credited to a household's payable counts for the status the
 * entry records for that household (`unrecorded` when it records none); every fen debited from it (a reversal or a
 * payout) is taken from its oldest fen not yet taken (first in, first out) and counts for that fen's status (a
 * debit beyond what was credited counts as `unrecorded`). Linear: each credit is queued once and taken once.
 */
export class RegistryBook {
  private readonly credited = [0, 0, 0, 0, 0];
  private readonly reversed = [0, 0, 0, 0, 0];
  private readonly paid = [0, 0, 0, 0, 0];
  /** Per household account: its credits not yet taken, as runs of one status (status, amount, status, amount…). */
  private readonly queues = new Map<string, { runs: number[]; head: number }>();

  credit(account: string, status: number, fen: number): void {
    const s = status >= 0 ? status : UNRECORDED;
    this.credited[s] += fen;
    let q = this.queues.get(account);
    if (!q) this.queues.set(account, (q = { runs: [], head: 0 }));
    const n = q.runs.length;
    if (n > q.head && q.runs[n - 2] === s) q.runs[n - 1] += fen;
    else q.runs.push(s, fen);
  }

  /** A debit of `fen` from a household's payable: a reversal or a payout. */
  debit(account: string, fen: number, kind: 'reversal' | 'payout'): void {
    const into = kind === 'reversal' ? this.reversed : this.paid;
    const q = this.queues.get(account);
    let left = fen;
    while (q && left > 0 && q.head < q.runs.length) {
      const take = Math.min(left, q.runs[q.head + 1]);
      into[q.runs[q.head]] += take;
      left -= take;
      q.runs[q.head + 1] -= take;
      if (q.runs[q.head + 1] === 0) q.head += 2;
    }
    if (q && q.head > 64 && q.head * 2 > q.runs.length) {
      q.runs.splice(0, q.head);
      q.head = 0;
    }
    if (left > 0) into[UNRECORDED] += left;
  }

  /** A transaction that passed its checks: its household credits and debits. */
  transaction(t: LedgerTransaction): void {
    if (t.kind === 'payout' || t.kind === 'reversal') {
      for (const p of t.postings)
        if (p.amount > 0 && householdOfAccount(p.account)) this.debit(p.account, p.amount, t.kind);
      return;
    }
    if (t.kind !== 'settlement' && t.kind !== 'dividend') return;
    const statuses = statusesOf(t);
    for (const p of t.postings) {
      if (p.amount >= 0) continue;
      const household = householdOfAccount(p.account);
      if (household !== null) this.credit(p.account, statuses?.get(household) ?? -1, -p.amount);
    }
  }

  summary(): RegistrySummary {
    return {
      rows: REGISTRY_SUMMARY_STATUSES.map((status, i) => ({
        status,
        creditedFen: this.credited[i],
        reversedFen: this.reversed[i],
        paidOutFen: this.paid[i],
        owedFen: this.credited[i] - this.reversed[i] - this.paid[i],
      })),
      confirmationsInExport: false,
    };
  }
}
