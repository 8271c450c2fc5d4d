import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex } from '@noble/hashes/utils';
import { accountCode, householdOfAccount, Posting } from './ledger';
import { type SettlementReference, splitProblem } from './settlement-check';
import { bpOf, floorDiv, SharingPolicy } from './sharing-policy';
import { TransactionLineScanner, viewOf } from './transaction-line';

/**
 * What the verifier needs to take lines as bytes (`pushBytes`): SHA-256 over bytes and UTF-8 decoding. The default is
 * pure JS (the SHA-256 `transactionHash` uses, the standard TextDecoder); the CLI passes node:crypto's and Buffer's.
 */
export interface ByteTools {
  /** SHA-256 (hex, lowercase) of bytes[start, end). */
  sha256(bytes: Uint8Array, start: number, end: number): string;
  /** bytes[start, end) decoded as UTF-8: the line `push` would have been given. */
  utf8(bytes: Uint8Array, start: number, end: number): string;
}

let decoder: TextDecoder | undefined;
export const defaultByteTools: ByteTools = {
  sha256: (bytes, start, end) => bytesToHex(sha256(bytes.subarray(start, end))),
  utf8: (bytes, start, end) => (decoder ??= new TextDecoder()).decode(bytes.subarray(start, end)),
};

/**
 * The fast acceptance of a transaction line (`LedgerVerifier.pushBytes`, `TransactionRun.pushBytes`). When
 * `TransactionLineScanner` reads the line, its bytes between the prefix and the hash are the canonical JSON of its
 * content, so its hash is taken of them as they are; then the checks `push` makes are made on the scanned values:
 * its cooperative, its place in the chain (unless it is a run's first), its stated hash, its balance, its split.
 * It only ever accepts: a line it cannot read, or that fails any check, is left to `push`, which gives the verdict
 * and the message. When it accepts, `push` would have accepted the line with the same seq, hash and postings.
 */
export class FastTransactions {
  readonly scanner = new TransactionLineScanner();
  /** The hash of the line accepted last (equal to its stated hash). */
  hash = '';
  /** Account codes and household ids, each made a string once. */
  private readonly accounts: Interner;
  private readonly households: Interner;
  /** The account (id) of each posting of the line scanned last. */
  private postingAccount = new Int32Array(16);
  private readonly split = new SplitCheck();
  /** The cooperative, and the hash of the line accepted last, as bytes to compare lines with. */
  private readonly cooperative = new AsciiBytes();
  private readonly lastHash = new AsciiBytes();

  constructor(private readonly bytes: ByteTools) {
    this.accounts = new Interner(bytes);
    this.households = new Interner(bytes);
  }

  /** True when bytes[start, end) is a transaction line that `push` accepts (see the class). */
  accept(
    b: Uint8Array,
    start: number,
    end: number,
    cooperativeId: string | null,
    checkLink: boolean,
    expectedSeq: number,
    prevHash: string,
    policies: Map<number, SharingPolicy>,
  ): boolean {
    const s = this.scanner;
    if (cooperativeId === null || !s.scan(b, start, end)) return false;
    const v = s.view;
    if (this.cooperative.text !== cooperativeId) this.cooperative.set(cooperativeId);
    if (!this.cooperative.equals(v, s.cooperativeIdStart, s.cooperativeIdEnd)) return false;
    if (checkLink) {
      if (s.seq !== expectedSeq) return false;
      if (this.lastHash.text !== prevHash) this.lastHash.set(prevHash);
      if (!this.lastHash.equals(v, s.prevHashStart, s.prevHashEnd)) return false;
    }

    // the content in braces: `{` over the `,` after "transaction", `}` over the `,` before "hash"
    const open = s.contentStart;
    const close = s.contentEnd;
    let hash: string;
    b[open] = 123;
    b[close] = 125;
    try {
      hash = this.bytes.sha256(b, open, close + 1);
    } finally {
      b[open] = 44;
      b[close] = 44;
    }
    // (the stated hash decoded and compared: equal strings of 64 ASCII characters only from the same 64 bytes)
    if (this.bytes.utf8(b, s.hashStart, s.hashStart + 64) !== hash) return false;

    // assertBalanced: two postings or more, none zero, every account named; one currency, summed in order
    const n = s.postings;
    if (n < 2 || !s.allCny) return false;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const amount = s.amount[i];
      if (amount === 0 || s.accountEnd[i] === s.accountStart[i]) return false;
      sum += amount;
    }
    if (sum !== 0) return false;

    if (this.postingAccount.length < n) this.postingAccount = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const id = this.accounts.id(b, v, s.accountStart[i], s.accountEnd[i]);
      if (id < 0) return false; // the interner is full
      this.postingAccount[i] = id;
    }

    // the money rules' shape (`shapeProblem`), for the two kinds taken fast: a payment `pay:order:<orderId>` of
    // psp_receivable (debit) and the cooperative's clearing (credit); a settlement `settle:order:<orderId>`
    if (s.kindIsPayment) {
      if (s.settlementReference || n !== 2 || s.amount[0] <= 0) return false;
      if (this.shapeCoop !== cooperativeId) this.forShape(cooperativeId);
      if (this.postingAccount[0] !== this.psp || this.postingAccount[1] !== this.clearing) return false;
      if (!keyIsOrderKey(b, s, PAY_KEY)) return false;
    } else if (!s.kindIsSettlement || !keyIsOrderKey(b, s, SETTLE_KEY)) return false;

    if (s.kindIsSettlement) {
      if (!s.settlementReference) return false;
      const policy = policies.get(s.policyVersion);
      if (!policy) return false;
      const verdict = this.split.check(
        b,
        s,
        cooperativeId,
        policy,
        this.postingAccount,
        this.accounts,
        this.households,
      );
      if (verdict === REJECT) return false;
      if (verdict === UNSURE && !this.splitFollowsPolicy(b, cooperativeId, policy)) return false;
      if (!this.creditStatuses(b)) return false;
    }
    this.hash = hash;
    this.lastHash.copy(hash, v, s.hashStart, 64); // the next line's prevHash, most likely
    return true;
  }

  private shapeCoop: string | null = null;
  private psp = -1;
  private clearing = -1;
  private forShape(coop: string) {
    this.psp = this.accounts.idOf(accountCode.pspReceivable());
    this.clearing = this.accounts.idOf(accountCode.clearing(coop));
    this.shapeCoop = coop;
  }

  /** Per interned account id: the household whose payable it is, or null (undefined: not looked up yet). */
  private readonly householdOfId: (string | null | undefined)[] = [];
  /** The registry status code of each posting's household (`reference.statuses`), -1 for none. */
  private postingStatus = new Int32Array(16);

  /**
   * `settlementStatusProblem` of the line scanned: with `reference.statuses`, every household payable credited must
   * have its status there (else false: the reference path names it); fills `postingStatus`.
   */
  private creditStatuses(b: Uint8Array): boolean {
    const s = this.scanner;
    const n = s.postings;
    if (this.postingStatus.length < n) this.postingStatus = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      this.postingStatus[i] = -1;
      if (s.statuses === 0 || s.amount[i] >= 0) continue;
      const id = this.postingAccount[i];
      let household = this.householdOfId[id];
      if (household === undefined) household = this.householdOfId[id] = householdOfAccount(this.accounts.strings[id]);
      if (household === null) continue;
      let k = 0;
      for (; k < s.statuses; k++) {
        const start = s.statusHouseholdStart[k];
        const len = s.statusHouseholdEnd[k] - start;
        if (len !== household.length) continue;
        let j = 0;
        while (j < len && b[start + j] === household.charCodeAt(j)) j++;
        if (j === len) break;
      }
      if (k === s.statuses) return false;
      this.postingStatus[i] = s.statusCode[k];
    }
    return true;
  }

  /** The string of an account id (of `creditIds`). */
  accountString(id: number): string {
    return this.accounts.strings[id];
  }

  /** The accounts the settlement accepted last credits, netted (ids, and what each receives), after `credits()`. */
  creditIds = new Int32Array(16);
  creditAmounts = new Float64Array(16);
  /** The registry status code of each credit's household (`reference.statuses`; -1: none, or not a household). */
  creditStatus = new Int32Array(16);
  /** Its debits (its gross: what it takes out of clearing), after `credits()`. */
  gross = 0;

  /** Fills `creditIds`, `creditAmounts` and `gross` for the line accepted last; returns how many credits. */
  credits(): number {
    const s = this.scanner;
    if (this.creditIds.length < s.postings) {
      this.creditIds = new Int32Array(2 * s.postings);
      this.creditAmounts = new Float64Array(2 * s.postings);
      this.creditStatus = new Int32Array(2 * s.postings);
    }
    let n = 0;
    let gross = 0;
    for (let i = 0; i < s.postings; i++) {
      const amount = s.amount[i];
      if (amount > 0) {
        gross += amount;
        continue;
      }
      const id = this.postingAccount[i];
      let j = 0;
      while (j < n && this.creditIds[j] !== id) j++;
      if (j === n) {
        this.creditIds[n] = id;
        this.creditStatus[n] = this.postingStatus[i];
        this.creditAmounts[n++] = -amount;
      } else this.creditAmounts[j] -= amount;
    }
    this.gross = gross;
    return n;
  }

  /** `addPostings` of the line accepted last, to the sums of a run. */
  addPostingsTo(sums: RunBalances): void {
    const s = this.scanner;
    const strings = this.accounts.strings;
    for (let i = 0; i < s.postings; i++) {
      const id = this.postingAccount[i];
      sums.addAt(sums.slotOfId(id, strings[id]), s.amount[i]);
    }
  }

  /** `addPostings` of the line accepted last. */
  addPostings(balances: Map<string, number>): void {
    const s = this.scanner;
    const strings = this.accounts.strings;
    for (let i = 0; i < s.postings; i++) {
      const account = strings[this.postingAccount[i]];
      balances.set(account, (balances.get(account) ?? 0) + s.amount[i]);
    }
  }

  /** The split check of `push` itself (`splitProblem`) on the scanned values, for what `SplitCheck` leaves. */
  private splitFollowsPolicy(b: Uint8Array, cooperativeId: string, policy: SharingPolicy): boolean {
    const s = this.scanner;
    const text = (from: number, to: number) => this.bytes.utf8(b, from, to);
    const postings: Posting[] = [];
    for (let i = 0; i < s.postings; i++)
      postings.push({ account: this.accounts.strings[this.postingAccount[i]], amount: s.amount[i], currency: 'CNY' });
    const lines: SettlementReference['lines'] = [];
    for (let l = 0; l < s.lines; l++) {
      const supplies: SettlementReference['lines'][number]['supplies'] = [];
      for (let k = s.lineSupplies[l]; k < s.lineSupplies[l + 1]; k++)
        supplies.push({ householdId: text(s.householdIdStart[k], s.householdIdEnd[k]), quantity: s.supplyQuantity[k] });
      lines.push({
        grossFen: s.lineGrossFen[l],
        lineId: text(s.lineIdStart[l], s.lineIdEnd[l]),
        quantity: s.lineQuantity[l],
        supplies,
      });
    }
    const ref: SettlementReference = {
      feeFen: s.feeFen,
      lines,
      orderId: text(s.orderIdStart, s.orderIdEnd),
      policyVersion: s.policyVersion,
    };
    try {
      return splitProblem(cooperativeId, ref, postings, policy) === null;
    } catch {
      return false;
    }
  }
}

/**
 * The sums per account of a `TransactionRun`: the same additions in the same order as a Map updated posting by
 * posting (so the same doubles, and the accounts in the same order), without a Map lookup per posting for the
 * lines taken fast (their accounts come as interned ids of the run's `FastTransactions`).
 */
export class RunBalances {
  /** The largest sum (absolute) at any point. */
  largest = 0;
  private readonly slots = new Map<string, number>();
  private readonly accounts: string[] = [];
  private sums = new Float64Array(64);
  private slotById = new Int32Array(64).fill(-1);

  add(account: string, amount: number): void {
    this.addAt(this.slotOf(account), amount);
  }

  addAt(slot: number, amount: number): void {
    const sum = this.sums[slot] + amount;
    this.sums[slot] = sum;
    const abs = Math.abs(sum);
    if (!(abs <= this.largest)) this.largest = abs;
  }

  /** The slot of the account interned as `id` (by the `FastTransactions` whose lines are added here). */
  slotOfId(id: number, account: string): number {
    if (id < this.slotById.length) {
      const slot = this.slotById[id];
      if (slot >= 0) return slot;
    } else {
      const grown = new Int32Array(Math.max(2 * this.slotById.length, id + 1)).fill(-1);
      grown.set(this.slotById);
      this.slotById = grown;
    }
    return (this.slotById[id] = this.slotOf(account));
  }

  /** The sum of an account so far (0 when it has none). */
  sumOf(account: string): number {
    const slot = this.slots.get(account);
    return slot === undefined ? 0 : this.sums[slot];
  }

  toMap(): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < this.accounts.length; i++) out.set(this.accounts[i], this.sums[i]);
    return out;
  }

  private slotOf(account: string): number {
    let slot = this.slots.get(account);
    if (slot === undefined) {
      slot = this.accounts.length;
      this.accounts.push(account);
      this.slots.set(account, slot);
      if (slot === this.sums.length) {
        const grown = new Float64Array(2 * slot);
        grown.set(this.sums);
        this.sums = grown;
      }
    }
    return slot;
  }
}

const PAY_KEY = Uint8Array.from('pay:order:', (c) => c.charCodeAt(0));
const SETTLE_KEY = Uint8Array.from('settle:order:', (c) => c.charCodeAt(0));

/** The scanned line's idempotency key is `prefix` followed by its order id. */
function keyIsOrderKey(b: Uint8Array, s: TransactionLineScanner, prefix: Uint8Array): boolean {
  const k = s.idempotencyKeyStart;
  const length = s.orderIdEnd - s.orderIdStart;
  if (s.idempotencyKeyEnd - k !== prefix.length + length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[k + i] !== prefix[i]) return false;
  const from = k + prefix.length;
  for (let i = 0; i < length; i++) if (b[from + i] !== b[s.orderIdStart + i]) return false;
  return true;
}

const ACCEPT = 1;
const REJECT = 0;
const UNSURE = -1;

/**
 * `splitProblem(…) === null` for a scanned settlement, without maps or strings: the same arithmetic as
 * `expectedSettlementPostings` (`allocateFee`, `splitLine`, `allocateQuick`, `bpOf`, in the same order, so every sum
 * is the same double), with accounts as interned ids. ACCEPT or REJECT when that is what `splitProblem` says; UNSURE
 * for everything `allocateQuick` hands to `allocate` (duplicate keys, more than 32 shares, unsafe products…), for
 * values `splitLine` refuses, and for anything that throws: those are left to `splitProblem` itself.
 */
class SplitCheck {
  private coop: string | null = null;
  private clearing = 0;
  private paymentFees = 0;
  private platformFeeRevenue = 0;
  private dividendPool = 0;
  private wagesPayable = 0;
  private retained = 0;
  /** Household (interned id) → its payable account (interned id), or -1; for `coop`. */
  private householdAccount = new Int32Array(64).fill(-1);
  // per account id: the postings' sums and the split's sums of the transaction being checked, and which are in use
  private actual = new Float64Array(64);
  private expected = new Float64Array(64);
  private used = new Uint8Array(64);
  private touched = new Int32Array(64);
  private touchedCount = 0;
  // scratch for the allocations
  private readonly weights = new Float64Array(32);
  private readonly floors = new Float64Array(32);
  private readonly remainders = new Float64Array(32);
  private readonly order = new Int32Array(32);
  private readonly keyStart = new Int32Array(32);
  private readonly keyEnd = new Int32Array(32);
  /** The keys' interned ids, when `allocate` is told they are (equal ids, equal keys). */
  private readonly keyId = new Int32Array(32);
  private readonly fees = new Float64Array(32);
  private readonly supplied = new Int32Array(32);

  check(
    b: Uint8Array,
    s: TransactionLineScanner,
    coop: string,
    policy: SharingPolicy,
    postingAccount: Int32Array,
    accounts: Interner,
    households: Interner,
  ): number {
    try {
      if (this.coop !== coop) this.forCooperative(coop, accounts);
      return this.compute(b, s, coop, policy, postingAccount, accounts, households);
    } catch {
      return UNSURE;
    } finally {
      for (let i = 0; i < this.touchedCount; i++) {
        const id = this.touched[i];
        this.actual[id] = 0;
        this.expected[id] = 0;
        this.used[id] = 0;
      }
      this.touchedCount = 0;
    }
  }

  private forCooperative(coop: string, accounts: Interner) {
    this.coop = null;
    this.clearing = accounts.idOf(accountCode.clearing(coop));
    this.paymentFees = accounts.idOf(accountCode.paymentFees());
    this.platformFeeRevenue = accounts.idOf(accountCode.platformFeeRevenue());
    this.dividendPool = accounts.idOf(accountCode.dividendPool(coop));
    this.wagesPayable = accounts.idOf(accountCode.wagesPayable(coop));
    this.retained = accounts.idOf(accountCode.retained(coop));
    this.householdAccount.fill(-1);
    this.coop = coop;
  }

  private compute(
    b: Uint8Array,
    s: TransactionLineScanner,
    coop: string,
    policy: SharingPolicy,
    postingAccount: Int32Array,
    accounts: Interner,
    households: Interner,
  ): number {
    // the postings, per account, in order (as `splitProblem` sums them)
    for (let i = 0; i < s.postings; i++) {
      const id = postingAccount[i];
      this.use(id);
      this.actual[id] += s.amount[i];
    }

    // allocateFee: allocateQuick over the lines (key: lineId, weight: grossFen); a Map by lineId, so only distinct ids
    const lines = s.lines;
    if (lines > 32) return UNSURE;
    for (let l = 0; l < lines; l++) {
      this.weights[l] = s.lineGrossFen[l];
      this.keyStart[l] = s.lineIdStart[l];
      this.keyEnd[l] = s.lineIdEnd[l];
    }
    if (!this.allocate(b, s.feeFen, lines, false)) return UNSURE;
    for (let l = 0; l < lines; l++) this.fees[l] = this.floors[l];

    for (let l = 0; l < lines; l++) {
      // splitLine
      const grossFen = s.lineGrossFen[l];
      const lineFee = this.fees[l];
      if (grossFen < 0 || lineFee < 0) return UNSURE; // splitLine refuses it
      const processingFeeFen = Math.min(lineFee, grossFen);
      const platformFeeFen = Math.min(bpOf(grossFen, policy.platformFeeBp), grossFen - processingFeeFen);
      const netFen = grossFen - processingFeeFen - platformFeeFen;
      let supplied = 0;
      for (let k = s.lineSupplies[l]; k < s.lineSupplies[l + 1]; k++) {
        if (s.supplyQuantity[k] > 0) {
          if (supplied === 32) return UNSURE;
          this.supplied[supplied++] = k;
        }
      }
      let purchaseFen =
        policy.purchase.kind === 'percent'
          ? bpOf(netFen, policy.purchase.bp)
          : Math.min(netFen, policy.purchase.fenPerUnit * s.lineQuantity[l]);
      if (supplied === 0) purchaseFen = 0;
      const dividendFen = Math.min(bpOf(netFen, policy.dividendBp), netFen - purchaseFen);
      const wagesFen = Math.min(bpOf(netFen, policy.wagesBp), netFen - purchaseFen - dividendFen);
      const retainedFen = netFen - purchaseFen - dividendFen - wagesFen;
      if (
        !Number.isSafeInteger(processingFeeFen) ||
        !Number.isSafeInteger(platformFeeFen) ||
        !Number.isSafeInteger(netFen) ||
        !Number.isSafeInteger(purchaseFen) ||
        !Number.isSafeInteger(dividendFen) ||
        !Number.isSafeInteger(wagesFen) ||
        !Number.isSafeInteger(retainedFen)
      )
        return UNSURE;

      this.add(this.clearing, grossFen);
      this.add(this.paymentFees, -processingFeeFen);
      this.add(this.platformFeeRevenue, -platformFeeFen);
      if (supplied > 0) {
        // allocateQuick over the supplying households (key: householdId, weight: quantity)
        for (let j = 0; j < supplied; j++) {
          const k = this.supplied[j];
          this.weights[j] = s.supplyQuantity[k];
          this.keyStart[j] = s.householdIdStart[k];
          this.keyEnd[j] = s.householdIdEnd[k];
          const household = households.id(b, s.view, s.householdIdStart[k], s.householdIdEnd[k]);
          if (household < 0) return UNSURE; // the interner is full
          this.keyId[j] = household;
        }
        if (!this.allocate(b, purchaseFen, supplied, true)) return UNSURE;
        for (let j = 0; j < supplied; j++)
          this.add(this.householdPayable(this.keyId[j], coop, accounts, households), -this.floors[j]);
      }
      this.add(this.dividendPool, -dividendFen);
      this.add(this.wagesPayable, -wagesFen);
      this.add(this.retained, -retainedFen);
    }

    for (let i = 0; i < this.touchedCount; i++) {
      const id = this.touched[i];
      if (this.actual[id] !== this.expected[id]) return REJECT;
    }
    return ACCEPT;
  }

  /** `add` of expectedSettlementPostings (adding 0 changes no sum here: every sum starts at +0). */
  private add(id: number, amount: number) {
    this.use(id);
    this.expected[id] += amount;
  }

  private use(id: number) {
    if (id >= this.used.length) {
      const n = Math.max(2 * this.used.length, id + 1);
      const actual = new Float64Array(n);
      actual.set(this.actual);
      this.actual = actual;
      const expected = new Float64Array(n);
      expected.set(this.expected);
      this.expected = expected;
      const used = new Uint8Array(n);
      used.set(this.used);
      this.used = used;
    }
    if (this.used[id]) return;
    this.used[id] = 1;
    if (this.touchedCount === this.touched.length) {
      const touched = new Int32Array(2 * this.touched.length);
      touched.set(this.touched);
      this.touched = touched;
    }
    this.touched[this.touchedCount++] = id;
  }

  private householdPayable(household: number, coop: string, accounts: Interner, households: Interner): number {
    if (household >= this.householdAccount.length) {
      const grown = new Int32Array(Math.max(2 * this.householdAccount.length, household + 1)).fill(-1);
      grown.set(this.householdAccount);
      this.householdAccount = grown;
    }
    let id = this.householdAccount[household];
    if (id < 0) {
      id = accounts.idOf(accountCode.householdPayable(coop, households.strings[household]));
      this.householdAccount[household] = id;
    }
    return id;
  }

  /**
   * `allocateQuick(total, shares)` for the n shares in weights / keyStart / keyEnd (keys are ASCII bytes, so byte
   * order is code-unit order and byte equality string equality; `interned`: keyId holds their interned ids, which
   * are equal when the keys are): the amounts in `floors`. False whenever
   * allocateQuick would hand the case to `allocate` (and for no shares).
   */
  private allocate(b: Uint8Array, total: number, n: number, interned: boolean): boolean {
    if (!Number.isSafeInteger(total) || total < 0 || n === 0 || n > 32) return false;
    const weights = this.weights;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!Number.isSafeInteger(w) || w < 0) return false;
      sum += w;
      for (let j = 0; j < i; j++) {
        const same = interned
          ? this.keyId[j] === this.keyId[i]
          : compareKeys(b, this.keyStart, this.keyEnd, j, i) === 0;
        if (same) return false;
      }
    }
    if (sum === 0 || (total + 1) * sum > Number.MAX_SAFE_INTEGER) return false;
    const floors = this.floors;
    const remainders = this.remainders;
    let left = total;
    for (let i = 0; i < n; i++) {
      const product = total * weights[i];
      const q = floorDiv(product, sum);
      floors[i] = q;
      remainders[i] = product - q * sum;
      left -= q;
    }
    if (left > 0) {
      // largest remainder first, ties by key: a strict order (the keys are distinct), so any sort gives this one
      const order = this.order;
      for (let i = 0; i < n; i++) {
        let at = i;
        while (at > 0 && this.before(b, i, order[at - 1])) {
          order[at] = order[at - 1];
          at--;
        }
        order[at] = i;
      }
      for (let o = 0; o < n; o++) {
        const i = order[o];
        if (left === 0 || remainders[i] === 0) break;
        floors[i] += 1;
        left -= 1;
      }
    }
    return true;
  }

  /** Share a comes before share b in allocateQuick's order (remainder descending, then key ascending). */
  private before(b: Uint8Array, a: number, c: number): boolean {
    const ra = this.remainders[a];
    const rc = this.remainders[c];
    if (ra !== rc) return ra > rc;
    return compareKeys(b, this.keyStart, this.keyEnd, a, c) < 0;
  }
}

/**
 * A string, and its bytes when it is ASCII, to compare with bytes of a line 8 at a time (as float64: for ASCII
 * bytes, equal doubles are equal bytes, as no ASCII word is NaN or -0).
 */
class AsciiBytes {
  text: string | null = null;
  private ascii = false;
  private bytes = new Uint8Array(64);
  private view = viewOf(this.bytes);
  private length = 0;

  set(text: string) {
    this.text = text;
    this.length = text.length;
    if (this.bytes.length < text.length) {
      this.bytes = new Uint8Array(2 * text.length);
      this.view = viewOf(this.bytes);
    }
    this.ascii = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) this.ascii = false;
      this.bytes[i] = c;
    }
  }

  /** `text`, whose bytes are the `length` bytes at `start` of v (ASCII, the caller knows they are equal). */
  copy(text: string, v: DataView, start: number, length: number) {
    this.text = text;
    this.length = length;
    this.ascii = true;
    if (this.bytes.length < length) {
      this.bytes = new Uint8Array(2 * length);
      this.view = viewOf(this.bytes);
    }
    let i = 0;
    for (; i + 4 <= length; i += 4) this.view.setInt32(i, v.getInt32(start + i, true), true); // (a float could be a NaN)
    for (; i < length; i++) this.bytes[i] = v.getUint8(start + i);
  }

  /** The bytes [start, end) of v (ASCII) are `text`. */
  equals(v: DataView, start: number, end: number): boolean {
    const n = this.length;
    if (!this.ascii || end - start !== n) return false;
    const own = this.view;
    let i = 0;
    for (; i + 8 <= n; i += 8) if (own.getFloat64(i, true) !== v.getFloat64(start + i, true)) return false;
    for (; i < n; i++) if (own.getUint8(i) !== v.getUint8(start + i)) return false;
    return true;
  }
}

/** Compares keys i and j (byte ranges of b): negative, 0 or positive, as JavaScript compares the ASCII strings. */
function compareKeys(b: Uint8Array, starts: Int32Array, ends: Int32Array, i: number, j: number): number {
  const si = starts[i];
  const sj = starts[j];
  const li = ends[i] - si;
  const lj = ends[j] - sj;
  const n = li < lj ? li : lj;
  for (let k = 0; k < n; k++) {
    const d = b[si + k] - b[sj + k];
    if (d !== 0) return d;
  }
  return li - lj;
}

/**
 * ASCII byte strings to small ids (0, 1, 2…), each with its string made once: an account code named by a million
 * postings is decoded once and found again by its bytes (a hash of its length and last bytes, then every byte
 * compared, 8 at a time as float64: for ASCII bytes, equal doubles are equal bytes, as no ASCII word is NaN or -0).
 */
class Interner {
  /** At most this many strings (then `id` says -1 for a new one, and the line goes the reference way). */
  static readonly LIMIT = 1 << 20;
  /** id → its string. */
  readonly strings: string[] = [];
  private slots = new Int32Array(1024); // id + 1, 0 when free
  private hashes = new Int32Array(256);
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  private pool = new Uint8Array(16384);
  private poolView = viewOf(this.pool);
  private poolUsed = 0;
  private scratch = new Uint8Array(256);
  private scratchView = viewOf(this.scratch);

  constructor(private readonly bytes: ByteTools) {}

  /**
   * The id of the string of bytes[start, end) (ASCII; `v` views `b`), or -1 when it is new and the interner full;
   * `text` is that string when the caller has it.
   */
  id(b: Uint8Array, v: DataView, start: number, end: number, text?: string): number {
    const length = end - start;
    let h = Math.imul(length, 0x9e3779b1);
    if (length >= 8) {
      const from = length > 24 ? end - 24 : start;
      for (let p = end - 4; p >= from; p -= 4) h = Math.imul(h ^ v.getInt32(p, true), 0x01000193);
    } else for (let p = start; p < end; p++) h = Math.imul(h ^ b[p], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) {
        if (this.strings.length >= Interner.LIMIT) return -1;
        return this.add(slot, h, b, start, end, text ?? this.bytes.utf8(b, start, end));
      }
      const id = entry - 1;
      if (this.hashes[id] === h && this.lengths[id] === length && this.same(id, b, v, start, length)) return id;
    }
  }

  /** The id of an ASCII string; throws when it is new and the interner full (SplitCheck is then UNSURE). */
  idOf(text: string): number {
    if (this.scratch.length < text.length) {
      this.scratch = new Uint8Array(2 * text.length);
      this.scratchView = viewOf(this.scratch);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) throw new RangeError('only ASCII strings are interned');
      this.scratch[i] = c;
    }
    const id = this.id(this.scratch, this.scratchView, 0, text.length, text);
    if (id < 0) throw new RangeError('the interner is full');
    return id;
  }

  private same(id: number, b: Uint8Array, v: DataView, start: number, length: number): boolean {
    const from = this.starts[id];
    if (length < 8) {
      const pool = this.pool;
      for (let i = 0; i < length; i++) if (pool[from + i] !== b[start + i]) return false;
      return true;
    }
    const pool = this.poolView;
    let i = 0;
    for (; i + 8 <= length; i += 8) if (pool.getFloat64(from + i, true) !== v.getFloat64(start + i, true)) return false;
    return i === length || pool.getFloat64(from + length - 8, true) === v.getFloat64(start + length - 8, true);
  }

  private add(slot: number, h: number, b: Uint8Array, start: number, end: number, text: string): number {
    const id = this.strings.length;
    const length = end - start;
    if (id === this.hashes.length) {
      this.hashes = grown(this.hashes, 2 * id);
      this.starts = grown(this.starts, 2 * id);
      this.lengths = grown(this.lengths, 2 * id);
    }
    if (this.poolUsed + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(2 * this.pool.length, this.poolUsed + length));
      pool.set(this.pool);
      this.pool = pool;
      this.poolView = viewOf(pool);
    }
    this.pool.set(b.subarray(start, end), this.poolUsed);
    this.hashes[id] = h;
    this.starts[id] = this.poolUsed;
    this.lengths[id] = length;
    this.poolUsed += length;
    this.strings.push(text);
    this.slots[slot] = id + 1;
    if (2 * this.strings.length > this.slots.length) this.rehash();
    return id;
  }

  private rehash() {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

function grown(from: Int32Array, n: number) {
  const to = new Int32Array(n);
  to.set(from);
  return to;
}
