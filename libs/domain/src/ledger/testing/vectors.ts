import { accountCode } from '../ledger';
import type { DividendMemberInput } from '../registry';
import { LedgerBuilder, sampleSeason } from './ledger-builder';

/**
 * The committed test vectors (docs/ledger-vectors/): small exports, good and broken, with the verdict a verifier
 * must reach and, for the good one, every transaction's hash. A second verifier written from docs/ledger.md alone
 * should agree with every file. `vectors.spec.ts` checks the committed files are exactly these and verifies them.
 */
export interface LedgerVector {
  name: string;
  what: string;
  lines: string[];
  /** --head arguments (SEQ:HASH), the last one the newest. */
  heads: string[];
}

const COOP = 'c0ffee00-0000-4000-8000-000000000001';
const H1 = 'a1111111-0000-4000-8000-000000000001';
const H2 = 'a2222222-0000-4000-8000-000000000002';
const H3 = 'a3333333-0000-4000-8000-000000000003';
const H4 = 'a4444444-0000-4000-8000-000000000004';

/**
 * A season whose entries carry the registry status of every credited household and the dividend's inputs (issue
 * 16): two orders settled, a dividend split by share units × status weight, a reversal, two payouts.
 */
export function registrySeason(cheat?: (split: Record<string, number>) => void): LedgerBuilder {
  const b = new LedgerBuilder(COOP);
  b.payment('o-1', 5900);
  b.settlement('o-1', 35, [{ grossFen: 5900, quantity: 1, supplies: { [H1]: 2, [H2]: 1 } }], {
    [H1]: 'registered',
    [H2]: 'none',
  });
  b.payment('o-2', 10000);
  b.settlement('o-2', 60, [{ grossFen: 10000, quantity: 4, supplies: { [H3]: 4 } }], { [H3]: 'monitored' });
  const members: DividendMemberInput[] = [
    { householdId: H1, shareUnits: 10, status: 'registered' },
    { householdId: H2, shareUnits: 20, status: 'none' },
    { householdId: H3, shareUnits: 5, status: 'monitored' },
    { householdId: H4, shareUnits: 0, status: 'lifted' },
  ];
  b.dividendOf('2026-09', 1200, members, cheat);
  b.reversal('o-2', 'r-1', 1000);
  b.payout('p-1', H1, 2000);
  b.payout('p-2', H3, 3000);
  return b;
}

export function ledgerVectors(): LedgerVector[] {
  const good = sampleSeason(COOP);
  const head = (n: number) => `${n}:${good.txs[n - 1].hash}`;
  const out: LedgerVector[] = [
    {
      name: 'good',
      what: 'a season: payments, settlements (one after a refund), two partial reversals, a dividend, two payouts',
      lines: good.lines(),
      heads: [head(12)],
    },
  ];

  const reversal = sampleSeason(COOP, {
    lastReversal: (p) => {
      p[0] = { ...p[0], account: accountCode.householdPayable(COOP, H1) };
    },
  });
  out.push({
    name: 'rehashed-reversal',
    what: 'the second reversal of o-3 takes its 1 fen from a household the settlement never paid; hashes recomputed',
    lines: reversal.lines(),
    heads: [],
  });

  const overdrawn = sampleSeason(COOP);
  overdrawn.payout('p-3', H2, 999_999);
  out.push({
    name: 'overdrawn-payout',
    what: 'a payout of ¥9999.99 to a household owed ¥52.41',
    lines: overdrawn.lines(),
    heads: [],
  });

  const redirected = sampleSeason(COOP);
  redirected.payout('p-3', H1, 100, H2);
  out.push({
    name: 'redirected-payout',
    what: "a payout for household a111… that debits household a222…'s account",
    lines: redirected.lines(),
    heads: [],
  });

  const unpaid = sampleSeason(COOP);
  unpaid.settlement('o-9', 10, [{ grossFen: 1000, quantity: 1, supplies: { [H1]: 1 } }]);
  out.push({
    name: 'settlement-without-payment',
    what: 'order o-9 settled, never paid',
    lines: unpaid.lines(),
    heads: [],
  });

  out.push({
    name: 'dropped-tail',
    what: 'the last two transactions removed, balances and footer recomputed: valid alone, broken against the head',
    lines: good.lines(good.txs.slice(0, 10)),
    heads: [head(12)],
  });

  const appended = sampleSeason(COOP);
  appended.payout('p-9', H2, 5000);
  out.push({
    name: 'forged-append',
    what: 'a payout appended after the published head, hash, balances and footer recomputed',
    lines: appended.lines(),
    heads: [head(12)],
  });

  const dup = good.lines();
  dup[2] = dup[2].replace('"kind":"payment",', '"kind":"refund","kind":"payment",');
  out.push({ name: 'duplicate-key', what: 'the member "kind" twice in one transaction line', lines: dup, heads: [] });

  const extra = good.lines();
  extra[3] = extra[3].replace(/}$/, ',"note":"not hashed"}');
  out.push({ name: 'unhashed-member', what: 'a member outside the hashed content', lines: extra, heads: [] });

  const feeKept = sampleSeason(COOP);
  feeKept.payment('o-4', 3000);
  feeKept.refund('o-4', 'r-4', 1000);
  feeKept.refund('o-4', 'r-5', 2000);
  feeKept.refundFee('o-4', 18);
  out.push({
    name: 'good-refund-fee',
    what: "good: order o-4 paid ¥30.00 and refunded in full before settlement (in two parts); the 18 fen the provider kept are booked as the platform's (refund_fee)",
    lines: feeKept.lines(),
    heads: [],
  });

  const feeEarly = sampleSeason(COOP);
  feeEarly.payment('o-4', 3000);
  feeEarly.refund('o-4', 'r-4', 1000);
  feeEarly.refundFee('o-4', 18);
  out.push({
    name: 'refund-fee-not-refunded',
    what: 'the fee of order o-4 booked as refunded before settlement when only ¥10.00 of its ¥30.00 was refunded',
    lines: feeEarly.lines(),
    heads: [],
  });

  out.push({
    name: 'good-registry',
    what: "good: every credit carries the household's registry status (settlement reference.statuses) and the dividend its inputs (reference.members: share units and status), so its split is recomputed and the registry summary given",
    lines: registrySeason().lines(),
    heads: [],
  });

  out.push({
    name: 'dividend-split-not-inputs',
    what: 'the dividend of good-registry with 10 fen moved from household a222… to a111… (balanced, hashes recomputed): the split does not follow its share units and statuses',
    lines: registrySeason((split) => {
      split[H1] += 10;
      split[H2] -= 10;
    }).lines(),
    heads: [],
  });
  return out;
}
