import { type ByteTools, defaultByteTools, FastTransactions, RunBalances } from './fast-transactions';
import { assertBalanced, GENESIS_HASH, LedgerError, LedgerTransaction, transactionHash } from './ledger';
import { type ExpectedHead } from './head';
import {
  duplicateJsonKey,
  MoneyRules,
  paymentKeyOf,
  settlementKeyOf,
  shapeProblem,
  unhashedMember,
} from './money-rules';
import { dividendInputsProblem, type RegistrySummary, settlementStatusProblem } from './registry';
import { checkSettlement } from './settlement-check';
import { SharingPolicy } from './sharing-policy';

export { type ByteTools, defaultByteTools } from './fast-transactions';
export { checkSettlement, expectedSettlementPostings, type SettlementReference } from './settlement-check';

/**
 * The offline verifier's logic: given the lines of a ledger export (JSON Lines), recompute every hash and the
 * chain, every transaction's balance, every account balance, every settlement's split against its policy
 * version, and the money rules (`money-rules.ts`); list EVERY entry that breaks (line number and transaction),
 * and check the chain against published heads (`expectHead`) — or give the totals when all is well.
 */
export type ExportLine =
  | { type: 'header'; format: 'xiangbo-ledger/1'; cooperativeId: string; exportedAt: string }
  | { type: 'policy'; cooperativeId: string; policy: SharingPolicy }
  | ({ type: 'transaction' } & LedgerTransaction)
  | { type: 'balances'; cooperativeId: string; balances: Record<string, number> }
  | { type: 'footer'; transactions: number; lastHash: string };

export interface VerifyBreak {
  line: number;
  seq?: number;
  idempotencyKey?: string;
  message: string;
  /** Set for a break of the money rules ('money', `money-rules.ts`) or against a head ('head'); else the line's own. */
  rule?: 'money' | 'head';
}

export interface VerifyResult {
  ok: boolean;
  transactions: number;
  lastHash: string;
  balances: Record<string, number>;
  /** The first break (as `breaks[0]`). */
  error?: VerifyBreak;
  /** Every break, in file order (at most MAX_BREAKS; `truncated` when there were more). */
  breaks: VerifyBreak[];
  truncated?: boolean;
  /**
   * Per registry status (at the time of each credit, as the entries record it): what reached households, what
   * reversals took back and what was paid out (`registry.ts`). Meaningful when `ok`.
   */
  registry: RegistrySummary;
}

/** At most this many breaks are listed; the verifier stops reading after them. */
export const MAX_BREAKS = 1000;

export type Hasher = (canonical: string) => string;

/** The members every line type has (another member: named, so nothing unhashed or unread passes). */
const LINE_MEMBERS: Record<string, ReadonlySet<string>> = {
  header: new Set(['type', 'format', 'cooperativeId', 'exportedAt']),
  policy: new Set(['type', 'cooperativeId', 'policy']),
  balances: new Set(['type', 'cooperativeId', 'balances']),
  footer: new Set(['type', 'transactions', 'lastHash']),
};

/**
 * Incremental verifier: feed it the export line by line (a million-entry file never has to fit in memory).
 * `hasher` defaults to the pure-JS SHA-256 used everywhere; the CLI passes node:crypto's for speed.
 * It reads on after a break (to list every one) until MAX_BREAKS; `push`/`pushBytes` return false once any
 * entry broke, for callers that only want the verdict.
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
  private readonly breaks: VerifyBreak[] = [];
  private truncated = false;
  private contextChanges = 0;
  private fast: FastTransactions | undefined;
  private readonly money = new MoneyRules((at, message) => this.fail(at.line, message, at, 'money'));
  /** FastTransactions' account ids → the money rules' (-1: not yet looked up). */
  private moneyAccount = new Int32Array(64).fill(-1);
  private creditIds = new Int32Array(64);
  /** Heads the chain must hold (seq → hash), the one it must end at (if any), and those found. */
  private readonly heads = new Map<number, string>();
  private tailHead: number | null = null;
  private readonly headsFound = new Set<number>();

  constructor(
    private readonly hasher?: Hasher,
    private readonly bytes: ByteTools = defaultByteTools,
  ) {}

  /**
   * The chain must hold transaction `head.seq` with hash `head.hash` (a head published earlier, or the end of an
   * older export). `last`: it is the newest head, so the export must end there: transactions after it are not
   * covered by any head (a forged append, or an export newer than the head). Call before the first line.
   */
  expectHead(head: ExpectedHead, last = false): void {
    const known = this.heads.get(head.seq);
    if (known !== undefined && known !== head.hash)
      throw new LedgerError(`two heads give transaction #${head.seq} different hashes`);
    if (head.seq > 0) this.heads.set(head.seq, head.hash);
    else if (head.hash !== GENESIS_HASH) throw new LedgerError('the head of an empty chain is 64 zeros');
    if (last) this.tailHead = Math.max(this.tailHead ?? 0, head.seq);
    this.contextChanges++;
  }

  /** True once an entry broke. */
  get broken(): boolean {
    return this.breaks.length > 0;
  }

  /** True once MAX_BREAKS breaks are listed: reading on would list no more. */
  get full(): boolean {
    return this.truncated;
  }

  /**
   * `push` of the line bytes[start, end) (UTF-8, without its line end). A transaction line written by
   * `transactionLine` that passes every check of its own is taken from its bytes (`FastTransactions`); any other
   * line, or one with any problem at all, is decoded and `push`ed, which gives the verdict and names the problem.
   * So the result is always exactly that of `push`. The bytes are changed while the line is hashed, and restored.
   */
  pushBytes(bytes: Uint8Array, start: number, end: number, lineNo: number): boolean {
    if (this.truncated) return false;
    if (!this.sawFooter) {
      const fast = (this.fast ??= fastTransactions(this.bytes));
      if (fast.accept(bytes, start, end, this.cooperativeId, true, this.expectedSeq, this.prevHash, this.policies)) {
        this.lastLine = lineNo;
        fast.addPostings(this.balances);
        const s = fast.scanner;
        const orderId = this.bytes.utf8(bytes, s.orderIdStart, s.orderIdEnd);
        const seq = s.seq;
        if (s.kindIsPayment) {
          this.money.payment(orderId, s.amount[0], { line: lineNo, seq, idempotencyKey: paymentKeyOf(orderId) });
        } else {
          const credits = fast.credits();
          if (this.creditIds.length < credits) this.creditIds = new Int32Array(2 * credits);
          for (let k = 0; k < credits; k++) this.creditIds[k] = this.moneyAccountOf(fast.creditIds[k], fast);
          const at = { line: lineNo, seq, idempotencyKey: settlementKeyOf(orderId) };
          this.money.settlement(
            orderId,
            fast.gross,
            this.creditIds,
            fast.creditAmounts,
            credits,
            at,
            fast.creditStatus,
          );
        }
        this.prevHash = fast.hash;
        if (this.heads.size && this.heads.has(seq)) this.headAt(seq, fast.hash, lineNo);
        this.expectedSeq++;
        this.count++;
        return !this.broken;
      }
    }
    return this.push(this.bytes.utf8(bytes, start, end), lineNo);
  }

  private moneyAccountOf(fastId: number, fast: FastTransactions): number {
    if (fastId >= this.moneyAccount.length) {
      const grown = new Int32Array(Math.max(2 * this.moneyAccount.length, fastId + 1)).fill(-1);
      grown.set(this.moneyAccount);
      this.moneyAccount = grown;
    }
    let id = this.moneyAccount[fastId];
    if (id < 0) id = this.moneyAccount[fastId] = this.money.accountId(fast.accountString(fastId));
    return id;
  }

  /** Returns false once an entry broke (every break is listed; reading on lists the next ones). */
  push(raw: string, lineNo: number): boolean {
    if (this.truncated) return false;
    this.lastLine = lineNo;
    const text = raw.trim();
    if (!text) return !this.broken;
    let entry: ExportLine;
    try {
      entry = JSON.parse(text) as ExportLine;
    } catch {
      this.fail(lineNo, 'not valid JSON');
      return false;
    }
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      this.fail(lineNo, 'not a JSON object');
      return false;
    }
    if (this.sawFooter) {
      this.fail(lineNo, 'entry after the footer');
      return false;
    }
    const duplicate = duplicateJsonKey(text);
    const t = entry.type === 'transaction' ? entry : undefined;
    if (duplicate !== null)
      this.fail(lineNo, `the key "${duplicate}" appears twice in one object (JSON readers disagree which counts)`, t);
    const members = LINE_MEMBERS[entry.type as string];
    const extra = t ? unhashedMember(t) : members ? Object.keys(entry).find((k) => !members.has(k)) : undefined;
    if (extra)
      this.fail(lineNo, `a member that is not part of the format ("${extra}")${t ? ', so not hashed' : ''}`, t);
    switch (entry.type) {
      case 'header':
        if (lineNo !== 1 || entry.format !== 'xiangbo-ledger/1') {
          this.fail(lineNo, 'the first line must be the xiangbo-ledger/1 header');
          break;
        }
        this.cooperativeId = entry.cooperativeId;
        this.contextChanges++;
        break;
      case 'policy':
        this.policies.set(entry.policy.version, entry.policy);
        this.contextChanges++;
        break;
      case 'transaction':
        this.transaction(entry, lineNo);
        break;
      case 'balances': {
        for (const [account, amount] of Object.entries(entry.balances ?? {})) {
          if ((this.balances.get(account) ?? 0) !== amount)
            this.fail(
              lineNo,
              `stated balance of ${account} is ${amount}, the postings give ${this.balances.get(account) ?? 0}`,
            );
        }
        for (const [account, amount] of this.balances) {
          if (amount !== 0 && entry.balances?.[account] === undefined)
            this.fail(lineNo, `balance of ${account} is missing from the stated balances`);
        }
        break;
      }
      case 'footer':
        if (entry.transactions !== this.count)
          this.fail(
            lineNo,
            `footer counts ${entry.transactions} transactions, the file has ${this.count}: entries were removed or added`,
          );
        if (entry.lastHash !== this.prevHash) this.fail(lineNo, 'footer lastHash does not match the last transaction');
        this.sawFooter = true;
        this.contextChanges++;
        break;
      default:
        this.fail(lineNo, `unknown entry type ${(entry as { type: string }).type}`);
    }
    return !this.broken;
  }

  /** A transaction line taken the reference way: every problem listed, then the chain goes on from it. */
  private transaction(t: LedgerTransaction, lineNo: number): void {
    const coop = coopProblem(t, this.cooperativeId);
    if (coop) this.fail(lineNo, coop, t);
    const link = linkProblem(t, this.expectedSeq, this.prevHash);
    if (link) this.fail(lineNo, link, t);
    const content = contentProblem(t, this.policies, this.hasher);
    if (content) this.fail(lineNo, content, t);
    const postingsUsable = Array.isArray(t.postings) && t.postings.every((p) => Number.isSafeInteger(p?.amount));
    if (postingsUsable) addPostings(this.balances, t);
    // the money rules take every transaction they can read (a changed one too: the next ones are judged by what
    // the file says, so one change is one break, not a cascade)
    if (!coop && postingsUsable && readable(t))
      this.money.transaction(t, (account) => this.balances.get(account) ?? 0, {
        line: lineNo,
        seq: t.seq,
        idempotencyKey: t.idempotencyKey,
      });
    // the chain goes on from what the line states, so one changed entry is one break, not all that follow
    if (typeof t.hash === 'string') this.prevHash = t.hash;
    if (Number.isSafeInteger(t.seq)) {
      if (this.heads.size && this.heads.has(t.seq)) this.headAt(t.seq, t.hash, lineNo);
      this.expectedSeq = t.seq + 1;
    } else this.expectedSeq++;
    this.count++;
  }

  /** Transaction `seq` of the chain has `hash` (line `lineNo`): as the expected head says? */
  private headAt(seq: number, hash: string, lineNo: number): void {
    const expected = this.heads.get(seq) as string;
    this.headsFound.add(seq);
    if (hash !== expected)
      this.fail(
        lineNo,
        `transaction #${seq} has hash ${hash}, the published head says ${expected}: the chain was rewritten from here back`,
        { seq },
        'head',
      );
  }

  /** False after the footer: every line after it is an error, which `push` names; runs cannot be merged then. */
  get acceptsRuns(): boolean {
    return !this.sawFooter;
  }

  /**
   * Whether `merge` gives exactly what pushing the run's lines gives: not after the footer, not for a run that
   * broke (its lines are pushed, to list every break), and not when a balance could leave the safe integers on the
   * way (then the order of the additions can round differently; the CLI pushes those lines itself). Every sum on
   * both ways is exact when |balance before| + the run's largest partial sum stays a safe integer.
   */
  canMerge(run: TransactionRunResult): boolean {
    if (this.sawFooter || run.error) return false;
    if (run.largestSum === 0) return true;
    for (const account of run.balances.keys())
      if (!(Math.abs(this.balances.get(account) ?? 0) + run.largestSum <= Number.MAX_SAFE_INTEGER)) return false;
    return true;
  }

  /** Changes whenever `runContext()` does (a header, policy line or head) or runs may no longer be merged. */
  get contextVersion(): number {
    return this.contextChanges;
  }

  /**
   * What a `TransactionRun` needs to check transactions on its own (elsewhere, e.g. in a worker thread): the
   * cooperative of the header, the policy versions read so far and the seqs of the expected heads. Valid until the
   * next line the verifier `push`es itself (a policy, the balances, the footer…).
   */
  runContext(): RunContext {
    return {
      cooperativeId: this.cooperativeId,
      policies: [...this.policies.values()],
      heads: [...this.heads.keys()],
    };
  }

  /**
   * Takes the result of a `TransactionRun` over the lines that come next (`lineBase` + its line numbers), started
   * with this verifier's current `runContext()`, that found no break (`canMerge`): checks its first transaction's
   * place in the chain (seq and prevHash, which the run could not know), applies the money rules to its
   * transactions in order, and adds them; the result is exactly what pushing the same lines one by one gives.
   */
  merge(run: TransactionRunResult, lineBase: number): boolean {
    if (this.sawFooter)
      throw new LedgerError('a run of transactions cannot be merged after the footer: push its lines');
    if (!this.canMerge(run))
      throw new LedgerError(
        'a run that broke, or whose sums could leave the safe integers, cannot be merged: push its lines',
      );
    const f = run.first;
    if (f) {
      const at = lineBase + f.line;
      if (f.coopProblem) this.fail(at, f.coopProblem, f);
      const problem = linkProblem(f, this.expectedSeq, this.prevHash);
      if (problem) this.fail(at, problem, f);
      this.applyFacts(run.facts, lineBase);
      for (const [account, amount] of run.balances)
        this.balances.set(account, (this.balances.get(account) ?? 0) + amount);
      this.count += run.count;
      this.expectedSeq = run.lastSeq + 1;
      if (run.count) this.prevHash = run.lastHash;
    }
    if (run.lastLine) this.lastLine = lineBase + run.lastLine;
    return !this.broken;
  }

  /** The money rules over a run's transactions, in order (the balances are those before the run, plus its sums). */
  private applyFacts(facts: RunFacts, lineBase: number): void {
    const ids = new Int32Array(facts.accounts.length).fill(-1);
    const accountOf = (local: number) =>
      ids[local] >= 0 ? ids[local] : (ids[local] = this.money.accountId(facts.accounts[local]));
    let other = 0;
    let credits = new Int32Array(16);
    // every order id of the run decoded at once; each one a slice of it
    const orderIds = facts.count ? this.bytes.utf8(facts.orderIdBytes, 0, facts.orderIdBytes.length) : '';
    const orderIdOf = (k: number) => orderIds.slice(k ? facts.orderIdEnd[k - 1] : 0, facts.orderIdEnd[k]);
    for (let k = 0; k < facts.count; k++) {
      const o = k * FACT_WIDTH;
      const line = lineBase + facts.num[o + 2];
      const seq = facts.num[o + 1];
      const kind = facts.kind[k];
      if (kind === FACT_PAYMENT) {
        const orderId = orderIdOf(k);
        this.money.payment(orderId, facts.num[o], { line, seq, idempotencyKey: paymentKeyOf(orderId) });
      } else if (kind === FACT_SETTLEMENT) {
        const orderId = orderIdOf(k);
        const start = facts.num[o + 3];
        const n = facts.num[o + 4];
        if (credits.length < n) credits = new Int32Array(2 * n);
        for (let j = 0; j < n; j++) credits[j] = accountOf(facts.creditAccount[start + j]);
        this.money.settlement(
          orderId,
          facts.num[o],
          credits,
          facts.creditAmount.subarray(start, start + n),
          n,
          { line, seq, idempotencyKey: settlementKeyOf(orderId) },
          facts.creditStatus.subarray(start, start + n),
        );
      } else {
        const { tx, after } = facts.others[other++];
        this.money.transaction(tx, (account) => (this.balances.get(account) ?? 0) + (after[account] ?? 0), {
          line,
          seq,
          idempotencyKey: tx.idempotencyKey,
        });
      }
    }
    for (const [seq, hash, line] of facts.heads) this.headAt(seq, hash, lineBase + line);
  }

  finish(): VerifyResult {
    if (!this.sawFooter) this.fail(this.lastLine, 'the footer is missing: the file was cut short');
    const lastSeq = this.expectedSeq - 1;
    for (const [seq] of [...this.heads].sort((a, b) => a[0] - b[0])) {
      if (!this.headsFound.has(seq))
        this.fail(
          this.lastLine,
          `the published head is transaction #${seq}, but this chain ends at #${lastSeq}: transactions were removed (a dropped tail)`,
          undefined,
          'head',
        );
    }
    if (this.tailHead !== null && lastSeq > this.tailHead)
      this.fail(
        this.lastLine,
        `${lastSeq - this.tailHead} transaction(s) after the published head #${this.tailHead}: no head covers them (a forged append, or an export newer than the head: compare with the current head)`,
        undefined,
        'head',
      );
    return {
      ok: this.breaks.length === 0,
      transactions: this.count,
      lastHash: this.prevHash,
      balances: Object.fromEntries(this.balances),
      ...(this.breaks.length ? { error: this.breaks[0] } : {}),
      breaks: this.breaks,
      ...(this.truncated ? { truncated: true } : {}),
      registry: this.money.registry.summary(),
    };
  }

  private fail(
    line: number,
    message: string,
    t?: { seq?: number; idempotencyKey?: string },
    rule?: VerifyBreak['rule'],
  ): false {
    if (this.breaks.length >= MAX_BREAKS) {
      this.truncated = true;
      return false;
    }
    this.breaks.push({ line, seq: t?.seq, idempotencyKey: t?.idempotencyKey, message, ...(rule ? { rule } : {}) });
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
  if (t.kind === 'settlement') {
    try {
      const split = checkSettlement(t, policies);
      if (split) return split;
    } catch (e) {
      return `its split cannot be recomputed from its reference: ${(e as Error).message}`;
    }
    const statuses = settlementStatusProblem(t);
    if (statuses) return statuses;
  }
  const shape = shapeProblem(t);
  if (shape || t.kind !== 'dividend') return shape;
  try {
    return dividendInputsProblem(t, policies);
  } catch (e) {
    return `its split cannot be recomputed from its reference: ${(e as Error).message}`;
  }
}

/** The transaction has the shape of its kind (`shapeProblem`), so the money rules can read it. */
function readable(t: LedgerTransaction): boolean {
  try {
    return (
      t.postings.every((p) => p !== null && typeof p === 'object' && typeof p.account === 'string') &&
      shapeProblem(t) === null
    );
  } catch {
    return false;
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
  /** Seqs of the expected heads: a run notes the hash of each it meets. */
  heads?: number[];
}

const FACT_PAYMENT = 0;
const FACT_SETTLEMENT = 1;
const FACT_OTHER = 2;
/** Numbers per fact in `RunFacts.num`: amount (paid, or a settlement's gross), seq, line, credit start, credits. */
const FACT_WIDTH = 5;
const bytes0 = new Uint8Array(0);

/**
 * What the money rules need of a run's transactions, in order, compactly (a worker sends it back): payments and
 * settlements taken fast as columns (order id, amounts, the settlement's credits as ids into `accounts`), any other
 * transaction as itself with its accounts' run sums after it (`after`: balance = before the run + that).
 */
export interface RunFacts {
  count: number;
  kind: Uint8Array;
  /** The order ids of the facts, one after the other (ASCII bytes: the fast path reads only ASCII), and where each ends. */
  orderIdBytes: Uint8Array;
  orderIdEnd: Int32Array;
  num: Float64Array;
  creditAccount: Int32Array;
  creditAmount: Float64Array;
  /** Each credit's registry status code (`reference.statuses`; -1: none). */
  creditStatus: Int32Array;
  accounts: string[];
  others: { tx: LedgerTransaction; after: Record<string, number> }[];
  /** [seq, hash, line] of the expected heads met. */
  heads: [number, string, number][];
}

/** What a `TransactionRun` found, for `LedgerVerifier.merge`; line numbers count from the run's first line (1). */
export interface TransactionRunResult {
  /** The first transaction: its place in the chain is checked by `merge`. */
  first?: { line: number; seq: number; prevHash: string; idempotencyKey: string; coopProblem: string | null };
  /** Transactions that passed (all before `error`), their last hash and seq, the sums of their postings per account. */
  count: number;
  lastHash: string;
  lastSeq: number;
  balances: Map<string, number>;
  /** The largest of those sums (absolute) at any point of the run, for `LedgerVerifier.canMerge`. */
  largestSum: number;
  /** The last line taken (blank lines included). */
  lastLine: number;
  facts: RunFacts;
  error?: VerifyBreak;
}

/**
 * Checks consecutive transaction lines on its own, without the lines before them (a worker thread verifies a part
 * of a large export with it): each one's hash, balance, split and shape, and that each links to the one before it;
 * only the first one's link to what came before, and the money rules (which need the whole history), are left to
 * `LedgerVerifier.merge`, with the facts it collects. `push` returns 'stop' at a line that is not a transaction (the
 * verifier itself must take it: a policy, the balances, the footer, bad JSON…) and 'broken' at the first
 * transaction that breaks (the verifier then pushes the run's lines itself, to list every break).
 */
export class TransactionRun {
  private readonly policies: Map<number, SharingPolicy>;
  private readonly heads: Set<number>;
  private readonly out: TransactionRunResult;
  private expectedSeq = 0;
  /** The sums of the postings, per account (`out.balances` when the result is taken). */
  private readonly sums = new RunBalances();
  private fast: FastTransactions | undefined;
  private readonly facts: RunFacts;
  /** FastTransactions' account ids → indexes of `facts.accounts` (-1: none yet). */
  private localAccount = new Int32Array(64).fill(-1);
  private credits = 0;

  constructor(
    private readonly context: RunContext,
    private readonly hasher?: Hasher,
    private readonly bytes: ByteTools = defaultByteTools,
  ) {
    this.policies = new Map(context.policies.map((p) => [p.version, p]));
    this.heads = new Set(context.heads ?? []);
    this.facts = {
      count: 0,
      kind: new Uint8Array(256),
      orderIdBytes: new Uint8Array(8192),
      orderIdEnd: new Int32Array(256),
      num: new Float64Array(256 * FACT_WIDTH),
      creditAccount: new Int32Array(1024),
      creditAmount: new Float64Array(1024),
      creditStatus: new Int32Array(1024),
      accounts: [],
      others: [],
      heads: [],
    };
    this.out = {
      count: 0,
      lastHash: '',
      lastSeq: 0,
      balances: new Map(),
      largestSum: 0,
      lastLine: 0,
      facts: this.facts,
    };
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
      const k = this.fact(scanned.kindIsPayment ? FACT_PAYMENT : FACT_SETTLEMENT, scanned.seq, line);
      this.orderId(k, bytes, scanned.orderIdStart, scanned.orderIdEnd);
      const o = k * FACT_WIDTH;
      if (scanned.kindIsPayment) this.facts.num[o] = scanned.amount[0];
      else {
        const n = fast.credits();
        this.facts.num[o] = fast.gross;
        this.facts.num[o + 3] = this.credits;
        this.facts.num[o + 4] = n;
        this.addCredits(fast, n);
      }
      out.lastHash = fast.hash;
      if (this.heads.size && this.heads.has(scanned.seq)) this.facts.heads.push([scanned.seq, fast.hash, line]);
      out.lastSeq = scanned.seq;
      this.expectedSeq = scanned.seq + 1;
      out.count++;
      return 'ok';
    }
    return this.push(this.bytes.utf8(bytes, start, end), line);
  }

  private fact(kind: number, seq: number, line: number): number {
    const f = this.facts;
    const k = f.count++;
    if (k === f.kind.length) {
      const kinds = new Uint8Array(2 * k);
      kinds.set(f.kind);
      f.kind = kinds;
      const num = new Float64Array(2 * k * FACT_WIDTH);
      num.set(f.num);
      f.num = num;
      const ends = new Int32Array(2 * k);
      ends.set(f.orderIdEnd);
      f.orderIdEnd = ends;
    }
    f.kind[k] = kind;
    f.num[k * FACT_WIDTH + 1] = seq;
    f.num[k * FACT_WIDTH + 2] = line;
    return k;
  }

  /** Fact k's order id: bytes[start, end) (ASCII), after the previous fact's. */
  private orderId(k: number, bytes: Uint8Array, start: number, end: number): void {
    const f = this.facts;
    const at = k ? f.orderIdEnd[k - 1] : 0;
    const n = end - start;
    if (at + n > f.orderIdBytes.length) {
      const grown = new Uint8Array(Math.max(2 * f.orderIdBytes.length, at + n));
      grown.set(f.orderIdBytes);
      f.orderIdBytes = grown;
    }
    if (n) f.orderIdBytes.set(bytes.subarray(start, end), at);
    f.orderIdEnd[k] = at + n;
  }

  private addCredits(fast: FastTransactions, n: number): void {
    const f = this.facts;
    if (this.credits + n > f.creditAccount.length) {
      const size = Math.max(2 * f.creditAccount.length, this.credits + n);
      const accounts = new Int32Array(size);
      accounts.set(f.creditAccount);
      f.creditAccount = accounts;
      const amounts = new Float64Array(size);
      amounts.set(f.creditAmount);
      f.creditAmount = amounts;
      const statuses = new Int32Array(size);
      statuses.set(f.creditStatus);
      f.creditStatus = statuses;
    }
    for (let j = 0; j < n; j++) {
      const id = fast.creditIds[j];
      if (id >= this.localAccount.length) {
        const grown = new Int32Array(Math.max(2 * this.localAccount.length, id + 1)).fill(-1);
        grown.set(this.localAccount);
        this.localAccount = grown;
      }
      let local = this.localAccount[id];
      if (local < 0) {
        local = this.localAccount[id] = f.accounts.length;
        f.accounts.push(fast.accountString(id));
      }
      f.creditAccount[this.credits + j] = local;
      f.creditAmount[this.credits + j] = fast.creditAmounts[j];
      f.creditStatus[this.credits + j] = fast.creditStatus[j];
    }
    this.credits += n;
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
    if (duplicateJsonKey(text) !== null || unhashedMember(t) !== null) return fail('not clean JSON');
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
    const after: Record<string, number> = {};
    for (const p of t.postings) this.sums.add(p.account, p.amount);
    for (const p of t.postings) after[p.account] = this.sums.sumOf(p.account);
    this.fact(FACT_OTHER, t.seq, line);
    this.orderId(this.facts.count - 1, bytes0, 0, 0);
    this.facts.others.push({ tx: t, after });
    if (this.heads.size && this.heads.has(t.seq)) this.facts.heads.push([t.seq, t.hash, line]);
    this.out.lastHash = t.hash;
    this.out.lastSeq = t.seq;
    this.expectedSeq = t.seq + 1;
    this.out.count++;
    return 'ok';
  }

  result(): TransactionRunResult {
    const f = this.facts;
    f.orderIdBytes = f.orderIdBytes.slice(0, f.count ? f.orderIdEnd[f.count - 1] : 0);
    this.out.balances = this.sums.toMap();
    this.out.largestSum = this.sums.largest;
    return this.out;
  }
}

/** Every line checked in order; every break listed (up to MAX_BREAKS). */
export function verifyExport(
  lines: readonly string[],
  hasher?: Hasher,
  heads: { head: ExpectedHead; last?: boolean }[] = [],
): VerifyResult {
  const v = new LedgerVerifier(hasher);
  for (const h of heads) v.expectHead(h.head, h.last);
  for (let i = 0; i < lines.length && !v.full; i++) v.push(lines[i], i + 1);
  return v.finish();
}

export { LedgerError };
