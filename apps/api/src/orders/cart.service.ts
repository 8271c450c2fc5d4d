import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AddressDto, CartLineDto, SaveAddressRequest } from '@xiangbo/contracts';
import { Address } from './entities/address.entity';
import { CartItem } from './entities/cart-item.entity';
import { OrderErrorCode, OrderException } from './orders.exception';

const MAX_ADDRESSES = 20;

/** The server-side cart and the address book of a signed-in buyer. */
@Injectable()
export class CartService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async lines(userId: string): Promise<CartLineDto[]> {
    const rows: {
      product_id: string;
      quantity: number;
      name_zh: string;
      unit: string;
      price_fen: string;
      stock: number;
      published: boolean;
      cooperative_id: string;
      cooperative_name: string;
      thumb_key: string | null;
    }[] = await this.db.query(
      `SELECT ci.product_id, ci.quantity, p.name_zh, p.unit, p.price_fen, p.stock, (p.published AND c.status = 'approved') AS published,
              c.id AS cooperative_id, c.name AS cooperative_name,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
         FROM cart_items ci JOIN products p ON p.id = ci.product_id JOIN cooperatives c ON c.id = p.cooperative_id
        WHERE ci.user_id = $1 ORDER BY c.name, ci.updated_at`,
      [userId],
    );
    return rows.map((r) => ({
      productId: r.product_id,
      quantity: r.quantity,
      nameZh: r.name_zh,
      unit: r.unit,
      priceFen: Number(r.price_fen),
      stock: r.stock,
      published: r.published,
      coverThumbUrl: r.thumb_key ? `/api/files/${r.thumb_key}` : null,
      cooperative: { id: r.cooperative_id, name: r.cooperative_name },
    }));
  }

  /** Sets a line's quantity (adds the line if needed); only products on sale can be put in a cart. */
  async set(userId: string, productId: string, quantity: number): Promise<CartLineDto[]> {
    await this.assertOnSale(productId);
    await this.db.query(
      `INSERT INTO cart_items (user_id, product_id, quantity, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()`,
      [userId, productId, quantity],
    );
    return this.lines(userId);
  }

  async remove(userId: string, productId: string): Promise<CartLineDto[]> {
    await this.db.getRepository(CartItem).delete({ userId, productId });
    return this.lines(userId);
  }

  /** Merges a guest cart from the browser on sign in: quantities add up (capped at 999); unknown products are skipped. */
  async merge(userId: string, items: { productId: string; quantity: number }[]): Promise<CartLineDto[]> {
    await this.db.transaction(async (m) => {
      for (const it of items) {
        const [ok] = await m.query(
          `SELECT 1 FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1 AND p.published AND c.status = 'approved'`,
          [it.productId],
        );
        if (!ok) continue;
        await m.query(
          `INSERT INTO cart_items (user_id, product_id, quantity, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = LEAST(999, cart_items.quantity + EXCLUDED.quantity), updated_at = now()`,
          [userId, it.productId, it.quantity],
        );
      }
    });
    return this.lines(userId);
  }

  private async assertOnSale(productId: string) {
    const [ok] = await this.db.query(
      `SELECT 1 FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1 AND p.published AND c.status = 'approved'`,
      [productId],
    );
    if (!ok) throw new OrderException(OrderErrorCode.PRODUCT_UNAVAILABLE, 'this product is not on sale', { productId });
  }

  // ---- address book ---------------------------------------------------------------------------------------

  async addresses(userId: string): Promise<AddressDto[]> {
    const rows = await this.db
      .getRepository(Address)
      .find({ where: { userId }, order: { isDefault: 'DESC', createdAt: 'DESC' } });
    return rows.map(toAddressDto);
  }

  async saveAddress(userId: string, body: SaveAddressRequest, id?: string): Promise<AddressDto> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(Address);
      const existing = id ? await repo.findOne({ where: { id, userId } }) : null;
      if (id && !existing) throw new OrderException(OrderErrorCode.ADDRESS_NOT_FOUND, 'address not found');
      const count = await repo.count({ where: { userId } });
      if (!existing && count >= MAX_ADDRESSES)
        throw new OrderException(OrderErrorCode.ADDRESS_NOT_FOUND, `at most ${MAX_ADDRESSES} addresses`);
      const makeDefault = body.isDefault ?? count === 0;
      if (makeDefault) await repo.update({ userId }, { isDefault: false });
      const { isDefault: _ignored, ...fields } = body;
      const saved = await repo.save(
        repo.create({
          ...(existing ?? {}),
          ...fields,
          userId,
          isDefault: makeDefault || (existing?.isDefault ?? false),
        }),
      );
      return toAddressDto(saved);
    });
  }

  async deleteAddress(userId: string, id: string): Promise<void> {
    const res = await this.db.getRepository(Address).delete({ id, userId });
    if (!res.affected) throw new OrderException(OrderErrorCode.ADDRESS_NOT_FOUND, 'address not found');
  }
}

function toAddressDto(a: Address): AddressDto {
  return {
    id: a.id,
    recipient: a.recipient,
    mobile: a.mobile,
    province: a.province,
    city: a.city,
    district: a.district,
    detail: a.detail,
    isDefault: a.isDefault,
  };
}
