import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RegistryStatus, ShowImpact } from '@xiangbo/contracts';
import { distributeDividend, splitLine, type Member } from '@xiangbo/domain';
import { PolicyBook, toDomainPolicy } from '../ledger/policies.service';
import { ShowImpactRepository } from './show-impact.repository';

/** Statuses the counter speaks of: households registered as poor (建档立卡) and those monitored (监测户). */
const COUNTED: ReadonlySet<RegistryStatus> = new Set(['registered', 'monitored']);
/** A show's figure is reused this long by joins (a crowd joining costs one computation); a payment renews it. */
const CACHE_MS = 5000;

/**
 * 本场助农: how much of a show's paid sales will reach registered and monitored households, by the sharing policy
 * in force now — the purchase payment of each paid line to the households that supplied the product's lots, and
 * the dividend share of the cooperative's members by share units × status weight — and how many households that
 * is. The same domain rules as settlement (splitLine, distributeDividend); before settlement the real processing
 * fee is unknown and counted as 0, so the settled figure can be a little lower. Households' current status.
 */
@Injectable()
export class ShowImpactService {
  private readonly cache = new Map<string, { at: number; value: ShowImpact | null }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: ShowImpactRepository,
  ) {}

  async of(showId: string, fresh = false): Promise<ShowImpact | null> {
    const hit = this.cache.get(showId);
    if (!fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await this.compute(showId);
    this.cache.set(showId, { at: Date.now(), value });
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }

  private async compute(showId: string): Promise<ShowImpact | null> {
    const m = this.db.manager;
    const coop = await this.repo.cooperativeOf(m, showId);
    if (!coop) return null;
    const versions = await this.repo.policyVersions(m, coop);
    const version = new PolicyBook(versions).inForce(new Date());
    if (!version) return null;
    const policy = toDomainPolicy(version);

    const lines = await this.repo.paidLines(m, showId);
    const paidFen = lines.reduce((s, l) => s + Number(l.line_total_fen), 0);
    if (!lines.length) return { householdsFen: 0, households: 0, paidFen: 0 };

    const productIds = [...new Set(lines.map((l) => l.product_id).filter((p): p is string => Boolean(p)))];
    const supplies = await this.repo.supplies(m, productIds);
    const statusOf = new Map<string, RegistryStatus>(supplies.map((s) => [s.household_id, s.status]));
    const toHouseholds = new Map<string, number>();
    const add = (householdId: string, amount: number) => {
      if (amount > 0 && COUNTED.has(statusOf.get(householdId) ?? 'none'))
        toHouseholds.set(householdId, (toHouseholds.get(householdId) ?? 0) + amount);
    };
    let dividendFen = 0;
    for (const l of lines) {
      const split = splitLine(
        {
          grossFen: Number(l.line_total_fen),
          processingFeeFen: 0,
          quantity: l.quantity,
          supplies: supplies
            .filter((s) => s.product_id === l.product_id)
            .map((s) => ({ householdId: s.household_id, quantity: s.quantity })),
        },
        policy,
      );
      for (const p of split.purchaseByHousehold) add(p.householdId, p.amount);
      dividendFen += split.dividendFen;
    }
    if (dividendFen > 0) {
      const members = await this.repo.members(m, coop);
      for (const mb of members) statusOf.set(mb.household_id, mb.status);
      const split = distributeDividend(
        dividendFen,
        members.map((mb): Member => ({ householdId: mb.household_id, shareUnits: mb.share_units, status: mb.status })),
        policy.dividendWeights,
      );
      for (const d of split) add(d.householdId, d.amount);
    }
    return {
      householdsFen: [...toHouseholds.values()].reduce((s, v) => s + v, 0),
      households: toHouseholds.size,
      paidFen,
    };
  }
}
