import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import type { ParcelEventDto } from '@xiangbo/contracts';
import { DomainEvents } from '../common/domain-events';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';
import { OrderHooks } from '../orders/order-hooks';
import { OrdersService } from '../orders/orders.service';
import { LOGISTICS_PROVIDER, type LogisticsProvider } from './logistics-provider';
import { TrackingRepository } from './tracking.repository';

export const PARCEL_POLL_JOB = 'tracking.poll';
/** A local (demo) carrier is asked again when an order is read at most this often. */
const LOCAL_REFRESH_MS = 30_000;
/** Parcels asked about per poll run. */
const POLL_BATCH = 200;

/**
 * Parcel tracking: asks the carrier (Kuaidi100, or the demo carrier) about shipped orders' parcels on a schedule,
 * keeps each step once, and when a parcel is signed for, marks the order delivered (by the system, on the carrier's word) —
 * which starts the buyer's window before the order completes by itself. The order's detail carries the steps.
 */
@Injectable()
export class TrackingService implements OnModuleInit {
  private readonly log = new Logger('Tracking');

  constructor(
    private readonly repo: TrackingRepository,
    private readonly orders: OrdersService,
    private readonly hooks: OrderHooks,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(LOGISTICS_PROVIDER) private readonly provider: LogisticsProvider | null,
  ) {}

  onModuleInit(): void {
    this.hooks.registerDetail('tracking', async (orderId) => ({ tracking: await this.timeline(orderId) }));
    if (this.provider) this.jobs.register(PARCEL_POLL_JOB, () => this.pollDue().then(() => undefined), '*/5 * * * *');
  }

  /** The parcel's steps, oldest first; a local carrier is asked first when it was not asked just now. */
  async timeline(orderId: string, now = new Date()): Promise<ParcelEventDto[]> {
    if (this.provider?.local) {
      const last = await this.repo.lastPolled(orderId);
      if (!last || now.getTime() - last.getTime() >= LOCAL_REFRESH_MS) await this.refresh(orderId, now);
    }
    return this.repo.events(orderId);
  }

  /**
   * Asks the carrier about one order's parcel and records what is new, in one transaction with the order's move to
   * delivered when the parcel was signed for. A carrier that fails is noted (last_error) and asked again next run.
   * Returns the number of new steps.
   */
  async refresh(orderId: string, now = new Date()): Promise<number> {
    const provider = this.provider;
    if (!provider) return 0;
    const order = await this.repo.shippedOrder(orderId);
    if (!order?.carrier || !order.trackingNumber || !order.shippedAt) return 0;
    if (!['shipped', 'delivered', 'completed'].includes(order.status)) return 0;
    let answer;
    try {
      answer = await provider.query(
        {
          carrier: order.carrier,
          trackingNumber: order.trackingNumber,
          recipientMobile: order.recipientMobile,
          shippedAt: order.shippedAt,
          fromPlace: order.fromPlace,
          toPlace: order.toPlace,
        },
        now,
      );
    } catch (e) {
      const message = (e as Error).message;
      this.log.warn(`parcel of order ${orderId}: ${message}`);
      await this.repo.transaction((m) => this.repo.markPolled(m, orderId, provider.name, now, message));
      return 0;
    }
    const events = answer.kind === 'events' ? answer.events : [];
    return this.repo.transaction(async (m) => {
      const added = await this.repo.addEvents(m, orderId, events);
      await this.repo.markPolled(m, orderId, provider.name, now, null);
      // The buyer hears of the steps that matter to them, once each, after this commits.
      for (const status of new Set(added))
        if (status === 'delivering' || status === 'delivered' || status === 'problem' || status === 'returned')
          this.events.publish(m, 'parcel.moved', { orderId, status });
      const signed = events.find((e) => e.status === 'delivered');
      if (signed) {
        const locked = await this.orders.lockOrder(m, orderId);
        if (locked?.status === 'shipped')
          await this.orders.transition(
            m,
            locked,
            'delivered',
            { kind: 'system', id: null },
            `签收 ${signed.at}: ${signed.text}`.slice(0, 300),
          );
      }
      return added.length;
    });
  }

  /** One poll run: the shipped parcels not asked within PARCEL_POLL_MINUTES. Returns how many were asked. */
  async pollDue(now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - this.config.PARCEL_POLL_MINUTES * 60_000);
    const due = await this.repo.dueForPolling(since, POLL_BATCH);
    for (const id of due) {
      try {
        await this.refresh(id, now);
      } catch (e) {
        this.log.warn(`parcel of order ${id} not refreshed: ${(e as Error).message}`);
      }
    }
    return due.length;
  }
}
