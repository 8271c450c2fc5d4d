import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  lotSupplyProblem,
  type ConsoleLot,
  type CreateLotInput,
  type FieldError,
  type RegistryStatus,
} from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { CatalogErrorCode, CatalogException } from './catalog.exception';
import { CatalogCache } from './catalog-cache';
import { ConsoleProductsService } from './console-products.service';
import { LotSupply } from './entities/lot-supply.entity';
import { Lot } from './entities/lot.entity';

/** Harvest lots (批次) of a product and the member households that supplied them. */
@Injectable()
export class LotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly products: ConsoleProductsService,
    private readonly cache: CatalogCache,
  ) {}

  async list(p: Principal, productId: string): Promise<ConsoleLot[]> {
    const product = await this.products.productFor(p, productId, 'read');
    return this.lotsOf(product.id);
  }

  async create(p: Principal, productId: string, input: CreateLotInput): Promise<ConsoleLot> {
    const product = await this.products.productFor(p, productId, 'write');
    return this.createFor(product.id, input, p.userId);
  }

  /**
   * Records a lot and its supplies in one transaction. The supplies must name each household once, add up
   * exactly to the lot's quantity, and every household must be an active member of the product's cooperative.
   */
  async createFor(productId: string, input: CreateLotInput, actorId: string): Promise<ConsoleLot> {
    const problem = lotSupplyProblem(input.quantity, input.supplies);
    if (problem?.kind === 'duplicate') {
      throw new CatalogException(
        CatalogErrorCode.LOT_DUPLICATE_HOUSEHOLD,
        `household ${problem.householdId} is listed more than once`,
        [{ field: `supplies.${problem.index}.householdId`, message: 'is listed more than once' }],
      );
    }
    if (problem?.kind === 'mismatch') {
      throw new CatalogException(
        CatalogErrorCode.LOT_SUPPLY_MISMATCH,
        `the supplies add up to ${problem.total}, but the lot quantity is ${problem.quantity}`,
        [{ field: 'supplies', message: `add up to ${problem.total}, not ${problem.quantity}` }],
      );
    }
    const lotId = await this.db.transaction(async (m) => {
      const products: { cooperative_id: string }[] = await m.query(
        `SELECT cooperative_id FROM products WHERE id = $1 FOR UPDATE`,
        [productId],
      );
      if (!products[0]) throw new CatalogException(CatalogErrorCode.PRODUCT_NOT_FOUND, 'product not found');
      const ids = input.supplies.map((s) => s.householdId);
      // Lock the memberships so a household cannot leave while its supply is being recorded.
      const members: { household_id: string }[] = await m.query(
        `SELECT household_id FROM memberships
          WHERE cooperative_id = $1 AND left_at IS NULL AND household_id = ANY($2::uuid[])
          FOR SHARE`,
        [products[0].cooperative_id, ids],
      );
      const active = new Set(members.map((r) => r.household_id));
      const outsiders: FieldError[] = input.supplies
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => !active.has(s.householdId))
        .map(({ s, i }) => ({
          field: `supplies.${i}.householdId`,
          message: `household ${s.householdId} is not an active member of this cooperative`,
        }));
      if (outsiders.length) {
        throw new CatalogException(
          CatalogErrorCode.LOT_HOUSEHOLD_NOT_MEMBER,
          outsiders.map((o) => o.message).join('; '),
          outsiders,
        );
      }
      const taken = await m.getRepository(Lot).exists({ where: { productId, code: input.code } });
      if (taken) {
        throw new CatalogException(CatalogErrorCode.LOT_CODE_TAKEN, `this product already has a lot ${input.code}`, [
          { field: 'code', message: 'is already used by another lot of this product' },
        ]);
      }
      const lotRepo = m.getRepository(Lot);
      const lot = await lotRepo.save(
        lotRepo.create({
          productId,
          code: input.code,
          harvestDate: input.harvestDate,
          quantity: input.quantity,
          note: input.note,
          createdBy: actorId,
        }),
      );
      const supplyRepo = m.getRepository(LotSupply);
      await supplyRepo.insert(
        input.supplies.map((s) =>
          supplyRepo.create({ lotId: lot.id, householdId: s.householdId, quantity: s.quantity }),
        ),
      );
      return lot.id;
    });
    this.cache.productChanged(productId); // the product page's trace
    const lots = await this.lotsOf(productId, lotId);
    return lots[0];
  }

  private async lotsOf(productId: string, onlyLotId?: string): Promise<ConsoleLot[]> {
    const lots: { id: string; code: string; harvest_date: string; quantity: number; note: string; created_at: Date }[] =
      await this.db.query(
        `SELECT id, code, to_char(harvest_date, 'YYYY-MM-DD') AS harvest_date, quantity, note, created_at
           FROM lots WHERE product_id = $1 AND ($2::uuid IS NULL OR id = $2::uuid)
          ORDER BY harvest_date DESC, created_at DESC`,
        [productId, onlyLotId ?? null],
      );
    if (!lots.length) return [];
    // Names are read only to be masked; ID numbers are never selected.
    const supplies: {
      lot_id: string;
      household_id: string;
      head_name: string;
      status: RegistryStatus;
      quantity: number;
    }[] = await this.db.query(
      `SELECT s.lot_id, s.household_id, h.head_name, h.status, s.quantity
           FROM lot_supplies s JOIN households h ON h.id = s.household_id
          WHERE s.lot_id = ANY($1::uuid[])
          ORDER BY s.quantity DESC, s.household_id`,
      [lots.map((l) => l.id)],
    );
    return lots.map((l) => ({
      id: l.id,
      code: l.code,
      harvestDate: l.harvest_date,
      quantity: l.quantity,
      note: l.note,
      createdAt: l.created_at.toISOString(),
      supplies: supplies
        .filter((s) => s.lot_id === l.id)
        .map((s) => ({
          householdId: s.household_id,
          maskedName: maskName(s.head_name),
          status: s.status,
          quantity: s.quantity,
        })),
    }));
  }
}
