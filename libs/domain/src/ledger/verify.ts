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
  private contextChanges = 0;

  constructor(private readonly hasher?: Hasher) {}

  /** True once an entry broke. */
  get broken(): boolean {
    return this.error !== undefined;
  }

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
        this.contextChanges++;
        return true;
      case 'policy':
        this.policies.set(entry.policy.version, entry.policy);
        this.contextChanges++;
        return true;
      case 'transaction': {
        const t = entry;
        const problem =
          coopProblem(t, this.cooperativeId) ??
          linkProblem(t, this.expectedSeq, this.prevHash) ??
          contentProblem(t, this.policies, this.hasher);
        if (problem) return this.fail(lineNo, problem, t);
        addPostings(this.balances, t);
        this.prevHash = t.hash;
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
        this.contextChanges++;
        return true;
      default:
        return this.fail(lineNo, `unknown entry type ${(entry as { type: string }).type}`);
    }
  }

  /**
   * What a `TransactionRun` needs to check transactions on its own (elsewhere, e.g. in a worker thread): the
   * cooperative of the header and the policy versions read so far. Valid until the next line the verifier
   * `push`es itself (a policy, the balances, the footer…).
   */
  /** False after the footer: every line after it is an error, which `push` names; runs cannot be merged then. */
  get acceptsRuns(): boolean {
    return !this.sawFooter;
  }

  /** Changes whenever `runContext()` does (a header or policy line) or runs may no longer be merged (the footer). */
  get contextVersion(): number {
    return this.contextChanges;
  }

  runContext(): RunContext {
    return { cooperativeId: this.cooperativeId, policies: [...this.policies.values()] };
  }

  /**
   * Takes the result of a `TransactionRun` over the lines that come next (`lineBase` + its line numbers), started
   * with this verifier's current `runContext()`: checks its first transaction's place in the chain (seq and
   * prevHash, which the run could not know) and adds its transactions; the result is exactly what pushing the same
   * lines one by one gives, the first error included. Returns false once an entry broke.
   */
  merge(run: TransactionRunResult, lineBase: number): boolean {
    if (this.error) return false;
    if (this.sawFooter)
      throw new LedgerError('a run of transactions cannot be merged after the footer: push its lines');
    const f = run.first;
    if (f) {
      const at = lineBase + f.line;
      if (f.coopProblem) return this.fail(at, f.coopProblem, f);
      const problem = linkProblem(f, this.expectedSeq, this.prevHash);
      if (problem) return this.fail(at, problem, f);
      for (const [account, amount] of run.balances)
        this.balances.set(account, (this.balances.get(account) ?? 0) + amount);
      this.count += run.count;
      this.expectedSeq += run.count;
      if (run.count) this.prevHash = run.lastHash;
    }
    if (run.lastLine) this.lastLine = lineBase + run.lastLine;
    if (run.error) return this.fail(lineBase + run.error.line, run.error.message, run.error);
    return true;
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

  private fail(line: number, message: string, t?: { seq?: number; idempotencyKey?: string }): false {
    this.error ??= { line, seq: t?.seq, idempotencyKey: t?.idempotencyKey, message };
    return false;
  }
}

/** The checks of one transaction line, in the order the verifier makes them (the first problem is reported). */
function coopProblem(t: LedgerTransaction, cooperativeId: string | null): string | null {
  return t.cooperativeId !== cooperativeId ? `transaction of another cooperative (${t.cooperativeId})` : null;
}

function linkProblem(t: Pick<LedgerTransaction, 'seq' | 'prevHash'>, expectedSeq: number, prevHash: string) {
  if (t.seq !== expectedSeq)
    return `sequence ${t.seq} where ${expectedSeq} was expected: an entry was removed, added or reordered`;
  if (t.prevHash !== prevHash) return 'prevHash does not match the previous transaction: the chain is broken here';
  return null;
}

/** Its hash, its balance and (a settlement) its split: what needs nothing but the line and the policies. */
function contentProblem(t: LedgerTransaction, policies: Map<number, SharingPolicy>, hasher?: Hasher): string | null {
  let hash: string;
  try {
    hash = transactionHash(t, hasher);
  } catch (e) {
    return `its content cannot be hashed: ${(e as Error).message}`;
  }
  if (hash !== t.hash) return 'hash does not match the content: this transaction was changed';
  try {
    assertBalanced(t.postings);
  } catch (e) {
    return `does not balance: ${(e as Error).message}`;
  }
  if (t.kind !== 'settlement') return null;
  try {
    return checkSettlement(t, policies);
  } catch (e) {
    return `its split cannot be recomputed from its reference: ${(e as Error).message}`;
  }
}

function addPostings(balances: Map<string, number>, t: LedgerTransaction) {
  for (const p of t.postings) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
}

/** See `LedgerVerifier.runContext`. */
export interface RunContext {
  cooperativeId: string | null;
  policies: SharingPolicy[];
}

/** What a `TransactionRun` found, for `LedgerVerifier.merge`; line numbers count from the run's first line (1). */
export interface TransactionRunResult {
  /** The first transaction: its place in the chain is checked by `merge`. */
  first?: { line: number; seq: number; prevHash: string; idempotencyKey: string; coopProblem: string | null };
  /** Transactions that passed (all before `error`), their last hash and the sums of their postings per account. */
  count: number;
  lastHash: string;
  balances: Map<string, number>;
  /** The last line taken (blank lines included). */
  lastLine: number;
  error?: { line: number; seq?: number; idempotencyKey?: string; message: string };
}

/**
 * Checks consecutive transaction lines on its own, without the lines before them (a worker thread verifies a part
 * of a large export with it): each one's hash, balance and split, and that each links to the one before it; only
 * the first one's link to what came before is left to `LedgerVerifier.merge`. `push` returns 'stop' at a line that
 * is not a transaction (the verifier itself must take it: a policy, the balances, the footer, bad JSON…) and
 * 'broken' at the first transaction that breaks.
 */
export class TransactionRun {
  private readonly policies: Map<number, SharingPolicy>;
  private readonly out: TransactionRunResult = { count: 0, lastHash: '', balances: new Map(), lastLine: 0 };
  private expectedSeq = 0;

  constructor(
    private readonly context: RunContext,
    private readonly hasher?: Hasher,
  ) {
    this.policies = new Map(context.policies.map((p) => [p.version, p]));
  }

  push(raw: string, line: number): 'ok' | 'stop' | 'broken' {
    if (this.out.error) return 'broken';
    const text = raw.trim();
    if (!text) {
      this.out.lastLine = line;
      return 'ok';
    }
    let t: LedgerTransaction & { type?: unknown };
    try {
      t = JSON.parse(text);
    } catch {
      return 'stop';
    }
    if (t === null || typeof t !== 'object' || t.type !== 'transaction') return 'stop';
    this.out.lastLine = line;
    const fail = (message: string) => {
      this.out.error = { line, seq: t.seq, idempotencyKey: t.idempotencyKey, message };
      return 'broken' as const;
    };
    if (!this.out.first) {
      const coop = coopProblem(t, this.context.cooperativeId);
      this.out.first = { line, seq: t.seq, prevHash: t.prevHash, idempotencyKey: t.idempotencyKey, coopProblem: coop };
      if (coop) return fail(coop);
    } else {
      const problem = coopProblem(t, this.context.cooperativeId) ?? linkProblem(t, this.expectedSeq, this.out.lastHash);
      if (problem) return fail(problem);
    }
    const problem = contentProblem(t, this.policies, this.hasher);
    if (problem) return fail(problem);
    addPostings(this.out.balances, t);
    this.out.lastHash = t.hash;
    this.expectedSeq = t.seq + 1;
    this.out.count++;
    return 'ok';
  }

  result(): TransactionRunResult {
    return this.out;
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
  const codes = accountsOf(coop);
  for (const l of ref.lines) {
    const line: LineToSplit = {
      grossFen: l.grossFen,
      processingFeeFen: fees.get(l.lineId) ?? 0,
      quantity: l.quantity,
      supplies: l.supplies,
    };
    const s = splitLine(line, policy);
    add(codes.clearing, l.grossFen);
    add(codes.paymentFees, -s.processingFeeFen);
    add(codes.platformFeeRevenue, -s.platformFeeFen);
    for (const h of s.purchaseByHousehold) add(codes.householdPayable(h.householdId), -h.amount);
    add(codes.dividendPool, -s.dividendFen);
    add(codes.wagesPayable, -s.wagesFen);
    add(codes.retained, -s.retainedFen);
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

/**
 * A cooperative's account codes, each string made once (a settlement names them again and again; a map finds a
 * string it has seen faster). The last cooperative's are kept: an export is one cooperative's chain.
 */
let accounts: { coop: string; codes: ReturnType<typeof makeAccounts> } | null = null;
function accountsOf(coop: string) {
  if (accounts?.coop !== coop) accounts = { coop, codes: makeAccounts(coop) };
  return accounts.codes;
}

function makeAccounts(coop: string) {
  const households = new Map<string, string>();
  return {
    clearing: accountCode.clearing(coop),
    paymentFees: accountCode.paymentFees(),
    platformFeeRevenue: accountCode.platformFeeRevenue(),
    dividendPool: accountCode.dividendPool(coop),
    wagesPayable: accountCode.wagesPayable(coop),
    retained: accountCode.retained(coop),
    householdPayable(household: string): string {
      let code = households.get(household);
      if (code === undefined) {
        code = accountCode.householdPayable(coop, household);
        if (households.size < 100_000) households.set(household, code);
      }
      return code;
    },
  };
}

export { LedgerError };
