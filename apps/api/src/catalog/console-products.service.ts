import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  fullProvinceName,
  MAX_PRODUCT_PHOTOS,
  type ConsoleProduct,
  type CreateProductInput,
  type MemberHousehold,
  type PendingPhoto as PendingPhotoView,
  type RegistryStatus,
  type UpdateProductInput,
} from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { JobsService } from '../jobs/jobs.service';
import { processImage } from '../storage/image';
import { StorageService } from '../storage/storage.service';
import { assertCatalogAccess, isUuid, type AccessMode } from './catalog-access';
import { CatalogErrorCode, CatalogException } from './catalog.exception';
import { CatalogCache } from './catalog-cache';
import { Lot } from './entities/lot.entity';
import { PendingPhoto } from './entities/pending-photo.entity';
import { ProductPhoto } from './entities/product-photo.entity';
import { Product } from './entities/product.entity';
import { reindexProduct } from './search-index';

/** The bytes of an uploaded file as multer hands them over (memory storage). */
export interface UploadedFileBytes {
  buffer: Buffer;
  size: number;
  mimetype: string;
}

/** A photo uploaded before its product's first save is kept this long for the form to use, then swept. */
export const PENDING_PHOTO_TTL_HOURS = 24;
/** Pending photos one cooperative may hold at once: a few forms' worth, not a free file store. */
export const MAX_PENDING_PHOTOS = 4 * MAX_PRODUCT_PHOTOS;
export const PENDING_PHOTO_SWEEP_JOB = 'catalog.pending-photo-sweep';

/** The cooperative console's side of the catalogue: products, their photos, and the member households to pick for lots. */
@Injectable()
export class ConsoleProductsService implements OnModuleInit {
  private readonly logger = new Logger('ConsoleProductsService');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly cache: CatalogCache,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(PENDING_PHOTO_SWEEP_JOB, () => this.sweepPendingPhotos().then(() => undefined), '17 * * * *');
  }

  // ---------- scoping ----------

  /** The product, if the caller may see it in this mode (404 for strangers, 403 for a host writing). */
  async productFor(p: Principal, id: string, mode: AccessMode, m: EntityManager = this.db.manager): Promise<Product> {
    const product = isUuid(id) ? await m.getRepository(Product).findOne({ where: { id } }) : null;
    if (!product) throw new CatalogException(CatalogErrorCode.PRODUCT_NOT_FOUND, 'product not found');
    assertCatalogAccess(p, product.cooperativeId, mode, CatalogErrorCode.PRODUCT_NOT_FOUND);
    return product;
  }

  private assertCoop(p: Principal, coopId: string, mode: AccessMode): void {
    if (!isUuid(coopId)) throw new CatalogException(CatalogErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
    assertCatalogAccess(p, coopId, mode, CatalogErrorCode.COOPERATIVE_NOT_FOUND);
  }

  // ---------- products ----------

  async listForCooperative(p: Principal, coopId: string): Promise<ConsoleProduct[]> {
    this.assertCoop(p, coopId, 'read');
    const products = await this.db
      .getRepository(Product)
      .find({ where: { cooperativeId: coopId }, order: { createdAt: 'DESC', id: 'DESC' } });
    return this.toConsole(products);
  }

  async get(p: Principal, id: string): Promise<ConsoleProduct> {
    const product = await this.productFor(p, id, 'read');
    return (await this.toConsole([product]))[0];
  }

  async create(p: Principal, coopId: string, input: CreateProductInput): Promise<ConsoleProduct> {
    this.assertCoop(p, coopId, 'write');
    return this.createFor(coopId, input);
  }

  /**
   * Creates a product for a cooperative without a caller check (the console after its check, the demo seed). The
   * pending photos it names (the cooperative's own only) become its photos in the same transaction: a refused
   * product takes none, and a photo is never taken twice.
   */
  async createFor(coopId: string, input: CreateProductInput): Promise<ConsoleProduct> {
    const product = await this.db.transaction(async (m) => {
      const coop = await m.getRepository(Cooperative).findOne({ where: { id: coopId } });
      if (!coop) throw new CatalogException(CatalogErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
      const photoIds = input.photoIds ?? [];
      const pending = photoIds.length
        ? await m
            .getRepository(PendingPhoto)
            .createQueryBuilder('pp')
            .setLock('pessimistic_write')
            .where('pp.id IN (:...ids) AND pp.cooperative_id = :coopId', { ids: photoIds, coopId })
            .getMany()
        : [];
      if (pending.length !== photoIds.length) {
        const missing = photoIds.filter((id) => !pending.some((ph) => ph.id === id));
        throw new CatalogException(
          CatalogErrorCode.PENDING_PHOTO_UNKNOWN,
          'a photo is no longer available: upload it again',
          missing.map((id) => ({
            field: `photoIds.${photoIds.indexOf(id)}`,
            message: 'is not an uploaded photo of this cooperative (or it has expired)',
          })),
        );
      }
      const repo = m.getRepository(Product);
      const saved = await repo.save(
        repo.create({
          cooperativeId: coopId,
          nameZh: input.nameZh,
          nameEn: input.nameEn || null,
          descriptionZh: input.descriptionZh,
          descriptionEn: input.descriptionEn || null,
          category: input.category,
          unit: input.unit,
          priceFen: input.priceFen,
          currency: 'CNY',
          stock: input.stock,
          soldCount: 0,
          originProvince: fullProvinceName(input.originProvince ?? coop.province),
          originCounty: input.originCounty ?? coop.county,
          originVillage: input.originVillage ?? coop.village,
          shelfLifeDays: input.shelfLifeDays,
          storage: input.storage,
          shippingRegions: input.shippingRegions.map(fullProvinceName),
          published: input.published,
        }),
      );
      if (pending.length) {
        const byId = new Map(pending.map((ph) => [ph.id, ph]));
        const photos = m.getRepository(ProductPhoto);
        await photos.save(
          photoIds.map((id, position) => {
            const ph = byId.get(id) as PendingPhoto;
            return photos.create({
              productId: saved.id,
              position,
              storageKey: ph.storageKey,
              thumbKey: ph.thumbKey,
              width: ph.width,
              height: ph.height,
            });
          }),
        );
        await m.getRepository(PendingPhoto).delete({ id: In(photoIds) });
      }
      await reindexProduct(m, saved.id);
      return saved;
    });
    this.cache.catalogueChanged(); // committed: the public catalogue shows it from now on
    return (await this.toConsole([product]))[0];
  }

  async update(p: Principal, id: string, input: UpdateProductInput): Promise<ConsoleProduct> {
    const product = await this.db.transaction(async (m) => {
      const current = await this.productFor(p, id, 'write', m);
      await m.getRepository(Product).query(`SELECT 1 FROM products WHERE id = $1 FOR UPDATE`, [current.id]);
      const changes: Partial<Product> = {};
      if (input.nameZh !== undefined) changes.nameZh = input.nameZh;
      if (input.nameEn !== undefined) changes.nameEn = input.nameEn || null;
      if (input.descriptionZh !== undefined) changes.descriptionZh = input.descriptionZh;
      if (input.descriptionEn !== undefined) changes.descriptionEn = input.descriptionEn || null;
      if (input.category !== undefined) changes.category = input.category;
      if (input.unit !== undefined) changes.unit = input.unit;
      if (input.priceFen !== undefined) changes.priceFen = input.priceFen;
      if (input.stock !== undefined) changes.stock = input.stock;
      if (input.originProvince !== undefined) changes.originProvince = fullProvinceName(input.originProvince);
      if (input.originCounty !== undefined) changes.originCounty = input.originCounty;
      if (input.originVillage !== undefined) changes.originVillage = input.originVillage;
      if (input.shelfLifeDays !== undefined) changes.shelfLifeDays = input.shelfLifeDays;
      if (input.storage !== undefined) changes.storage = input.storage;
      if (input.shippingRegions !== undefined) changes.shippingRegions = input.shippingRegions.map(fullProvinceName);
      if (input.published !== undefined) changes.published = input.published;
      if (Object.keys(changes).length) {
        await m.getRepository(Product).update({ id: current.id }, changes);
        await reindexProduct(m, current.id);
      }
      return m.getRepository(Product).findOneOrFail({ where: { id: current.id } });
    });
    this.cache.catalogueChanged(); // a name, price, category or publication can move it in any list
    return (await this.toConsole([product]))[0];
  }

  // ---------- photos ----------

  async addPhoto(p: Principal, id: string, file: UploadedFileBytes | undefined): Promise<ConsoleProduct> {
    const product = await this.productFor(p, id, 'write');
    return this.addPhotoBytes(product.id, file?.buffer);
  }

  /**
   * Validates and converts the image, stores the original and thumbnail, then records the photo in a transaction
   * that locks the product row, so two uploads at once can never make a ninth photo.
   */
  async addPhotoBytes(productId: string, bytes: Buffer | undefined): Promise<ConsoleProduct> {
    const countNow = await this.db.getRepository(ProductPhoto).count({ where: { productId } });
    if (countNow >= MAX_PRODUCT_PHOTOS) throw this.photoLimit();
    const image = await processImage(bytes);
    const base = `products/${productId}/${randomUUID()}`;
    const storageKey = `${base}.webp`;
    const thumbKey = `${base}-thumb.webp`;
    await this.storage.put(storageKey, image.original, image.contentType);
    await this.storage.put(thumbKey, image.thumb, image.contentType);
    try {
      await this.db.transaction(async (m) => {
        await m.query(`SELECT 1 FROM products WHERE id = $1 FOR UPDATE`, [productId]);
        const rows: { n: number; next: number }[] = await m.query(
          `SELECT count(*)::int AS n, coalesce(max(position) + 1, 0)::int AS next FROM product_photos WHERE product_id = $1`,
          [productId],
        );
        if (rows[0].n >= MAX_PRODUCT_PHOTOS) throw this.photoLimit();
        const repo = m.getRepository(ProductPhoto);
        await repo.save(
          repo.create({
            productId,
            position: rows[0].next,
            storageKey,
            thumbKey,
            width: image.width,
            height: image.height,
          }),
        );
        await m.query(`UPDATE products SET updated_at = now() WHERE id = $1`, [productId]);
      });
    } catch (e) {
      await this.removeFiles([storageKey, thumbKey]);
      throw e;
    }
    this.cache.productChanged(productId); // its cover and photos
    const product = await this.db.getRepository(Product).findOneOrFail({ where: { id: productId } });
    return (await this.toConsole([product]))[0];
  }

  async deletePhoto(p: Principal, id: string, photoId: string): Promise<ConsoleProduct> {
    const removed = await this.db.transaction(async (m) => {
      const product = await this.productFor(p, id, 'write', m);
      await m.query(`SELECT 1 FROM products WHERE id = $1 FOR UPDATE`, [product.id]);
      const repo = m.getRepository(ProductPhoto);
      const photo = isUuid(photoId) ? await repo.findOne({ where: { id: photoId, productId: product.id } }) : null;
      if (!photo) throw new CatalogException(CatalogErrorCode.PHOTO_NOT_FOUND, 'photo not found');
      await repo.delete({ id: photo.id });
      await this.renumber(m, product.id);
      return photo;
    });
    this.cache.productChanged(removed.productId);
    // The files go only once the row is gone for good (a rolled-back delete keeps its files).
    await this.removeFiles([removed.storageKey, removed.thumbKey]);
    return this.get(p, id);
  }

  async reorderPhotos(p: Principal, id: string, photoIds: string[]): Promise<ConsoleProduct> {
    const productId = await this.db.transaction(async (m) => {
      const product = await this.productFor(p, id, 'write', m);
      await m.query(`SELECT 1 FROM products WHERE id = $1 FOR UPDATE`, [product.id]);
      const current = await m.getRepository(ProductPhoto).find({ where: { productId: product.id } });
      const wanted = new Set(photoIds);
      if (
        wanted.size !== photoIds.length ||
        wanted.size !== current.length ||
        !current.every((ph) => wanted.has(ph.id))
      ) {
        throw new CatalogException(
          CatalogErrorCode.PHOTO_ORDER_MISMATCH,
          'photoIds must list every photo of the product exactly once',
        );
      }
      for (const [position, photoId] of photoIds.entries()) {
        await m.getRepository(ProductPhoto).update({ id: photoId }, { position });
      }
      await m.query(`UPDATE products SET updated_at = now() WHERE id = $1`, [product.id]);
      return product.id;
    });
    this.cache.productChanged(productId);
    return this.get(p, id);
  }

  // ---------- photos before the first save ----------

  /**
   * Stores a photo for a product the cooperative has not saved yet (the new-product form uploads while the admin
   * types). The files live under the cooperative's own prefix; the row says whose it is.
   */
  async uploadPendingPhoto(
    p: Principal,
    coopId: string,
    file: UploadedFileBytes | undefined,
  ): Promise<PendingPhotoView> {
    this.assertCoop(p, coopId, 'write');
    const repo = this.db.getRepository(PendingPhoto);
    if ((await repo.count({ where: { cooperativeId: coopId } })) >= MAX_PENDING_PHOTOS) {
      throw new CatalogException(
        CatalogErrorCode.PHOTO_LIMIT,
        `at most ${MAX_PENDING_PHOTOS} photos can wait for a product: save the product or remove some`,
      );
    }
    const image = await processImage(file?.buffer);
    const base = `pending/${coopId}/${randomUUID()}`;
    const storageKey = `${base}.webp`;
    const thumbKey = `${base}-thumb.webp`;
    await this.storage.put(storageKey, image.original, image.contentType);
    await this.storage.put(thumbKey, image.thumb, image.contentType);
    try {
      const saved = await this.db.transaction(async (m) => {
        // One cooperative's uploads are counted under its row lock, so parallel uploads cannot pass the limit.
        await m.query(`SELECT 1 FROM cooperatives WHERE id = $1 FOR NO KEY UPDATE`, [coopId]);
        const n = await m.getRepository(PendingPhoto).count({ where: { cooperativeId: coopId } });
        if (n >= MAX_PENDING_PHOTOS) {
          throw new CatalogException(CatalogErrorCode.PHOTO_LIMIT, `at most ${MAX_PENDING_PHOTOS} photos can wait`);
        }
        const r = m.getRepository(PendingPhoto);
        return r.save(
          r.create({
            cooperativeId: coopId,
            uploadedBy: p.userId,
            storageKey,
            thumbKey,
            width: image.width,
            height: image.height,
          }),
        );
      });
      return this.pendingView(saved);
    } catch (e) {
      await this.removeFiles([storageKey, thumbKey]);
      throw e;
    }
  }

  /** Removes a photo the admin took back before saving (only the cooperative's own; anyone else's is 404). */
  async deletePendingPhoto(p: Principal, coopId: string, photoId: string): Promise<void> {
    this.assertCoop(p, coopId, 'write');
    const removed = await this.db.transaction(async (m) => {
      const repo = m.getRepository(PendingPhoto);
      const photo = isUuid(photoId)
        ? await repo
            .createQueryBuilder('pp')
            .setLock('pessimistic_write')
            .where('pp.id = :photoId AND pp.cooperative_id = :coopId', { photoId, coopId })
            .getOne()
        : null;
      if (!photo) throw new CatalogException(CatalogErrorCode.PHOTO_NOT_FOUND, 'photo not found');
      await repo.delete({ id: photo.id });
      return photo;
    });
    await this.removeFiles([removed.storageKey, removed.thumbKey]);
  }

  /**
   * Removes pending photos no product took within PENDING_PHOTO_TTL_HOURS: rows first (under row locks, so a
   * product being created at that moment either took a photo or finds it gone), then their files.
   */
  async sweepPendingPhotos(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - PENDING_PHOTO_TTL_HOURS * 3_600_000);
    const rows = await this.db.transaction(async (m) => {
      // A photo a product creation holds right now is skipped: that product either takes it or leaves it for later.
      const due = await m
        .getRepository(PendingPhoto)
        .createQueryBuilder('pp')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('pp.created_at < :cutoff', { cutoff })
        .getMany();
      if (due.length) await m.getRepository(PendingPhoto).delete({ id: In(due.map((d) => d.id)) });
      return due;
    });
    for (const r of rows) await this.removeFiles([r.storageKey, r.thumbKey]);
    if (rows.length) this.logger.log({ removed: rows.length }, 'swept pending photos no product took');
    return rows.length;
  }

  private pendingView(ph: PendingPhoto): PendingPhotoView {
    return {
      id: ph.id,
      url: this.storage.url(ph.storageKey),
      thumbUrl: this.storage.url(ph.thumbKey),
      width: ph.width,
      height: ph.height,
      expiresAt: new Date(ph.createdAt.getTime() + PENDING_PHOTO_TTL_HOURS * 3_600_000).toISOString(),
    };
  }

  private async renumber(m: EntityManager, productId: string): Promise<void> {
    await m.query(
      `UPDATE product_photos ph SET position = o.rn - 1
         FROM (SELECT id, row_number() OVER (ORDER BY position, created_at) AS rn FROM product_photos WHERE product_id = $1) o
        WHERE ph.id = o.id`,
      [productId],
    );
  }

  private photoLimit() {
    return new CatalogException(CatalogErrorCode.PHOTO_LIMIT, `a product has at most ${MAX_PRODUCT_PHOTOS} photos`);
  }

  private async removeFiles(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.storage.delete(key).catch((err: unknown) => this.logger.warn({ err, key }, 'could not delete a file'));
    }
  }

  // ---------- member households (read-only, masked) ----------

  async memberHouseholds(p: Principal, coopId: string): Promise<MemberHousehold[]> {
    this.assertCoop(p, coopId, 'read');
    const rows: { id: string; head_name: string; status: RegistryStatus; village: string }[] = await this.db.query(
      `SELECT h.id, h.head_name, h.status, h.village
         FROM memberships ms JOIN households h ON h.id = ms.household_id
        WHERE ms.cooperative_id = $1 AND ms.left_at IS NULL
        ORDER BY h.village, h.head_name, h.id`,
      [coopId],
    );
    return rows.map((r) => ({ id: r.id, maskedName: maskName(r.head_name), status: r.status, village: r.village }));
  }

  // ---------- views ----------

  private async toConsole(products: Product[]): Promise<ConsoleProduct[]> {
    if (!products.length) return [];
    const ids = products.map((x) => x.id);
    const [photos, lotCounts] = await Promise.all([
      this.db.getRepository(ProductPhoto).find({ where: { productId: In(ids) }, order: { position: 'ASC' } }),
      this.db
        .getRepository(Lot)
        .createQueryBuilder('l')
        .select('l.product_id', 'productId')
        .addSelect('count(*)::int', 'n')
        .where('l.product_id IN (:...ids)', { ids })
        .groupBy('l.product_id')
        .getRawMany<{ productId: string; n: number }>(),
    ]);
    return products.map((x) => {
      const mine = photos.filter((ph) => ph.productId === x.id);
      return {
        id: x.id,
        cooperativeId: x.cooperativeId,
        nameZh: x.nameZh,
        nameEn: x.nameEn,
        descriptionZh: x.descriptionZh,
        descriptionEn: x.descriptionEn,
        category: x.category,
        unit: x.unit,
        priceFen: x.priceFen,
        currency: x.currency,
        stock: x.stock,
        soldCount: x.soldCount,
        originProvince: x.originProvince,
        originCounty: x.originCounty,
        originVillage: x.originVillage,
        shelfLifeDays: x.shelfLifeDays,
        storage: x.storage,
        shippingRegions: x.shippingRegions,
        published: x.published,
        photos: mine.map((ph) => ({
          id: ph.id,
          position: ph.position,
          url: this.storage.url(ph.storageKey),
          thumbUrl: this.storage.url(ph.thumbKey),
          width: ph.width,
          height: ph.height,
        })),
        coverThumbUrl: mine[0] ? this.storage.url(mine[0].thumbKey) : null,
        lotCount: lotCounts.find((l) => l.productId === x.id)?.n ?? 0,
        createdAt: x.createdAt.toISOString(),
        updatedAt: x.updatedAt.toISOString(),
      };
    });
  }
}
