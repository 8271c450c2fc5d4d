import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type {
  ConsoleLot,
  ConsoleProduct,
  ProductDetail,
  ProductListResponse,
  ProductSuggestResponse,
  RegistryStatus,
} from '@xiangbo/contracts';
import { DomainEvents } from '../common/domain-events';
import { Membership } from '../cooperatives/entities/membership.entity';
import { Household } from '../households/entities/household.entity';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { CATALOG_CACHE_TTL_MS } from './catalog-cache';

type Session = { token: string; user: { id: string } };
const bearer = (s: Session) => ({ Authorization: `Bearer ${s.token}` });

const png = (width = 1200, height = 900, color = '#2e6b4e') =>
  sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();

const baseProduct = {
  nameZh: '柞水黑木耳',
  category: 'fungi',
  unit: 'jin',
  priceFen: 5900,
  stock: 300,
  descriptionZh: '秦岭深处椴木栽培，肉厚无沙。',
  published: true,
};

describe('catalogue over HTTP (real Nest app, real PostgreSQL)', () => {
  let t: TestApp;
  let uploads: string;
  let coopA: { id: string };
  let coopB: { id: string };
  let pendingCoop: { id: string };
  let adminA: Session;
  let adminB: Session;
  let hostA: Session;
  let buyer: Session;
  let pendingAdmin: Session;

  beforeAll(async () => {
    uploads = mkdtempSync(join(tmpdir(), 'xb-catalog-uploads-'));
    // Answers are cached far longer than this file runs: every read after a write below sees the write only
    // because the write dropped what it touched (see CatalogCache), never because an entry happened to expire.
    t = await createTestApp(
      { UPLOADS_DIR: uploads },
      { overrides: [{ provide: CATALOG_CACHE_TTL_MS, useValue: 60_000 }] },
    );
    coopA = await insertCooperative(t, { name: '金米村木耳专业合作社' });
    coopB = await insertCooperative(t, {
      name: '巩堰村辣椒种植合作社',
      province: '安徽省',
      city: '阜阳市',
      county: '阜南县',
      township: '公桥乡',
      village: '巩堰村',
    });
    pendingCoop = await insertCooperative(t, { name: '待审核合作社', status: 'pending' });
    adminA = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopA.id }]);
    adminB = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopB.id }]);
    hostA = await userWithRoles(t, [{ role: 'host', cooperativeId: coopA.id }]);
    pendingAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: pendingCoop.id }]);
    buyer = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  async function createProduct(coopId: string, who: Session, fields: Record<string, unknown> = {}) {
    const res = await t.http
      .post(`/api/console/cooperatives/${coopId}/products`)
      .set(bearer(who))
      .send({ ...baseProduct, ...fields })
      .expect(201);
    return res.body as ConsoleProduct;
  }

  let hh = 0;
  async function memberHousehold(
    coopId: string,
    headName: string,
    status: RegistryStatus,
    leftAt: string | null = null,
  ) {
    const households = t.db.getRepository(Household);
    const digits = String(100000 + ++hh).padStart(6, '0');
    const h = await households.save(
      households.create({
        headName,
        idNumberHash: randomBytes(32).toString('hex'),
        idNumberMasked: `6101**********${digits.slice(-4)}`,
        province: '陕西省',
        city: '商洛市',
        county: '柞水县',
        township: '小岭镇',
        village: '金米村',
        householdSize: 4,
        povertyCauses: ['illness'],
        status,
        createdBy: adminA.user.id,
      }),
    );
    const memberships = t.db.getRepository(Membership);
    await memberships.save(
      memberships.create({
        cooperativeId: coopId,
        householdId: h.id,
        shareUnits: 10,
        landMuHundredths: 150,
        labourRole: 'grower',
        joinedAt: '2024-03-01',
        leftAt,
        createdBy: adminA.user.id,
      }),
    );
    return h;
  }

  describe('products in the console', () => {
    it('lets the coop admin create a product; origin defaults to the cooperative, unexpected fields are ignored', async () => {
      const res = await t.http
        .post(`/api/console/cooperatives/${coopA.id}/products`)
        .set(bearer(adminA))
        .send({ ...baseProduct, cooperativeId: coopB.id, soldCount: 9999, id: randomUUID(), status: 'approved' })
        .expect(201);
      const p = res.body as ConsoleProduct;
      expect(p.cooperativeId).toBe(coopA.id);
      expect(p.soldCount).toBe(0);
      expect(p.priceFen).toBe(5900);
      expect(p.originProvince).toBe('陕西省');
      expect(p.originVillage).toBe('金米村');
      expect(p.photos).toEqual([]);
    });

    it('refuses prices that are not whole fen in (0, ¥100,000] and negative stock, naming the field', async () => {
      for (const priceFen of [0, -1, 12.5, 10_000_001, '59.00']) {
        const res = await t.http
          .post(`/api/console/cooperatives/${coopA.id}/products`)
          .set(bearer(adminA))
          .send({ ...baseProduct, priceFen })
          .expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('priceFen');
      }
      const res = await t.http
        .post(`/api/console/cooperatives/${coopA.id}/products`)
        .set(bearer(adminA))
        .send({ ...baseProduct, stock: -1, category: 'weapons' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'stock']);
    });

    it('PATCH changes what it accepts and ignores cooperativeId, soldCount and id', async () => {
      const p = await createProduct(coopA.id, adminA);
      const res = await t.http
        .patch(`/api/console/products/${p.id}`)
        .set(bearer(adminA))
        .send({
          priceFen: 6800,
          stock: 12,
          cooperativeId: coopB.id,
          soldCount: 500,
          id: randomUUID(),
          published: false,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id: p.id,
        cooperativeId: coopA.id,
        soldCount: 0,
        priceFen: 6800,
        stock: 12,
        published: false,
      });
      const stored = await t.db.query('SELECT cooperative_id, sold_count FROM products WHERE id = $1', [p.id]);
      expect(stored[0]).toEqual({ cooperative_id: coopA.id, sold_count: 0 });
    });

    it('lists the cooperative’s products, published or not, to its admin and hosts', async () => {
      const hidden = await createProduct(coopA.id, adminA, { nameZh: '未上架的木耳', published: false });
      for (const who of [adminA, hostA]) {
        const res = await t.http.get(`/api/console/cooperatives/${coopA.id}/products`).set(bearer(who)).expect(200);
        expect((res.body as ConsoleProduct[]).map((x) => x.id)).toContain(hidden.id);
      }
    });
  });

  describe('authorization from the wrong side, on every console route', () => {
    let product: ConsoleProduct;
    let photoId: string;
    beforeAll(async () => {
      product = await createProduct(coopA.id, adminA, { nameZh: '授权测试木耳' });
      const up = await t.http
        .post(`/api/console/products/${product.id}/photos`)
        .set(bearer(adminA))
        .attach('photo', await png(200, 200), { filename: 'a.png', contentType: 'image/png' })
        .expect(201);
      photoId = (up.body as ConsoleProduct).photos[0].id;
    });

    const routes = () => {
      const lot = {
        code: 'AUTH-1',
        harvestDate: '2025-09-01',
        quantity: 1,
        supplies: [{ householdId: randomUUID(), quantity: 1 }],
      };
      return [
        { write: false, method: 'get', url: `/api/console/cooperatives/${coopA.id}/products` },
        { write: true, method: 'post', url: `/api/console/cooperatives/${coopA.id}/products`, body: baseProduct },
        { write: false, method: 'get', url: `/api/console/cooperatives/${coopA.id}/member-households` },
        { write: false, method: 'get', url: `/api/console/products/${product.id}` },
        { write: true, method: 'patch', url: `/api/console/products/${product.id}`, body: { priceFen: 1 } },
        { write: true, method: 'post', url: `/api/console/products/${product.id}/photos`, photo: true },
        { write: true, method: 'delete', url: `/api/console/products/${product.id}/photos/${photoId}` },
        {
          write: true,
          method: 'put',
          url: `/api/console/products/${product.id}/photos/order`,
          body: { photoIds: [photoId] },
        },
        { write: false, method: 'get', url: `/api/console/products/${product.id}/lots` },
        { write: true, method: 'post', url: `/api/console/products/${product.id}/lots`, body: lot },
      ] as {
        write: boolean;
        method: 'get' | 'post' | 'patch' | 'put' | 'delete';
        url: string;
        body?: object;
        photo?: boolean;
      }[];
    };

    async function call(r: ReturnType<typeof routes>[number], who?: Session) {
      let req = t.http[r.method](r.url);
      if (who) req = req.set(bearer(who));
      if (r.photo) return req.attach('photo', await png(50, 50), { filename: 'x.png', contentType: 'image/png' });
      return r.body ? req.send(r.body) : req;
    }

    it('anonymous callers get 401', async () => {
      for (const r of routes()) expect([r.url, (await call(r)).status]).toEqual([r.url, 401]);
    });

    it('buyers get 403', async () => {
      for (const r of routes()) expect([r.url, (await call(r, buyer)).status]).toEqual([r.url, 403]);
    });

    it('the coop admin of another cooperative gets 404 and changes nothing', async () => {
      for (const r of routes()) {
        const res = await call(r, adminB);
        expect([r.method, r.url, res.status]).toEqual([r.method, r.url, 404]);
      }
      const after = await t.http.get(`/api/console/products/${product.id}`).set(bearer(adminA)).expect(200);
      expect(after.body.priceFen).toBe(5900);
      expect(after.body.photos).toHaveLength(1);
    });

    it('a host of the cooperative reads (200) but cannot write (403)', async () => {
      for (const r of routes()) {
        const res = await call(r, hostA);
        expect([r.method, r.url, res.status]).toEqual([r.method, r.url, r.write ? 403 : 200]);
      }
    });

    it('an unknown or malformed product id is 404, not 500', async () => {
      await t.http.get(`/api/console/products/${randomUUID()}`).set(bearer(adminA)).expect(404);
      await t.http.get(`/api/console/products/not-a-uuid`).set(bearer(adminA)).expect(404);
      await t.http.get(`/api/console/cooperatives/not-a-uuid/products`).set(bearer(adminA)).expect(404);
    });
  });

  describe('photos', () => {
    it('stores an uploaded PNG as WebP with a thumbnail served by /api/files with long cache headers', async () => {
      const p = await createProduct(coopA.id, adminA, { nameZh: '带图片的木耳' });
      const res = await t.http
        .post(`/api/console/products/${p.id}/photos`)
        .set(bearer(adminA))
        .attach('photo', await png(2400, 1800), { filename: 'big.png', contentType: 'image/png' })
        .expect(201);
      const photo = (res.body as ConsoleProduct).photos[0];
      expect(photo).toMatchObject({ width: 1600, height: 1200, position: 0 });
      expect(photo.url).toMatch(/^\/api\/files\/products\/.+\.webp$/);

      const thumb = await t.http.get(photo.thumbUrl).buffer(true).expect(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      expect(thumb.headers['cache-control']).toMatch(/max-age=31536000/);
      const meta = await sharp(thumb.body as Buffer).metadata();
      expect(meta.format).toBe('webp');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(400);
      expect(meta.exif).toBeUndefined();

      const original = await t.http.get(photo.url).buffer(true).expect(200);
      expect((await sharp(original.body as Buffer).metadata()).width).toBe(1600);

      // The list shows the first photo's thumbnail as the cover.
      const list = await t.http.get(`/api/products?cooperativeId=${coopA.id}&pageSize=50`).expect(200);
      const item = (list.body as ProductListResponse).items.find((x) => x.id === p.id);
      expect(item?.coverThumbUrl).toBe(photo.thumbUrl);
    });

    it('refuses a file that is not an image with 400 NOT_AN_IMAGE (whatever its declared type)', async () => {
      const p = await createProduct(coopA.id, adminA);
      const res = await t.http
        .post(`/api/console/products/${p.id}/photos`)
        .set(bearer(adminA))
        .attach('photo', Buffer.from('%PDF-1.4 not an image at all'), { filename: 'x.png', contentType: 'image/png' })
        .expect(400);
      expect(res.body.code).toBe('NOT_AN_IMAGE');
      const missing = await t.http.post(`/api/console/products/${p.id}/photos`).set(bearer(adminA)).expect(400);
      expect(missing.body.code).toBe('IMAGE_MISSING');
      const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
        .gif()
        .toBuffer();
      const gifRes = await t.http
        .post(`/api/console/products/${p.id}/photos`)
        .set(bearer(adminA))
        .attach('photo', gif, { filename: 'x.gif', contentType: 'image/gif' })
        .expect(400);
      expect(gifRes.body.code).toBe('NOT_AN_IMAGE');
    });

    it('allows 8 photos and answers the 9th with 409 PHOTO_LIMIT; reorders and deletes', async () => {
      const p = await createProduct(coopA.id, adminA, { nameZh: '八张图' });
      const img = await png(300, 200);
      let last: ConsoleProduct = p;
      for (let i = 0; i < 8; i++) {
        const res = await t.http
          .post(`/api/console/products/${p.id}/photos`)
          .set(bearer(adminA))
          .attach('photo', img, { filename: `${i}.png`, contentType: 'image/png' })
          .expect(201);
        last = res.body;
      }
      expect(last.photos.map((x) => x.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const ninth = await t.http
        .post(`/api/console/products/${p.id}/photos`)
        .set(bearer(adminA))
        .attach('photo', img, { filename: '9.png', contentType: 'image/png' })
        .expect(409);
      expect(ninth.body.code).toBe('PHOTO_LIMIT');

      const ids = last.photos.map((x) => x.id);
      const reversed = [...ids].reverse();
      const re = await t.http
        .put(`/api/console/products/${p.id}/photos/order`)
        .set(bearer(adminA))
        .send({ photoIds: reversed })
        .expect(200);
      expect((re.body as ConsoleProduct).photos.map((x) => x.id)).toEqual(reversed);

      const bad = await t.http
        .put(`/api/console/products/${p.id}/photos/order`)
        .set(bearer(adminA))
        .send({ photoIds: reversed.slice(1) })
        .expect(400);
      expect(bad.body.code).toBe('PHOTO_ORDER_MISMATCH');

      const removed = last.photos.find((x) => x.id === reversed[0]);
      const del = await t.http
        .delete(`/api/console/products/${p.id}/photos/${reversed[0]}`)
        .set(bearer(adminA))
        .expect(200);
      expect((del.body as ConsoleProduct).photos.map((x) => x.id)).toEqual(reversed.slice(1));
      expect((del.body as ConsoleProduct).photos.map((x) => x.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      await t.http.get(removed?.url ?? '/api/files/none').expect(404);
      await t.http
        .post(`/api/console/products/${p.id}/photos`)
        .set(bearer(adminA))
        .attach('photo', img, { filename: '8.png', contentType: 'image/png' })
        .expect(201);
    });

    it('never serves a file outside the uploads folder, and 404s a missing one', async () => {
      await t.http.get('/api/files/products/nothing-here.webp').expect(404);
      await t.http.get('/api/files/..%2F..%2Fetc%2Fpasswd').expect(404);
      await t.http.get('/api/files/products/%2e%2e/%2e%2e/package.json').expect(404);
      const malformed = await t.http.get('/api/files/%E0%A4%A');
      expect([400, 404]).toContain(malformed.status);
    });
  });

  describe('lots and the trace', () => {
    it('records a lot whose supplies add up, and refuses mismatches, duplicates and non-members', async () => {
      const p = await createProduct(coopA.id, adminA, { nameZh: '批次木耳' });
      const h1 = await memberHousehold(coopA.id, '王小明', 'registered');
      const h2 = await memberHousehold(coopA.id, '李秀英', 'monitored');
      const h3 = await memberHousehold(coopA.id, '欧阳建国', 'none');
      const otherCoop = await memberHousehold(coopB.id, '赵四', 'registered');
      const former = await memberHousehold(coopA.id, '钱五', 'registered', '2025-01-01');
      const lot = (supplies: { householdId: string; quantity: number }[], quantity = 100, code = 'ZS-2025-01') =>
        t.http
          .post(`/api/console/products/${p.id}/lots`)
          .set(bearer(adminA))
          .send({ code, harvestDate: '2025-09-12', quantity, note: '秋耳', supplies });

      const mismatch = await lot([
        { householdId: h1.id, quantity: 50 },
        { householdId: h2.id, quantity: 30 },
      ]).expect(400);
      expect(mismatch.body.code).toBe('LOT_SUPPLY_MISMATCH');

      const dup = await lot([
        { householdId: h1.id, quantity: 50 },
        { householdId: h1.id, quantity: 50 },
      ]).expect(400);
      expect(dup.body.code).toBe('LOT_DUPLICATE_HOUSEHOLD');

      for (const outsider of [otherCoop, former]) {
        const res = await lot([
          { householdId: h1.id, quantity: 50 },
          { householdId: outsider.id, quantity: 50 },
        ]).expect(400);
        expect(res.body.code).toBe('LOT_HOUSEHOLD_NOT_MEMBER');
        expect(res.body.message).toContain(outsider.id);
        expect(res.body.errors[0].field).toBe('supplies.1.householdId');
      }
      expect((await t.db.query('SELECT count(*)::int AS n FROM lots WHERE product_id = $1', [p.id]))[0].n).toBe(0);

      const ok = await lot([
        { householdId: h1.id, quantity: 50 },
        { householdId: h2.id, quantity: 30 },
        { householdId: h3.id, quantity: 20 },
      ]).expect(201);
      const created = ok.body as ConsoleLot;
      expect(created).toMatchObject({ code: 'ZS-2025-01', harvestDate: '2025-09-12', quantity: 100 });
      expect(created.supplies.map((s) => [s.maskedName, s.status, s.quantity])).toEqual([
        ['王*明', 'registered', 50],
        ['李*英', 'monitored', 30],
        ['欧**国', 'none', 20],
      ]);

      const again = await lot([{ householdId: h1.id, quantity: 100 }]).expect(409);
      expect(again.body.code).toBe('LOT_CODE_TAKEN');

      const list = await t.http.get(`/api/console/products/${p.id}/lots`).set(bearer(hostA)).expect(200);
      expect((list.body as ConsoleLot[]).map((l) => l.code)).toEqual(['ZS-2025-01']);
      expect(JSON.stringify(list.body)).not.toMatch(/王小明|李秀英|欧阳建国|\*{10}/);
    });

    it('shows the trace on the public product page with masked names only (checked on the raw JSON)', async () => {
      const p = await createProduct(coopA.id, adminA, { nameZh: '溯源木耳' });
      const a = await memberHousehold(coopA.id, '张德明', 'registered');
      const b = await memberHousehold(coopA.id, '刘桂兰', 'monitored');
      const c = await memberHousehold(coopA.id, '陈大山', 'lifted');
      await t.http
        .post(`/api/console/products/${p.id}/lots`)
        .set(bearer(adminA))
        .send({
          code: 'LOT-A',
          harvestDate: '2025-08-01',
          quantity: 60,
          supplies: [
            { householdId: a.id, quantity: 40 },
            { householdId: b.id, quantity: 20 },
          ],
        })
        .expect(201);
      await t.http
        .post(`/api/console/products/${p.id}/lots`)
        .set(bearer(adminA))
        .send({
          code: 'LOT-B',
          harvestDate: '2025-09-01',
          quantity: 30,
          supplies: [
            { householdId: a.id, quantity: 10 },
            { householdId: c.id, quantity: 20 },
          ],
        })
        .expect(201);

      const res = await t.http.get(`/api/products/${p.id}`).expect(200);
      const raw = res.text;
      for (const clear of ['张德明', '刘桂兰', '陈大山']) expect(raw).not.toContain(clear);
      for (const h of [a, b, c]) {
        expect(raw).not.toContain(h.idNumberHash);
        expect(raw).not.toContain(h.idNumberMasked);
        expect(raw).not.toContain(h.id);
      }
      expect(raw).not.toMatch(/\d{17}[\dX]|\*{10}|idNumber|headName/);

      const d = res.body as ProductDetail;
      expect(d.trace.origin).toEqual({ province: '陕西省', county: '柞水县', village: '金米村' });
      expect(d.trace.lots).toEqual([
        { code: 'LOT-B', harvestDate: '2025-09-01', quantity: 30 },
        { code: 'LOT-A', harvestDate: '2025-08-01', quantity: 60 },
      ]);
      expect(d.trace.households.total).toBe(3);
      expect(d.trace.households.registeredOrMonitored).toBe(2);
      expect(d.trace.households.masked[0]).toEqual({ name: '张*明', status: 'registered', quantity: 50 });
      expect(d.trace.households.masked).toHaveLength(3);
      expect(d.trace.households.masked).toEqual(
        expect.arrayContaining([
          { name: '刘*兰', status: 'monitored', quantity: 20 },
          { name: '陈*山', status: 'lifted', quantity: 20 },
        ]),
      );
      expect(d.cooperative).toMatchObject({ id: coopA.id, name: '金米村木耳专业合作社', county: '柞水县' });
    });

    it('lists member households with masked names for picking suppliers', async () => {
      await memberHousehold(coopB.id, '孙悟空', 'registered');
      const res = await t.http
        .get(`/api/console/cooperatives/${coopB.id}/member-households`)
        .set(bearer(adminB))
        .expect(200);
      expect(res.body.map((h: { maskedName: string }) => h.maskedName)).toContain('孙*空');
      expect(JSON.stringify(res.body)).not.toMatch(/孙悟空|\*{10}/);
    });
  });

  describe('the public catalogue', () => {
    let muer: ConsoleProduct;
    let lajiao: ConsoleProduct;
    let hidden: ConsoleProduct;
    let pendingProduct: ConsoleProduct;
    beforeAll(async () => {
      muer = await createProduct(coopA.id, adminA, { nameZh: '秦岭椴木黑木耳', priceFen: 3900 });
      lajiao = await createProduct(coopB.id, adminB, {
        nameZh: '阜南朝天椒',
        category: 'vegetables',
        descriptionZh: '巩堰村的红辣椒，晒干后香辣。',
        priceFen: 2500,
      });
      hidden = await createProduct(coopA.id, adminA, { nameZh: '隐藏的木耳', published: false });
      pendingProduct = await createProduct(pendingCoop.id, pendingAdmin, { nameZh: '待审核社的木耳' });
    });

    const search = async (query: string) => {
      const res = await t.http.get('/api/products').query({ q: query, pageSize: 50 }).expect(200);
      return res.body as ProductListResponse;
    };

    it('has the contract shape: items and total, with card fields', async () => {
      const res = await t.http.get('/api/products').expect(200);
      const body = res.body as ProductListResponse;
      expect(body).toMatchObject({ page: 1, pageSize: 20 });
      expect(typeof body.total).toBe('number');
      const item = body.items.find((x) => x.id === lajiao.id);
      expect(item).toMatchObject({
        nameZh: '阜南朝天椒',
        category: 'vegetables',
        unit: 'jin',
        priceFen: 2500,
        currency: 'CNY',
        stock: 300,
        soldCount: 0,
        originProvince: '安徽省',
        originCounty: '阜南县',
        originVillage: '巩堰村',
        cooperative: { id: coopB.id, name: '巩堰村辣椒种植合作社' },
        coverThumbUrl: null,
      });
    });

    it('shows only published products of approved cooperatives', async () => {
      const all = await t.http.get('/api/products').query({ pageSize: 50 }).expect(200);
      const ids = (all.body as ProductListResponse).items.map((x) => x.id);
      expect(ids).toContain(muer.id);
      expect(ids).not.toContain(hidden.id);
      expect(ids).not.toContain(pendingProduct.id);
      await t.http.get(`/api/products/${hidden.id}`).expect(404);
      await t.http.get(`/api/products/${pendingProduct.id}`).expect(404);
      await t.http.get(`/api/products/${randomUUID()}`).expect(404);
      await t.http.get(`/api/products/not-a-uuid`).expect(404);
      expect((await search('待审核')).items).toEqual([]);
    });

    it('finds 木耳 products for 木耳 and not 辣椒; finds 辣椒 for 辣椒', async () => {
      const muerHits = await search('木耳');
      const names = muerHits.items.map((x) => x.nameZh);
      expect(names).toContain('秦岭椴木黑木耳');
      // Every hit says 木耳 in its name or its cooperative's name (金米村木耳专业合作社 is indexed too).
      expect(muerHits.items.every((x) => `${x.nameZh} ${x.cooperative.name}`.includes('木耳'))).toBe(true);
      expect(muerHits.items.map((x) => x.id)).not.toContain(lajiao.id);
      expect(muerHits.total).toBe(muerHits.items.length);
      // Matches in the name rank before matches only in the cooperative's name.
      const inName = muerHits.items.map((x) => x.nameZh.includes('木耳'));
      expect(inName.indexOf(false) === -1 || inName.lastIndexOf(true) < inName.indexOf(false)).toBe(true);
      expect(inName).toContain(false);

      const lajiaoHits = await search('辣椒');
      expect(lajiaoHits.items.map((x) => x.id)).toEqual([lajiao.id]);
      expect(lajiaoHits.total).toBe(1);
    });

    it('finds by a single character, by village, cooperative name and category label', async () => {
      expect((await search('椒')).items.map((x) => x.id)).toEqual([lajiao.id]);
      expect((await search('巩堰')).items.map((x) => x.id)).toEqual([lajiao.id]);
      expect((await search('蔬菜')).items.map((x) => x.id)).toEqual([lajiao.id]);
      const both = await search('黑木耳 秦岭');
      expect(both.items.map((x) => x.id)).toContain(muer.id);
      expect(both.items.every((x) => x.nameZh.includes('黑木耳'))).toBe(true);
      expect((await search('椴木黑')).items.map((x) => x.id)).toEqual([muer.id]);
      expect((await search('火龙果')).items).toEqual([]);
    });

    it('finds by pinyin in full, by initials and as typed so far, and a name typed with a homophone', async () => {
      const ids = async (q: string) => (await search(q)).items.map((x) => x.id);
      for (const q of ['muer', 'heimuer', 'me', 'hme', 'MuEr', 'heimu', 'duanmu', 'qinling']) {
        expect({ q, found: (await ids(q)).includes(muer.id) }).toEqual({ q, found: true });
      }
      expect(await ids('lajiao')).toEqual([lajiao.id]);
      expect(await ids('chaotianjiao')).toEqual([lajiao.id]);
      expect(await ids('lajiao')).not.toContain(muer.id);
      expect(await ids('gongyan')).toEqual([lajiao.id]); // the village, by pinyin
      // 黑目耳 (目 for 木): no character bigram matches, the sound does; 朝天焦 for 朝天椒 likewise.
      expect(await ids('黑目耳')).toContain(muer.id);
      expect(await ids('朝天焦')).toEqual([lajiao.id]);
      expect(await ids('xyzzy')).toEqual([]);
    });

    it('suggests as the buyer types: a pinyin prefix, initials, Chinese; bad input named', async () => {
      const suggest = async (q: string) =>
        ((await t.http.get('/api/products/suggest').query({ q }).expect(200)).body as ProductSuggestResponse).items;
      for (const q of ['hei', 'heim', 'hme', '黑木', '秦岭']) {
        const items = await suggest(q);
        expect({ q, found: items.some((x) => x.id === muer.id) }).toEqual({ q, found: true });
        expect(items.length).toBeLessThanOrEqual(8);
      }
      expect((await suggest('la'))[0]).toMatchObject({ id: lajiao.id, nameZh: '阜南朝天椒', priceFen: 2500 });
      expect(await suggest('待审核')).toEqual([]);
      const missing = await t.http.get('/api/products/suggest').expect(400);
      expect(JSON.stringify(missing.body)).toContain('q');
    });

    it('keeps the search index current when a product is renamed', async () => {
      const p = await createProduct(coopB.id, adminB, { nameZh: '猫爪草', category: 'herbs' });
      expect((await search('猫爪')).items.map((x) => x.id)).toEqual([p.id]);
      await t.http.patch(`/api/console/products/${p.id}`).set(bearer(adminB)).send({ nameZh: '阜南药材' }).expect(200);
      expect((await search('猫爪')).items).toEqual([]);
      expect((await search('药材')).items.map((x) => x.id)).toEqual([p.id]);
    });

    it('answers SQL-ish and operator-only queries with 200, never 500', async () => {
      for (const q of [
        "木耳' OR 1=1 --",
        '&|!',
        "'",
        '\\',
        ':*',
        '木耳 & !辣椒',
        '((((',
        "'); DROP TABLE products; --",
        '%_%',
      ]) {
        const res = await t.http.get('/api/products').query({ q }).expect(200);
        expect(Array.isArray(res.body.items)).toBe(true);
      }
      expect((await search("木耳' OR 1=1 --")).items.map((x) => x.id)).not.toContain(lajiao.id);
      expect((await search('&|!')).total).toBe(0);
      const count = await t.db.query('SELECT count(*)::int AS n FROM products');
      expect(count[0].n).toBeGreaterThan(0);
    });

    it('filters by province (陕西 or 陕西省) and category, sorts and paginates', async () => {
      for (const region of ['陕西', '陕西省']) {
        const res = await t.http.get('/api/products').query({ region, pageSize: 50 }).expect(200);
        const items = (res.body as ProductListResponse).items;
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((x) => x.originProvince === '陕西省')).toBe(true);
      }
      const veg = await t.http.get('/api/products').query({ category: 'vegetables' }).expect(200);
      expect(veg.body.items.map((x: { id: string }) => x.id)).toEqual([lajiao.id]);
      const byLabel = await t.http.get('/api/products').query({ category: '蔬菜' }).expect(200);
      expect(byLabel.body.total).toBe(1);
      await t.http.get('/api/products').query({ category: 'weapons' }).expect(400);

      const asc = (await t.http.get('/api/products').query({ sort: 'price_asc', pageSize: 50 }).expect(200)).body;
      const prices = asc.items.map((x: { priceFen: number }) => x.priceFen);
      expect(prices).toEqual([...prices].sort((a: number, b: number) => a - b));
      const desc = (await t.http.get('/api/products').query({ sort: 'price_desc', pageSize: 50 }).expect(200)).body;
      expect(desc.items[0].priceFen).toBe(Math.max(...prices));

      const page1 = (await t.http.get('/api/products').query({ pageSize: 2, page: 1 }).expect(200)).body;
      const page2 = (await t.http.get('/api/products').query({ pageSize: 2, page: 2 }).expect(200)).body;
      expect(page1.items).toHaveLength(2);
      expect(page2.total).toBe(page1.total);
      expect(page2.items.map((x: { id: string }) => x.id)).not.toContain(page1.items[0].id);
      const beyond = (await t.http.get('/api/products').query({ pageSize: 50, page: 99 }).expect(200)).body;
      expect(beyond).toMatchObject({ items: [], total: page1.total });
      await t.http.get('/api/products').query({ pageSize: 51 }).expect(400);
      await t.http.get('/api/products').query({ q: '', category: '', region: '', page: '' }).expect(200);
    });

    it('serves answers from its cache and drops those a stock change or a console write touches', async () => {
      const p = await createProduct(coopB.id, adminB, { nameZh: '阜南线椒', category: 'vegetables', stock: 40 });
      const page = async () => (await t.http.get(`/api/products/${p.id}`).expect(200)).body as ProductDetail;
      const listed = async () => {
        const res = await t.http.get('/api/products').query({ cooperativeId: coopB.id, pageSize: 50 }).expect(200);
        return (res.body as ProductListResponse).items.find((x) => x.id === p.id);
      };
      expect((await page()).stock).toBe(40);
      expect((await listed())?.stock).toBe(40);

      // A change nobody announces (another process, SQL by hand) shows once the entry expires, not before.
      await t.db.query('UPDATE products SET stock = 39 WHERE id = $1', [p.id]);
      expect((await page()).stock).toBe(40);
      expect((await listed())?.stock).toBe(40);

      // An order's stock change is announced after its commit ('stock.changed'): both answers are dropped at once.
      t.app.get(DomainEvents).publish(null, 'stock.changed', { productId: p.id });
      expect((await page()).stock).toBe(39);
      expect((await listed())?.stock).toBe(39);

      // A console write shows at once in every answer.
      await t.http.patch(`/api/console/products/${p.id}`).set(bearer(adminB)).send({ priceFen: 1990 }).expect(200);
      expect((await page()).priceFen).toBe(1990);
      expect((await listed())?.priceFen).toBe(1990);
      await t.http.patch(`/api/console/products/${p.id}`).set(bearer(adminB)).send({ published: false }).expect(200);
      expect(await listed()).toBeUndefined();
      await t.http.get(`/api/products/${p.id}`).expect(404);
    });

    it('answers a conditional GET of an unchanged answer with 304, and a changed one in full', async () => {
      const first = await t.http.get('/api/products').query({ pageSize: 5 }).expect(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"/);
      await t.http.get('/api/products').query({ pageSize: 5 }).set('If-None-Match', etag).expect(304);
      await createProduct(coopA.id, adminA, { nameZh: '新上架的木耳' });
      const after = await t.http.get('/api/products').query({ pageSize: 5 }).set('If-None-Match', etag).expect(200);
      expect((after.body as ProductListResponse).items[0].nameZh).toBe('新上架的木耳');
      expect(after.headers.etag).not.toBe(etag);
    });

    it('gives the filters their facets', async () => {
      const res = await t.http.get('/api/products/facets').expect(200);
      expect(res.body.provinces).toEqual(expect.arrayContaining([expect.objectContaining({ province: '安徽省' })]));
      expect(res.body.categories).toEqual(
        expect.arrayContaining([{ category: 'vegetables', count: expect.any(Number) }]),
      );
    });
  });
});
