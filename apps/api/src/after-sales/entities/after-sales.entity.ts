import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn } from '../../database/money.transformer';

export interface StoredAfterSalesPhoto {
  key: string;
  thumbKey: string;
  width: number;
  height: number;
}

/**
 * A buyer's after-sales request (售后) of one order. Its money goes through the orders' refund row (refund_id):
 * whether it was accepted, refused or paid back is read from that row, never kept twice.
 */
@Entity('after_sales_requests')
@Index('after_sales_order', ['orderId'])
@Index('after_sales_cooperative', ['cooperativeId', 'createdAt'])
@Check('after_sales_kind', `"kind" IN ('refund','return')`)
@Check(
  'after_sales_reason',
  `"reason" IN ('damaged','quality','not_as_described','missing','no_reason','late_shipping','other')`,
)
export class AfterSalesRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  @Column({ name: 'buyer_masked', type: 'varchar', length: 40 })
  buyerMasked!: string;

  /** The orders' refund request this one opened (status requested until the cooperative decides). */
  @Index('after_sales_refund', { unique: true })
  @Column({ name: 'refund_id', type: 'uuid' })
  refundId!: string;

  @Column({ type: 'varchar', length: 6 })
  kind!: 'refund' | 'return';

  @Column({ type: 'varchar', length: 20 })
  reason!: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  text!: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  photos!: StoredAfterSalesPhoto[];

  @Column(fenColumn({ name: 'amount_fen' }))
  amountFen!: number;

  /** The promise that covered the request when it was made (it cannot be refused). */
  @Column({ name: 'covered_by', type: 'varchar', length: 20, nullable: true })
  coveredBy!: string | null;

  /** Returns: the cooperative agreed to take the goods back (退货) and waits for them. */
  @Column({ name: 'return_accepted_at', type: 'timestamptz', nullable: true })
  returnAcceptedAt!: Date | null;

  @Column({ name: 'return_carrier', type: 'varchar', length: 30, nullable: true })
  returnCarrier!: string | null;

  @Column({ name: 'return_tracking', type: 'varchar', length: 60, nullable: true })
  returnTracking!: string | null;

  @Column({ name: 'return_shipped_at', type: 'timestamptz', nullable: true })
  returnShippedAt!: Date | null;

  @Column({ name: 'return_note', type: 'varchar', length: 300, nullable: true })
  returnNote!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The promises a cooperative chose (shown on its products; they bind its after-sales decisions). */
@Entity('cooperative_promises')
export class CooperativePromiseRow {
  @PrimaryColumn({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ name: 'seven_day_return', type: 'boolean', default: false })
  sevenDayReturn!: boolean;

  @Column({ name: 'bad_fruit_cover', type: 'boolean', default: false })
  badFruitCover!: boolean;

  @Column({ name: 'ship_within_48h', type: 'boolean', default: false })
  shipWithin48h!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}

/**
 * A buyer's escalation of a request to the platform (平台介入), once per request, and the platform's decision. A
 * refund the platform grants is a refund row of the orders (refund_id), sent through the orders' refund path.
 */
@Entity('after_sales_disputes')
@Index('after_sales_disputes_queue', ['status', 'createdAt'])
@Check('after_sales_disputes_status', `"status" IN ('open','refunded','upheld')`)
@Check('after_sales_disputes_because', `"because" IN ('refused','unanswered')`)
export class AfterSalesDispute {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('after_sales_disputes_request', { unique: true })
  @Column({ name: 'after_sales_id', type: 'uuid' })
  afterSalesId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'cooperative_id', type: 'uuid' })
  cooperativeId!: string;

  @Column({ type: 'varchar', length: 10 })
  because!: 'refused' | 'unanswered';

  @Column({ name: 'buyer_note', type: 'varchar', length: 500 })
  buyerNote!: string;

  @Column({ type: 'varchar', length: 8, default: 'open' })
  status!: 'open' | 'refunded' | 'upheld';

  @Column({ name: 'decision_note', type: 'varchar', length: 300, nullable: true })
  decisionNote!: string | null;

  @Column(fenColumn({ name: 'refund_fen', nullable: true }))
  refundFen!: number | null;

  @Index('after_sales_disputes_refund', { unique: true })
  @Column({ name: 'refund_id', type: 'uuid', nullable: true })
  refundId!: string | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const AFTER_SALES_ENTITIES = [AfterSalesRequest, CooperativePromiseRow, AfterSalesDispute];
