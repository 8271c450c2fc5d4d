import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  PRESALE_UNPAID_BALANCE_RULE,
  type ConsolePresale,
  type ConsolePresaleOrder,
  type CreatePresaleRequest,
  type MyPresaleOrder,
  type PresaleBalanceResponse,
  type PresaleOffer,
  type PresaleOrderState,
  type PublicPresale,
} from '@xiangbo/contracts';
import { allocate, maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { CatalogCache } from '../catalog/catalog-cache';
import { AppException } from '../common/app.exception';
import { GroupedReads } from '../common/grouped-reads';
import { cooperativeScope, isUuid } from '../common/cooperative-scope';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';
import { SettlementService, type SettlementLineTerms } from '../ledger/settlement.service';
import { LifecycleService } from '../orders/lifecycle.service';
import { OrderHooks, type OfferHooks } from '../orders/order-hooks';
import { OrdersService } from '../orders/orders.service';
import { PresaleErrorCode, PresaleException } from './presale.exception';
import { PresaleRepository, type PresaleRow, type PromiseRow } from './presale.repository';
import { DomainEvents } from '../common/domain-events';

export const PRESALE_OFFER_KIND = 'presale';
export const PRESALE_REFUND_JOB = 'presale.refund';
export const PRESALE_SWEEP_JOB = 'presale.sweep';

const DAY_MS = 86_400_000;
const CANCEL_REASON = '预售取消（歉收），系统自动全额退还定金 (the pre-sale was cancelled: deposit refunded in full)';
const LATE_REASON =
  '尾款未在截止前支付，系统自动全额退还定金 (balance not paid by its deadline: deposit refunded in full)';

const notFound = () => new PresaleException(PresaleErrorCode.PRESALE_NOT_FOUND, 'pre-sale not found');
const orderNotFound = () => new PresaleException(PresaleErrorCode.PRESALE_ORDER_NOT_FOUND, 'pre-sale order not found');

/**
 * 预售. A cooperative opens a pre-sale of one of its products with its households' promises (the cap) and the
 * guaranteed purchase price (保底收购价). A buyer orders the product the ordinary way (POST /api/orders): orders asks
 * this feature's product-offer hook and places the order under the pre-sale, so its line is priced at the deposit
 * (the deposit order); the units are taken from the promises by one guarded UPDATE (reserve hook). When the deposit
 * is paid (afterPayment) the buyer's pre-sale order is written. The cooperative declares the harvest in: the balance
 * becomes due within `balanceDays`; the buyer pays it as a follow-on order (the balance order, no stock), and only
 * then may the cooperative ship (mayShip), both orders in one parcel. If the cooperative cancels (a failed harvest),
 * or a balance is not paid in time (rule shown to the buyer: the deposit is refunded in full), each deposit order is
 * refunded once through orders' refund path: the refund is opened in the transaction that marks the pre-sale order
 * refunding, then sent with the key refund:<id> (a job at the deadline / on cancel, and a sweep every minute, so a
 * run killed half-way resumes). The ledger: a deposit is paid into the cooperative's clearing account (a liability of
 * the platform, neither revenue nor settled) and settles only once its order completes, which needs the balance paid
 * and the parcel shipped; settlement pays the households the guaranteed price, weighted by their promises.
 */
@Injectable()
export class PresaleService implements OnModuleInit {
  private readonly logger = new Logger('Presale');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: PresaleRepository,
    private readonly hooks: OrderHooks,
    private readonly orders: OrdersService,
    private readonly lifecycle: LifecycleService,
    private readonly jobs: JobsService,
    private readonly catalog: CatalogCache,
    private readonly settlement: SettlementService,
    private readonly events: DomainEvents,
  ) {
    this.openPresales = new GroupedReads(
      (ids) => this.repo.openIdsOfProducts(this.db.manager, ids),
      () => null,
    );
  }

  /** Which products are on pre-sale now, read grouped while a read is in flight (never cached: see GroupedReads). */
  private readonly openPresales: GroupedReads<string, string | null>;

  onModuleInit() {
    this.hooks.registerOffer(PRESALE_OFFER_KIND, this.offerHooks());
    this.hooks.registerProductOffer({
      // Asked on every POST /api/orders: outside a transaction, the checkouts of the same moment share one read.
      offerFor: (m, productId) =>
        !isUuid(productId)
          ? Promise.resolve(null)
          : m === this.db.manager
            ? this.openPresales.load(productId)
            : this.repo.openIdOfProduct(m, productId),
      notWithOthers: (productId) =>
        new PresaleException(
          PresaleErrorCode.PRESALE_ORDER_ALONE,
          'a pre-sale product is ordered on its own, not with other products',
          { productId },
        ),
    });
    this.hooks.registerDetail('presale', (orderId) => this.orderDetail(orderId));
    this.settlement.registerLineTerms((ids) => this.settlementTerms(ids));
    this.jobs.register(PRESALE_REFUND_JOB, (d) => this.refundDue(String(d.presaleId)).then(() => undefined));
    this.jobs.register(PRESALE_SWEEP_JOB, () => this.refundDue().then(() => undefined), '* * * * *');
  }

  /** A balance order opened just before the deadline may still be paid within its reservation window. */
  private graceMs(): number {
    return this.config.RESERVATION_SECONDS * 1000 + 60_000;
  }

  // ---- the cooperative ------------------------------------------------------------------------------------

  private scope(p: Principal, cooperativeId: string, mode: 'read' | 'manage', missing: () => Error) {
    const s = cooperativeScope(p, cooperativeId, mode);
    if (s === 'not_found') throw missing();
    if (s === 'forbidden')
      throw new PresaleException(PresaleErrorCode.NOT_COOPERATIVE_ADMIN, "only the cooperative's admins can do this");
  }

  async create(p: Principal, body: CreatePresaleRequest): Promise<ConsolePresale> {
    const productMissing = () =>
      new PresaleException(PresaleErrorCode.PRESALE_PRODUCT_NOT_FOUND, 'product not found', {
        productId: body.productId,
      });
    const product = await this.repo.product(this.db.manager, body.productId);
    if (!product) throw productMissing();
    this.scope(p, product.cooperative_id, 'manage', productMissing);
    const id = await this.db
      .transaction(async (m) => {
        const ours = await this.repo.householdsOf(
          m,
          product.cooperative_id,
          body.promises.map((x) => x.householdId),
        );
        const index = body.promises.findIndex((x) => !ours.has(x.householdId));
        if (index >= 0)
          throw new PresaleException(
            PresaleErrorCode.PRESALE_HOUSEHOLD_NOT_OURS,
            `promises.${index}: this household is not one of the cooperative's`,
            { field: `promises.${index}.householdId`, index },
          );
        return this.repo.insert(m, {
          productId: product.id,
          cooperativeId: product.cooperative_id,
          depositFen: body.depositFen,
          balanceFen: body.balanceFen,
          guaranteedFen: body.guaranteedFen,
          shipFrom: body.shipFrom,
          shipTo: body.shipTo,
          balanceDays: body.balanceDays ?? 7,
          promises: body.promises,
          by: p.userId,
        });
      })
      .catch((e: unknown) => {
        const code = (e as { driverError?: { code?: string }; code?: string }).driverError?.code;
        if (code === '23505')
          throw new PresaleException(PresaleErrorCode.PRESALE_EXISTS, 'this product already has a pre-sale', {
            productId: product.id,
          });
        throw e;
      });
    this.changed(product.id);
    return this.consoleOne(id);
  }

  async listConsole(p: Principal, cooperativeId: string): Promise<ConsolePresale[]> {
    this.scope(p, cooperativeId, 'read', notFound);
    const rows = await this.repo.ofCooperative(this.db.manager, cooperativeId);
    return this.consoleViews(rows);
  }

  /** The harvest is in: the balance is due within `balanceDays` (a full prepayment may ship at once). */
  async harvest(p: Principal, presaleId: string): Promise<ConsolePresale> {
    const row = await this.managed(p, presaleId);
    const dueAt = new Date(Date.now() + row.balance_days * DAY_MS);
    const moved = await this.db.transaction(async (m) => {
      const done = await this.repo.harvest(m, presaleId, dueAt);
      if (done) this.events.publish(m, 'presale.harvested', { presaleId });
      return done;
    });
    if (!moved)
      throw new PresaleException(PresaleErrorCode.PRESALE_NOT_OPEN, 'this pre-sale is no longer open', {
        status: row.status,
      });
    // Late balances refunded after the deadline (and its grace); the sweep does it too if this is lost.
    await this.jobs.sendAt(
      PRESALE_REFUND_JOB,
      { presaleId },
      new Date(dueAt.getTime() + this.graceMs() + 1000),
      `presale-late:${presaleId}`,
    );
    this.changed(row.product_id);
    return this.consoleOne(presaleId);
  }

  /** A failed harvest: the pre-sale is cancelled and every paid deposit refunded (job, then the sweep). */
  async cancel(p: Principal, presaleId: string, reason: string): Promise<ConsolePresale> {
    const row = await this.managed(p, presaleId);
    const moved = await this.db.transaction((m) => this.repo.cancel(m, presaleId, reason));
    if (!moved)
      throw new PresaleException(PresaleErrorCode.PRESALE_NOT_OPEN, 'only an open pre-sale can be cancelled', {
        status: row.status,
      });
    await this.jobs.send(PRESALE_REFUND_JOB, { presaleId }, `presale-cancel:${presaleId}`);
    this.changed(row.product_id);
    return this.consoleOne(presaleId);
  }

  private async managed(p: Principal, presaleId: string): Promise<PresaleRow> {
    const row = isUuid(presaleId) ? await this.repo.presale(this.db.manager, presaleId) : null;
    if (!row) throw notFound();
    this.scope(p, row.cooperative_id, 'manage', notFound);
    return row;
  }

  private changed(productId: string) {
    this.catalog.productChanged(productId);
    this.catalog.lists.invalidateAll();
  }

  private async consoleOne(id: string): Promise<ConsolePresale> {
    const m = this.db.manager;
    const row = await this.repo.presale(m, id);
    if (!row) throw notFound();
    const product = await this.repo.product(m, row.product_id);
    const [view] = await this.consoleViews([{ ...row, product_name: product?.name_zh ?? '' }]);
    return view;
  }

  private async consoleViews(rows: (PresaleRow & { product_name: string })[]): Promise<ConsolePresale[]> {
    if (!rows.length) return [];
    const m = this.db.manager;
    const ids = rows.map((r) => r.id);
    const [promises, counts] = await Promise.all([this.repo.promises(m, ids), this.repo.counts(m, ids)]);
    return rows.map((r) => {
      const mine = counts.filter((c) => c.presale_id === r.id);
      const n = (s: string) => mine.find((c) => c.status === s)?.n ?? 0;
      const ps = promises.get(r.id) ?? [];
      return {
        ...offerOf(r, ps),
        productId: r.product_id,
        productName: r.product_name,
        createdAt: r.created_at.toISOString(),
        harvestedAt: r.harvested_at?.toISOString() ?? null,
        cancelledAt: r.cancelled_at?.toISOString() ?? null,
        cancelReason: r.cancel_reason,
        promisedBy: ps.map((x) => ({ householdId: x.household_id, name: maskName(x.head_name), quantity: x.quantity })),
        orders: {
          depositPaid: n('deposit_paid') + n('balance_pending'),
          balancePaid: n('balance_paid'),
          refunded: n('refunding'),
          units: mine.filter((c) => c.status !== 'refunding').reduce((s, c) => s + c.units, 0),
        },
      };
    });
  }

  // ---- the public ------------------------------------------------------------------------------------------

  /** The product page's `presale` (open or harvested), or null. */
  async offerOfProduct(productId: string): Promise<PresaleOffer | null> {
    if (!isUuid(productId)) return null;
    const row = await this.repo.liveOfProduct(this.db.manager, productId);
    if (!row) return null;
    const promises = await this.repo.promises(this.db.manager, [row.id]);
    return offerOf(row, promises.get(row.id) ?? []);
  }

  /** The transparency page: the cooperative's pre-sales and what was promised to its households (names masked). */
  async publicOfCooperative(cooperativeId: string): Promise<PublicPresale[]> {
    if (!isUuid(cooperativeId)) return [];
    const rows = await this.repo.publicOfCooperative(this.db.manager, cooperativeId);
    const promises = await this.repo.promises(
      this.db.manager,
      rows.map((r) => r.id),
    );
    return rows.map((r) => {
      const ps = promises.get(r.id) ?? [];
      return {
        id: r.id,
        productId: r.product_id,
        productName: r.product_name,
        status: r.status,
        guaranteedFen: Number(r.guaranteed_fen),
        depositFen: Number(r.deposit_fen),
        balanceFen: Number(r.balance_fen),
        shipFrom: r.ship_from,
        shipTo: r.ship_to,
        promises: ps.map((x) => ({ name: maskName(x.head_name), quantity: x.quantity })),
        promisedUnits: r.cap,
        orderedUnits: r.ordered,
      };
    });
  }

  // ---- the buyer -------------------------------------------------------------------------------------------

  async mine(buyerId: string): Promise<MyPresaleOrder[]> {
    const rows = await this.repo.ofBuyer(this.db.manager, buyerId);
    if (!rows.length) return [];
    const presales = new Map<string, PresaleRow>();
    for (const id of new Set(rows.map((r) => r.presale_id))) {
      const p = await this.repo.presale(this.db.manager, id);
      if (p) presales.set(id, p);
    }
    return rows.flatMap((r) => {
      const p = presales.get(r.presale_id);
      if (!p) return [];
      return [
        {
          orderId: r.order_id,
          balanceOrderId: r.balance_order_id,
          presaleId: r.presale_id,
          productId: r.product_id,
          productName: r.product_name,
          quantity: r.quantity,
          state: stateOf(r.status, r.order_status, p),
          depositFen: Number(p.deposit_fen) * r.quantity,
          balanceFen: Number(p.balance_fen) * r.quantity,
          balanceDueAt: p.balance_due_at?.toISOString() ?? null,
          shipFrom: p.ship_from,
          shipTo: p.ship_to,
        },
      ];
    });
  }

  /** The cooperative's pre-sale orders (staff who may read its orders; 404 for everyone else). */
  async cooperativeOrders(p: Principal, cooperativeId: string): Promise<ConsolePresaleOrder[]> {
    this.scope(p, cooperativeId, 'read', orderNotFound);
    const rows = await this.repo.ofCooperativeOrders(this.db.manager, cooperativeId);
    const presales = new Map<string, PresaleRow>();
    for (const id of new Set(rows.map((r) => r.presale_id))) {
      const row = await this.repo.presale(this.db.manager, id);
      if (row) presales.set(id, row);
    }
    return rows.flatMap((r) => {
      const ps = presales.get(r.presale_id);
      if (!ps) return [];
      const ready = Number(ps.balance_fen) > 0 ? r.status === 'balance_paid' : r.status === 'deposit_paid';
      return [
        {
          orderId: r.order_id,
          orderNumber: r.number,
          balanceOrderId: r.balance_order_id,
          presaleId: r.presale_id,
          productName: r.product_name,
          quantity: r.quantity,
          state: stateOf(r.status, r.order_status, ps),
          shippable: ps.status === 'harvested' && ready && r.order_status === 'paid',
          orderStatus: r.order_status,
        },
      ];
    });
  }

  /**
   * The buyer pays the balance: the balance order (a follow-on order of the same product, no stock) is written under
   * the pre-sale order's row lock, once (a pending one is answered again; an expired one is replaced).
   */
  async payBalance(buyerId: string, orderId: string): Promise<PresaleBalanceResponse> {
    if (!isUuid(orderId)) throw orderNotFound();
    const placed = await this.db.transaction(async (m) => {
      const po = await this.repo.orderOf(m, orderId, true);
      // Someone else's order is not found (its existence is not revealed).
      if (!po || po.buyer_id !== buyerId) throw orderNotFound();
      const p = (await this.repo.presale(m, po.presale_id)) as PresaleRow;
      const balanceFen = Number(p.balance_fen);
      if (balanceFen === 0 || po.status === 'balance_paid' || po.status === 'refunding')
        throw new PresaleException(PresaleErrorCode.PRESALE_NO_BALANCE, 'there is no balance to pay on this order', {
          state: po.status,
        });
      if (p.status !== 'harvested' || !p.balance_due_at)
        throw new PresaleException(
          PresaleErrorCode.PRESALE_BALANCE_NOT_DUE,
          'the balance is due once the cooperative declares the harvest in',
        );
      if (p.balance_due_at.getTime() <= Date.now())
        throw new PresaleException(
          PresaleErrorCode.PRESALE_BALANCE_LATE,
          'the balance was due before now: the deposit is being refunded',
          { balanceDueAt: p.balance_due_at.toISOString() },
        );
      if (po.status === 'balance_pending' && po.balance_order_id) {
        const status = (await this.repo.orderStatuses(m, [po.balance_order_id])).get(po.balance_order_id);
        if (status === 'pending_payment')
          return { balanceOrderId: po.balance_order_id, paymentId: null, expiresAt: null };
      }
      const [d]: { product_id: string; product_name: string; unit: string; address: never; cooperative_id: string }[] =
        await m.query(
          `SELECT l.product_id, l.product_name, l.unit, o.address, o.cooperative_id
             FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = $1 AND o.status = 'paid' LIMIT 1`,
          [po.order_id],
        );
      if (!d)
        throw new PresaleException(PresaleErrorCode.PRESALE_NO_BALANCE, 'the deposit order is not paid', {
          state: po.status,
        });
      const b = await this.orders.placeFollowOn(m, {
        buyerId,
        cooperativeId: d.cooperative_id,
        productId: d.product_id,
        productName: d.product_name,
        unit: d.unit,
        unitPriceFen: balanceFen,
        quantity: po.quantity,
        address: d.address,
        offerId: po.presale_id,
        note: `预售尾款 (pre-sale balance of ${po.order_id})`,
      });
      await this.repo.setBalanceOrder(m, po.order_id, b.orderId);
      return { balanceOrderId: b.orderId, paymentId: b.paymentId, expiresAt: b.expiresAt, depositOrderId: po.order_id };
    });
    if (placed.paymentId && placed.expiresAt) await this.orders.expireLater(placed.paymentId, placed.expiresAt);
    const balance = await this.orders.dto(placed.balanceOrderId);
    const checkout = await this.orders.ensureIntent(buyerId, balance.paymentId);
    const depositOrder = await this.repo.orderOf(this.db.manager, placed.balanceOrderId);
    return {
      orderId: depositOrder?.order_id ?? orderId,
      balanceOrderId: placed.balanceOrderId,
      paymentId: checkout.paymentId,
      amountFen: checkout.amountFen,
    };
  }

  /**
   * Ships a pre-sale order: its deposit order and its balance order, one parcel (each refused by mayShip until the
   * balance is paid). The cooperative's console calls this with either order's id.
   */
  async ship(p: Principal, orderId: string, carrier: string, trackingNumber: string) {
    const po = isUuid(orderId) ? await this.repo.orderOf(this.db.manager, orderId) : null;
    if (!po) throw orderNotFound();
    await this.lifecycle.ship(p, po.order_id, carrier, trackingNumber);
    if (po.balance_order_id) await this.lifecycle.ship(p, po.balance_order_id, carrier, trackingNumber);
    return { orderId: po.order_id, balanceOrderId: po.balance_order_id };
  }

  /** GET /api/orders/:id adds `presale` (the state of the pre-sale order this order belongs to), if any. */
  private async orderDetail(orderId: string): Promise<Record<string, unknown>> {
    if (!isUuid(orderId)) return {};
    const po = await this.repo.orderOf(this.db.manager, orderId);
    if (!po) return {};
    const p = await this.repo.presale(this.db.manager, po.presale_id);
    if (!p) return {};
    const status = (await this.repo.orderStatuses(this.db.manager, [po.order_id])).get(po.order_id) ?? '';
    return {
      presale: {
        presaleId: p.id,
        role: po.balance ? 'balance' : 'deposit',
        depositOrderId: po.order_id,
        balanceOrderId: po.balance_order_id,
        state: stateOf(po.status, status, p),
        depositFen: Number(p.deposit_fen) * po.quantity,
        balanceFen: Number(p.balance_fen) * po.quantity,
        balanceDueAt: p.balance_due_at?.toISOString() ?? null,
        shipFrom: p.ship_from,
        shipTo: p.ship_to,
      },
    };
  }

  // ---- refunds: a cancelled pre-sale, or a balance not paid in time -----------------------------------------

  /**
   * Refunds every deposit order due a refund (of one pre-sale, or all): each opened once, in the transaction that
   * moves its pre-sale order to refunding under its row lock, then sent to the provider (key refund:<id>). Safe to
   * run any number of times, concurrently, and after a crash at any point.
   */
  async refundDue(presaleId?: string, now = new Date()): Promise<{ refunded: number }> {
    const lateBefore = new Date(now.getTime() - this.graceMs());
    const adopted = await this.db.transaction((m) => this.repo.adoptPaidDeposits(m, presaleId));
    if (adopted) this.logger.warn({ presaleId, adopted }, 'deposits paid without their pre-sale order were adopted');
    let refunded = 0;
    for (const orderId of await this.repo.toRefund(this.db.manager, lateBefore, presaleId)) {
      const refundId = await this.db.transaction(async (m) => {
        const po = await this.repo.orderOf(m, orderId, true);
        if (!po || po.balance) return null;
        if (po.status === 'refunding') return po.refund_id;
        if (po.status === 'balance_paid') return null;
        const p = (await this.repo.presale(m, po.presale_id)) as PresaleRow;
        const late =
          p.status === 'harvested' && p.balance_due_at !== null && p.balance_due_at.getTime() < lateBefore.getTime();
        if (p.status !== 'cancelled' && !late) return null;
        const id = await this.lifecycle.openSystemRefund(
          m,
          po.order_id,
          p.status === 'cancelled' ? CANCEL_REASON : LATE_REASON,
        );
        await this.repo.setRefunding(m, po.order_id, id);
        // the units go back to the pre-sale (its cap), as the stock went back to the product
        await this.repo.giveBack(m, po.presale_id, po.quantity);
        return id;
      });
      if (!refundId) continue;
      try {
        await this.lifecycle.executeRefund(refundId);
        refunded++;
      } catch (e) {
        if (!(e instanceof AppException)) throw e; // anything unexpected stops the run; the sweep resumes it
        this.logger.error({ err: e, orderId, refundId }, 'the provider refused a pre-sale refund; a person must look');
      }
    }
    return { refunded };
  }

  // ---- settlement: the households' promises and the guaranteed price --------------------------------------

  private async settlementTerms(orderIds: string[]): Promise<Map<string, SettlementLineTerms>> {
    const out = new Map<string, SettlementLineTerms>();
    const rows = await this.repo.settlementTerms(this.db.manager, orderIds);
    if (!rows.length) return out;
    const promises = await this.repo.promises(this.db.manager, [...new Set(rows.map((r) => r.presale_id))]);
    for (const r of rows) {
      const supplies = (promises.get(r.presale_id) ?? [])
        .map((x) => ({ householdId: x.household_id, quantity: x.quantity }))
        .sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0));
      // The guarantee (保底收购价 × units) over the deposit order and the balance order, by what each costs.
      const deposit = Number(r.deposit_fen) * r.quantity;
      const balance = Number(r.balance_fen) * r.quantity;
      const parts = allocate(Number(r.guaranteed_fen) * r.quantity, [
        { key: 'deposit', weight: deposit },
        { key: 'balance', weight: balance },
      ]);
      const part = parts.find((x) => x.key === (r.balance ? 'balance' : 'deposit'))?.amount ?? 0;
      out.set(r.order_id, { supplies, guaranteedFen: part });
    }
    return out;
  }

  // ---- orders' hooks: the pre-sale is the offer of its deposit and balance orders -----------------------------

  private offerHooks(): OfferHooks {
    const closed = () => new PresaleException(PresaleErrorCode.PRESALE_CLOSED, 'this pre-sale is closed');
    const soldOut = () =>
      new PresaleException(PresaleErrorCode.PRESALE_SOLD_OUT, 'every unit the households promised is ordered');
    return {
      owns: (m, id) => this.repo.isPresale(m, id),
      terms: async (m, id) => {
        const p = await this.repo.presale(m, id);
        if (!p || p.status !== 'open') throw closed();
        return { productId: p.product_id, unitPriceFen: Number(p.deposit_fen), perBuyerCap: null, showId: null };
      },
      reserve: async (m, id, want) => {
        const took = await this.repo.take(m, id, want);
        if (took) return took;
        const p = await this.repo.presale(m, id);
        return { taken: 0, refusal: p?.status === 'open' ? soldOut() : closed() };
      },
      release: async (m, id, quantity) => {
        await this.repo.giveBack(m, id, quantity);
      },
      afterPayment: async (m, id, quantity, orderId) => {
        const po = await this.repo.orderOf(m, orderId, true);
        if (po?.balance) {
          // The deposit order counted these units as sold; orders counts the balance order's line too (same tx).
          await this.repo.uncountSold(m, orderId);
          if (po.status === 'balance_pending') await this.repo.setStatus(m, po.order_id, 'balance_paid');
          else
            this.logger.warn({ orderId, state: po.status }, 'a balance was paid for a pre-sale order that is not due');
          return;
        }
        const [o]: { buyer_id: string }[] = await m.query(`SELECT buyer_id FROM orders WHERE id = $1`, [orderId]);
        await this.repo.depositPaid(m, { orderId, presaleId: id, buyerId: o.buyer_id, quantity });
      },
      mayShip: async (m, id, orderId) => {
        const po = await this.repo.orderOf(m, orderId);
        const p = await this.repo.presale(m, id);
        const notReady = (why: string) =>
          new PresaleException(PresaleErrorCode.PRESALE_NOT_READY_TO_SHIP, why, { orderId });
        if (!po || !p || p.status !== 'harvested') return notReady('a pre-sale order ships once the harvest is in');
        if (Number(p.balance_fen) > 0 && po.status !== 'balance_paid')
          return notReady('a pre-sale order ships once its balance is paid');
        if (po.status === 'refunding') return notReady('this pre-sale order is being refunded');
        return null;
      },
      refusal: () => soldOut(),
    };
  }
}

/** The buyer's words for a pre-sale order's state. */
function stateOf(status: string, depositOrderStatus: string, p: PresaleRow): PresaleOrderState {
  if (status === 'refunding') return depositOrderStatus === 'refunded' ? 'refunded' : 'refunding';
  if (status === 'balance_paid') return 'balance_paid';
  if (p.status === 'harvested' && Number(p.balance_fen) > 0) return 'balance_due';
  return 'deposit_paid';
}

function offerOf(r: PresaleRow, promises: PromiseRow[]): PresaleOffer {
  const deposit = Number(r.deposit_fen);
  const balance = Number(r.balance_fen);
  return {
    id: r.id,
    status: r.status,
    depositFen: deposit,
    balanceFen: balance,
    totalFen: deposit + balance,
    shipFrom: r.ship_from,
    shipTo: r.ship_to,
    balanceDays: r.balance_days,
    balanceDueAt: r.balance_due_at?.toISOString() ?? null,
    promisedUnits: r.cap,
    remainingUnits: Math.max(0, r.cap - r.taken),
    unpaidBalanceRule: PRESALE_UNPAID_BALANCE_RULE,
    guaranteedFen: Number(r.guaranteed_fen),
    promises: promises.map((x) => ({ name: maskName(x.head_name), quantity: x.quantity })),
  };
}
