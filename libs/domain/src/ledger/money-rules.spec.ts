import { headSigningPayload, parseHeadArgument } from './head';
import { accountCode, transactionHash, transactionLine } from './ledger';
import { duplicateJsonKey, reversalDebits } from './money-rules';
import { LedgerBuilder, sampleSeason } from './testing/ledger-builder';
import { LedgerVerifier, TransactionRun, verifyExport, type VerifyResult } from './verify';

const H1 = 'a1111111-0000-4000-8000-000000000001';
const H2 = 'a2222222-0000-4000-8000-000000000002';
const encoder = new TextEncoder();

/** The verdict line by line, as bytes (the fast path) and in runs merged (the CLI's workers): all must agree. */
function verifyEverywhere(lines: string[], heads: { seq: number; hash: string; last?: boolean }[] = []): VerifyResult {
  const expected = verifyExport(
    lines,
    undefined,
    heads.map((h) => ({ head: { seq: h.seq, hash: h.hash }, last: h.last })),
  );
  const bytes = encoder.encode(lines.join('\n') + '\n');
  const ranges: [number, number][] = [];
  for (let i = 0, at = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      ranges.push([at, i]);
      at = i + 1;
    }
  }
  const fresh = () => {
    const v = new LedgerVerifier();
    for (const h of heads) v.expectHead({ seq: h.seq, hash: h.hash }, h.last);
    return v;
  };
  const viaBytes = fresh();
  ranges.forEach(([s, e], i) => viaBytes.pushBytes(bytes, s, e, i + 1));
  expect(viaBytes.finish()).toEqual(expected);
  for (const size of [1, 2, 4, 100]) {
    const v = fresh();
    v.pushBytes(bytes, ranges[0][0], ranges[0][1], 1);
    v.pushBytes(bytes, ranges[1][0], ranges[1][1], 2);
    let i = 2;
    while (i < ranges.length) {
      const run = new TransactionRun(v.runContext());
      let j = i;
      let stopped = false;
      for (; j < Math.min(ranges.length, i + size); j++) {
        const r = run.pushBytes(bytes, ranges[j][0], ranges[j][1], j - i + 1);
        if (r === 'broken') break;
        if (r === 'stop') {
          stopped = true;
          break;
        }
      }
      if (!v.canMerge(run.result())) {
        for (const end = Math.min(ranges.length, i + size); i < end; i++)
          v.pushBytes(bytes, ranges[i][0], ranges[i][1], i + 1);
        continue;
      }
      v.merge(run.result(), i);
      if (stopped) {
        v.pushBytes(bytes, ranges[j][0], ranges[j][1], j + 1);
        j++;
      }
      i = j === i ? i + 1 : j;
    }
    expect({ size, r: v.finish() }).toEqual({ size, r: expected });
  }
  return expected;
}

const messages = (r: VerifyResult) => r.breaks.map((b) => `${b.line}#${b.seq ?? '-'} ${b.message}`);

describe('the money rules (docs/ledger.md) checked by the verifier', () => {
  it('a season made as the API makes it passes on every path, with every kind of transaction', () => {
    const r = verifyEverywhere(sampleSeason().lines());
    expect(r.breaks).toEqual([]);
    expect(r).toMatchObject({ ok: true, transactions: 12 });
  });

  it('a rehashed reversal that moves 1 fen between households is named, with its line, seq and key', () => {
    const ok = sampleSeason().lines();
    // o-3's settlement credited H3 among households, not H1: its second reversal takes its 1 fen from H1 instead
    const forged = sampleSeason(undefined, {
      lastReversal: (postings) => {
        postings[0] = {
          ...postings[0],
          account: accountCode.householdPayable('c0ffee00-0000-4000-8000-000000000001', H1),
        };
      },
    });
    const r = verifyEverywhere(forged.lines());
    expect(verifyExport(ok).ok).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.breaks).toEqual([
      expect.objectContaining({
        line: 11,
        seq: 9,
        idempotencyKey: 'reversal:r-3',
        rule: 'money',
        message: expect.stringMatching(/reversal does not follow the rule/),
      }),
    ]);
  });

  it('a payout above what the household was owed, and one redirected to another household, are both listed', () => {
    const b = sampleSeason();
    b.payout('p-3', H2, 999_999); // H2 is owed ¥52.41
    b.payout('p-4', H1, 100, H2); // for H1, paid from H2's account
    const r = verifyEverywhere(b.lines());
    expect(messages(r)).toEqual([
      expect.stringMatching(/^15#13 payout above what was owed: it pays ¥9999\.99 to household a2222222.*owed ¥52\.41/),
      expect.stringMatching(/^16#14 payout redirected: it is for household a1111111.* debits household a2222222/),
    ]);
    expect(r.breaks.map((x) => x.idempotencyKey)).toEqual(['payout:p-3', 'payout:p-4']);
  });

  it('a settlement with no payment, a second settlement and refunds above what was paid are refused', () => {
    const b = new LedgerBuilder('c0');
    b.settlement('ghost', 10, [{ grossFen: 1000, quantity: 1, supplies: { [H1]: 1 } }]);
    b.payment('o-1', 1000);
    b.settlement('o-1', 10, [{ grossFen: 1000, quantity: 1, supplies: { [H1]: 1 } }]);
    b.reversal('o-1', 'r-1', 600);
    b.reversal('o-1', 'r-2', 600); // 1200 > 1000 paid
    b.payment('o-2', 500);
    b.refund('o-2', 'r-3', 501);
    b.payment('o-4', 800);
    b.settlement('o-4', 0, [{ grossFen: 900, quantity: 1, supplies: { [H2]: 1 } }]); // shares out more than paid
    const r = verifyEverywhere(b.lines());
    expect(r.breaks.map((x) => [x.line, x.seq, x.idempotencyKey, x.message.split(':')[0]])).toEqual([
      [3, 1, 'settle:order:ghost', 'settlement without payment'],
      [7, 5, 'reversal:r-2', 'refunds above what was paid'],
      [9, 7, 'refund:r-3', 'refunds above what was paid'],
      [
        11,
        9,
        'settle:order:o-4',
        expect.stringMatching(/settlement of order o-4 shares out ¥9\.00, but ¥8\.00 was paid/),
      ],
    ]);
  });

  it('the reversal rule: repeated partial refunds never take back more than an account received', () => {
    const credited = [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
      { key: 'c', weight: 1 },
    ];
    const taken = new Map<string, number>();
    for (let before = 0; before < 3; before++)
      for (const [k, v] of reversalDebits(credited, before, 1)) taken.set(k, (taken.get(k) ?? 0) + v);
    expect(Object.fromEntries(taken)).toEqual({ a: 1, b: 1, c: 1 }); // independent splits would take 3 from "a"
    // worked example of docs/ledger.md: 9999 fen settled, 3333 then 1 refunded
    expect(
      Object.fromEntries(
        reversalDebits(
          [
            { key: 'x', weight: 6666 },
            { key: 'y', weight: 3333 },
          ],
          0,
          3333,
        ),
      ),
    ).toEqual({ x: 2222, y: 1111 });
    expect(
      Object.fromEntries(
        reversalDebits(
          [
            { key: 'x', weight: 6666 },
            { key: 'y', weight: 3333 },
          ],
          3333,
          1,
        ),
      ),
    ).toEqual({ x: 1 });
  });

  it('a duplicate JSON key and an unhashed extra member are refused; so is an idempotency key used twice', () => {
    const b = sampleSeason();
    const lines = b.lines();
    const dup = [...lines];
    // the same key twice: JSON.parse keeps the last, another reader the first
    dup[2] = dup[2].replace('"kind":"payment",', '"kind":"payment","kind":"payment",');
    const extra = [...lines];
    extra[3] = extra[3].replace(/}$/, ',"note":"paid to the wrong person"}');
    const r1 = verifyEverywhere(dup);
    expect(r1.breaks).toEqual([
      expect.objectContaining({ line: 3, seq: 1, message: expect.stringMatching(/"kind" appears twice/) }),
    ]);
    const r2 = verifyEverywhere(extra);
    expect(r2.breaks).toEqual([
      expect.objectContaining({ line: 4, seq: 2, message: expect.stringMatching(/"note"\), so not hashed/) }),
    ]);
    expect(duplicateJsonKey('{"a":1,"b":{"a":2},"c":[{"a":1,"b":2}]}')).toBeNull();
    expect(duplicateJsonKey('{"a":1,"\\u0061":2}')).toBe('a');
    expect(duplicateJsonKey('{"x":"{\\"a\\":1,\\"a\\":2}"}')).toBeNull();

    const twice = sampleSeason();
    twice.payout('p-1', H1, 1); // the key payout:p-1 again
    const r3 = verifyEverywhere(twice.lines());
    expect(r3.breaks).toEqual([
      expect.objectContaining({
        seq: 13,
        idempotencyKey: 'payout:p-1',
        message: expect.stringMatching(/duplicate idempotency key/),
      }),
    ]);
  });

  it('every break is listed, not only the first, and the chain goes on after a changed entry', () => {
    const b = sampleSeason();
    const lines = b.lines();
    const t3 = JSON.parse(lines[3]);
    t3.postings[0].amount += 1;
    t3.postings[1].amount -= 1;
    lines[3] = transactionLine(t3, t3.hash); // changed, not rehashed
    const t8 = JSON.parse(lines[8]);
    t8.occurredAt = '2026-09-01T00:00:00.001Z';
    lines[8] = transactionLine(t8, t8.hash);
    const r = verifyEverywhere(lines);
    expect(r.breaks.map((x) => [x.line, x.seq])).toEqual([
      [4, 2],
      [7, 5], // o-2's settlement no longer shares out what its (changed) payment says was paid
      [9, 7],
      [15, undefined], // the stated balances no longer match the changed amounts
      [15, undefined],
    ]);
  });
});

describe('anchoring: an export against published heads', () => {
  const b = sampleSeason();
  const lines = b.lines();
  const head = (seq: number) => ({ seq, hash: b.txs[seq - 1].hash });

  it('matches the current head and older ones', () => {
    expect(verifyEverywhere(lines, [head(3), { ...head(12), last: true }])).toMatchObject({ ok: true });
    expect(parseHeadArgument(`12:${b.txs[11].hash}`)).toEqual(head(12));
    expect(() => parseHeadArgument('12:ABC')).toThrow(/SEQ:HASH/);
  });

  it('a dropped tail (footer and balances recomputed) is caught by the head', () => {
    const shorter = b.lines(b.txs.slice(0, 10));
    expect(verifyEverywhere(shorter).ok).toBe(true); // alone, it is a valid export
    const r = verifyEverywhere(shorter, [{ ...head(12), last: true }]);
    expect(r.breaks).toEqual([
      expect.objectContaining({
        rule: 'head',
        message: expect.stringMatching(/head is transaction #12, but this chain ends at #10.*dropped tail/),
      }),
    ]);
  });

  it('a forged append (hash, footer and balances recomputed) is caught by the head', () => {
    const forged = sampleSeason();
    forged.payout('p-9', H2, 5000);
    const r = verifyEverywhere(forged.lines(), [{ ...head(12), last: true }]);
    expect(verifyExport(forged.lines()).ok).toBe(true);
    expect(r.breaks).toEqual([
      expect.objectContaining({
        rule: 'head',
        message: expect.stringMatching(/1 transaction\(s\) after the published head #12/),
      }),
    ]);
  });

  it('a rewritten tail (every hash after it recomputed) is caught at the head', () => {
    const rewritten = sampleSeason();
    rewritten.txs[10] = {
      ...rewritten.txs[10],
      postings: rewritten.txs[10].postings.map((p) => ({ ...p, amount: p.amount > 0 ? 1000 : -1000 })),
    };
    rewritten.rehashFrom(11);
    expect(verifyExport(rewritten.lines()).ok).toBe(true);
    const r = verifyEverywhere(rewritten.lines(), [head(11), { ...head(12), last: true }]);
    expect(r.breaks.map((x) => [x.line, x.seq, x.rule])).toEqual([
      [13, 11, 'head'],
      [14, 12, 'head'],
    ]);
  });

  it('the signed payload is canonical JSON of the head', () => {
    expect(
      headSigningPayload({ cooperativeId: 'c', seq: 2, hash: 'ab', at: '2026-12-07T00:00:00.000Z', keyId: 'k' }),
    ).toBe(
      '{"at":"2026-12-07T00:00:00.000Z","cooperativeId":"c","format":"xiangbo-ledger-head/1","hash":"ab","keyId":"k","seq":2}',
    );
    expect(transactionHash(b.txs[0])).toBe(b.txs[0].hash);
  });
});
