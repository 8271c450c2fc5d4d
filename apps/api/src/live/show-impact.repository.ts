import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RegistryStatus } from '@xiangbo/contracts';
import { SharingPolicyVersion } from '../ledger/entities/sharing-policy.entity';
import { statusAsOfSql } from '../ledger/ledger-access';
import { PAID_STATUSES } from './shows.repository';

export interface PaidLineRow {
  product_id: string | null;
  quantity: number;
  line_total_fen: string;
}
export interface SupplyRow {
  product_id: string;
  household_id: string;
  quantity: number;
  status: RegistryStatus;
}
export interface MemberRow {
  household_id: string;
  share_units: number;
  status: RegistryStatus;
}

/**
 * What 本场助农 reads (the show's paid lines; the households that supplied those products' lots and the
 * cooperative's members, each with its status today; the cooperative's sharing policy versions). Read only.
 */
@Injectable()
export class ShowImpactRepository {
  async cooperativeOf(m: EntityManager, showId: string): Promise<string | null> {
    const [show]: { cooperative_id: string }[] = await m.query('SELECT cooperative_id FROM shows WHERE id = $1', [
      showId,
    ]);
    return show?.cooperative_id ?? null;
  }

  /** The cooperative's sharing policy versions, oldest first. */
  policyVersions(m: EntityManager, cooperativeId: string): Promise<SharingPolicyVersion[]> {
    return m.getRepository(SharingPolicyVersion).find({ where: { cooperativeId }, order: { version: 'ASC' } });
  }

  /** Every line of the show's paid orders. */
  paidLines(m: EntityManager, showId: string): Promise<PaidLineRow[]> {
    return m.query(
      `SELECT l.product_id, l.quantity, l.line_total_fen::text AS line_total_fen
         FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.show_id = $1 AND o.status IN ${PAID_STATUSES}`,
      [showId],
    );
  }

  /** Per product and household, the quantity it supplied to the product's lots, with its status today. */
  supplies(m: EntityManager, productIds: string[]): Promise<SupplyRow[]> {
    return m.query(
      `SELECT l.product_id, s.household_id, sum(s.quantity)::int AS quantity, ${statusAsOfSql('h', 'current_date')} AS status
           FROM lots l JOIN lot_supplies s ON s.lot_id = l.id JOIN households h ON h.id = s.household_id
          WHERE l.product_id = ANY($1) GROUP BY l.product_id, s.household_id, h.id ORDER BY s.household_id`,
      [productIds],
    );
  }

  /** The cooperative's current members holding shares, with their status today. */
  members(m: EntityManager, cooperativeId: string): Promise<MemberRow[]> {
    return m.query(
      `SELECT m.household_id, m.share_units, ${statusAsOfSql('h', 'current_date')} AS status
           FROM memberships m JOIN households h ON h.id = m.household_id
          WHERE m.cooperative_id = $1 AND m.left_at IS NULL AND m.share_units > 0 ORDER BY m.household_id`,
      [cooperativeId],
    );
  }
}
