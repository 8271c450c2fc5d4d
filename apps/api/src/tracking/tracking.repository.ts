import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ParcelEventDto, ParcelStatus } from '@xiangbo/contracts';
import { DataSource, EntityManager } from 'typeorm';

/** What tracking reads of a shipped order (read-only: orders' tables belong to orders). */
export interface ShippedOrder {
  id: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: Date | null;
  recipientMobile: string;
  toPlace: string;
  fromPlace: string;
}

/**
 * Every statement of parcel tracking. It writes only its own tables (parcel_events, parcel_trackings); it reads an
 * order's carrier, number, address and cooperative (read-only).
 */
@Injectable()
export class TrackingRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async shippedOrder(orderId: string): Promise<ShippedOrder | null> {
    const [r]: {
      id: string;
      status: string;
      carrier: string | null;
      tracking_number: string | null;
      shipped_at: Date | null;
      address: { mobile?: string; city?: string; district?: string } | null;
      county: string | null;
      village: string | null;
    }[] = await this.db.query(
      `SELECT o.id, o.status, o.carrier, o.tracking_number, o.shipped_at, o.address, c.county, c.village
         FROM orders o JOIN cooperatives c ON c.id = o.cooperative_id WHERE o.id = $1`,
      [orderId],
    );
    if (!r) return null;
    return {
      id: r.id,
      status: r.status,
      carrier: r.carrier,
      trackingNumber: r.tracking_number,
      shippedAt: r.shipped_at ? new Date(r.shipped_at) : null,
      recipientMobile: r.address?.mobile ?? '',
      toPlace: `${r.address?.city ?? ''}${r.address?.district ?? ''}` || '收件地',
      fromPlace: `${r.county ?? ''}${r.village ?? ''}` || '发货地',
    };
  }

  /** Shipped orders whose carrier was not asked within `since` (never asked first), at most `limit`. */
  async dueForPolling(since: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT o.id FROM orders o LEFT JOIN parcel_trackings t ON t.order_id = o.id
        WHERE o.status = 'shipped' AND o.tracking_number IS NOT NULL AND (t.polled_at IS NULL OR t.polled_at < $1)
        ORDER BY t.polled_at NULLS FIRST, o.shipped_at LIMIT $2`,
      [since, limit],
    );
    return rows.map((r) => r.id);
  }

  async lastPolled(orderId: string): Promise<Date | null> {
    const [r]: { polled_at: Date }[] = await this.db.query(
      'SELECT polled_at FROM parcel_trackings WHERE order_id = $1',
      [orderId],
    );
    return r ? new Date(r.polled_at) : null;
  }

  /** Adds the steps not recorded yet (a step seen twice is kept once); returns how many were new. */
  /** Records the steps not recorded yet; returns the statuses of those that were new. */
  async addEvents(m: EntityManager, orderId: string, events: readonly ParcelEventDto[]): Promise<ParcelStatus[]> {
    if (!events.length) return [];
    // (TypeORM answers INSERT … RETURNING with the rows themselves)
    const rows: { status: ParcelStatus }[] = await m.query(
      `INSERT INTO parcel_events (order_id, at, status, text)
       SELECT $1, e.at, e.status, e.text FROM unnest($2::timestamptz[], $3::text[], $4::text[]) AS e(at, status, text)
       ON CONFLICT ON CONSTRAINT parcel_events_once DO NOTHING RETURNING status`,
      [orderId, events.map((e) => e.at), events.map((e) => e.status), events.map((e) => e.text)],
    );
    return rows.map((r) => r.status);
  }

  async markPolled(m: EntityManager, orderId: string, provider: string, at: Date, error: string | null) {
    await m.query(
      `INSERT INTO parcel_trackings (order_id, provider, polled_at, last_error) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO UPDATE SET provider = EXCLUDED.provider, polled_at = EXCLUDED.polled_at,
         last_error = EXCLUDED.last_error`,
      [orderId, provider, at, error === null ? null : error.slice(0, 300)],
    );
  }

  async events(orderId: string): Promise<ParcelEventDto[]> {
    const rows: { at: Date; status: ParcelStatus; text: string }[] = await this.db.query(
      'SELECT at, status, text FROM parcel_events WHERE order_id = $1 ORDER BY at, recorded_at',
      [orderId],
    );
    return rows.map((r) => ({ at: new Date(r.at).toISOString(), status: r.status, text: r.text }));
  }
}
