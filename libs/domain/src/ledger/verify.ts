import { type ByteTools, defaultByteTools, FastTransactions, RunBalances } from './fast-transactions';
import { assertBalanced, GENESIS_HASH, LedgerError, LedgerTransaction, transactionHash } from './ledger';
import { checkSettlement } from './settlement-check';
import { SharingPolicy } from './sharing-policy';

export { type ByteTools, defaultByteTools } from './fast-transactions';
export { checkSettlement, expectedSettlementPostings, type SettlementReference } from './settlement-check';

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
  private fast: FastTransactions | undefined;

  constructor(
    private readonly hasher?: Hasher,
    private readonly bytes: ByteTools = defaultByteTools,
  ) {}

  /** True once an entry broke. */
  get broken(): boolean {
    return this.error !== undefined;
  }

  /**
   * `push` of the line bytes[start, end) (UTF-8, without its line end). A transaction line written by
   * `transactionLine` that passes every check is taken from its bytes (`FastTransactions`); any other line, or one
   * with any problem at all, is decoded and `push`ed, which gives the verdict and names the problem. So the result
   * is always exactly that of `push`. The bytes are changed while the line is hashed, and restored.
   */
  pushBytes(bytes: Uint8Array, start: number, end: number, lineNo: number): boolean {
    if (this.error) return false;
    if (!this.sawFooter) {
      const fast = (this.fast ??= fastTransactions(this.bytes));
      if (fast.accept(bytes, start, end, this.cooperativeId, true, this.expectedSeq, this.prevHash, this.policies)) {
        this.lastLine = lineNo;
        fast.addPostings(this.balances);
        this.prevHash = fast.hash;
        this.expectedSeq++;
        this.count++;
        return true;
      }
    }
    return this.push(this.bytes.utf8(bytes, start, end), lineNo);
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

  /** False after the footer: every line after it is an error, which `push` names; runs cannot be merged then. */
  get acceptsRuns(): boolean {
    return !this.sawFooter;
  }

  /**
   * Whether `merge` gives exactly what pushing the run's lines gives: not after the footer, and not when a balance
   * could leave the safe integers on the way (then the order of the additions can round differently; the CLI pushes
   * those lines itself). Every sum on both ways is exact when |balance before| + the run's largest partial sum
   * stays a safe integer.
   */
  canMerge(run: TransactionRunResult): boolean {
    if (this.sawFooter) return false;
    if (run.largestSum === 0) return true;
    for (const account of run.balances.keys())
      if (!(Math.abs(this.balances.get(account) ?? 0) + run.largestSum <= Number.MAX_SAFE_INTEGER)) return false;
    return true;
  }

  /** Changes whenever `runContext()` does (a header or policy line) or runs may no longer be merged (the footer). */
  get contextVersion(): number {
    return this.contextChanges;
  }

  /**
   * What a `TransactionRun` needs to check transactions on its own (elsewhere, e.g. in a worker thread): the
   * cooperative of the header and the policy versions read so far. Valid until the next line the verifier
   * `push`es itself (a policy, the balances, the footer…).
   */
  runContext(): RunContext {
    return { cooperativeId: this.cooperativeId, policies: [...this.policies.values()] };
  }

  /**
   * Takes the result of a `TransactionRun` over the lines that come next (`lineBase` + its line numbers), started
   * with this verifier's current `runContext()`: checks its first transaction's place in the chain (seq and
   * prevHash, which the run could not know) and adds its transactions; the result is exactly what pushing the same
   * lines one by one gives, the first error included. Returns false once an entry broke. Only when `canMerge(run)`.
   */
  merge(run: TransactionRunResult, lineBase: number): boolean {
    if (this.error) return false;
    if (this.sawFooter)
      throw new LedgerError('a run of transactions cannot be merged after the footer: push its lines');
    if (!this.canMerge(run))
      throw new LedgerError('a run whose sums could leave the safe integers cannot be merged exactly: push its lines');
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

/**
 * One `FastTransactions` per ByteTools, shared by the verifiers and runs that use them (a worker thread checks one
 * run per chunk: the account codes it has interned stay, with no state of a line carried over). A thread checks
 * one line at a time.
 */
const fastByTools = new WeakMap<ByteTools, FastTransactions>();
function fastTransactions(bytes: ByteTools): FastTransactions {
  let fast = fastByTools.get(bytes);
  if (!fast) fastByTools.set(bytes, (fast = new FastTransactions(bytes)));
  return fast;
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
  /** The largest of those sums (absolute) at any point of the run, for `LedgerVerifier.canMerge`. */
  largestSum: number;
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
  private readonly out: TransactionRunResult = {
    count: 0,
    lastHash: '',
    balances: new Map(),
    largestSum: 0,
    lastLine: 0,
  };
  private expectedSeq = 0;
  /** The sums of the postings, per account (`out.balances` when the result is taken). */
  private readonly sums = new RunBalances();
  private fast: FastTransactions | undefined;

  constructor(
    private readonly context: RunContext,
    private readonly hasher?: Hasher,
    private readonly bytes: ByteTools = defaultByteTools,
  ) {
    this.policies = new Map(context.policies.map((p) => [p.version, p]));
  }

  /** `push` of the line bytes[start, end): see `LedgerVerifier.pushBytes`; the result is always that of `push`. */
  pushBytes(bytes: Uint8Array, start: number, end: number, line: number): 'ok' | 'stop' | 'broken' {
    const out = this.out;
    if (out.error) return 'broken';
    const fast = (this.fast ??= fastTransactions(this.bytes));
    const first = !out.first;
    if (
      fast.accept(bytes, start, end, this.context.cooperativeId, !first, this.expectedSeq, out.lastHash, this.policies)
    ) {
      out.lastLine = line;
      const scanned = fast.scanner;
      if (first) {
        out.first = {
          line,
          seq: scanned.seq,
          prevHash: this.bytes.utf8(bytes, scanned.prevHashStart, scanned.prevHashEnd),
          idempotencyKey: this.bytes.utf8(bytes, scanned.idempotencyKeyStart, scanned.idempotencyKeyEnd),
          coopProblem: null,
        };
      }
      fast.addPostingsTo(this.sums);
      out.lastHash = fast.hash;
      this.expectedSeq = scanned.seq + 1;
      out.count++;
      return 'ok';
    }
    return this.push(this.bytes.utf8(bytes, start, end), line);
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
    for (const p of t.postings) this.sums.add(p.account, p.amount);
    this.out.lastHash = t.hash;
    this.expectedSeq = t.seq + 1;
    this.out.count++;
    return 'ok';
  }

  result(): TransactionRunResult {
    this.out.balances = this.sums.toMap();
    this.out.largestSum = this.sums.largest;
    return this.out;
  }
}

export function verifyExport(lines: readonly string[], hasher?: Hasher): VerifyResult {
  const v = new LedgerVerifier(hasher);
  for (let i = 0; i < lines.length; i++) if (!v.push(lines[i], i + 1)) break;
  return v.finish();
}

export { LedgerError };
