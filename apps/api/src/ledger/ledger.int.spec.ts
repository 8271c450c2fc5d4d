import { accountCode, GENESIS_HASH, transactionHash, transactionLine, verifyExport } from '@xiangbo/domain';
import { createTestApp, insertCooperative, TestApp } from '../../test/test-app';
import { LedgerService } from './ledger.service';
import { insertHousehold } from './testing/ledger-fixtures';

describe('the ledger (real app, real PostgreSQL)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(() => t.close());

  const count = async (coopId: string) =>
    (await t.db.query('SELECT count(*)::int AS n FROM ledger_transactions WHERE cooperative_id = $1', [coopId]))[0]
      .n as number;
  /** A payment as orders write it (the verifier's money rules check its key, reference and postings). */
  const pay = (coopId: string, orderId: string, fen: number) =>
    t.db.transaction((m) =>
      ledger.append(m, {
        cooperativeId: coopId,
        idempotencyKey: `pay:order:${orderId}`,
        kind: 'payment',
        reference: { orderId },
        postings: [
          { account: accountCode.pspReceivable(), amount: fen },
          { account: accountCode.clearing(coopId), amount: -fen },
        ],
      }),
    );

  it('is idempotent: the same key twice records one transaction and returns it', async () => {
    const coop = await insertCooperative(t);
    const a = await pay(coop.id, `idem:${coop.id}`, 5900);
    const b = await pay(coop.id, `idem:${coop.id}`, 1234); // a different body under the same key changes nothing
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.id).toBe(a.id);
    expect(b.hash).toBe(a.hash);
    expect(b.postings.map((p) => p.amount)).toEqual([5900, -5900]);
    expect(await count(coop.id)).toBe(1);
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    const { type: _t, ...content } = { type: 'x', ...a };
    expect(transactionHash(content)).toBe(a.hash); // the stored hash is the domain's SHA-256 of the canonical content
  });

  it('refuses an unbalanced transaction and writes nothing, not even the cause in the same transaction', async () => {
    const coop = await insertCooperative(t);
    await expect(
      t.db.transaction(async (m) => {
        await m.query(`UPDATE cooperatives SET story = 'changed' WHERE id = $1`, [coop.id]);
        await ledger.append(m, {
          cooperativeId: coop.id,
          idempotencyKey: `bad:${coop.id}`,
          kind: 'payment',
          reference: {},
          postings: [
            { account: accountCode.pspReceivable(), amount: 100 },
            { account: accountCode.clearing(coop.id), amount: -99 },
          ],
        });
      }),
    ).rejects.toMatchObject({ code: 'UNBALANCED' });
    await expect(
      t.db.transaction((m) =>
        ledger.append(m, {
          cooperativeId: coop.id,
          idempotencyKey: `one:${coop.id}`,
          kind: 'payment',
          reference: {},
          postings: [{ account: 'x', amount: 0 }],
        }),
      ),
    ).rejects.toMatchObject({ code: 'UNBALANCED' });
    expect(await count(coop.id)).toBe(0);
    expect((await t.db.query('SELECT story FROM cooperatives WHERE id = $1', [coop.id]))[0].story).toBe('');
  });

  it('the database itself refuses UPDATE and DELETE on postings, transactions and policies', async () => {
    const coop = await insertCooperative(t);
    const tx = await pay(coop.id, `ro:${coop.id}`, 500);
    await expect(
      t.db.query('UPDATE ledger_postings SET amount = 1 WHERE transaction_id = $1', [tx.id]),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM ledger_postings WHERE transaction_id = $1', [tx.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query(`UPDATE ledger_transactions SET kind = 'refund' WHERE id = $1`, [tx.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query('DELETE FROM ledger_transactions WHERE id = $1', [tx.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE ledger_postings CASCADE')).rejects.toThrow(/append-only/);
    await t.db.query(
      `INSERT INTO sharing_policies (cooperative_id, version, platform_fee_bp, purchase_kind, purchase_bp, dividend_bp, wages_bp, effective_from, created_by)
       VALUES ($1, 1, 300, 'percent', 6000, 500, 500, now(), $1)`,
      [coop.id],
    );
    await expect(
      t.db.query('UPDATE sharing_policies SET purchase_bp = 1 WHERE cooperative_id = $1', [coop.id]),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM sharing_policies WHERE cooperative_id = $1', [coop.id])).rejects.toThrow(
      /append-only/,
    );
    const [p] = await t.db.query(
      'SELECT amount::int AS amount FROM ledger_postings WHERE transaction_id = $1 ORDER BY position',
      [tx.id],
    );
    expect(p.amount).toBe(500);
  });

  it('keeps one chain per cooperative under concurrency: 10 parallel appends → seq 1..10, every link verifies', async () => {
    const coop = await insertCooperative(t);
    const other = await insertCooperative(t);
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => pay(coop.id, `par:${coop.id}:${i}`, 100 + i)),
      ...Array.from({ length: 5 }, (_, i) => pay(other.id, `par:${other.id}:${i}`, 200 + i)),
    ]);
    const rows = await t.db.query(
      'SELECT seq, idempotency_key, prev_hash, hash FROM ledger_transactions WHERE cooperative_id = $1 ORDER BY seq',
      [coop.id],
    );
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      prev = r.hash;
    }
    // and the whole chain, as an export, passes the verifier
    const txs = await Promise.all(
      rows.map((r: { idempotency_key: string }) => ledger.findByKey(undefined, r.idempotency_key)),
    );
    const lines = [
      JSON.stringify({
        type: 'header',
        format: 'xiangbo-ledger/1',
        cooperativeId: coop.id,
        exportedAt: new Date().toISOString(),
      }),
      ...txs.map((x) => {
        const { id: _id, orderId: _o, hash, ...content } = x!;
        return transactionLine(content, hash);
      }),
      JSON.stringify({ type: 'footer', transactions: 10, lastHash: prev }),
    ];
    expect(verifyExport(lines)).toMatchObject({ ok: true, transactions: 10 });
    expect(
      (await t.db.query('SELECT max(seq) AS m FROM ledger_transactions WHERE cooperative_id = $1', [other.id]))[0].m,
    ).toBe(5);
  });

  it('appendBatch: entries hashed ahead are linked after the real head when another append came between; refused and recorded keys are skipped; all or nothing', async () => {
    const coop = await insertCooperative(t);
    await pay(coop.id, `batch:${coop.id}:0`, 100);
    const key = (i: number) => `pay:order:batch:${coop.id}:${i}`;
    const entry = (i: number) => ({
      cooperativeId: coop.id,
      idempotencyKey: key(i),
      kind: 'payment' as const,
      occurredAt: '2026-11-01T00:00:00.000Z',
      reference: { orderId: `batch:${coop.id}:${i}`, note: '乡播 "quoted" \\ back' },
      postings: [
        { account: accountCode.pspReceivable(), amount: 1000 + i },
        { account: accountCode.clearing(coop.id), amount: -(1000 + i) },
      ],
    });
    // hashed as the links after seq 1; then another append takes seq 2
    const sealed = ledger.sealBatch(coop.id, [1, 2, 3, 4, 5].map(entry), await ledger.head(coop.id));
    await pay(coop.id, `batch:${coop.id}:9`, 900);
    await pay(coop.id, `batch:${coop.id}:2`, 1002); // already recorded when the batch comes
    const seen: string[][] = [];
    const r = await ledger.appendBatch(coop.id, sealed, {
      guard: async (_q, keys) => {
        seen.push([...keys]);
        return new Set(keys.filter((k) => !k.endsWith(':4'))); // its cause changed: refused
      },
    });
    expect(seen).toEqual([[1, 3, 4, 5].map(key)]);
    expect([...r.appended]).toEqual([1, 3, 5].map(key));
    expect([...r.existing]).toEqual([key(2)]);
    expect([...r.refused]).toEqual([key(4)]);
    expect(r.head.seq).toBe(6);
    // a failing batch writes nothing
    await expect(
      ledger.appendBatch(coop.id, [entry(6)], {
        after: async (q) => {
          await q('SELECT 1 / 0');
        },
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await count(coop.id)).toBe(6);

    const rows = await t.db.query(
      'SELECT idempotency_key FROM ledger_transactions WHERE cooperative_id = $1 ORDER BY seq',
      [coop.id],
    );
    const txs = await Promise.all(
      rows.map((x: { idempotency_key: string }) => ledger.findByKey(undefined, x.idempotency_key)),
    );
    expect(txs.map((x) => x?.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(txs[3]?.reference).toEqual({ orderId: `batch:${coop.id}:1`, note: '乡播 "quoted" \\ back' });
    const lines = [
      JSON.stringify({ type: 'header', format: 'xiangbo-ledger/1', cooperativeId: coop.id, exportedAt: '' }),
      ...txs.map((x) => {
        if (!x) throw new Error('a transaction of the chain is missing');
        const { id: _id, orderId: _o, hash, ...content } = x;
        return transactionLine(content, hash);
      }),
      JSON.stringify({ type: 'footer', transactions: 6, lastHash: r.head.hash }),
    ];
    expect(verifyExport(lines)).toMatchObject({ ok: true, transactions: 6 });
  });

  it('after a random workload, every balance the system reports equals the sum of its postings', async () => {
    const coops = [await insertCooperative(t), await insertCooperative(t)];
    const households = await Promise.all(
      coops.map((c, i) => insertHousehold(t, `赵${i}田`, 'registered', { cooperativeId: c.id, shareUnits: 1 })),
    );
    let seed = 42;
    const rnd = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    const expected = new Map<string, number>();
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 120; i++) {
      const c = rnd(2);
      const coop = coops[c].id;
      const accounts = [
        accountCode.pspReceivable(),
        accountCode.clearing(coop),
        accountCode.retained(coop),
        accountCode.dividendPool(coop),
        accountCode.householdPayable(coop, households[c]),
        accountCode.paidOut(coop),
      ];
      const k = 2 + rnd(3);
      const postings: { account: string; amount: number }[] = [];
      let sum = 0;
      for (let j = 0; j < k - 1; j++) {
        const amount = (1 + rnd(100_000)) * (rnd(2) ? 1 : -1);
        postings.push({ account: accounts[rnd(accounts.length)], amount });
        sum += amount;
      }
      if (sum === 0) {
        postings[0].amount += 1;
        sum += 1;
      }
      postings.push({ account: accounts[rnd(accounts.length)], amount: -sum });
      const key = `rw:${coop}:${i}`;
      for (const p of postings) expected.set(p.account, (expected.get(p.account) ?? 0) + p.amount);
      jobs.push(
        t.db.transaction((m) =>
          ledger.append(m, {
            cooperativeId: coop,
            idempotencyKey: key,
            kind: 'settlement',
            reference: { i },
            postings,
          }),
        ),
      );
    }
    await Promise.all(jobs);
    const sums: { account: string; s: string }[] = await t.db.query(
      `SELECT p.account, SUM(p.amount)::text AS s FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id WHERE t.cooperative_id = ANY($1) GROUP BY p.account`,
      [coops.map((c) => c.id)],
    );
    for (const c of coops) {
      const reported = await ledger.balances(undefined, `coop:${c.id}:`);
      for (const [account, v] of reported) {
        expect(v).toBe(expected.get(account));
        expect(v).toBe(Number(sums.find((x) => x.account === account)?.s));
        expect(await ledger.balance(undefined, account)).toBe(v);
      }
      expect(reported.size).toBeGreaterThan(0);
    }
    const psp = (await ledger.balances(undefined, 'platform:', coops[0].id)).get(accountCode.pspReceivable()) ?? 0;
    const psp1 = (await ledger.balances(undefined, 'platform:', coops[1].id)).get(accountCode.pspReceivable()) ?? 0;
    expect(psp + psp1).toBe(expected.get(accountCode.pspReceivable()));
    const [{ household_id }] = await t.db.query(`SELECT household_id FROM ledger_postings WHERE account = $1 LIMIT 1`, [
      accountCode.householdPayable(coops[0].id, households[0]),
    ]);
    expect(household_id).toBe(households[0]);
  });
});
