import sharp from 'sharp';
import type { ConsoleReview, OrderReviewsResponse, ProductReviewsResponse, PublicReview } from '@xiangbo/contracts';
import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { REPORTS_PER_HOUR } from './reviews.service';

/**
 * Reviews through the real app: only the buyer of a completed order reviews its lines, once each, with up to 6
 * photos; the public sees visible reviews masked; the cooperative's admin replies; the platform hides.
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('reviews (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function setup() {
    const coop = await insertCooperative(t);
    const product = await insertProduct(t, coop.id, { name_zh: '柞水黑木耳', stock: 50 });
    const other = await insertProduct(t, coop.id, { name_zh: '香菇', stock: 50 });
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
    const buyer = await registerUser(t, '王小明');
    return { coop, product, other, admin, host, buyer };
  }

  /** An order of the buyer's, taken through pay → ship → confirm receipt up to `until`. */
  async function order(
    s: Awaited<ReturnType<typeof setup>>,
    until: 'pending_payment' | 'paid' | 'shipped' | 'completed',
  ): Promise<{ id: string; lines: { id: string; productId: string }[] }> {
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(s.buyer.token))
      .send({
        items: [
          { productId: s.product.id, quantity: 1 },
          { productId: s.other.id, quantity: 2 },
        ],
        address: TEST_ADDRESS,
      })
      .expect(201);
    const id = placed.body.id as string;
    if (until !== 'pending_payment') {
      await t.http
        .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
        .set(bearer(s.buyer.token))
        .expect(200);
    }
    if (until === 'shipped' || until === 'completed') {
      await t.http
        .post(`/api/console/orders/${id}/ship`)
        .set(bearer(s.admin.token))
        .send({ carrier: '顺丰速运', trackingNumber: `SF${Date.now()}` })
        .expect((r) => expect(r.status).toBeLessThan(300));
    }
    if (until === 'completed') {
      await t.http
        .post(`/api/orders/${id}/confirm-receipt`)
        .set(bearer(s.buyer.token))
        .expect((r) => expect(r.status).toBeLessThan(300));
    }
    const lines: { id: string; product_id: string }[] = await t.db.query(
      `SELECT id, product_id FROM order_lines WHERE order_id = $1`,
      [id],
    );
    return { id, lines: lines.map((l) => ({ id: l.id, productId: l.product_id })) };
  }
  const lineOf = (o: { lines: { id: string; productId: string }[] }, productId: string) => {
    const line = o.lines.find((l) => l.productId === productId);
    if (!line) throw new Error(`no line of ${productId}`);
    return line.id;
  };

  it('only the buyer of a completed order reviews its lines, once each; the public sees it masked', async () => {
    const s = await setup();
    for (const stage of ['pending_payment', 'paid', 'shipped'] as const) {
      const o = await order(s, stage);
      const res = await t.http
        .post(`/api/orders/${o.id}/reviews`)
        .set(bearer(s.buyer.token))
        .send({ lineId: lineOf(o, s.product.id), rating: 5, text: '很好' })
        .expect(409);
      expect(res.body.code).toBe('ORDER_NOT_COMPLETED');
    }
    const o = await order(s, 'completed');
    const body = { lineId: lineOf(o, s.product.id), rating: 4, text: '泡发后很大，口感脆。' };
    // From the wrong side: another buyer, the cooperative's admin, nobody signed in.
    const stranger = await registerUser(t);
    expect(
      (await t.http.post(`/api/orders/${o.id}/reviews`).set(bearer(stranger.token)).send(body).expect(404)).body.code,
    ).toBe('ORDER_NOT_FOUND');
    await t.http.post(`/api/orders/${o.id}/reviews`).set(bearer(s.admin.token)).send(body).expect(404);
    await t.http.post(`/api/orders/${o.id}/reviews`).send(body).expect(401);
    await t.http.get(`/api/orders/${o.id}/reviews`).set(bearer(stranger.token)).expect(404);
    // A line of another order, bad stars, empty text: named.
    const elsewhere = await order(s, 'completed');
    const wrongLine = await t.http
      .post(`/api/orders/${o.id}/reviews`)
      .set(bearer(s.buyer.token))
      .send({ ...body, lineId: lineOf(elsewhere, s.product.id) })
      .expect(400);
    expect(wrongLine.body.code).toBe('LINE_NOT_IN_ORDER');
    const bad = await t.http
      .post(`/api/orders/${o.id}/reviews`)
      .set(bearer(s.buyer.token))
      .send({ ...body, rating: 6, text: '' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/rating/);
    expect(JSON.stringify(bad.body)).toMatch(/text/);

    const created = (await t.http.post(`/api/orders/${o.id}/reviews`).set(bearer(s.buyer.token)).send(body).expect(201))
      .body as PublicReview;
    expect(created).toMatchObject({ rating: 4, text: body.text, buyerMasked: '王*明', photos: [], reply: null });
    // Twice, also in parallel: one review per line.
    const again = await Promise.all(
      [1, 2, 3].map(() => t.http.post(`/api/orders/${o.id}/reviews`).set(bearer(s.buyer.token)).send(body)),
    );
    expect(again.map((r) => r.status)).toEqual([409, 409, 409]);
    await t.http
      .post(`/api/orders/${o.id}/reviews`)
      .set(bearer(s.buyer.token))
      .send({ lineId: lineOf(o, s.other.id), rating: 5, text: '香菇也好' })
      .expect(201);

    const mine = (await t.http.get(`/api/orders/${o.id}/reviews`).set(bearer(s.buyer.token)).expect(200))
      .body as OrderReviewsResponse;
    expect(mine.reviewable).toBe(true);
    expect(mine.lines.map((l) => Boolean(l.review)).sort()).toEqual([true, true]);

    const page = (await t.http.get(`/api/products/${s.product.id}/reviews`).expect(200)).body as ProductReviewsResponse;
    expect(page).toMatchObject({ count: 1, average: 4, distribution: [0, 0, 0, 1, 0] });
    expect(page.items[0]).toMatchObject({ id: created.id, buyerMasked: '王*明' });
    expect(JSON.stringify(page)).not.toContain(s.buyer.user.id);
    const unknown = await t.http.get(`/api/products/not-a-uuid/reviews`).expect(404);
    expect(unknown.body.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('photos: up to 6, only the author, through the image pipeline; junk refused', async () => {
    const s = await setup();
    const o = await order(s, 'completed');
    const review = (
      await t.http
        .post(`/api/orders/${o.id}/reviews`)
        .set(bearer(s.buyer.token))
        .send({ lineId: lineOf(o, s.product.id), rating: 2, text: '有几包受潮了' })
        .expect(201)
    ).body as PublicReview;
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#804020' } })
      .jpeg()
      .toBuffer();
    const other = await registerUser(t);
    await t.http
      .post(`/api/reviews/${review.id}/photos`)
      .set(bearer(other.token))
      .attach('photo', jpeg, 'a.jpg')
      .expect(404);
    await t.http
      .post(`/api/reviews/${review.id}/photos`)
      .set(bearer(s.buyer.token))
      .attach('photo', Buffer.from('not an image'), 'a.jpg')
      .expect((r) => expect(r.status).toBe(400));
    // Seven at once: exactly six stored.
    const results = await Promise.all(
      Array.from({ length: 7 }, () =>
        t.http.post(`/api/reviews/${review.id}/photos`).set(bearer(s.buyer.token)).attach('photo', jpeg, 'a.jpg'),
      ),
    );
    expect(results.filter((r) => r.status === 201).length).toBe(6);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['PHOTO_LIMIT']);
    const page = (await t.http.get(`/api/products/${s.product.id}/reviews`).expect(200)).body as ProductReviewsResponse;
    expect(page.items[0].photos).toHaveLength(6);
    const thumb = await t.http.get(page.items[0].photos[0].thumbUrl).expect(200);
    expect(thumb.headers['content-type']).toContain('image/webp');
    // After the window closes, no more photos.
    await t.db.query(`UPDATE reviews SET created_at = now() - interval '25 hours', photos = '[]' WHERE id = $1`, [
      review.id,
    ]);
    const late = await t.http
      .post(`/api/reviews/${review.id}/photos`)
      .set(bearer(s.buyer.token))
      .attach('photo', jpeg, 'a.jpg')
      .expect(409);
    expect(late.body.code).toBe('PHOTO_WINDOW_CLOSED');
  });

  it('the cooperative admin replies (its host and other cooperatives cannot); reports; the platform hides', async () => {
    const s = await setup();
    const o = await order(s, 'completed');
    const review = (
      await t.http
        .post(`/api/orders/${o.id}/reviews`)
        .set(bearer(s.buyer.token))
        .send({ lineId: lineOf(o, s.product.id), rating: 1, text: '差评' })
        .expect(201)
    ).body as PublicReview;
    const otherCoop = await insertCooperative(t);
    const otherAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: otherCoop.id }]);
    await t.http
      .post(`/api/console/reviews/${review.id}/reply`)
      .set(bearer(otherAdmin.token))
      .send({ text: '抱歉' })
      .expect(404);
    const byHost = await t.http
      .post(`/api/console/reviews/${review.id}/reply`)
      .set(bearer(s.host.token))
      .send({ text: '抱歉' })
      .expect(403);
    expect(byHost.body.code).toBe('REVIEW_READ_ONLY');
    await t.http
      .post(`/api/console/reviews/${review.id}/reply`)
      .set(bearer(s.buyer.token))
      .send({ text: '抱歉' })
      .expect(403);
    const replied = (
      await t.http
        .post(`/api/console/reviews/${review.id}/reply`)
        .set(bearer(s.admin.token))
        .send({ text: '已为您补发，抱歉' })
        .expect(200)
    ).body as ConsoleReview;
    expect(replied.reply?.text).toBe('已为您补发，抱歉');
    expect(replied.productName).toBe('柞水黑木耳');
    const list = (
      await t.http.get(`/api/console/cooperatives/${s.coop.id}/reviews`).set(bearer(s.host.token)).expect(200)
    ).body as ConsoleReview[];
    expect(list.map((r) => r.id)).toContain(review.id);
    await t.http.get(`/api/console/cooperatives/${s.coop.id}/reviews`).set(bearer(otherAdmin.token)).expect(404);

    // Reports: not one's own, once per user (also in parallel), counted.
    const own = await t.http
      .post(`/api/reviews/${review.id}/report`)
      .set(bearer(s.buyer.token))
      .send({ reason: '广告' })
      .expect(400);
    expect(own.body.code).toBe('OWN_REVIEW');
    const reporter = await registerUser(t);
    const twice = await Promise.all(
      [1, 2].map(() =>
        t.http.post(`/api/reviews/${review.id}/report`).set(bearer(reporter.token)).send({ reason: '辱骂' }),
      ),
    );
    expect(twice.map((r) => r.status).sort()).toEqual([204, 409]);
    await t.http
      .post(`/api/reviews/${review.id}/report`)
      .set(bearer((await registerUser(t)).token))
      .send({ reason: '虚假' })
      .expect(204);
    const platform = await userWithRoles(t, [{ role: 'platform_admin' }]);
    await t.http.get('/api/admin/reviews/reported').set(bearer(s.admin.token)).expect(403);
    const reported = (await t.http.get('/api/admin/reviews/reported').set(bearer(platform.token)).expect(200))
      .body as ConsoleReview[];
    expect(reported.find((r) => r.id === review.id)?.reports).toBe(2);

    await t.http
      .post(`/api/admin/reviews/${review.id}/visibility`)
      .set(bearer(s.admin.token))
      .send({ hidden: true })
      .expect(403);
    await t.http
      .post(`/api/admin/reviews/${review.id}/visibility`)
      .set(bearer(platform.token))
      .send({ hidden: true, reason: '含辱骂内容' })
      .expect(200);
    const page = (await t.http.get(`/api/products/${s.product.id}/reviews`).expect(200)).body as ProductReviewsResponse;
    expect(page).toMatchObject({ count: 0, average: null, items: [] });
    const mine = (await t.http.get(`/api/orders/${o.id}/reviews`).set(bearer(s.buyer.token)).expect(200))
      .body as OrderReviewsResponse;
    expect(mine.lines.find((l) => l.review)?.review?.hidden).toBe(true);
    await t.http
      .post(`/api/admin/reviews/${review.id}/visibility`)
      .set(bearer(platform.token))
      .send({ hidden: false })
      .expect(200);
    expect(
      ((await t.http.get(`/api/products/${s.product.id}/reviews`).expect(200)).body as ProductReviewsResponse).count,
    ).toBe(1);
  });

  it('limits reports per user per hour', async () => {
    const s = await setup();
    const reporter = await registerUser(t);
    await t.db.query(`INSERT INTO rate_limit_buckets (key, window_start, hits) VALUES ($1, now(), $2)`, [
      `review-report:${reporter.user.id}`,
      REPORTS_PER_HOUR,
    ]);
    const o = await order(s, 'completed');
    const review = (
      await t.http
        .post(`/api/orders/${o.id}/reviews`)
        .set(bearer(s.buyer.token))
        .send({ lineId: lineOf(o, s.product.id), rating: 3, text: '一般' })
        .expect(201)
    ).body as PublicReview;
    const res = await t.http
      .post(`/api/reviews/${review.id}/report`)
      .set(bearer(reporter.token))
      .send({ reason: '广告' })
      .expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
  });
});
