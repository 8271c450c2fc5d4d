import fc from 'fast-check';
import { accountCode } from './ledger';
import { type DividendMemberInput, LEDGER_REGISTRY_STATUSES, RegistryBook } from './registry';
import { distributeDividend } from './sharing-policy';
import { LedgerBuilder, sampleSeason, TEST_POLICY } from './testing/ledger-builder';
import { registrySeason } from './testing/vectors';
import { createHash } from 'node:crypto';
import { FastTransactions } from './fast-transactions';
import { defaultByteTools, LedgerVerifier, TransactionRun, verifyExport, type VerifyResult } from './verify';

const COOP = 'c0ffee00-0000-4000-8000-000000000001';
const H1 = 'a1111111-0000-4000-8000-000000000001';
const H2 = 'a2222222-0000-4000-8000-000000000002';
const H3 = 'a3333333-0000-4000-8000-000000000003';
const encoder = new TextEncoder();

/** The verdict line by line, from bytes (the fast path) and in merged runs (the CLI's workers): all must agree. */
function verifyEverywhere(lines: string[]): VerifyResult {
  const expected = verifyExport(lines);
  const bytes = encoder.encode(lines.join('\n') + '\n');
  const ranges: [number, number][] = [];
  for (let i = 0, at = 0; i < bytes.length; i++)
    if (bytes[i] === 10) {
      ranges.push([at, i]);
      at = i + 1;
    }
  const viaBytes = new LedgerVerifier();
  ranges.forEach(([s, e], i) => viaBytes.pushBytes(bytes, s, e, i + 1));
  expect(viaBytes.finish()).toEqual(expected);
  // header and policy pushed, every transaction in one run, then the rest
  const v = new LedgerVerifier();
  v.pushBytes(bytes, ranges[0][0], ranges[0][1], 1);
  v.pushBytes(bytes, ranges[1][0], ranges[1][1], 2);
  const run = new TransactionRun(v.runContext());
  let j = 2;
  for (; j < ranges.length; j++) if (run.pushBytes(bytes, ranges[j][0], ranges[j][1], j - 1) !== 'ok') break;
  if (v.canMerge(run.result())) v.merge(run.result(), 2);
  else j = 2;
  for (; j < ranges.length; j++) v.pushBytes(bytes, ranges[j][0], ranges[j][1], j + 1);
  expect(v.finish()).toEqual(expected);
  return expected;
}

const row = (r: VerifyResult, status: string) => r.registry.rows.find((x) => x.status === status);

describe('dividend inputs and registry status in the export (docs/ledger.md)', () => {
  it('good-registry: the dividend split follows share units × status weight, and the summary adds up by status', () => {
    const r = verifyEverywhere(registrySeason().lines());
    expect(r.breaks).toEqual([]);
    // H1 registered: purchase 2465 + dividend 439, paid 2000 (first in, first out)
    expect(row(r, 'registered')).toEqual({
      status: 'registered',
      creditedFen: 2904,
      reversedFen: 0,
      paidOutFen: 2000,
      owedFen: 904,
    });
    // H3 monitored: purchase 6266 + dividend 176; the reversal of 1000 takes 627 of its purchase; paid 3000
    expect(row(r, 'monitored')).toEqual({
      status: 'monitored',
      creditedFen: 6442,
      reversedFen: 627,
      paidOutFen: 3000,
      owedFen: 2815,
    });
    expect(row(r, 'none')?.creditedFen).toBe(1232 + 585);
    expect(row(r, 'unrecorded')?.creditedFen).toBe(0);
    expect(r.registry.confirmationsInExport).toBe(false);
  });

  it('an export written before the inputs were kept verifies as before; its credits count as not recorded', () => {
    const b = sampleSeason(COOP);
    const r = verifyEverywhere(b.lines());
    expect(r.ok).toBe(true);
    const owed = [H1, H2, H3].reduce((x, h) => x - b.balance(accountCode.householdPayable(COOP, h)), 0);
    expect(row(r, 'unrecorded')?.owedFen).toBe(owed);
    for (const s of LEDGER_REGISTRY_STATUSES) expect(row(r, s)?.creditedFen).toBe(0);
  });

  it('a dividend split that does not follow its inputs is a break (the committed vector)', () => {
    const r = verifyEverywhere(
      registrySeason((split) => {
        split[H1] += 10;
        split[H2] -= 10;
      }).lines(),
    );
    expect(r.breaks.map((b) => [b.seq, b.message])).toEqual([
      [
        5,
        `dividend split does not follow its inputs: household ${H1} receives 449 fen, share units × weight of policy v1 give 439`,
      ],
    ]);
  });

  it('a dividend paying a household that is not a member with weight is a break', () => {
    const r = verifyExport(
      registrySeason((split) => {
        split['a9999999-0000-4000-8000-000000000009'] = 1;
        split[H2] -= 1;
      }).lines(),
    );
    expect(r.breaks.map((b) => b.message)).toContain(
      `dividend split does not follow its inputs: household ${H2} receives 584 fen, share units × weight of policy v1 give 585`,
    );
  });

  const dividendWith = (members: unknown, policyVersion = 1) => {
    const b = new LedgerBuilder(COOP);
    b.payment('o-1', 5900);
    b.settlement('o-1', 35, [{ grossFen: 5900, quantity: 1, supplies: { [H1]: 1 } }], { [H1]: 'none' });
    b.append('dividend', `dividend:${COOP}:2026-09`, { period: '2026-09', policyVersion, amountFen: 100, members }, [
      { account: accountCode.dividendPool(COOP), amount: 100 },
      { account: accountCode.householdPayable(COOP, H1), amount: -100 },
    ]);
    return verifyEverywhere(b.lines()).breaks.map((x) => x.message);
  };

  it('dividend inputs of the wrong shape are breaks, each named', () => {
    expect(dividendWith([{ householdId: H1, shareUnits: 1, status: 'none' }])).toEqual([]);
    expect(dividendWith({})).toEqual(['its reference.members must be a list of {householdId, shareUnits, status}']);
    expect(dividendWith([{ householdId: H1, shareUnits: -1, status: 'none' }])).toEqual([
      `member ${H1}'s shareUnits must be a whole number, 0 or more`,
    ]);
    expect(dividendWith([{ householdId: H1, shareUnits: 1, status: 'poor' }])).toEqual([
      `member ${H1}'s status must be one of registered, monitored, lifted, none`,
    ]);
    expect(
      dividendWith([
        { householdId: H1, shareUnits: 1, status: 'none' },
        { householdId: H1, shareUnits: 1, status: 'none' },
      ]),
    ).toEqual([`household ${H1} is twice in reference.members`]);
    expect(dividendWith([{ householdId: H1, shareUnits: 1, status: 'none', note: 1 }])).toEqual([
      `member ${H1} of reference.members has a member other than householdId, shareUnits, status`,
    ]);
    expect(dividendWith([{ householdId: H1, shareUnits: 0, status: 'none' }])).toEqual([
      'no member of reference.members has share units with a non-zero weight in policy v1: nothing could be split',
    ]);
    expect(dividendWith([{ householdId: H1, shareUnits: 1, status: 'none' }], 7)).toEqual([
      'dividend names policy version 7, which is not in the export',
    ]);
  });

  const settlementWith = (statuses: unknown) => {
    const b = new LedgerBuilder(COOP);
    b.payment('o-1', 5900);
    b.settlement(
      'o-1',
      35,
      [{ grossFen: 5900, quantity: 1, supplies: { [H1]: 2, [H2]: 1 } }],
      statuses as Record<string, 'none'>,
    );
    return verifyEverywhere(b.lines()).breaks.map((x) => x.message);
  };

  it("a settlement's statuses must name every household it credits, each with a registry status", () => {
    expect(settlementWith({ [H1]: 'registered', [H2]: 'lifted' })).toEqual([]);
    expect(settlementWith({ [H1]: 'registered' })).toEqual([
      `it credits household ${H2}, whose registry status reference.statuses does not give`,
    ]);
    expect(settlementWith({ [H1]: 'registered', [H2]: '贫困' })).toEqual([
      `reference.statuses gives household ${H2} the status "贫困", not one of registered, monitored, lifted, none`,
    ]);
    expect(settlementWith([H1, H2])).toEqual([
      'its reference.statuses must be an object: household id → registry status',
    ]);
  });

  it('property: any dividend split from random inputs verifies, and moving any fen between members breaks it', () => {
    const member = fc.record({
      shareUnits: fc.integer({ min: 0, max: 500 }),
      status: fc.constantFrom(...LEDGER_REGISTRY_STATUSES),
    });
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.nat(),
        (ms, amount, pick) => {
          const members: DividendMemberInput[] = ms.map((m, i) => ({
            householdId: `h${String(i).padStart(2, '0')}`,
            ...m,
          }));
          fc.pre(distributeDividend(amount, members, TEST_POLICY.dividendWeights).some((s) => s.amount > 0));
          const build = (cheat?: (split: Record<string, number>) => void) => {
            const b = new LedgerBuilder(COOP);
            b.payment('o-1', 5_000_000);
            b.settlement('o-1', 0, [{ grossFen: 5_000_000, quantity: 1, supplies: {} }]);
            b.dividendOf('2026-09', Math.min(amount, 320_000), members, cheat);
            return verifyExport(b.lines());
          };
          const good = build();
          expect(good.breaks).toEqual([]);
          const credited = good.registry.rows.reduce((x, r) => x + r.creditedFen, 0);
          expect(credited).toBe(Math.min(amount, 320_000));
          let moved = false;
          const bad = build((split) => {
            const keys = Object.keys(split);
            const from = keys[pick % keys.length];
            const to = members[(pick >> 3) % members.length].householdId;
            if (to === from || split[from] < 2) return;
            split[from] -= 1;
            split[to] = (split[to] ?? 0) + 1;
            moved = true;
          });
          expect(bad.ok).toBe(!moved);
          if (moved)
            expect(bad.breaks.map((x) => x.message.slice(0, 41))).toEqual([
              'dividend split does not follow its inputs',
            ]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: first in, first out — paid out by status never exceeds what reached it, and the totals add up', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              credit: fc.integer({ min: 1, max: 10_000 }),
              status: fc.integer({ min: -1, max: 3 }),
              h: fc.integer({ min: 0, max: 2 }),
            }),
            fc.record({ debit: fc.integer({ min: 1, max: 10_000 }), h: fc.integer({ min: 0, max: 2 }) }),
          ),
          { maxLength: 60 },
        ),
        (ops) => {
          const book = new RegistryBook();
          const balance = [0, 0, 0];
          let credited = 0;
          let debited = 0;
          let beyond = 0;
          for (const op of ops) {
            if ('credit' in op) {
              book.credit(`h${op.h}`, op.status, op.credit);
              balance[op.h] += op.credit;
              credited += op.credit;
            } else {
              book.debit(`h${op.h}`, op.debit, 'payout');
              beyond += Math.max(0, op.debit - Math.max(0, balance[op.h]));
              balance[op.h] -= op.debit;
              debited += op.debit;
            }
          }
          const rows = book.summary().rows;
          expect(rows.reduce((x, r) => x + r.creditedFen, 0)).toBe(credited);
          expect(rows.reduce((x, r) => x + r.paidOutFen, 0)).toBe(debited);
          for (const r of rows.slice(0, 4)) expect(r.paidOutFen).toBeLessThanOrEqual(r.creditedFen);
          // the unrecorded row takes every debit beyond what was credited
          const unrecorded = rows[4];
          expect(unrecorded.paidOutFen).toBeLessThanOrEqual(unrecorded.creditedFen + beyond);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('first in, first out across a status change: the oldest fen is paid first', () => {
    const book = new RegistryBook();
    book.credit('h', 0, 500); // registered
    book.credit('h', 2, 300); // lifted later
    book.debit('h', 600, 'payout');
    book.debit('h', 100, 'reversal');
    const rows = book.summary().rows;
    expect(rows[0]).toMatchObject({ creditedFen: 500, paidOutFen: 500, owedFen: 0 });
    expect(rows[2]).toMatchObject({ creditedFen: 300, paidOutFen: 100, reversedFen: 100, owedFen: 100 });
  });

  describe("the fast path reads a settlement's statuses (same verdict as the reference path, byte by byte)", () => {
    const lines = registrySeason().lines();
    const at = lines.findIndex((l) => l.includes('"statuses":{'));
    const policies = new Map([[TEST_POLICY.version, TEST_POLICY]]);

    it('accepts the settlement lines with statuses as they are written', () => {
      const fast = new FastTransactions(defaultByteTools);
      for (const l of lines.filter((x) => x.includes('"kind":"settlement"'))) {
        const b = encoder.encode(l);
        expect(fast.accept(b, 0, b.length, COOP, false, 0, '', policies)).toBe(true);
      }
    });

    it('every byte of a statuses member changed: each verdict (and summary) is the reference one', () => {
      const line = lines[at];
      const from = line.indexOf(',"statuses":{');
      const to = line.indexOf('}', from) + 1;
      let broken = 0;
      for (let i = from; i < to; i++)
        for (const c of ['"', 'a', '}', ',', '\\', 'é']) {
          if (line[i] === c) continue;
          const changed = [...lines];
          changed[at] = line.slice(0, i) + c + line.slice(i + 1);
          if (!verifyEverywhere(changed).ok) broken++;
        }
      expect(broken).toBeGreaterThan(0);
    });

    it('keys out of order with the hash of those very bytes: not canonical, so a break on every path', () => {
      const line = lines[at];
      const m = /"statuses":\{("[^"]+":"[^"]+"),("[^"]+":"[^"]+")\}/.exec(line) as RegExpExecArray;
      const swapped = line.replace(m[0], `"statuses":{${m[2]},${m[1]}}`);
      const content = '{' + swapped.slice('{"type":"transaction",'.length, swapped.lastIndexOf(',"hash":"')) + '}';
      const hash = createHash('sha256').update(content).digest('hex');
      const forged = swapped.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${hash}"`);
      const changed = [...lines];
      changed[at] = forged;
      const r = verifyEverywhere(changed);
      expect(r.breaks[0]).toMatchObject({
        line: at + 1,
        message: 'hash does not match the content: this transaction was changed',
      });
    });

    it('a settlement that credits a household its statuses leave out is named by the reference path', () => {
      const b = new LedgerBuilder(COOP);
      b.payment('o-1', 5900);
      b.settlement('o-1', 35, [{ grossFen: 5900, quantity: 1, supplies: { [H1]: 2, [H2]: 1 } }], {
        [H1]: 'none',
        [H3]: 'none',
      });
      const l = b.lines();
      const bytes = encoder.encode(l[3]);
      expect(new FastTransactions(defaultByteTools).accept(bytes, 0, bytes.length, COOP, false, 0, '', policies)).toBe(
        false,
      );
      expect(verifyEverywhere(l).breaks.map((x) => x.message)).toEqual([
        `it credits household ${H2}, whose registry status reference.statuses does not give`,
      ]);
    });
  });
});
