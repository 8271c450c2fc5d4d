import { createPublicKey, verify } from 'node:crypto';
import { accountCode, GENESIS_HASH, headSigningPayload, verifyExport } from '@xiangbo/domain';
import { createTestApp, insertCooperative, TestApp } from '../../../test/test-app';
import { LedgerService } from '../ledger.service';
import { LedgerHeadsService } from './ledger-heads.service';

/** Published, signed chain heads (docs/ledger.md, "Anchoring"), through HTTP on the real app. */
describe('ledger chain heads: public, signed, with a dated history', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const pay = (coopId: string, orderId: string, fen: number) =>
    t.db.transaction((m) =>
      t.app.get(LedgerService).append(m, {
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

  it('GET …/ledger/head is public: { seq, hash, at } signed by the published Ed25519 key', async () => {
    const coop = await insertCooperative(t);
    const empty = await t.http.get(`/api/cooperatives/${coop.id}/ledger/head`).expect(200);
    expect(empty.body).toMatchObject({ cooperativeId: coop.id, seq: 0, hash: GENESIS_HASH });

    await pay(coop.id, '11111111-0000-4000-8000-000000000001', 5900);
    const second = await pay(coop.id, '11111111-0000-4000-8000-000000000002', 1200);
    const res = await t.http.get(`/api/cooperatives/${coop.id}/ledger/head`).expect(200);
    expect(res.body).toMatchObject({ seq: 2, hash: second.hash });
    expect(res.body.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const key = await t.http.get('/api/ledger/public-key').expect(200);
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', keyId: res.body.keyId });
    expect(Buffer.from(key.body.publicKey, 'base64')).toHaveLength(32);
    const publicKey = createPublicKey(key.body.pem);
    const payload = Buffer.from(headSigningPayload(res.body), 'utf8');
    expect(verify(null, payload, publicKey, Buffer.from(res.body.signature, 'base64'))).toBe(true);
    // a changed head does not verify (the signature covers seq, hash, time, cooperative and key)
    const forged = Buffer.from(headSigningPayload({ ...res.body, seq: 3 }), 'utf8');
    expect(verify(null, forged, publicKey, Buffer.from(res.body.signature, 'base64'))).toBe(false);
  });

  it('an unknown cooperative is a 404 with a message, never a 500', async () => {
    await t.http.get('/api/cooperatives/00000000-0000-4000-8000-000000000009/ledger/head').expect(404);
    const bad = await t.http.get('/api/cooperatives/not-a-uuid/ledger/heads').expect(404);
    expect(bad.body.code).toBe('COOPERATIVE_NOT_FOUND');
  });

  it('keeps a dated history: one daily head a day, one at each settlement; append-only', async () => {
    const coop = await insertCooperative(t);
    await pay(coop.id, '22222222-0000-4000-8000-000000000001', 5900);
    await t.http.get(`/api/cooperatives/${coop.id}/ledger/head`).expect(200);
    await t.http.get(`/api/cooperatives/${coop.id}/ledger/head`).expect(200); // same day: no second daily head
    await pay(coop.id, '22222222-0000-4000-8000-000000000002', 100);
    const heads = t.app.get(LedgerHeadsService);
    await heads.record(coop.id, 'settlement');
    expect(await heads.daily()).toBeGreaterThanOrEqual(1);
    const history = await t.http.get(`/api/cooperatives/${coop.id}/ledger/heads`).expect(200);
    expect(history.body.heads.map((h: { reason: string; seq: number }) => [h.reason, h.seq])).toEqual([
      ['settlement', 2],
      ['daily', 1],
    ]);
    await expect(t.db.query('UPDATE ledger_heads SET seq = 9 WHERE cooperative_id = $1', [coop.id])).rejects.toThrow();
    await expect(t.db.query('DELETE FROM ledger_heads WHERE cooperative_id = $1', [coop.id])).rejects.toThrow();
  });

  it('an export checked against a kept head: passes at the head, a later append is named until the new head', async () => {
    const coop = await insertCooperative(t, { status: 'approved' } as never);
    await pay(coop.id, '33333333-0000-4000-8000-000000000001', 700);
    const kept = (await t.http.get(`/api/cooperatives/${coop.id}/ledger/head`).expect(200)).body;
    const exportNow = async () => {
      const chunks: string[] = [];
      const { LedgerExportService } = await import('../export.service');
      await t.app.get(LedgerExportService).write(coop.id, {
        write: (s: string, cb?: () => void) => {
          chunks.push(s);
          cb?.();
          return true;
        },
      } as never);
      return chunks.join('').split('\n').filter(Boolean);
    };
    const head = { head: { seq: kept.seq, hash: kept.hash }, last: true };
    expect(verifyExport(await exportNow(), undefined, [head]).ok).toBe(true);
    await pay(coop.id, '33333333-0000-4000-8000-000000000002', 800);
    const later = verifyExport(await exportNow(), undefined, [head]);
    expect(later.breaks.map((b) => b.message)).toEqual([
      expect.stringMatching(/1 transaction\(s\) after the published head #1/),
    ]);
    const now = (await t.http.get(`/api/cooperatives/${coop.id}/ledger/head`).expect(200)).body;
    expect(
      verifyExport(await exportNow(), undefined, [{ head: { seq: now.seq, hash: now.hash }, last: true }]).ok,
    ).toBe(true);
  });
});
