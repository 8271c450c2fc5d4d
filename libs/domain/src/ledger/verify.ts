import { allocateFee, LineToSplit, SharingPolicy, splitLine } from './sharing-policy';
import { accountCode, assertBalanced, GENESIS_HASH, LedgerError, LedgerTransaction, transactionHash } from './ledger';

/**
 * The offline verifier's logic: given the lines of a ledger export (JSON Lines), recompute every hash and the
 * chain, every transaction's balance, every account balance, and every settlement's split against its policy
 * version; report the FIRST entry that breaks (line number and transaction) — or the totals when all is well.
 */
export type ExportLine =
  | { type: 'header'; format: 'xiangbo-ledger/1'; cooperativeId: string; exportedAt: string }
  | { type: 'policy'; cooperativeId: string; policy: SharingPolicy }
  | ({ type: 'transaction' } & LedgerTransaction)
  | { type: 'balances'; cooperativeId: string; balances: Record<string, number> }
  | { type: 'footer'; transactions: number; lastHash: string };

/** Settlement transactions carry the inputs of their split so anyone can recompute it. */
export interface SettlementReference {
  orderId: string;
  policyVersion: number;
  feeFen: number;
  lines: {
    lineId: string;
    grossFen: number;
    quantity: number;
    supplies: { householdId: string; quantity: number }[];
  }[];
}

export interface VerifyResult {
  ok: boolean;
  transactions: number;
  lastHash: string;
  balances: Record<string, number>;
  /** Human-readable, naming the first entry that breaks. */
  error?: { line: number; seq?: number; idempotencyKey?: string; message: string };
}

export type Hasher = (canonical: string) => string;

/**
 * Incremental verifier: feed it the export line by line (a million-entry file never has to fit in memory).
 * `hasher` defaults to the pure-JS SHA-256 used everywhere; the CLI passes node:crypto's for speed.
 */
export class LedgerVerifier {
  private readonly balances = new Map<string, number>();
  private readonly policies = new Map<number, SharingPolicy>();
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  private count = 0;
  private cooperativeId: string | null = null;
  private sawFooter = false;
  private lastLine = 0;
  private error: VerifyResult['error'];

  constructor(private readonly hasher?: Hasher) {}

  /** Returns false once an entry broke (the first error is kept). */
  push(raw: string, lineNo: number): boolean {
    if (this.error) return false;
    this.lastLine = lineNo;
    const text = raw.trim();
    if (!text) return true;
    let entry: ExportLine;
    try {
      entry = JSON.parse(text) as ExportLine;
    } catch {
      return this.fail(lineNo, 'not valid JSON');
    }
    if (this.sawFooter) return this.fail(lineNo, 'entry after the footer');
    switch (entry.type) {
      case 'header':
        if (lineNo !== 1 || entry.format !== 'xiangbo-ledger/1')
          return this.fail(lineNo, 'the first line must be the xiangbo-ledger/1 header');
        this.cooperativeId = entry.cooperativeId;
        return true;
      case 'policy':
        this.policies.set(entry.policy.version, entry.policy);
        return true;
      case 'transaction': {
        const t = entry;
        if (t.cooperativeId !== this.cooperativeId)
          return this.fail(lineNo, `transaction of another cooperative (${t.cooperativeId})`, t);
        if (t.seq !== this.expectedSeq)
          return this.fail(
            lineNo,
            `sequence ${t.seq} where ${this.expectedSeq} was expected: an entry was removed, added or reordered`,
            t,
          );
        if (t.prevHash !== this.prevHash)
          return this.fail(lineNo, 'prevHash does not match the previous transaction: the chain is broken here', t);
        const { type: _type, hash, ...content } = t;
        if (transactionHash(content, this.hasher) !== hash)
          return this.fail(lineNo, 'hash does not match the content: this transaction was changed', t);
        try {
          assertBalanced(t.postings);
        } catch (e) {
          return this.fail(lineNo, `does not balance: ${(e as Error).message}`, t);
        }
        if (t.kind === 'settlement') {
          const problem = checkSettlement(t, this.policies);
          if (problem) return this.fail(lineNo, problem, t);
        }
        for (const p of t.postings) this.balances.set(p.account, (this.balances.get(p.account) ?? 0) + p.amount);
        this.prevHash = hash;
        this.expectedSeq++;
        this.count++;
        return true;
      }
      case 'balances': {
        for (const [account, amount] of Object.entries(entry.balances)) {
          if ((this.balances.get(account) ?? 0) !== amount) {
            return this.fail(
              lineNo,
              `stated balance of ${account} is ${amount}, the postings give ${this.balances.get(account) ?? 0}`,
            );
          }
        }
        for (const [account, amount] of this.balances) {
          if (amount !== 0 && entry.balances[account] === undefined)
            return this.fail(lineNo, `balance of ${account} is missing from the stated balances`);
        }
        return true;
      }
      case 'footer':
        if (entry.transactions !== this.count)
          return this.fail(
            lineNo,
            `footer counts ${entry.transactions} transactions, the file has ${this.count}: entries were removed or added`,
          );
        if (entry.lastHash !== this.prevHash)
          return this.fail(lineNo, 'footer lastHash does not match the last transaction');
        this.sawFooter = true;
        return true;
      default:
        return this.fail(lineNo, `unknown entry type ${(entry as { type: string }).type}`);
    }
  }

  finish(): VerifyResult {
    if (!this.error && !this.sawFooter) this.fail(this.lastLine, 'the footer is missing: the file was cut short');
    return {
      ok: !this.error,
      transactions: this.count,
      lastHash: this.prevHash,
      balances: Object.fromEntries(this.balances),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  private fail(line: number, message: string, t?: LedgerTransaction): false {
    this.error ??= { line, seq: t?.seq, idempotencyKey: t?.idempotencyKey, message };
    return false;
  }
}

export function verifyExport(lines: readonly string[], hasher?: Hasher): VerifyResult {
  const v = new LedgerVerifier(hasher);
  for (let i = 0; i < lines.length; i++) if (!v.push(lines[i], i + 1)) break;
  return v.finish();
}

/** Recomputes a settlement's split from its inputs and the policy version; returns a problem or null. */
export function checkSettlement(t: LedgerTransaction, policies: Map<number, SharingPolicy>): string | null {
  const ref = t.reference as unknown as SettlementReference;
  const policy = policies.get(ref.policyVersion);
  if (!policy) return `policy version ${ref.policyVersion} is not in the export`;
  const expected = expectedSettlementPostings(t.cooperativeId, ref, policy);
  const actual = new Map<string, number>();
  for (const p of t.postings) actual.set(p.account, (actual.get(p.account) ?? 0) + p.amount);
  for (const [account, amount] of expected) {
    if ((actual.get(account) ?? 0) !== amount)
      return `split of order ${ref.orderId} does not follow policy v${ref.policyVersion}: ${account} is ${actual.get(account) ?? 0}, expected ${amount}`;
  }
  for (const [account, amount] of actual) {
    if (!expected.has(account) && amount !== 0)
      return `split of order ${ref.orderId} posts to ${account}, which policy v${ref.policyVersion} does not`;
  }
  return null;
}

/** The postings a settlement must have (netted per account), from its inputs alone. Used by the API too. */
export function expectedSettlementPostings(
  coop: string,
  ref: SettlementReference,
  policy: SharingPolicy,
): Map<string, number> {
  const fees = allocateFee(
    ref.feeFen,
    ref.lines.map((l) => ({ lineId: l.lineId, amountFen: l.grossFen })),
  );
  const out = new Map<string, number>();
  const add = (account: string, amount: number) => amount && out.set(account, (out.get(account) ?? 0) + amount);
  for (const l of ref.lines) {
    const line: LineToSplit = {
      grossFen: l.grossFen,
      processingFeeFen: fees.get(l.lineId) ?? 0,
      quantity: l.quantity,
      supplies: l.supplies,
    };
    const s = splitLine(line, policy);
    add(accountCode.clearing(coop), l.grossFen);
    add(accountCode.paymentFees(), -s.processingFeeFen);
    add(accountCode.platformFeeRevenue(), -s.platformFeeFen);
    for (const h of s.purchaseByHousehold) add(accountCode.householdPayable(coop, h.householdId), -h.amount);
    add(accountCode.dividendPool(coop), -s.dividendFen);
    add(accountCode.wagesPayable(coop), -s.wagesFen);
    add(accountCode.retained(coop), -s.retainedFen);
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

export { LedgerError };
