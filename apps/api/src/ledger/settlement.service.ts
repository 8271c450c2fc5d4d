import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral } from 'pg';
import { DataSource } from 'typeorm';
import type { SettlementOverview, SettlementRunDto, SettlementSkip } from '@xiangbo/contracts';
import {
  accountCode,
  allocate,
  allocateFee,
  expectedSettlementPostings,
  linesAsPaid,
  type SettlementReference,
} from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { isUuid } from '../common/cooperative-scope';
import { JobsService } from '../jobs/jobs.service';
import { settledOrders } from '../orders/settled-orders';
import { SettlementRun } from './entities/settlement-run.entity';
import { SharingPolicyVersion } from './entities/sharing-policy.entity';
import { LedgerHeadsService } from './heads/ledger-heads.service';
import { assertCoopScope, statusAsOfSql } from './ledger-access';
import { LedgerErrorCode, LedgerException } from './ledger.exception';
import { LedgerService, type SealedBatch, type SeriesEntry, type SeriesResult } from './ledger.service';
import { type LineRow, type SplitLine, splitLines } from './order-fee';
import { OrderLedgerService, paymentKey, settlementKey } from './order-ledger.service';
import { PoliciesService, toDomainPolicy } from './policies.service';

export const SETTLE_RUN_JOB = 'ledger.settle-run';
export const SETTLE_NIGHTLY_JOB = 'ledger.settle-nightly';
/** started_by of the nightly runs. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';
const BATCH = 500;

type OrderRow = {
  id: string;
  number: string;
  payment_id: string;
  paid_at: Date | null;
  cursor_at: string;
  total_fen: string;
  shipping_fen: string;
  refunded_fen: string;
};
type Supply = { householdId: string; quantity: number };
type LotSupplyRow = { product_id: string; harvest_date: string; household_id: string; quantity: number };

/**
 * What a feature fixes about an order's lines at settlement (a pre-sale: the households who promised the harvest,
 * weighted by their promises, and the guaranteed purchase payment 保底收购价 × units, this order's part).
 */
export interface SettlementLineTerms {
  supplies: Supply[];
  guaranteedFen: number;
}
/** Given a batch's order ids, the terms of those it fixes (read-only). */
export type SettlementTermsSource = (orderIds: string[]) => Promise<Map<string, SettlementLineTerms>>;

/** Orders a run settles: completed, not yet settled, completed before the run began. */
const ELIGIBLE = `o.cooperative_id = $1 AND o.status = 'completed' AND o.settled_at IS NULL AND o.completed_at <= $2`;

/** A calendar day in China (UTC+8), YYYY-MM-DD: lots are harvested on calendar days. */
const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Settlement: a resumable, PostgreSQL-backed job (pg-boss) per cooperative. A batch of orders settles in ONE
 * transaction (their ledger entries `settle:order:<id>`, orders.settled_at and the run's progress commit together);
 * if that fails, its orders are written again each in its own transaction, so every order before the one that
 * fails stays settled. A run that crashes continues where it was when it is resumed, and never settles an order
 * twice (idempotency keys; orders already settled are not eligible). Each line is split by
 * the sharing policy version in force when the order was PAID, with the payment's real processing fee, and the
 * purchase payment goes to the households that supplied the product's lots (harvested on or before that day).
 */
@Injectable()
export class SettlementService implements OnModuleInit {
  private readonly logger = new Logger('Settlement');
  private readonly active = new Set<string>();
  private readonly termSources: SettlementTermsSource[] = [];
  /** After a failed batch: orders (each its own transaction) sent per round trip, holding the cooperative's chain. */
  static sliceSize = 100;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly policies: PoliciesService,
    private readonly jobs: JobsService,
    private readonly heads: LedgerHeadsService,
  ) {}

  onModuleInit() {
    this.jobs.register(SETTLE_RUN_JOB, (d) => this.process(String(d.runId)));
    // 02:00 Beijing time every night.
    this.jobs.register(SETTLE_NIGHTLY_JOB, () => this.nightly().then(() => undefined), '0 18 * * *');
  }

  /** A feature that fixes its orders' purchase terms (a pre-sale) registers once, at start-up. */
  registerLineTerms(source: SettlementTermsSource): void {
    this.termSources.push(source);
  }

  private async lineTerms(orderIds: string[]): Promise<Map<string, SettlementLineTerms>> {
    const out = new Map<string, SettlementLineTerms>();
    if (!orderIds.length) return out;
    for (const source of this.termSources) for (const [id, t] of await source(orderIds)) out.set(id, t);
    return out;
  }

  // ---- console ------------------------------------------------------------------------------------------

  /** Starts a run, or resumes the cooperative's unfinished one (queued, running after a crash, or failed). */
  async start(p: Principal, cooperativeId: string): Promise<SettlementRunDto> {
    assertCoopScope(p, cooperativeId, 'manage');
    const runId = await this.createRun(cooperativeId, p.userId);
    await this.jobs.send(SETTLE_RUN_JOB, { runId }, runId);
    return this.dto(runId);
  }

  async get(p: Principal, cooperativeId: string, runId: string): Promise<SettlementRunDto> {
    assertCoopScope(p, cooperativeId, 'read');
    const run = isUuid(runId)
      ? await this.db.getRepository(SettlementRun).findOne({ where: { id: runId, cooperativeId } })
      : null;
    if (!run) throw new LedgerException(LedgerErrorCode.RUN_NOT_FOUND, 'settlement run not found');
    return this.dto(run.id);
  }

  async overview(p: Principal, cooperativeId: string): Promise<SettlementOverview> {
    assertCoopScope(p, cooperativeId, 'read');
    const [u]: { n: number; fen: string | null }[] = await this.db.query(
      `SELECT count(*)::int AS n, SUM(o.total_fen - o.refunded_fen)::text AS fen FROM orders o WHERE o.cooperative_id = $1 AND o.status = 'completed' AND o.settled_at IS NULL`,
      [cooperativeId],
    );
    const runs = await this.db
      .getRepository(SettlementRun)
      .find({ where: { cooperativeId }, order: { createdAt: 'DESC' }, take: 10 });
    const b = await this.ledger.balances(undefined, `coop:${cooperativeId}:`);
    let owed = 0;
    for (const [account, v] of b) if (account.includes(':household:')) owed -= v;
    return {
      unsettledOrders: u.n,
      unsettledFen: Number(u.fen ?? 0),
      runs: await Promise.all(runs.map((r) => this.dto(r.id))),
      balances: {
        clearingFen: -(b.get(accountCode.clearing(cooperativeId)) ?? 0),
        dividendPoolFen: -(b.get(accountCode.dividendPool(cooperativeId)) ?? 0),
        wagesPayableFen: -(b.get(accountCode.wagesPayable(cooperativeId)) ?? 0),
        retainedFen: -(b.get(accountCode.retained(cooperativeId)) ?? 0),
        householdsOwedFen: owed,
      },
    };
  }

  async dto(runId: string): Promise<SettlementRunDto> {
    const run = await this.db.getRepository(SettlementRun).findOneOrFail({ where: { id: runId } });
    const [s]: { n: number; fen: string | null }[] = await this.db.query(
      `SELECT count(*)::int AS n, SUM(p.amount)::text AS fen FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id AND p.account = $2
        WHERE t.cooperative_id = $1 AND t.kind = 'settlement' AND t.created_at >= $3 AND ($4::timestamptz IS NULL OR t.created_at <= $4)`,
      [
        run.cooperativeId,
        accountCode.clearing(run.cooperativeId),
        run.createdAt,
        run.finishedAt && new Date(run.finishedAt.getTime() + 1),
      ],
    );
    return {
      id: run.id,
      cooperativeId: run.cooperativeId,
      status: run.status,
      total: run.total,
      done: run.done,
      skipped: run.skipped,
      error: run.error,
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      settledOrders: s.n,
      settledFen: Number(s.fen ?? 0),
    };
  }

  // ---- the job ------------------------------------------------------------------------------------------

  /** Returns the id of the cooperative's unfinished run (made ready to resume), or of a new one. */
  async createRun(cooperativeId: string, startedBy: string): Promise<string> {
    return this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`settlement:${cooperativeId}`]);
      const open = await m.getRepository(SettlementRun).findOne({
        where: [
          { cooperativeId, status: 'queued' },
          { cooperativeId, status: 'running' },
          { cooperativeId, status: 'failed' },
        ],
        order: { createdAt: 'DESC' },
      });
      if (open) {
        if (open.status === 'failed')
          await m.getRepository(SettlementRun).update({ id: open.id }, { status: 'queued', error: null });
        return open.id;
      }
      // The run covers the orders completed before this instant (created_at, exact to the millisecond).
      const at = new Date();
      const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM orders o WHERE ${ELIGIBLE}`, [
        cooperativeId,
        at,
      ]);
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO settlement_runs (cooperative_id, status, total, done, started_by, created_at) VALUES ($1, 'queued', $2, 0, $3, $4) RETURNING id`,
        [cooperativeId, n, startedBy, at],
      );
      return row.id;
    });
  }

  /** Every cooperative with completed, unsettled orders: one run each (the 02:00 cron). */
  async nightly(): Promise<string[]> {
    const coops: { cooperative_id: string }[] = await this.db.query(
      `SELECT DISTINCT cooperative_id FROM orders WHERE status = 'completed' AND settled_at IS NULL`,
    );
    const runs: string[] = [];
    for (const c of coops) {
      const runId = await this.createRun(c.cooperative_id, SYSTEM_USER_ID);
      await this.process(runId);
      runs.push(runId);
    }
    return runs;
  }

  /** Runs (or resumes) a settlement run to its end. Safe to call again at any point: settled orders stay settled. */
  async process(runId: string): Promise<void> {
    if (this.active.has(runId)) return;
    this.active.add(runId);
    try {
      const run = await this.db.getRepository(SettlementRun).findOne({ where: { id: runId } });
      if (!run || run.status === 'done') return;
      await this.db.getRepository(SettlementRun).update({ id: runId }, { status: 'running', error: null });
      try {
        await this.settleAll(run);
        await this.db.query(
          `UPDATE settlement_runs SET status = 'done', finished_at = clock_timestamp(), total = done WHERE id = $1`,
          [runId],
        );
        // the head at the end of the run, signed and kept (docs/ledger.md, "Anchoring")
        await this.heads.record(run.cooperativeId, 'settlement');
      } catch (e) {
        this.logger.error({ err: e, runId }, 'settlement run failed; it resumes where it stopped when started again');
        await this.db
          .getRepository(SettlementRun)
          .update({ id: runId }, { status: 'failed', error: String((e as Error).message ?? e).slice(0, 500) });
        throw e;
      }
    } finally {
      this.active.delete(runId);
    }
  }

  private async settleAll(run: SettlementRun): Promise<void> {
    const coop = run.cooperativeId;
    // Fees of orders refunded in full before settlement whose fee the provider told only after the refund.
    await new OrderLedgerService(this.ledger).sweepRefundedOrderFees(this.db, coop);
    // Versions never change and a new one only applies to orders paid after it was made: one read per run.
    const book = await this.policies.book(undefined, coop);
    const skipped = new Set(run.skipped.map((s) => s.orderId));
    const lots = new LotBook(this.db);
    // Keyset cursor on (completed_at, id); completed_at as PostgreSQL's text, exact to the microsecond.
    let cursor = { at: '1970-01-01T00:00:00Z', id: '00000000-0000-0000-0000-000000000000' };
    // The next batch is read, split and hashed while the previous one is being written (the database and the CPU
    // overlap). It is hashed as the links after the previous batch; appendBatch checks that under the chain's lock.
    let writing: Promise<void> = Promise.resolve();
    let tip = await this.ledger.head(coop);
    try {
      for (;;) {
        const next = await this.prepareBatch(run, book, lots, skipped, cursor);
        if (!next) break;
        cursor = next.cursor;
        const sealed = this.ledger.sealBatch(
          coop,
          next.entries.map((e) => e.input),
          tip,
        );
        tip = sealed.tip;
        await writing;
        writing = this.writeBatch(run.id, coop, next.entries, sealed, next.numbers, skipped);
        writing.catch(() => undefined); // surfaced by the next await
      }
    } finally {
      await writing;
    }
  }

  /** Reads one batch of eligible orders and everything their splits need; builds their ledger entries. */
  private async prepareBatch(
    run: SettlementRun,
    book: Awaited<ReturnType<PoliciesService['book']>>,
    lots: LotBook,
    skipped: Set<string>,
    cursor: { at: string; id: string },
  ): Promise<{ cursor: { at: string; id: string }; entries: SettlementEntry[]; numbers: Map<string, string> } | null> {
    const coop = run.cooperativeId;
    {
      const orders: OrderRow[] = await this.db.query(
        `SELECT o.id, o.number, o.payment_id, o.paid_at, o.completed_at::text AS cursor_at, o.total_fen::text, o.shipping_fen::text, o.refunded_fen::text FROM orders o
          WHERE ${ELIGIBLE} AND (o.completed_at, o.id) > ($3::timestamptz, $4::uuid) ORDER BY o.completed_at, o.id LIMIT ${BATCH}`,
        [coop, run.createdAt, cursor.at, cursor.id],
      );
      if (!orders.length) return null;
      const nextCursor = { at: orders[orders.length - 1].cursor_at, id: orders[orders.length - 1].id };
      const todo = orders.filter((o) => !skipped.has(o.id));
      const paymentIds = [...new Set(todo.map((o) => o.payment_id))];
      // Everything an order's split needs that cannot change any more, fetched for the whole batch at once.
      const [payments, siblings, lines, paidInLedger] = await Promise.all([
        this.db.query(`SELECT id, fee_fen::text FROM payments WHERE id = ANY($1)`, [paymentIds]) as Promise<
          { id: string; fee_fen: string | null }[]
        >,
        this.db.query(`SELECT id, payment_id, shipping_fen::text FROM orders WHERE payment_id = ANY($1)`, [
          paymentIds,
        ]) as Promise<{ id: string; payment_id: string; shipping_fen: string }[]>,
        this.db.query(
          `SELECT l.id, l.order_id, l.product_id, l.quantity, l.line_total_fen::text FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE o.payment_id = ANY($1) ORDER BY l.id`,
          [paymentIds],
        ) as Promise<LineRow[]>,
        this.db.query(`SELECT idempotency_key FROM ledger_transactions WHERE idempotency_key = ANY($1)`, [
          todo.map((o) => paymentKey(o.id)),
        ]) as Promise<{ idempotency_key: string }[]>,
      ]);
      const todoIds = new Set(todo.map((o) => o.id));
      await lots.load([...new Set(lines.filter((l) => todoIds.has(l.order_id)).map((l) => l.product_id))]);
      const fixed = await this.lineTerms([...todoIds]);
      const fee = new Map(payments.map((p) => [p.id, p.fee_fen === null ? null : Number(p.fee_fen)]));
      const paid = new Set(paidInLedger.map((r) => r.idempotency_key));
      const linesByOrder = groupBy(lines, (l) => l.order_id);
      const ordersByPayment = groupBy(siblings, (o) => o.payment_id);

      const entries: SettlementEntry[] = [];
      const numbers = new Map<string, string>();
      for (const o of todo) {
        const policy = o.paid_at ? book.inForce(o.paid_at) : null;
        const paymentFee = fee.get(o.payment_id);
        let reason: string | null = null;
        if (!o.paid_at || !paid.has(paymentKey(o.id))) reason = 'the payment of this order is not in the ledger';
        else if (!policy)
          reason = `no sharing policy was in force when it was paid (${o.paid_at.toISOString()}): set a sharing policy first`;
        else if (paymentFee === null || paymentFee === undefined)
          reason = 'the processing fee of its payment is not known yet';
        if (reason) {
          await this.skip(run.id, { orderId: o.id, orderNumber: o.number, reason });
          skipped.add(o.id);
          continue;
        }
        // The order's share of the payment's real fee: the fee over every line of the payment (all cooperatives).
        const paymentLines = (ordersByPayment.get(o.payment_id) ?? []).flatMap((x) =>
          splitLines(x.id, linesByOrder.get(x.id) ?? [], Number(x.shipping_fen)),
        );
        const fees = allocateFee(
          paymentFee as number,
          paymentLines.map((l) => ({ lineId: l.lineId, amountFen: l.amountFen })),
        );
        const own = splitLines(o.id, linesByOrder.get(o.id) ?? [], Number(o.shipping_fen));
        const feeFen = own.reduce((x, l) => x + (fees.get(l.lineId) ?? 0), 0);
        const paidDay = chinaDay(o.paid_at as Date);
        entries.push(
          this.entry(
            run.id,
            coop,
            o,
            own,
            feeFen,
            policy as SharingPolicyVersion,
            (productId) => lots.supplies(productId, paidDay),
            fixed.get(o.id),
          ),
        );
        numbers.set(settlementKey(o.id), o.number);
      }
      await this.recordStatuses(entries);
      return { cursor: nextCursor, entries, numbers };
    }
  }

  /** A batch in one transaction (see `writeTogether`); after a failure, each order in its own transaction. */
  private async writeBatch(
    runId: string,
    coop: string,
    entries: SettlementEntry[],
    sealed: SealedBatch,
    numbers: Map<string, string>,
    skipped: Set<string>,
  ): Promise<void> {
    let written: SeriesResult;
    try {
      written = await this.writeTogether(runId, coop, entries, sealed);
    } catch (e) {
      // Nothing of the batch was written. Its orders again, each in its own transaction: every order before the
      // one that fails stays settled, and the error (if it was not passing) names that one.
      this.logger.warn({ err: e, runId }, 'a settlement batch failed; writing its orders one by one');
      written = await this.ledger.appendEach(coop, entries, SettlementService.sliceSize);
    }
    const leftOver: [Set<string>, string][] = [
      [written.refused, 'the order changed while it was being settled (a refund?): the next run settles it'],
      [written.existing, 'its settlement is already in the ledger'],
    ];
    for (const [keys, reason] of leftOver) {
      for (const key of keys) {
        const orderId = key.slice('settle:order:'.length);
        await this.skip(runId, { orderId, orderNumber: numbers.get(key) ?? '', reason });
        skipped.add(orderId);
      }
    }
  }

  /**
   * The batch in one transaction: each order locked and checked (still completed, unsettled, refunded exactly as
   * read, not locked by a refund in progress; else refused and left for the next run), the entries written, the
   * orders marked settled and the run's progress counted — all committed together.
   */
  private async writeTogether(
    runId: string,
    coop: string,
    entries: SettlementEntry[],
    sealed: SealedBatch,
  ): Promise<SeriesResult> {
    const byKey = new Map(entries.map((e) => [e.input.idempotencyKey, e]));
    return this.ledger.appendBatch(coop, sealed, {
      // Orders' own methods lock and mark the orders; settlement counts its progress.
      guard: async (query, keys) => {
        const open = keys.map((k) => byKey.get(k) as SettlementEntry);
        const ids = await settledOrders.lockSettleable(query, open);
        return new Set([...ids].map((id) => settlementKey(id)));
      },
      after: async (query, written) => {
        if (!written.length) return;
        await settledOrders.markSettled(
          query,
          written.map((w) => w.orderId as string),
        );
        await query(`UPDATE settlement_runs SET done = done + $2 WHERE id = $1`, [runId, written.length]);
      },
    });
  }

  /**
   * Each settlement's `reference.statuses` (docs/ledger.md, "Dividend inputs and registry status"): the registry
   * status of every supplying household on the (China) day of the settlement, when its purchase payment is credited,
   * hashed with the entry, so the export alone says how much reached 建档立卡 and 监测 households. One query a batch.
   */
  private async recordStatuses(entries: SettlementEntry[]): Promise<void> {
    const households = new Set<string>();
    for (const e of entries)
      for (const l of (e.input.reference as unknown as SettlementReference).lines)
        for (const s of l.supplies) households.add(s.householdId);
    if (!households.size) return;
    const rows: { id: string; status: string }[] = await this.db.query(
      `SELECT h.id, ${statusAsOfSql('h', '$2::date')} AS status FROM households h WHERE h.id = ANY($1::uuid[])`,
      [[...households], chinaDay(new Date())],
    );
    const statusOf = new Map(rows.map((r) => [r.id, r.status]));
    for (const e of entries) {
      const ref = e.input.reference as unknown as SettlementReference & { statuses?: Record<string, string> };
      const statuses: Record<string, string> = {};
      for (const l of ref.lines)
        for (const s of l.supplies) {
          const status = statusOf.get(s.householdId);
          if (status) statuses[s.householdId] = status;
        }
      if (Object.keys(statuses).length) ref.statuses = statuses;
    }
  }

  private async skip(runId: string, s: SettlementSkip) {
    await this.db.query(
      `UPDATE settlement_runs SET skipped = skipped || $2::jsonb, done = done + 1 WHERE id = $1 AND NOT skipped @> $3::jsonb`,
      [runId, JSON.stringify([s]), JSON.stringify([{ orderId: s.orderId }])],
    );
  }

  /**
   * One order's settlement entry: its split (by the policy version in force when it was paid) as the ledger
   * entry's postings and reference, guarded by the order still being completed, unsettled and refunded exactly as
   * read (and not locked by a refund in progress), and carrying orders.settled_at and the run's progress.
   */
  private entry(
    runId: string,
    coop: string,
    o: OrderRow,
    own: SplitLine[],
    feeFen: number,
    policyRow: SharingPolicyVersion,
    suppliesOf: (productId: string | null) => Supply[],
    fixed?: SettlementLineTerms,
  ): SettlementEntry {
    // A pre-sale's order: its guaranteed purchase over its lines in proportion (one line in practice).
    const guaranteed = fixed
      ? new Map(
          allocate(
            fixed.guaranteedFen,
            own.map((l) => ({ key: l.lineId, weight: l.amountFen })),
          ).map((a) => [a.key, a.amount]),
        )
      : null;
    // A live coupon's discount (the lines' amounts above what the order cost the buyer) comes off the lines in
    // proportion first: every share is computed on what the buyer actually paid (the cooperative carries it).
    const listed = own.reduce((x, l) => x + l.amountFen, 0);
    own = linesAsPaid(own, Number(o.total_fen));
    // recorded in the entry (who carries it is the policy's couponCarrier: the platform pays it to retained)
    const couponDiscountFen = listed - own.reduce((x, l) => x + l.amountFen, 0);
    // Refunds before settlement (already taken out of clearing) come off the lines in proportion.
    const refunded = Number(o.refunded_fen);
    const back = new Map(
      allocate(
        refunded,
        own.map((l) => ({ key: l.lineId, weight: l.amountFen })),
      ).map((a) => [a.key, a.amount]),
    );
    const ref: SettlementReference = {
      orderId: o.id,
      policyVersion: policyRow.version,
      feeFen,
      ...(couponDiscountFen > 0 ? { couponDiscountFen } : {}),
      lines: own.map((l) => ({
        lineId: l.lineId,
        grossFen: l.amountFen - (back.get(l.lineId) ?? 0),
        quantity: l.quantity,
        supplies: fixed ? fixed.supplies : suppliesOf(l.productId),
        ...(guaranteed ? { guaranteedFen: guaranteed.get(l.lineId) ?? 0 } : {}),
      })),
    };
    const postings = [...expectedSettlementPostings(coop, ref, toDomainPolicy(policyRow))].map(([account, amount]) => ({
      account,
      amount,
    }));
    return {
      orderId: o.id,
      refundedFen: refunded,
      input: {
        cooperativeId: coop,
        idempotencyKey: settlementKey(o.id),
        kind: 'settlement',
        reference: ref as unknown as Record<string, unknown>,
        postings,
        orderId: o.id,
      },
      guard: settledOrders.guardSql({ orderId: o.id, refundedFen: refunded }),
      also: [
        settledOrders.markSettledSql(o.id),
        `UPDATE settlement_runs SET done = done + 1 WHERE id = ${escapeLiteral(runId)}::uuid`,
      ],
    };
  }
}

/** One order's settlement entry, with what its guard checks (written in a batch, or alone with `guard` and `also`). */
interface SettlementEntry extends SeriesEntry {
  orderId: string;
  refundedFen: number;
}

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * Who supplied a product on a given day: the supplies of its lots harvested on or before that day, summed per
 * household (all its lots when none was harvested by then), sorted by household id so the split is stable.
 */
class LotBook {
  private readonly byProduct = new Map<string, LotSupplyRow[]>();
  private readonly memo = new Map<string, Supply[]>();

  constructor(private readonly db: DataSource) {}

  async load(productIds: string[]): Promise<void> {
    const missing = productIds.filter((id) => !this.byProduct.has(id));
    if (!missing.length) return;
    for (const id of missing) this.byProduct.set(id, []);
    const rows: LotSupplyRow[] = await this.db.query(
      `SELECT l.product_id, l.harvest_date::text AS harvest_date, s.household_id, s.quantity FROM lots l JOIN lot_supplies s ON s.lot_id = l.id WHERE l.product_id = ANY($1)`,
      [missing],
    );
    for (const r of rows) this.byProduct.get(r.product_id)?.push(r);
  }

  supplies(productId: string | null, day: string): Supply[] {
    if (!productId) return [];
    const key = `${productId}|${day}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const all = this.byProduct.get(productId) ?? [];
    const harvested = all.filter((r) => r.harvest_date <= day);
    const sum = new Map<string, number>();
    for (const r of harvested.length ? harvested : all)
      sum.set(r.household_id, (sum.get(r.household_id) ?? 0) + r.quantity);
    const out = [...sum]
      .map(([householdId, quantity]) => ({ householdId, quantity }))
      .sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0));
    this.memo.set(key, out);
    return out;
  }
}
