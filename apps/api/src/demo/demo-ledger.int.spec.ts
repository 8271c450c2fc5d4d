import { verifyExport } from '@xiangbo/domain';
import { createTestApp, TestApp } from '../../test/test-app';
import { LedgerExportService } from '../ledger/export.service';
import { DEMO_LEDGER_MIN_TRANSACTIONS } from './demo-ledger';
import { seedDemo } from './demo-seed';

/** Issue 16: a newcomer opens 金米村's money pages and finds a season of history, made through the real services. */
describe('the demo money history of 金米村', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('holds at least 50 ledger transactions that verify (money rules included), and a second start adds none', async () => {
    await seedDemo(t.app);
    const [coop] = await t.db.query(`SELECT id FROM cooperatives WHERE village = '金米村'`);
    const count = async () =>
      (await t.db.query('SELECT count(*)::int AS n FROM ledger_transactions WHERE cooperative_id = $1', [coop.id]))[0]
        .n as number;
    const n = await count();
    expect(n).toBeGreaterThanOrEqual(DEMO_LEDGER_MIN_TRANSACTIONS);
    const kinds = await t.db.query(
      'SELECT kind, count(*)::int AS n FROM ledger_transactions WHERE cooperative_id = $1 GROUP BY kind ORDER BY kind',
      [coop.id],
    );
    expect(kinds.map((k: { kind: string }) => k.kind)).toEqual(['payment', 'payout', 'settlement']);
    // every household credited was paid out: the console's next batch starts from what new orders bring
    const [owed] = await t.db.query(
      `SELECT count(*)::int AS n FROM (SELECT p.account FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
        WHERE t.cooperative_id = $1 AND p.household_id IS NOT NULL GROUP BY p.account HAVING SUM(p.amount) <> 0) x`,
      [coop.id],
    );
    expect(owed.n).toBe(0);
    const states = await t.db.query(
      'SELECT status, count(*)::int AS n FROM orders WHERE cooperative_id = $1 GROUP BY status ORDER BY status',
      [coop.id],
    );
    expect(states.map((s: { status: string }) => s.status)).toEqual(
      expect.arrayContaining(['completed', 'paid', 'shipped']),
    );

    const chunks: string[] = [];
    await t.app.get(LedgerExportService).write(coop.id, {
      write: (s: string, cb?: () => void) => {
        chunks.push(s);
        cb?.();
        return true;
      },
    } as never);
    const result = verifyExport(chunks.join('').trimEnd().split('\n'));
    expect(result.breaks).toEqual([]);
    expect(result.transactions).toBe(n);

    const head = await t.http.get(`/api/cooperatives/${coop.id}/ledger/head`).expect(200);
    expect(head.body.seq).toBe(n);
    const history = await t.http.get(`/api/cooperatives/${coop.id}/ledger/heads`).expect(200);
    expect(history.body.heads.map((h: { reason: string }) => h.reason)).toContain('settlement');

    await seedDemo(t.app);
    expect(await count()).toBe(n);
  });
});
