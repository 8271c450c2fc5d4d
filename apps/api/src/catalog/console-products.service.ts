import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  fullProvinceName,
  MAX_PRODUCT_PHOTOS,
  type ConsoleProduct,
  type CreateProductInput,
  type MemberHousehold,
  type RegistryStatus,
  type UpdateProductInput,
} from '@xiangbo/contracts';
import { maskName } from '@xiangbo/domain';
import type { Principal } from '../auth/principal';
import { Cooperative } from '../cooperatives/entities/cooperative.entity';
import { processImage } from '../storage/image';
import { StorageService } from '../storage/storage.service';
import { assertCatalogAccess, isUuid, type AccessMode } from './catalog-access';
import { CatalogErrorCode, CatalogException } from './catalog.exception';
import { CatalogCache } from './catalog-cache';
import { Lot } from './entities/lot.entity';
import { ProductPhoto } from './entities/product-photo.entity';
import { Product } from './entities/product.entity';
import { reindexProduct } from './search-index';

/** The bytes of an uploaded file as multer hands them over (memory storage). */
export interface UploadedFileBytes {
  buffer: Buffer;
  size: number;
  mimetype: string;
}

/** The cooperative console's side of the catalogue: products, their photos, and the member households to pick for lots. */
@Injectable()
export class ConsoleProductsService {
  private readonly logger = new Logger('ConsoleProductsService');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly cache: CatalogCache,
  ) {}

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

  /** Creates a product for a cooperative without a caller check (the console after its check, the demo seed). */
  async createFor(coopId: string, input: CreateProductInput): Promise<ConsoleProduct> {
    const product = await this.db.transaction(async (m) => {
      const coop = await m.getRepository(Cooperative).findOne({ where: { id: coopId } });
      if (!coop) throw new CatalogException(CatalogErrorCode.COOPERATIVE_NOT_FOUND, 'cooperative not found');
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
