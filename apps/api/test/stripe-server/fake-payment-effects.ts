import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type {
  PaymentEffects,
  PaymentRecord,
  ProviderName,
  ProviderPaymentState,
} from '../../src/payments/payment-provider';

export interface FakePaymentRow {
  id: string;
  buyerId: string;
  provider: ProviderName;
  providerRef: string | null;
  amountFen: number;
  status: PaymentRecord['status'];
  feeFen: number | null;
  chargeRef: string | null;
  refundedFen: number;
  disputeRef: string | null;
  failureMessage: string | null;
  /** The one order this fake payment pays for. */
  orderStatus: 'pending_payment' | 'paid' | 'cancelled' | 'refunded';
  /** How many times the order changed status: a duplicate that changed something would show here. */
  transitions: number;
}

/**
 * A stand-in for the orders feature's PaymentEffects in payments tests: one order per payment, its state in a
 * table of the test's own database (`fake_payments`, created by `install`), written in the caller's transaction
 * so that a rolled-back webhook leaves no trace, exactly as with the real effects.
 */
export class FakePaymentEffects implements PaymentEffects {
  /** Makes the next effect throw (after writing), to show the event record rolls back with it. */
  failNext = false;

  /** Creates the fake's table in the test database (once the app, and so the database, exists). */
  async install(db: DataSource): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS fake_payments (
      id uuid PRIMARY KEY, buyer_id uuid NOT NULL, provider text NOT NULL, provider_ref text UNIQUE,
      amount_fen bigint NOT NULL, status text NOT NULL DEFAULT 'pending', fee_fen bigint, charge_ref text,
      refunded_fen bigint NOT NULL DEFAULT 0, dispute_ref text, failure_message text,
      order_status text NOT NULL DEFAULT 'pending_payment', transitions int NOT NULL DEFAULT 0)`);
  }

  async create(
    db: DataSource,
    f: { buyerId: string; provider: ProviderName; amountFen: number; providerRef?: string },
  ) {
    const id = randomUUID();
    await db.query(
      `INSERT INTO fake_payments (id, buyer_id, provider, provider_ref, amount_fen) VALUES ($1, $2, $3, $4, $5)`,
      [id, f.buyerId, f.provider, f.providerRef ?? null, f.amountFen],
    );
    return id;
  }

  async setProviderRef(db: DataSource, id: string, ref: string) {
    await db.query(`UPDATE fake_payments SET provider_ref = $2 WHERE id = $1`, [id, ref]);
  }

  async get(db: DataSource | EntityManager, id: string): Promise<FakePaymentRow> {
    const [r] = await db.query(`SELECT * FROM fake_payments WHERE id = $1`, [id]);
    return toRow(r);
  }

  async findPayment(m: EntityManager, paymentId: string): Promise<PaymentRecord | null> {
    const [r] = await m.query(`SELECT * FROM fake_payments WHERE id = $1`, [paymentId]);
    if (!r) return null;
    const row = toRow(r);
    return {
      id: row.id,
      buyerId: row.buyerId,
      amountFen: row.amountFen,
      currency: 'CNY',
      provider: row.provider,
      providerRef: row.providerRef,
      status: row.status,
    };
  }

  async paymentSucceeded(m: EntityManager, s: ProviderPaymentState): Promise<void> {
    const p = await this.lock(m, s.providerRef);
    if (!p || s.amountFen !== p.amountFen || s.currency !== 'CNY') return;
    await m.query(
      `UPDATE fake_payments SET status = 'succeeded', fee_fen = COALESCE($2, fee_fen), charge_ref = COALESCE($3, charge_ref),
         order_status = CASE WHEN order_status = 'pending_payment' THEN 'paid' ELSE order_status END,
         transitions = transitions + CASE WHEN order_status = 'pending_payment' THEN 1 ELSE 0 END
       WHERE id = $1`,
      [p.id, s.feeFen, s.chargeRef],
    );
    this.maybeFail();
  }

  async paymentFailed(m: EntityManager, s: ProviderPaymentState): Promise<void> {
    const p = await this.lock(m, s.providerRef);
    if (!p || p.status !== 'pending') return;
    await m.query(`UPDATE fake_payments SET failure_message = $2 WHERE id = $1`, [p.id, s.failureMessage]);
    this.maybeFail();
  }

  async paymentCanceled(m: EntityManager, s: ProviderPaymentState): Promise<void> {
    const p = await this.lock(m, s.providerRef);
    if (!p || p.status === 'succeeded') return;
    await m.query(
      `UPDATE fake_payments SET status = 'canceled',
         order_status = CASE WHEN order_status = 'pending_payment' THEN 'cancelled' ELSE order_status END,
         transitions = transitions + CASE WHEN order_status = 'pending_payment' THEN 1 ELSE 0 END
       WHERE id = $1`,
      [p.id],
    );
    this.maybeFail();
  }

  async chargeRefunded(m: EntityManager, s: ProviderPaymentState): Promise<void> {
    const p = await this.lock(m, s.providerRef);
    if (!p || s.refundedFen <= p.refundedFen) return;
    const full = s.refundedFen >= p.amountFen && p.orderStatus === 'paid';
    await m.query(
      `UPDATE fake_payments SET refunded_fen = $2, order_status = CASE WHEN $3 THEN 'refunded' ELSE order_status END,
         transitions = transitions + CASE WHEN $3 THEN 1 ELSE 0 END WHERE id = $1`,
      [p.id, s.refundedFen, full],
    );
    this.maybeFail();
  }

  async disputeCreated(m: EntityManager, s: ProviderPaymentState, disputeRef: string): Promise<void> {
    const p = await this.lock(m, s.providerRef);
    if (!p) return;
    await m.query(`UPDATE fake_payments SET dispute_ref = $2 WHERE id = $1`, [p.id, disputeRef]);
    this.maybeFail();
  }

  private async lock(m: EntityManager, providerRef: string): Promise<FakePaymentRow | null> {
    const [r] = await m.query(`SELECT * FROM fake_payments WHERE provider_ref = $1 FOR UPDATE`, [providerRef]);
    return r ? toRow(r) : null;
  }

  private maybeFail() {
    if (!this.failNext) return;
    this.failNext = false;
    throw new Error('simulated failure while applying a payment effect');
  }
}

function toRow(r: Record<string, unknown>): FakePaymentRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: r.id as string,
    buyerId: r.buyer_id as string,
    provider: r.provider as ProviderName,
    providerRef: (r.provider_ref as string | null) ?? null,
    amountFen: Number(r.amount_fen),
    status: r.status as FakePaymentRow['status'],
    feeFen: n(r.fee_fen),
    chargeRef: (r.charge_ref as string | null) ?? null,
    refundedFen: Number(r.refunded_fen),
    disputeRef: (r.dispute_ref as string | null) ?? null,
    failureMessage: (r.failure_message as string | null) ?? null,
    orderStatus: r.order_status as FakePaymentRow['orderStatus'],
    transitions: Number(r.transitions),
  };
}
