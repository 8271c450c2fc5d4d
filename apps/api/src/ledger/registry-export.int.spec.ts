import { randomUUID } from 'node:crypto';
import {
  accountCode,
  distributeDividend,
  GENESIS_HASH,
  type LedgerTransactionContent,
  transactionHash,
  transactionLine,
  verifyExport,
} from '@xiangbo/domain';
import { createTestApp, TestApp } from '../../test/test-app';
import { LedgerService } from './ledger.service';
import {
  bearer,
  complete,
  DEFAULT_POLICY,
  exportLedger,
  insertHousehold,
  placeAndPay,
  scenario,
  settle,
} from './testing/ledger-fixtures';

type Tx = LedgerTransactionContent & { hash: string };

/**
 * Issue 16: the export carries each credited household's registry status at the time (settlement
 * `reference.statuses`) and each dividend's inputs (`reference.members`), written by the real settlement and
 * dividend services, so the verifier recomputes every dividend split and says per status what reached households
 * and what was paid out — from the export alone.
 */
describe('registry status and dividend inputs in the ledger export (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('settlement and dividend record the statuses and share units; the verifier recomputes the split and sums by status; a split moved by 1 fen is caught', async () => {
    const s = await scenario(t);
    const [wang, li, zhang] = s.households; // registered 10 units, registered 5, monitored 3
    // 李秀梅 was lifted out of poverty in 2024: her credits count as 已脱贫, not 建档立卡
    await t.db.query(
      `INSERT INTO household_status_events (household_id, status, effective_date, reason, recorded_by) VALUES ($1, 'lifted', '2024-01-01', '测试', $2)`,
      [li, '00000000-0000-0000-0000-000000000000'],
    );
    // a member who supplies nothing: in the dividend only
    const zhao = await insertHousehold(t, '赵一般', 'none', { cooperativeId: s.coopId, shareUnits: 4 });
    for (let i = 0; i < 2; i++) {
      const o = await placeAndPay(t, s.productId, 1);
      await complete(t, s, o.orderId, o.buyer.token);
    }
    await settle(t, s);
    const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const posted = await t.http
      .post(`/api/console/cooperatives/${s.coopId}/dividends`)
      .set(bearer(s.admin.token))
      .send({ period })
      .expect(201);
    expect(posted.body.amountFen).toBe(2 * 455);
    // Posted: the preview shows the inputs it was split by, even after the memberships are edited afterwards
    // (赵一般 recorded as having left before the period, 王小明's units changed).
    await t.db.query(
      `UPDATE memberships SET left_at = '2000-01-01', joined_at = '1999-01-01' WHERE household_id = $1`,
      [zhao],
    );
    await t.db.query(`UPDATE memberships SET share_units = 99 WHERE household_id = $1`, [wang]);
    const again = (
      await t.http
        .post(`/api/console/cooperatives/${s.coopId}/dividends/preview`)
        .set(bearer(s.admin.token))
        .send({ period })
        .expect((r) => expect(r.status).toBeLessThan(300))
    ).body as { alreadyPosted: boolean; members: { householdId: string; shareUnits: number; amountFen: number }[] };
    expect(again.alreadyPosted).toBe(true);
    const byId = new Map(again.members.map((x) => [x.householdId, x]));
    expect(byId.get(zhao)).toMatchObject({ shareUnits: 4 });
    expect(byId.get(wang)).toMatchObject({ shareUnits: 10 });
    expect(again.members.reduce((sum, x) => sum + x.amountFen, 0)).toBe(2 * 455);

    // a payout to 王小明 (as the payouts feature writes it)
    const payoutId = randomUUID();
    await t.db.transaction((m) =>
      t.app.get(LedgerService).append(m, {
        cooperativeId: s.coopId,
        idempotencyKey: `payout:${payoutId}`,
        kind: 'payout',
        reference: { payoutId, householdId: wang, channel: 'bank', paidOn: '2026-11-01', paymentReference: 'B-1' },
        postings: [
          { account: accountCode.householdPayable(s.coopId, wang), amount: 3000 },
          { account: accountCode.paidOut(s.coopId), amount: -3000 },
        ],
      }),
    );

    const lines = (await exportLedger(t, s.coopId, s.admin.token)).trimEnd().split('\n');
    const txs: Tx[] = lines
      .filter((l) => l.startsWith('{"type":"transaction"'))
      .map((l) => {
        const { type: _type, ...tx } = JSON.parse(l);
        void _type;
        return tx as Tx;
      });
    const settlements = txs.filter((x) => x.kind === 'settlement');
    expect(settlements).toHaveLength(2);
    for (const x of settlements)
      expect((x.reference as { statuses: Record<string, string> }).statuses).toEqual({
        [wang]: 'registered',
        [li]: 'lifted',
        [zhang]: 'monitored',
      });
    const dividend = txs.find((x) => x.kind === 'dividend') as Tx;
    const members = (dividend.reference as { members: { householdId: string; shareUnits: number; status: string }[] })
      .members;
    expect([...members].sort((a, b) => a.shareUnits - b.shareUnits)).toEqual([
      { householdId: zhang, shareUnits: 3, status: 'monitored' },
      { householdId: zhao, shareUnits: 4, status: 'none' },
      { householdId: li, shareUnits: 5, status: 'lifted' },
      { householdId: wang, shareUnits: 10, status: 'registered' },
    ]);
    // the split, recomputed from the reference and the policy alone
    const split = distributeDividend(910, members as never, DEFAULT_POLICY.dividendWeights);
    const credits = new Map(dividend.postings.filter((p) => p.amount < 0).map((p) => [p.account, -p.amount]));
    for (const x of split) expect(credits.get(accountCode.householdPayable(s.coopId, x.householdId))).toBe(x.amount);

    const r = verifyExport(lines);
    expect(r.breaks).toEqual([]);
    // what reached each status: every credit of the household's payable in the export, by its recorded status
    const creditedTo = (h: string) =>
      txs
        .filter((x) => x.kind === 'settlement' || x.kind === 'dividend')
        .flatMap((x) => x.postings)
        .filter((p) => p.account === accountCode.householdPayable(s.coopId, h) && p.amount < 0)
        .reduce((sum, p) => sum - p.amount, 0);
    const row = (status: string) => r.registry.rows.find((x) => x.status === status);
    expect(row('registered')).toEqual({
      status: 'registered',
      creditedFen: creditedTo(wang),
      reversedFen: 0,
      paidOutFen: 3000,
      owedFen: creditedTo(wang) - 3000,
    });
    expect(row('lifted')?.creditedFen).toBe(creditedTo(li));
    expect(row('monitored')?.creditedFen).toBe(creditedTo(zhang));
    expect(row('none')?.creditedFen).toBe(creditedTo(zhao));
    expect(row('unrecorded')?.creditedFen).toBe(0);
    // the stated balances of the payables agree with the summary's still owed
    const owed = r.registry.rows.reduce((sum, x) => sum + x.owedFen, 0);
    const balances = Object.entries(r.balances).filter(([a]) => a.endsWith(':payable'));
    expect(owed).toBe(-balances.reduce((sum, [, v]) => sum + v, 0));

    // a forger moves 1 fen of the dividend from 张建国 to 王小明 and recomputes every hash, the balances and footer
    const moved = txs.map((x) => ({ ...x, postings: x.postings.map((p) => ({ ...p })) }));
    const at = moved.findIndex((x) => x.kind === 'dividend');
    for (const p of moved[at].postings) {
      if (p.account === accountCode.householdPayable(s.coopId, wang)) p.amount -= 1;
      if (p.account === accountCode.householdPayable(s.coopId, zhang)) p.amount += 1;
    }
    for (let i = at; i < moved.length; i++) {
      const { hash: _old, ...content } = moved[i];
      void _old;
      content.prevHash = i ? moved[i - 1].hash : GENESIS_HASH;
      moved[i] = { ...content, hash: transactionHash(content) };
    }
    const sums = new Map<string, number>();
    for (const x of moved) for (const p of x.postings) sums.set(p.account, (sums.get(p.account) ?? 0) + p.amount);
    const forged = [
      lines[0],
      ...lines.filter((l) => l.startsWith('{"type":"policy"')),
      ...moved.map((x) => transactionLine(x, x.hash)),
      JSON.stringify({ type: 'balances', cooperativeId: s.coopId, balances: Object.fromEntries(sums) }),
      JSON.stringify({ type: 'footer', transactions: moved.length, lastHash: moved[moved.length - 1].hash }),
    ];
    const caught = verifyExport(forged);
    expect(caught.breaks.map((b) => [b.seq, b.message.replace(/ household \S+/, ' household H')])).toEqual([
      [
        dividend.seq,
        expect.stringMatching(
          /^dividend split does not follow its inputs: household H receives \d+ fen, share units × weight of policy v1 give \d+$/,
        ),
      ],
    ]);
  });
});
