import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  DISPUTE_ANSWER_HOURS,
  MAX_AFTER_SALES_PHOTOS,
  SEVEN_DAY_RETURN_DAYS,
  SHIP_PROMISE_HOURS,
  type AdminDisputeView,
  type AfterSalesDisputeView,
  type AfterSalesStatus,
  type AfterSalesView,
  type CooperativePromises,
  type CreateAfterSalesRequest,
  type DecideDisputeRequest,
  type PromiseKey,
} from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { LifecycleService } from '../orders/lifecycle.service';
import { OrderHooks } from '../orders/order-hooks';
import { processImage, StorageService } from '../storage';
import { AfterSalesRepository, type RefundFacts } from './after-sales.repository';
import { AfterSalesErrorCode, AfterSalesException } from './after-sales.exception';
import type { AfterSalesDispute, AfterSalesRequest } from './entities/after-sales.entity';

export interface UploadedBytes {
  buffer: Buffer;
}

const HOUR = 3_600_000;
const RECEIVED = ['shipped', 'delivered', 'completed'];

/**
 * After-sales (售后): the buyer asks, the cooperative's admin answers, the orders' refund path pays back. The request
 * opens the orders' refund request in the same transaction; accepting and refusing go through
 * LifecycleService.decideRefund, whose conditional update makes each refund decided once and sent once (the
 * provider's idempotency key is the refund's id). A promise that covers a request makes refusing it impossible.
 * A refused (or long-unanswered) request can be escalated once to the platform (平台介入), whose admins refund
 * through LifecycleService.platformDecision or uphold the refusal; the dispute's row, locked, makes it one decision.
 */
@Injectable()
export class AfterSalesService implements OnModuleInit {
  constructor(
    private readonly repo: AfterSalesRepository,
    private readonly lifecycle: LifecycleService,
    private readonly storage: StorageService,
    private readonly hooks: OrderHooks,
  ) {}

  onModuleInit(): void {
    // A request the buyer took to the platform is the platform's to decide: the cooperative's console (its refunds
    // list as well as this feature's pages) is refused while the dispute is open.
    this.hooks.registerRefundGuard(async (m, refundId) =>
      (await this.repo.openDisputeOfRefund(m, refundId))
        ? new AfterSalesException(
            AfterSalesErrorCode.AFTER_SALES_ESCALATED,
            'the buyer asked the platform to decide: the platform decides this request now',
          )
        : null,
    );
  }

  private notFound() {
    return new AfterSalesException(AfterSalesErrorCode.AFTER_SALES_NOT_FOUND, 'after-sales request not found');
  }

  // ---- promises ---------------------------------------------------------------------------------------------

  async promisesOf(cooperativeId: string): Promise<CooperativePromises> {
    if (!isUuid(cooperativeId) || !(await this.repo.cooperativeExists(cooperativeId))) throw this.notFound();
    return this.repo.promises(this.repo.manager, cooperativeId);
  }

  async setPromises(p: Principal, cooperativeId: string, body: CooperativePromises): Promise<CooperativePromises> {
    this.scope(p, cooperativeId, 'manage');
    await this.repo.setPromises(cooperativeId, body, p.userId);
    return this.repo.promises(this.repo.manager, cooperativeId);
  }

  private scope(p: Principal, cooperativeId: string, mode: 'read' | 'manage') {
    const s = cooperativeScope(p, cooperativeId, mode);
    if (s === 'not_found') throw this.notFound();
    if (s === 'forbidden')
      throw new AfterSalesException(
        AfterSalesErrorCode.AFTER_SALES_READ_ONLY,
        "only the cooperative's admins answer after-sales requests",
      );
  }

  // ---- the buyer --------------------------------------------------------------------------------------------

  async create(p: Principal, orderId: string, body: CreateAfterSalesRequest): Promise<AfterSalesView> {
    if (!isUuid(orderId)) throw this.notFound();
    const id = await this.repo.transaction(async (m) => {
      const order = await this.repo.order(m, orderId);
      if (!order || order.buyer_id !== p.userId) throw this.notFound();
      const promises = await this.repo.promises(m, order.cooperative_id);
      const now = Date.now();
      let coveredBy: PromiseKey | null = null;
      if (body.reason === 'late_shipping') {
        if (body.kind !== 'refund')
          throw new AfterSalesException(
            AfterSalesErrorCode.AFTER_SALES_KIND_MISMATCH,
            'nothing was shipped: ask for a refund, not a return',
          );
        if (order.status !== 'paid')
          throw new AfterSalesException(AfterSalesErrorCode.AFTER_SALES_NOT_RECEIVED, 'the order has been shipped');
        if (promises.shipWithin48h && order.paid_at && now - order.paid_at.getTime() > SHIP_PROMISE_HOURS * HOUR)
          coveredBy = 'shipWithin48h';
      } else {
        if (!RECEIVED.includes(order.status))
          throw new AfterSalesException(
            AfterSalesErrorCode.AFTER_SALES_NOT_RECEIVED,
            'the order has not been shipped yet: ask for a refund of an unshipped order instead',
          );
        if (body.reason === 'no_reason') {
          if (body.kind !== 'return')
            throw new AfterSalesException(
              AfterSalesErrorCode.AFTER_SALES_KIND_MISMATCH,
              '7-day no-reason returns send the goods back: choose a return',
            );
          if (!promises.sevenDayReturn)
            throw new AfterSalesException(
              AfterSalesErrorCode.AFTER_SALES_NOT_PROMISED,
              'this cooperative does not offer 7-day no-reason returns',
            );
          const since = order.delivered_at ?? order.shipped_at;
          if (since && now - since.getTime() > SEVEN_DAY_RETURN_DAYS * 24 * HOUR)
            throw new AfterSalesException(
              AfterSalesErrorCode.AFTER_SALES_WINDOW_CLOSED,
              `7-day no-reason returns close ${SEVEN_DAY_RETURN_DAYS} days after delivery`,
            );
          coveredBy = 'sevenDayReturn';
        }
        if (body.reason === 'damaged' && promises.badFruitCover) coveredBy = 'badFruitCover';
      }
      if (await this.repo.openForOrder(m, orderId))
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_OPEN,
          'an after-sales request of this order is still open',
        );
      const refundId = await this.lifecycle.openBuyerRefund(
        m,
        p.userId,
        orderId,
        `售后 ${body.reason}${body.text ? `: ${body.text}` : ''}`,
        body.amountFen,
      );
      const refund = (await this.repo.refunds(m, [refundId])).get(refundId) as RefundFacts;
      const [{ display_name: name } = { display_name: '' }]: { display_name: string }[] = await m.query(
        `SELECT display_name FROM users WHERE id = $1`,
        [p.userId],
      );
      const row = await this.repo.insert(m, {
        orderId,
        cooperativeId: order.cooperative_id,
        buyerId: p.userId,
        buyerMasked: maskName(name || '买家'),
        refundId,
        kind: body.kind,
        reason: body.reason,
        text: body.text ?? '',
        amountFen: Number(refund.amount_fen),
        coveredBy,
      });
      return row.id;
    });
    return this.view(id);
  }

  /** One photo per call (the reviews' image checks and WebP conversion), to the caller's open request, at most 6. */
  async addPhoto(p: Principal, id: string, file: UploadedBytes | undefined): Promise<AfterSalesView> {
    if (!isUuid(id)) throw this.notFound();
    const check = async (r: AfterSalesRequest | null) => {
      if (!r || r.buyerId !== p.userId) throw this.notFound();
      const refund = (await this.repo.refunds(this.repo.manager, [r.refundId])).get(r.refundId);
      if (refund?.status !== 'requested')
        throw new AfterSalesException(AfterSalesErrorCode.AFTER_SALES_DECIDED, 'this request was already decided');
      if (r.photos.length >= MAX_AFTER_SALES_PHOTOS)
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_PHOTO_LIMIT,
          `a request has at most ${MAX_AFTER_SALES_PHOTOS} photos`,
        );
      return r;
    };
    await check(await this.repo.byId(this.repo.manager, id));
    const image = await processImage(file?.buffer);
    const base = `after-sales/${id}/${randomUUID()}`;
    const photo = { key: `${base}.webp`, thumbKey: `${base}-thumb.webp`, width: image.width, height: image.height };
    await this.storage.put(photo.key, image.original, image.contentType);
    await this.storage.put(photo.thumbKey, image.thumb, image.contentType);
    try {
      await this.repo.transaction(async (m) => {
        const r = await check(await this.repo.byId(m, id, true));
        await this.repo.setPhotos(m, id, [...r.photos, photo]);
      });
    } catch (e) {
      await Promise.all([this.storage.delete(photo.key), this.storage.delete(photo.thumbKey)]).catch(() => undefined);
      throw e;
    }
    return this.view(id);
  }

  async forOrder(p: Principal, orderId: string): Promise<AfterSalesView[]> {
    if (!isUuid(orderId)) throw this.notFound();
    const order = await this.repo.order(this.repo.manager, orderId);
    if (!order || order.buyer_id !== p.userId) throw this.notFound();
    return this.views(await this.repo.byOrder(orderId));
  }

  /** The buyer sends the goods back (退货) once the cooperative agreed: carrier and tracking number. */
  async shipReturn(p: Principal, id: string, carrier: string, trackingNumber: string): Promise<AfterSalesView> {
    if (!isUuid(id)) throw this.notFound();
    await this.repo.transaction(async (m) => {
      const r = await this.repo.byId(m, id, true);
      if (!r || r.buyerId !== p.userId) throw this.notFound();
      const refund = (await this.repo.refunds(m, [r.refundId])).get(r.refundId);
      if (r.kind !== 'return' || !r.returnAcceptedAt || refund?.status !== 'requested')
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_RETURN_STEP,
          'send the goods back once the cooperative agreed to the return',
        );
      await this.repo.setReturnShipment(m, id, carrier, trackingNumber);
    });
    return this.view(id);
  }

  /**
   * 申请平台介入: the buyer asks the platform to decide a request the cooperative refused, or did not answer within
   * DISPUTE_ANSWER_HOURS (of the request, or of the goods sent back). Once per request.
   */
  async escalate(p: Principal, id: string, note: string): Promise<AfterSalesView> {
    if (!isUuid(id)) throw this.notFound();
    await this.repo.transaction(async (m) => {
      const r = await this.repo.byId(m, id, true);
      if (!r || r.buyerId !== p.userId) throw this.notFound();
      const [existing] = await this.repo.disputesOf(m, [id]);
      if (existing) throw this.escalatedAlready();
      // The refund's row locked, as the cooperative's decision locks it: of "taken to the platform" and "decided by
      // the cooperative" at one moment, one comes first and the other sees it.
      const refund = (await this.repo.refunds(m, [r.refundId], true)).get(r.refundId);
      const status = statusOf(r, refund);
      const from = escalatableFrom(r, status);
      if (!from)
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_NOT_DISPUTABLE,
          status === 'awaiting_return'
            ? 'the cooperative agreed to the return: send the goods back first'
            : 'only a refused or unanswered request can be taken to the platform',
        );
      if (from.getTime() > Date.now())
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_TOO_EARLY,
          `the cooperative has until ${from.toISOString()} to answer; ask the platform after that`,
          [{ field: 'escalatableFrom', message: from.toISOString() }],
        );
      const inserted = await this.repo.insertDispute(m, {
        afterSalesId: id,
        orderId: r.orderId,
        cooperativeId: r.cooperativeId,
        because: status === 'refused' ? 'refused' : 'unanswered',
        buyerNote: note,
      });
      if (!inserted) throw this.escalatedAlready();
    });
    return this.view(id);
  }

  private escalatedAlready() {
    return new AfterSalesException(
      AfterSalesErrorCode.AFTER_SALES_ESCALATED,
      'this request was already taken to the platform',
    );
  }

  // ---- the platform (平台管理 → 售后纠纷) ---------------------------------------------------------------------

  async disputeQueue(status: 'open' | 'decided'): Promise<AdminDisputeView[]> {
    const disputes = await this.repo.disputeQueue(status, 200);
    const requests = new Map((await this.repo.byIds(disputes.map((d) => d.afterSalesId))).map((r) => [r.id, r]));
    const rows = disputes.map((d) => requests.get(d.afterSalesId)).filter((r): r is AfterSalesRequest => !!r);
    const views = new Map((await this.views(rows)).map((v) => [v.id, v]));
    const orders = await this.repo.ordersForDisputes([...new Set(rows.map((r) => r.orderId))]);
    return disputes.flatMap((d) => {
      const v = views.get(d.afterSalesId);
      const o = orders.get(d.orderId);
      if (!v || !v.dispute || !o) return [];
      return [
        {
          ...v,
          dispute: v.dispute,
          cooperativeName: o.cooperative_name,
          order: {
            status: o.status,
            totalFen: Number(o.total_fen),
            refundedFen: Number(o.refunded_fen),
            paidAt: o.paid_at ? new Date(o.paid_at).toISOString() : null,
            lines: o.lines.map((l) => ({ ...l, lineTotalFen: Number(l.lineTotalFen) })),
          },
        },
      ];
    });
  }

  /**
   * The platform refunds (all or part: at most what the order can still refund) or upholds the refusal, with a
   * reason both sides read. The dispute's row is locked: of two decisions at once, one is made and one refund sent;
   * the other is told the dispute was decided.
   */
  async decideDispute(p: Principal, disputeId: string, body: DecideDisputeRequest): Promise<AfterSalesView> {
    if (!isUuid(disputeId)) throw this.notFound();
    const { afterSalesId, refundId } = await this.repo.transaction(async (m) => {
      const d = await this.repo.disputeById(m, disputeId, true);
      if (!d) throw this.notFound();
      if (d.status !== 'open')
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_DISPUTE_DECIDED,
          'the platform already decided this dispute',
        );
      const r = (await this.repo.byId(m, d.afterSalesId, true)) as AfterSalesRequest;
      const original = (await this.repo.refunds(m, [r.refundId])).get(r.refundId);
      if (original?.status !== 'requested' && original?.status !== 'declined')
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_DECIDED,
          'the cooperative has meanwhile accepted this request',
        );
      const refund = body.outcome === 'refund';
      const newRefundId = await this.lifecycle.platformDecision(m, {
        orderId: r.orderId,
        openRefundId: original.status === 'requested' ? r.refundId : null,
        amountFen: refund ? (body.amountFen ?? r.amountFen) : null,
        upTo: body.amountFen === undefined,
        note: body.note,
        by: p.userId,
      });
      const amount = newRefundId
        ? Number((await this.repo.refunds(m, [newRefundId])).get(newRefundId)?.amount_fen)
        : null;
      await this.repo.decideDispute(m, disputeId, {
        status: refund ? 'refunded' : 'upheld',
        decisionNote: body.note,
        refundFen: amount,
        refundId: newRefundId,
        decidedBy: p.userId,
      });
      return { afterSalesId: r.id, refundId: newRefundId };
    });
    if (refundId) await this.lifecycle.executeRefund(refundId);
    return this.view(afterSalesId);
  }

  // ---- the cooperative --------------------------------------------------------------------------------------

  async forCooperative(p: Principal, cooperativeId: string): Promise<AfterSalesView[]> {
    this.scope(p, cooperativeId, 'read');
    return this.views(await this.repo.byCooperative(cooperativeId, 200));
  }

  /**
   * Accept: a refund is paid back now (through decideRefund, once); a return is agreed (the goods come back first,
   * then `received` pays back). Refuse: with a reason, unless a promise covers the request.
   */
  async decide(p: Principal, id: string, accept: boolean, note: string | undefined): Promise<AfterSalesView> {
    const r = await this.managed(p, id);
    const refund = (await this.repo.refunds(this.repo.manager, [r.refundId])).get(r.refundId);
    if (refund?.status !== 'requested')
      throw new AfterSalesException(AfterSalesErrorCode.AFTER_SALES_DECIDED, 'this request was already decided');
    if (!accept) {
      if (!note)
        throw new AfterSalesException(AfterSalesErrorCode.AFTER_SALES_NOTE_REQUIRED, 'say why you refuse', [
          { field: 'note', message: 'is required' },
        ]);
      const binding = this.binding(r);
      if (binding)
        throw new AfterSalesException(
          AfterSalesErrorCode.AFTER_SALES_PROMISED,
          `your promise (${binding}) covers this request: it cannot be refused`,
        );
      await this.lifecycle.decideRefund(p, r.refundId, false, note);
    } else if (r.kind === 'return') {
      if (r.returnAcceptedAt || !(await this.repo.transaction((m) => this.repo.acceptReturn(m, id, note ?? null))))
        throw new AfterSalesException(AfterSalesErrorCode.AFTER_SALES_DECIDED, 'the return was already agreed');
    } else {
      await this.lifecycle.decideRefund(p, r.refundId, true, note);
    }
    return this.view(id);
  }

  /** The returned goods arrived: the refund is paid back (once). */
  async received(p: Principal, id: string, note: string | undefined): Promise<AfterSalesView> {
    const r = await this.managed(p, id);
    if (r.kind !== 'return' || !r.returnShippedAt)
      throw new AfterSalesException(
        AfterSalesErrorCode.AFTER_SALES_RETURN_STEP,
        'the buyer has not sent the goods back yet',
      );
    await this.lifecycle.decideRefund(p, r.refundId, true, note);
    return this.view(id);
  }

  private async managed(p: Principal, id: string): Promise<AfterSalesRequest> {
    if (!isUuid(id)) throw this.notFound();
    const r = await this.repo.byId(this.repo.manager, id);
    if (!r) throw this.notFound();
    this.scope(p, r.cooperativeId, 'manage');
    const [dispute] = await this.repo.disputesOf(this.repo.manager, [id]);
    if (dispute?.status === 'open')
      throw new AfterSalesException(
        AfterSalesErrorCode.AFTER_SALES_ESCALATED,
        'the buyer asked the platform to decide: the platform decides this request now',
      );
    return r;
  }

  /** The promise that makes refusing impossible: 坏果包赔 needs a photo of the damage; the others bind as made. */
  private binding(r: AfterSalesRequest): PromiseKey | null {
    if (!r.coveredBy) return null;
    if (r.coveredBy === 'badFruitCover' && r.photos.length === 0) return null;
    return r.coveredBy as PromiseKey;
  }

  // ---- views ------------------------------------------------------------------------------------------------

  private async view(id: string): Promise<AfterSalesView> {
    const r = await this.repo.byId(this.repo.manager, id);
    if (!r) throw this.notFound();
    return (await this.views([r]))[0];
  }

  private async views(rows: AfterSalesRequest[]): Promise<AfterSalesView[]> {
    const disputes = new Map(
      (
        await this.repo.disputesOf(
          this.repo.manager,
          rows.map((r) => r.id),
        )
      ).map((d) => [d.afterSalesId, d]),
    );
    const refunds = await this.repo.refunds(this.repo.manager, [
      ...rows.map((r) => r.refundId),
      ...[...disputes.values()].flatMap((d) => (d.refundId ? [d.refundId] : [])),
    ]);
    const numbers = await this.repo.orderNumbers([...new Set(rows.map((r) => r.orderId))]);
    return rows.map((r) => {
      const refund = refunds.get(r.refundId);
      const dispute = disputes.get(r.id) ?? null;
      const status = statusWithDispute(
        r,
        refund,
        dispute,
        dispute?.refundId ? refunds.get(dispute.refundId) : undefined,
      );
      const from = dispute ? null : escalatableFrom(r, status);
      return {
        id: r.id,
        orderId: r.orderId,
        orderNumber: numbers.get(r.orderId) ?? '',
        kind: r.kind,
        reason: r.reason as AfterSalesView['reason'],
        text: r.text,
        photos: r.photos.map((ph) => ({
          url: this.storage.url(ph.key),
          thumbUrl: this.storage.url(ph.thumbKey),
          width: ph.width,
          height: ph.height,
        })),
        amountFen: r.amountFen,
        status,
        // The cooperative's words: a request it never answered, closed by the platform, has none of its own.
        decisionNote: (dispute?.because === 'unanswered' ? null : refund?.decision_note) ?? r.returnNote,
        coveredBy: this.binding(r),
        returnShipment:
          r.returnCarrier && r.returnTracking && r.returnShippedAt
            ? { carrier: r.returnCarrier, trackingNumber: r.returnTracking, at: r.returnShippedAt.toISOString() }
            : null,
        buyerMasked: r.buyerMasked,
        createdAt: r.createdAt.toISOString(),
        decidedAt: (refund?.completed_at ?? r.returnAcceptedAt)?.toISOString() ?? null,
        dispute: dispute && disputeView(dispute),
        escalatableFrom: from?.toISOString() ?? null,
      };
    });
  }
}

/** The request's state, read from its refund row (and the return's steps): never stored twice. */
export function statusOf(
  r: Pick<AfterSalesRequest, 'kind' | 'returnAcceptedAt' | 'returnShippedAt'>,
  refund: Pick<RefundFacts, 'status'> | undefined,
): AfterSalesStatus {
  switch (refund?.status) {
    case 'declined':
      return 'refused';
    case 'pending':
      return 'processing';
    case 'succeeded':
      return 'refunded';
    case 'failed':
      return 'failed';
    default:
      if (r.kind === 'return' && r.returnAcceptedAt) return r.returnShippedAt ? 'returned' : 'awaiting_return';
      return 'requested';
  }
}

/**
 * With a dispute: open → disputed (unless the cooperative accepted meanwhile); upheld → refused; refunded → the
 * platform's refund row says processing, refunded or failed.
 */
export function statusWithDispute(
  r: Pick<AfterSalesRequest, 'kind' | 'returnAcceptedAt' | 'returnShippedAt'>,
  refund: Pick<RefundFacts, 'status'> | undefined,
  dispute: Pick<AfterSalesDispute, 'status'> | null,
  platformRefund: Pick<RefundFacts, 'status'> | undefined,
): AfterSalesStatus {
  const own = statusOf(r, refund);
  if (!dispute) return own;
  if (dispute.status === 'open')
    return own === 'refused' || own === 'requested' || own === 'returned' ? 'disputed' : own;
  if (dispute.status === 'upheld') return 'refused';
  return statusOf(r, platformRefund ?? { status: 'pending' });
}

/**
 * When the buyer may take a request to the platform: a refusal at once; an unanswered request (or goods sent back
 * and not received) DISPUTE_ANSWER_HOURS after; never while it is the buyer's turn or once money moves.
 */
export function escalatableFrom(
  r: Pick<AfterSalesRequest, 'createdAt' | 'returnShippedAt'>,
  status: AfterSalesStatus,
): Date | null {
  const wait = DISPUTE_ANSWER_HOURS * HOUR;
  switch (status) {
    case 'refused':
      return new Date(0);
    case 'requested':
      return new Date(r.createdAt.getTime() + wait);
    case 'returned':
      return r.returnShippedAt ? new Date(r.returnShippedAt.getTime() + wait) : null;
    default:
      return null;
  }
}

function disputeView(d: AfterSalesDispute): AfterSalesDisputeView {
  return {
    id: d.id,
    status: d.status,
    because: d.because,
    buyerNote: d.buyerNote,
    escalatedAt: d.createdAt.toISOString(),
    decisionNote: d.decisionNote,
    refundFen: d.refundFen,
    decidedAt: d.decidedAt?.toISOString() ?? null,
  };
}
