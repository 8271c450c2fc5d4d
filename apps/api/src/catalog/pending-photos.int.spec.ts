import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ConsoleProduct, PendingPhoto, ProductListResponse } from '@xiangbo/contracts';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { ConsoleProductsService, MAX_PENDING_PHOTOS, PENDING_PHOTO_TTL_HOURS } from './console-products.service';

type Session = { token: string; user: { id: string } };
const bearer = (s: Session) => ({ Authorization: `Bearer ${s.token}` });

const png = (color = '#2e6b4e') =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: color } })
    .png()
    .toBuffer();

const product = {
  nameZh: '柞水黑木耳',
  category: 'fungi',
  unit: 'jin',
  priceFen: 5900,
  stock: 300,
};

/** Photos in the first save of a product: uploaded before it exists, taken by its creation in one transaction. */
describe('photos before the first save (real Nest app, real PostgreSQL)', () => {
  let t: TestApp;
  let uploads: string;
  let coopA: { id: string };
  let coopB: { id: string };
  let adminA: Session;
  let adminB: Session;
  let hostA: Session;
  let buyer: Session;

  beforeAll(async () => {
    uploads = mkdtempSync(join(tmpdir(), 'xb-pending-photos-'));
    t = await createTestApp({ UPLOADS_DIR: uploads });
    coopA = await insertCooperative(t, { name: '金米村木耳专业合作社' });
    coopB = await insertCooperative(t, { name: '巩堰村辣椒种植合作社' });
    adminA = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopA.id }]);
    adminB = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopB.id }]);
    hostA = await userWithRoles(t, [{ role: 'host', cooperativeId: coopA.id }]);
    buyer = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  async function upload(coopId: string, who: Session, color?: string): Promise<PendingPhoto> {
    const res = await t.http
      .post(`/api/console/cooperatives/${coopId}/pending-photos`)
      .set(bearer(who))
      .attach('photo', await png(color), { filename: 'p.png', contentType: 'image/png' })
      .expect(201);
    return res.body as PendingPhoto;
  }
  const productCount = async (coopId: string) =>
    Number((await t.db.query(`SELECT count(*) AS n FROM products WHERE cooperative_id = $1`, [coopId]))[0].n);
  const pendingIds = async (coopId: string) =>
    ((await t.db.query(`SELECT id FROM pending_photos WHERE cooperative_id = $1`, [coopId])) as { id: string }[]).map(
      (r) => r.id,
    );

  it('creates a product with its photos in the order given, on sale by default, in one request', async () => {
    const first = await upload(coopA.id, adminA, '#aa0000');
    const second = await upload(coopA.id, adminA, '#00aa00');
    expect(first.thumbUrl).toMatch(/^\/api\/files\/pending\/.+-thumb\.webp$/);
    await t.http.get(first.thumbUrl).expect(200);

    const res = await t.http
      .post(`/api/console/cooperatives/${coopA.id}/products`)
      .set(bearer(adminA))
      .send({ ...product, photoIds: [second.id, first.id] }) // no "published": a new product is on sale once saved
      .expect(201);
    const p = res.body as ConsoleProduct;
    expect(p.published).toBe(true);
    expect(p.photos.map((ph) => [ph.position, ph.url])).toEqual([
      [0, second.url],
      [1, first.url],
    ]);
    expect(p.coverThumbUrl).toBe(second.thumbUrl);
    await t.http.get(p.photos[1].url).expect(200);
    expect(await pendingIds(coopA.id)).not.toEqual(expect.arrayContaining([first.id]));

    // The buyer sees it, with its cover, straight away.
    const list = await t.http.get(`/api/products?cooperativeId=${coopA.id}`).expect(200);
    expect((list.body as ProductListResponse).items.find((x) => x.id === p.id)?.coverThumbUrl).toBe(second.thumbUrl);

    // A photo is taken once: a second product naming it is refused, naming the field.
    const again = await t.http
      .post(`/api/console/cooperatives/${coopA.id}/products`)
      .set(bearer(adminA))
      .send({ ...product, nameZh: '第二件', photoIds: [first.id] })
      .expect(400);
    expect(again.body.code).toBe('PENDING_PHOTO_UNKNOWN');
    expect(again.body.errors.map((e: { field: string }) => e.field)).toEqual(['photoIds.0']);
  });

  it('keeps a product saved as a draft (存为草稿) out of the shop', async () => {
    const ph = await upload(coopA.id, adminA);
    const res = await t.http
      .post(`/api/console/cooperatives/${coopA.id}/products`)
      .set(bearer(adminA))
      .send({ ...product, nameZh: '草稿木耳', published: false, photoIds: [ph.id] })
      .expect(201);
    const p = res.body as ConsoleProduct;
    expect(p.published).toBe(false);
    expect(p.photos).toHaveLength(1);
    await t.http.get(`/api/products/${p.id}`).expect(404);
  });

  it('a failed save leaves no product, and the photos it named wait for the next try', async () => {
    const mine = await upload(coopA.id, adminA);
    const before = await productCount(coopA.id);
    const res = await t.http
      .post(`/api/console/cooperatives/${coopA.id}/products`)
      .set(bearer(adminA))
      .send({ ...product, photoIds: [mine.id, '9b2f1c3e-3f4e-4a53-9f0a-0c1d2e3f4a5b'] })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['photoIds.1']);
    expect(await productCount(coopA.id)).toBe(before);
    expect(await pendingIds(coopA.id)).toContain(mine.id);
    // The form retries with the photo it still has.
    const ok = await t.http
      .post(`/api/console/cooperatives/${coopA.id}/products`)
      .set(bearer(adminA))
      .send({ ...product, photoIds: [mine.id] })
      .expect(201);
    expect((ok.body as ConsoleProduct).photos).toHaveLength(1);
  });

  it('refuses bad photo lists with 400 naming photoIds, never 500', async () => {
    const ph = await upload(coopA.id, adminA);
    for (const photoIds of [['not-a-uuid'], [ph.id, ph.id], Array(9).fill(ph.id), 'x']) {
      const res = await t.http
        .post(`/api/console/cooperatives/${coopA.id}/products`)
        .set(bearer(adminA))
        .send({ ...product, photoIds })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field.split('.')[0])).toContain('photoIds');
    }
    const notImage = await t.http
      .post(`/api/console/cooperatives/${coopA.id}/pending-photos`)
      .set(bearer(adminA))
      .attach('photo', Buffer.from('%PDF-1.4 not an image'), { filename: 'x.png', contentType: 'image/png' })
      .expect(400);
    expect(notImage.body.code).toBe('NOT_AN_IMAGE');
  });

  describe('from the wrong side', () => {
    it("another cooperative's pending photo cannot be attached, and stays its owner's", async () => {
      const theirs = await upload(coopB.id, adminB);
      const before = await productCount(coopA.id);
      const res = await t.http
        .post(`/api/console/cooperatives/${coopA.id}/products`)
        .set(bearer(adminA))
        .send({ ...product, nameZh: '借图木耳', photoIds: [theirs.id] })
        .expect(400);
      expect(res.body.code).toBe('PENDING_PHOTO_UNKNOWN');
      expect(await productCount(coopA.id)).toBe(before);
      expect(await pendingIds(coopB.id)).toContain(theirs.id);
      // …nor deleted by them; the owner still uses it.
      await t.http
        .delete(`/api/console/cooperatives/${coopA.id}/pending-photos/${theirs.id}`)
        .set(bearer(adminA))
        .expect(404);
      await t.http
        .delete(`/api/console/cooperatives/${coopB.id}/pending-photos/${theirs.id}`)
        .set(bearer(adminA))
        .expect(404);
      const own = await t.http
        .post(`/api/console/cooperatives/${coopB.id}/products`)
        .set(bearer(adminB))
        .send({ ...product, nameZh: '辣椒', photoIds: [theirs.id] })
        .expect(201);
      expect((own.body as ConsoleProduct).photos).toHaveLength(1);
    });

    it("cannot upload into another cooperative's form; a host, a buyer and anonymous callers cannot upload", async () => {
      const photo = await png();
      const path = `/api/console/cooperatives/${coopA.id}/pending-photos`;
      const attach = (r: ReturnType<typeof t.http.post>) =>
        r.attach('photo', photo, { filename: 'p.png', contentType: 'image/png' });
      await attach(t.http.post(path).set(bearer(adminB))).expect(404);
      await attach(t.http.post(path).set(bearer(hostA))).expect(403);
      await attach(t.http.post(path).set(bearer(buyer))).expect(403);
      await attach(t.http.post(path)).expect(401);
    });
  });

  it('lets the admin take a photo back before saving: row and files gone', async () => {
    const ph = await upload(coopA.id, adminA);
    await t.http
      .delete(`/api/console/cooperatives/${coopA.id}/pending-photos/${ph.id}`)
      .set(bearer(adminA))
      .expect(204);
    expect(await pendingIds(coopA.id)).not.toContain(ph.id);
    await t.http.get(ph.url).expect(404);
    await t.http
      .delete(`/api/console/cooperatives/${coopA.id}/pending-photos/not-a-uuid`)
      .set(bearer(adminA))
      .expect(404);
  });

  it('sweeps photos no product took within the day, files included, and leaves fresh and attached ones', async () => {
    const stale = await upload(coopA.id, adminA);
    const fresh = await upload(coopA.id, adminA);
    const taken = await upload(coopA.id, adminA);
    const p = await t.http
      .post(`/api/console/cooperatives/${coopA.id}/products`)
      .set(bearer(adminA))
      .send({ ...product, photoIds: [taken.id] })
      .expect(201);
    await t.db.query(`UPDATE pending_photos SET created_at = now() - make_interval(hours => $2) WHERE id = $1`, [
      stale.id,
      PENDING_PHOTO_TTL_HOURS + 1,
    ]);
    const swept = await t.app.get(ConsoleProductsService).sweepPendingPhotos();
    expect(swept).toBeGreaterThanOrEqual(1);
    const left = await pendingIds(coopA.id);
    expect(left).not.toContain(stale.id);
    expect(left).toContain(fresh.id);
    await t.http.get(stale.url).expect(404);
    await t.http.get(stale.thumbUrl).expect(404);
    await t.http.get(fresh.url).expect(200);
    await t.http.get((p.body as ConsoleProduct).photos[0].url).expect(200); // a product's photo is never swept
  });

  it(`holds at most ${MAX_PENDING_PHOTOS} waiting photos per cooperative`, async () => {
    const coop = await insertCooperative(t);
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    await t.db.query(
      `INSERT INTO pending_photos (cooperative_id, uploaded_by, storage_key, thumb_key, width, height)
       SELECT $1, $2, 'pending/x/' || g || '.webp', 'pending/x/' || g || '-thumb.webp', 10, 10
         FROM generate_series(1, $3::int) g`,
      [coop.id, admin.user.id, MAX_PENDING_PHOTOS],
    );
    const res = await t.http
      .post(`/api/console/cooperatives/${coop.id}/pending-photos`)
      .set(bearer(admin))
      .attach('photo', await png(), { filename: 'p.png', contentType: 'image/png' })
      .expect(409);
    expect(res.body.code).toBe('PHOTO_LIMIT');
  });
});
