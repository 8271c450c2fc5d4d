import { createHash } from 'node:crypto';
import type { RegistryStatus, SharingPolicyInput } from '@xiangbo/contracts';
import {
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  type TestApp,
  userWithRoles,
} from '../../../test/test-app';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

let n = 0;
/** A registry household inserted directly (with its status event), optionally a member of a cooperative. */
export async function insertHousehold(
  t: TestApp,
  headName: string,
  status: RegistryStatus,
  member?: { cooperativeId: string; shareUnits: number; joinedAt?: string },
): Promise<string> {
  const creator = '00000000-0000-0000-0000-000000000000';
  const hash = createHash('sha256').update(`household-${Date.now()}-${++n}-${Math.random()}`).digest('hex');
  const [h] = await t.db.query(
    `INSERT INTO households (head_name, id_number_hash, id_number_masked, province, city, county, township, village, household_size, status, created_by)
     VALUES ($1, $2, '6110**********0000', '陕西省', '商洛市', '柞水县', '小岭镇', '金米村', 4, $3, $4) RETURNING id`,
    [headName, hash, status, creator],
  );
  await t.db.query(
    `INSERT INTO household_status_events (household_id, status, effective_date, reason, recorded_by) VALUES ($1, $2, '2016-03-01', '测试', $3)`,
    [h.id, status, creator],
  );
  if (member) {
    await t.db.query(
      `INSERT INTO memberships (cooperative_id, household_id, share_units, joined_at, created_by) VALUES ($1, $2, $3, $4, $5)`,
      [member.cooperativeId, h.id, member.shareUnits, member.joinedAt ?? '2020-01-01', creator],
    );
  }
  return h.id as string;
}

/** A lot of a product harvested on `harvestDate`, supplied by households (household id → quantity). */
export async function insertLot(
  t: TestApp,
  productId: string,
  harvestDate: string,
  supplies: Record<string, number>,
): Promise<string> {
  const total = Object.values(supplies).reduce((s, q) => s + q, 0);
  const [lot] = await t.db.query(
    `INSERT INTO lots (product_id, code, harvest_date, quantity, created_by) VALUES ($1, $2, $3, $4, '00000000-0000-0000-0000-000000000000') RETURNING id`,
    [productId, `L${++n}`, harvestDate, total],
  );
  for (const [householdId, quantity] of Object.entries(supplies)) {
    await t.db.query('INSERT INTO lot_supplies (lot_id, household_id, quantity) VALUES ($1, $2, $3)', [
      lot.id,
      householdId,
      quantity,
    ]);
  }
  return lot.id as string;
}

export const DEFAULT_POLICY: SharingPolicyInput = {
  platformFeeBp: 300,
  purchase: { kind: 'percent', bp: 6500 },
  dividendBp: 800,
  wagesBp: 1000,
  dividendWeights: { registered: 150, monitored: 120, lifted: 100, none: 100 },
  note: '首个版本',
};

export interface Scenario {
  coopId: string;
  admin: Awaited<ReturnType<typeof userWithRoles>>;
  productId: string;
  households: string[];
}

/** An approved cooperative with an admin, a ¥59.00 product, a lot supplied by three households, and a policy. */
export async function scenario(
  t: TestApp,
  opts: { policy?: SharingPolicyInput | null; price?: number } = {},
): Promise<Scenario> {
  const coop = await insertCooperative(t);
  const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
  const product = await insertProduct(t, coop.id, { stock: 10_000, price_fen: opts.price ?? 5900 });
  const households = [
    await insertHousehold(t, '王小明', 'registered', { cooperativeId: coop.id, shareUnits: 10 }),
    await insertHousehold(t, '李秀梅', 'registered', { cooperativeId: coop.id, shareUnits: 5 }),
    await insertHousehold(t, '张建国', 'monitored', { cooperativeId: coop.id, shareUnits: 3 }),
  ];
  await insertLot(t, product.id, '2025-09-01', { [households[0]]: 50, [households[1]]: 30, [households[2]]: 20 });
  if (opts.policy !== null) {
    await t.http
      .post(`/api/console/cooperatives/${coop.id}/sharing-policies`)
      .set(bearer(admin.token))
      .send(opts.policy ?? DEFAULT_POLICY)
      .expect(201);
  }
  return { coopId: coop.id, admin, productId: product.id, households };
}

/** A buyer orders and pays (demo provider); returns the order id and the buyer. */
export async function placeAndPay(
  t: TestApp,
  productId: string,
  quantity = 1,
  buyer?: Awaited<ReturnType<typeof registerUser>>,
) {
  const b = buyer ?? (await registerUser(t));
  const placed = await t.http
    .post('/api/orders')
    .set(bearer(b.token))
    .send({ items: [{ productId, quantity }], address: TEST_ADDRESS })
    .expect(201);
  await t.http.post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`).set(bearer(b.token)).expect(200);
  return { orderId: placed.body.id as string, buyer: b, paymentId: placed.body.checkout.paymentId as string };
}

/** Ships (coop_admin) and confirms receipt (buyer): the order is completed. */
export async function complete(t: TestApp, s: Scenario, orderId: string, buyerToken: string) {
  await t.http
    .post(`/api/console/orders/${orderId}/ship`)
    .set(bearer(s.admin.token))
    .send({ carrier: '顺丰', trackingNumber: 'SF1234567890' })
    .expect(200);
  await t.http.post(`/api/orders/${orderId}/confirm-receipt`).set(bearer(buyerToken)).expect(200);
}

/** Starts a settlement run over HTTP and runs its job in-process (tests run with jobs off). */
export async function settle(t: TestApp, s: Scenario) {
  const { SettlementService } = await import('../settlement.service');
  const run = await t.http
    .post(`/api/console/cooperatives/${s.coopId}/settlement-runs`)
    .set(bearer(s.admin.token))
    .expect(202);
  await t.app.get(SettlementService).process(run.body.id);
  return (
    await t.http
      .get(`/api/console/cooperatives/${s.coopId}/settlement-runs/${run.body.id}`)
      .set(bearer(s.admin.token))
      .expect(200)
  ).body;
}

/** The export of a cooperative's ledger as text (JSON Lines). */
export async function exportLedger(t: TestApp, coopId: string, token: string): Promise<string> {
  const res = await t.http
    .get(`/api/cooperatives/${coopId}/ledger/export`)
    .set(bearer(token))
    .buffer(true)
    .parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (data += c));
      r.on('end', () => cb(null, data));
    })
    .expect(200);
  return res.body as string;
}
