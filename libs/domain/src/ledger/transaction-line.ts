/**
 * A strict reader of transaction lines written by `transactionLine` (ledger.ts): the line
 *
 *   {"type":"transaction",<the canonical JSON of the content without its braces>,"hash":"<64 characters>"}
 *
 * in the one layout canonical JSON gives the known schema, and nothing else. When `scan` says yes, the bytes between
 * the prefix and the `,"hash"` suffix, in braces, ARE `canonicalJson(content)` of what `JSON.parse` makes of the
 * line: every string is ASCII without a backslash or a control character (so its bytes are its characters, and
 * `JSON.stringify` writes them back unchanged), every number is a safe integer written as `String(n)` writes it
 * (`0` or `-?[1-9][0-9]*`, so no `-0`, no leading zero, no fraction or exponent), every key is one the schema
 * names, once, in sorted order, and there is no whitespace. The verifier can then hash the line's own bytes
 * instead of parsing and re-serialising it. Anything else (another reference shape, an escape, a non-ASCII
 * character, an empty array, a float, a null, an extra or missing member, whitespace…) is refused, and the
 * verifier takes the line the ordinary way (`JSON.parse`, `transactionHash`), which gives the verdict.
 *
 * The schema it reads:
 *   {"type":"transaction","cooperativeId":S,"idempotencyKey":S,"kind":S,"occurredAt":S,
 *    "postings":[{"account":S,"amount":I,"currency":S},…],"prevHash":S,"reference":R,"seq":I,"hash":S}
 *   R = {"orderId":S}
 *     | {"feeFen":I,"lines":[{"grossFen":I,"lineId":S,"quantity":I,"supplies":[{"householdId":S,"quantity":I},…]},…],
 *        "orderId":S,"policyVersion":I[,"statuses":{S:T,…}]}   (statuses: keys strictly ascending, at least one;
 *        T one of "registered", "monitored", "lifted", "none")
 */

/**
 * A fixed run of bytes the layout requires (a key with its punctuation), compared 8 bytes at a time: as a float64,
 * 8 bytes of printable ASCII are a normal, positive number, and a double equal to one is the same 8 bytes (only 0
 * and NaN have more than one encoding). Words at 0, 8, 16… and one that ends with the literal (overlapping); a
 * literal shorter than 8 bytes is compared as two overlapping int32.
 */
interface Literal {
  length: number;
  /** The words at 0, 8, 16… and last the one that ends with the literal (the same as the one before, or overlapping). */
  words: Float64Array;
  head32: number;
  tail32: number;
}

function literalOf(text: string): Literal {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  if (bytes.length < 4 || bytes.some((c) => c < 0x20 || c > 0x7e)) throw new Error(`not a literal: ${text}`);
  const view = new DataView(bytes.buffer);
  const offsets: number[] = [];
  if (bytes.length >= 8) {
    for (let at = 0; at + 8 <= bytes.length; at += 8) offsets.push(at);
    if (bytes.length % 8) offsets.push(bytes.length - 8);
  }
  return {
    length: bytes.length,
    words: Float64Array.from(offsets, (at) => view.getFloat64(at, true)),
    head32: view.getInt32(0, true),
    tail32: view.getInt32(bytes.length - 4, true),
  };
}

const bytesOf = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** `{"type":"transaction","cooperativeId":"` — also how long the prefix before the content's first key is. */
const PREFIX = literalOf('{"type":"transaction","cooperativeId":"');
/** Where the content begins in the line: the `,` after `"transaction"` (it stands for the content's `{`). */
export const CONTENT_OFFSET = '{"type":"transaction"'.length;
const K_IDEMPOTENCY_KEY = literalOf('","idempotencyKey":"');
const K_KIND = literalOf('","kind":"');
const K_OCCURRED_AT = literalOf('","occurredAt":"');
const K_POSTINGS = literalOf('","postings":[');
const K_ACCOUNT = literalOf('{"account":"');
const K_AMOUNT = literalOf('","amount":');
const K_CURRENCY = literalOf(',"currency":"');
const K_PREV_HASH = literalOf(',"prevHash":"');
const K_REFERENCE = literalOf('","reference":{"');
const K_ORDER_ID_ONLY = literalOf('orderId":"');
const K_FEE_FEN = literalOf('feeFen":');
const K_LINES = literalOf(',"lines":[');
const K_GROSS_FEN = literalOf('{"grossFen":');
const K_LINE_ID = literalOf(',"lineId":"');
const K_LINE_QUANTITY = literalOf('","quantity":');
const K_SUPPLIES = literalOf(',"supplies":[');
const K_HOUSEHOLD_ID = literalOf('{"householdId":"');
const K_SUPPLY_QUANTITY = literalOf('","quantity":');
const K_ORDER_ID = literalOf(',"orderId":"');
const K_POLICY_VERSION = literalOf('","policyVersion":');
const K_STATUSES = literalOf(',"statuses":{"');
const K_SEQ = literalOf(',"seq":');
const K_HASH = literalOf(',"hash":"');
const SETTLEMENT = bytesOf('settlement');
const PAYMENT = bytesOf('payment');
const CNY = bytesOf('CNY');
/** The registry statuses of `reference.statuses`, by their code (`registry.ts`: 0 registered … 3 none). */
const STATUSES = ['registered', 'monitored', 'lifted', 'none'].map(bytesOf);

/** A DataView of the bytes of `b`. */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const QUOTE = 34;
const COMMA = 44;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;

/**
 * Scans one line; on success (`scan` returns true) its fields say where each part is (byte offsets into the same
 * array, `…Start` inclusive, `…End` exclusive) and hold its integers. One scanner is reused line after line (no
 * allocation per line); its arrays grow as needed.
 */
export class TransactionLineScanner {
  // the content: bytes[contentStart] is the `,` that stands for its `{`, bytes[contentEnd] the `,` before "hash"
  contentStart = 0;
  contentEnd = 0;
  cooperativeIdStart = 0;
  cooperativeIdEnd = 0;
  idempotencyKeyStart = 0;
  idempotencyKeyEnd = 0;
  kindIsSettlement = false;
  kindIsPayment = false;
  prevHashStart = 0;
  prevHashEnd = 0;
  hashStart = 0;
  seq = 0;
  /** Every posting's currency is `CNY`. */
  allCny = true;
  postings = 0;
  accountStart = new Int32Array(16);
  accountEnd = new Int32Array(16);
  amount = new Float64Array(16);

  /** The reference is the inputs of a settlement's split (else it is `{"orderId":S}`). */
  settlementReference = false;
  orderIdStart = 0;
  orderIdEnd = 0;
  // a settlement's reference
  feeFen = 0;
  policyVersion = 0;
  lines = 0;
  lineGrossFen = new Float64Array(8);
  lineQuantity = new Float64Array(8);
  lineIdStart = new Int32Array(8);
  lineIdEnd = new Int32Array(8);
  /** Line i's supplies are supplies [lineSupplies[i], lineSupplies[i + 1]). */
  lineSupplies = new Int32Array(9);
  supplies = 0;
  householdIdStart = new Int32Array(16);
  householdIdEnd = new Int32Array(16);
  supplyQuantity = new Float64Array(16);
  /**
   * A settlement's `reference.statuses` (`{"<householdId>":"<status>",…}`, keys ascending), 0 when it has none: each
   * household (bytes) and its status code (registry.ts order).
   */
  statuses = 0;
  statusHouseholdStart = new Int32Array(8);
  statusHouseholdEnd = new Int32Array(8);
  statusCode = new Int32Array(8);

  /** The integer `int` read last. */
  private number = 0;
  /** The array scanned last, and a DataView of it. */
  private array: Uint8Array | null = null;
  view: DataView = viewOf(new Uint8Array(0));

  /** True when bytes[start, end) is a transaction line in exactly the layout above. */
  scan(b: Uint8Array, start: number, end: number): boolean {
    if (b !== this.array) {
      this.array = b;
      this.view = viewOf(b);
    }
    const v = this.view;
    let p = literal(v, start, end, PREFIX);
    if (p < 0) return false;
    this.contentStart = start + CONTENT_OFFSET;
    this.cooperativeIdStart = p;
    p = text(v, b, p, end);
    if (p < 0) return false;
    this.cooperativeIdEnd = p;

    p = literal(v, p, end, K_IDEMPOTENCY_KEY);
    if (p < 0) return false;
    this.idempotencyKeyStart = p;
    p = text(v, b, p, end);
    if (p < 0) return false;
    this.idempotencyKeyEnd = p;

    p = literal(v, p, end, K_KIND);
    if (p < 0) return false;
    const kindStart = p;
    p = text(v, b, p, end);
    if (p < 0) return false;
    this.kindIsSettlement = p - kindStart === SETTLEMENT.length && startsWith(b, kindStart, SETTLEMENT);
    this.kindIsPayment = p - kindStart === PAYMENT.length && startsWith(b, kindStart, PAYMENT);

    p = literal(v, p, end, K_OCCURRED_AT);
    if (p < 0) return false;
    p = text(v, b, p, end);
    if (p < 0) return false;

    p = literal(v, p, end, K_POSTINGS);
    if (p < 0) return false;
    let n = 0;
    let allCny = true;
    for (;;) {
      p = literal(v, p, end, K_ACCOUNT);
      if (p < 0) return false;
      if (n === this.amount.length) this.growPostings();
      this.accountStart[n] = p;
      p = text(v, b, p, end);
      if (p < 0) return false;
      this.accountEnd[n] = p;
      p = literal(v, p, end, K_AMOUNT);
      if (p < 0) return false;
      p = this.int(b, p, end);
      if (p < 0) return false;
      this.amount[n] = this.number;
      p = literal(v, p, end, K_CURRENCY);
      if (p < 0) return false;
      const currencyStart = p;
      p = text(v, b, p, end);
      if (p < 0) return false;
      if (p - currencyStart !== 3 || !startsWith(b, currencyStart, CNY)) allCny = false;
      n++;
      // `"}` then `,` (another posting) or `]`
      if (p + 3 > end || b[p + 1] !== CLOSE_BRACE) return false;
      const c = b[p + 2];
      p += 3;
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA) return false;
    }
    this.postings = n;
    this.allCny = allCny;

    p = literal(v, p, end, K_PREV_HASH);
    if (p < 0) return false;
    this.prevHashStart = p;
    p = text(v, b, p, end);
    if (p < 0) return false;
    this.prevHashEnd = p;

    p = literal(v, p, end, K_REFERENCE);
    if (p < 0) return false;
    const orderIdOnly = literal(v, p, end, K_ORDER_ID_ONLY);
    this.statuses = 0;
    if (orderIdOnly >= 0) {
      this.settlementReference = false;
      this.orderIdStart = orderIdOnly;
      p = text(v, b, orderIdOnly, end);
      if (p < 0) return false;
      this.orderIdEnd = p;
      // `"}`
      if (p + 2 > end || b[p + 1] !== CLOSE_BRACE) return false;
      p += 2;
    } else {
      p = this.settlementInputs(b, p, end);
      if (p < 0) return false;
    }

    p = literal(v, p, end, K_SEQ);
    if (p < 0) return false;
    p = this.int(b, p, end);
    if (p < 0) return false;
    this.seq = this.number;
    this.contentEnd = p;

    p = literal(v, p, end, K_HASH);
    if (p < 0) return false;
    this.hashStart = p;
    // 64 characters (compared with the computed hash by the verifier), `"}`, and the end of the line
    return p + 66 === end && b[p + 64] === QUOTE && b[p + 65] === CLOSE_BRACE;
  }

  /** `feeFen":I,"lines":[…],"orderId":S,"policyVersion":I}` (after `"reference":{"`); the position after it. */
  private settlementInputs(b: Uint8Array, at: number, end: number): number {
    const v = this.view;
    let p = literal(v, at, end, K_FEE_FEN);
    if (p < 0) return -1;
    p = this.int(b, p, end);
    if (p < 0) return -1;
    this.feeFen = this.number;
    p = literal(v, p, end, K_LINES);
    if (p < 0) return -1;
    let lines = 0;
    let supplies = 0;
    for (;;) {
      if (lines + 1 >= this.lineSupplies.length) this.growLines();
      p = literal(v, p, end, K_GROSS_FEN);
      if (p < 0) return -1;
      p = this.int(b, p, end);
      if (p < 0) return -1;
      this.lineGrossFen[lines] = this.number;
      p = literal(v, p, end, K_LINE_ID);
      if (p < 0) return -1;
      this.lineIdStart[lines] = p;
      p = text(v, b, p, end);
      if (p < 0) return -1;
      this.lineIdEnd[lines] = p;
      p = literal(v, p, end, K_LINE_QUANTITY);
      if (p < 0) return -1;
      p = this.int(b, p, end);
      if (p < 0) return -1;
      this.lineQuantity[lines] = this.number;
      p = literal(v, p, end, K_SUPPLIES);
      if (p < 0) return -1;
      this.lineSupplies[lines] = supplies;
      for (;;) {
        p = literal(v, p, end, K_HOUSEHOLD_ID);
        if (p < 0) return -1;
        if (supplies === this.supplyQuantity.length) this.growSupplies();
        this.householdIdStart[supplies] = p;
        p = text(v, b, p, end);
        if (p < 0) return -1;
        this.householdIdEnd[supplies] = p;
        p = literal(v, p, end, K_SUPPLY_QUANTITY);
        if (p < 0) return -1;
        p = this.int(b, p, end);
        if (p < 0) return -1;
        this.supplyQuantity[supplies] = this.number;
        supplies++;
        // `}` then `,` (another supply) or `]`
        if (p + 2 > end || b[p] !== CLOSE_BRACE) return -1;
        const c = b[p + 1];
        p += 2;
        if (c === CLOSE_BRACKET) break;
        if (c !== COMMA) return -1;
      }
      lines++;
      // the line's `}` then `,` (another line) or `]`
      if (p + 2 > end || b[p] !== CLOSE_BRACE) return -1;
      const c = b[p + 1];
      p += 2;
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA) return -1;
    }
    this.lines = lines;
    this.lineSupplies[lines] = supplies;
    this.supplies = supplies;
    p = literal(v, p, end, K_ORDER_ID);
    if (p < 0) return -1;
    this.orderIdStart = p;
    p = text(v, b, p, end);
    if (p < 0) return -1;
    this.orderIdEnd = p;
    p = literal(v, p, end, K_POLICY_VERSION);
    if (p < 0) return -1;
    p = this.int(b, p, end);
    if (p < 0) return -1;
    this.policyVersion = this.number;
    if (p < end && b[p] === COMMA) {
      p = this.statusesOf(b, p, end);
      if (p < 0) return -1;
    }
    if (p >= end || b[p] !== CLOSE_BRACE) return -1;
    this.settlementReference = true;
    return p + 1;
  }

  /**
   * A safe integer as `String(n)` writes it (`0`, or `-?[1-9][0-9]*` up to 9007199254740991): its value in
   * `this.number` and the position after it, or -1. (Up to 16 digits the running value is exact as long as the
   * number is safe, and above it the rounded value is at least 2^53, so the test against MAX_SAFE_INTEGER is exact.)
   */
  private int(b: Uint8Array, at: number, end: number): number {
    let p = at;
    const negative = p < end && b[p] === 45;
    if (negative) p++;
    if (p >= end) return -1;
    let c = b[p];
    if (c === 48) {
      if (negative) return -1; // -0: String(-0) is "0"
      this.number = 0;
      return p + 1;
    }
    if (c < 49 || c > 57) return -1;
    let value = c - 48;
    const first = p;
    p++;
    while (p < end) {
      c = b[p];
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      p++;
    }
    if (p - first > 16 || value > Number.MAX_SAFE_INTEGER) return -1;
    this.number = negative ? -value : value;
    return p;
  }

  private growPostings() {
    const n = this.amount.length * 2;
    this.accountStart = grow(this.accountStart, new Int32Array(n));
    this.accountEnd = grow(this.accountEnd, new Int32Array(n));
    this.amount = grow(this.amount, new Float64Array(n));
  }

  private growLines() {
    const n = this.lineGrossFen.length * 2;
    this.lineGrossFen = grow(this.lineGrossFen, new Float64Array(n));
    this.lineQuantity = grow(this.lineQuantity, new Float64Array(n));
    this.lineIdStart = grow(this.lineIdStart, new Int32Array(n));
    this.lineIdEnd = grow(this.lineIdEnd, new Int32Array(n));
    this.lineSupplies = grow(this.lineSupplies, new Int32Array(n + 1));
  }

  /**
   * `,"statuses":{"H":"S",…}` (at its comma): every key printable ASCII in strictly ascending order (so the bytes are
   * canonical JSON: keys sorted, none twice), every value one of the four statuses; the position after its `}`.
   */
  private statusesOf(b: Uint8Array, at: number, end: number): number {
    const v = this.view;
    let p = literal(v, at, end, K_STATUSES);
    if (p < 0) return -1;
    let k = 0;
    for (;;) {
      if (k === this.statusCode.length) {
        const n = 2 * k;
        this.statusHouseholdStart = grow(this.statusHouseholdStart, new Int32Array(n));
        this.statusHouseholdEnd = grow(this.statusHouseholdEnd, new Int32Array(n));
        this.statusCode = grow(this.statusCode, new Int32Array(n));
      }
      const keyStart = p;
      p = text(v, b, p, end);
      if (p < 0) return -1;
      if (k > 0 && !ascending(b, this.statusHouseholdStart[k - 1], this.statusHouseholdEnd[k - 1], keyStart, p))
        return -1;
      this.statusHouseholdStart[k] = keyStart;
      this.statusHouseholdEnd[k] = p;
      // `":"`
      if (p + 3 > end || b[p + 1] !== 58 || b[p + 2] !== QUOTE) return -1;
      const valueStart = p + 3;
      p = text(v, b, valueStart, end);
      if (p < 0) return -1;
      let code = -1;
      for (let c = 0; c < STATUSES.length && code < 0; c++)
        if (p - valueStart === STATUSES[c].length && startsWith(b, valueStart, STATUSES[c])) code = c;
      if (code < 0) return -1;
      this.statusCode[k++] = code;
      // `"` then `}` (the end) or `,"` (another)
      if (p + 2 > end) return -1;
      const c = b[p + 1];
      if (c === CLOSE_BRACE) {
        this.statuses = k;
        return p + 2;
      }
      if (c !== COMMA || p + 3 > end || b[p + 2] !== QUOTE) return -1;
      p += 3;
    }
  }

  private growSupplies() {
    const n = this.supplyQuantity.length * 2;
    this.householdIdStart = grow(this.householdIdStart, new Int32Array(n));
    this.householdIdEnd = grow(this.householdIdEnd, new Int32Array(n));
    this.supplyQuantity = grow(this.supplyQuantity, new Float64Array(n));
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The position after `lit` when the bytes at `at` are `lit` (within `end`), else -1. */
function literal(v: DataView, at: number, end: number, lit: Literal): number {
  const n = lit.length;
  if (at < 0 || at + n > end) return -1;
  const words = lit.words;
  const w = words.length;
  if (w) {
    // the last word (it ends with the literal) first, then the others from the start
    if (v.getFloat64(at + n - 8, true) !== words[w - 1]) return -1;
    for (let i = 0, o = at; i < w - 1; i++, o += 8) if (v.getFloat64(o, true) !== words[i]) return -1;
  } else if (v.getInt32(at, true) !== lit.head32 || v.getInt32(at + n - 4, true) !== lit.tail32) return -1;
  return at + n;
}

/** bytes[a, aEnd) < bytes[b, bEnd) (byte order: for ASCII, the order of UTF-16 code units). */
function ascending(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  for (; a < aEnd && b < bEnd; a++, b++) if (bytes[a] !== bytes[b]) return bytes[a] < bytes[b];
  return aEnd - a < bEnd - b;
}

/** bytes[at…] begin with `lit` (the caller checked the length). */
function startsWith(b: Uint8Array, at: number, lit: Uint8Array): boolean {
  for (let i = 0; i < lit.length; i++) if (b[at + i] !== lit[i]) return false;
  return true;
}

/**
 * The contents of a JSON string whose opening quote is before `at`: the position of its closing quote, or -1 when
 * it holds anything but printable ASCII without a backslash (0x20–0x7F except the backslash), or does not end in
 * the line. Four bytes at a time, with the classic word tests "has a byte equal to" (`(x - 0x01…) & ~x & 0x80…`
 * over x = w ^ c) and "has a byte less than" (`(w - 0x20…) & ~w & 0x80…`): neither has false negatives, and their
 * lowest flagged byte is always a true one (a false flag only ever sits above a true one, where a borrow came
 * from), so the first quote and the first byte not allowed are found exactly.
 */
function text(v: DataView, b: Uint8Array, at: number, end: number): number {
  let p = at;
  for (; p + 4 <= end; p += 4) {
    const w = v.getInt32(p, true);
    const x = w ^ 0x22222222;
    const quote = (x - 0x01010101) & ~x & 0x80808080;
    const y = w ^ 0x5c5c5c5c;
    const bad = (((y - 0x01010101) & ~y) | ((w - 0x20202020) & ~w) | w) & 0x80808080;
    if ((quote | bad) === 0) continue;
    if (quote === 0) return -1;
    const firstQuote = quote & -quote;
    // a bad byte before the quote: (bad & -bad) is the lowest one; compare as unsigned bit positions
    if (bad !== 0 && Math.clz32(bad & -bad) >= Math.clz32(firstQuote)) return -1;
    return p + ((31 - Math.clz32(firstQuote)) >> 3);
  }
  for (; p < end; p++) {
    const c = b[p];
    if (c === QUOTE) return p;
    if (c < 0x20 || c === 0x5c || c > 0x7f) return -1;
  }
  return -1;
}
