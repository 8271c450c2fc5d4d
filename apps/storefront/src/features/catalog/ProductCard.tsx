import type { ProductSummary } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatFen } from '../../format/money';
import { shortProvince } from '../../format/place';
import './catalog.css';

/** One product in a grid: cover, name, origin, price in ¥ from fen, "已售 N". The whole card is the link. */
export function ProductCard({ product }: { product: ProductSummary }) {
  const { t, i18n } = useTranslation('catalog');
  const soldOut = product.stock === 0;
  return (
    <article className="product-card" data-testid="product-card">
      <Link to={`/products/${product.id}`} className="product-card__link">
        <div className="product-card__media">
          {product.coverThumbUrl ? (
            <img src={product.coverThumbUrl} alt="" loading="lazy" decoding="async" className="product-card__img" />
          ) : (
            <span className="product-card__placeholder" aria-hidden="true">
              {product.nameZh.slice(0, 2)}
            </span>
          )}
          {soldOut && <span className="product-card__badge">{t('card.soldOut')}</span>}
        </div>
        <div className="product-card__body">
          <h3 className="product-card__name">{product.nameZh}</h3>
          <p className="product-card__origin">
            {shortProvince(product.originProvince)} · {product.originCounty}
          </p>
          <p className="product-card__meta">
            <span className="price">
              <span className="price__amount">{formatFen(product.priceFen, i18n.language)}</span>
              <span className="price__unit">{t('card.perUnit', { unit: t(`unit.${product.unit}`) })}</span>
            </span>
            <span className="product-card__sold">{t('card.sold', { n: product.soldCount })}</span>
          </p>
        </div>
      </Link>
    </article>
  );
}

export function ProductGrid({ products }: { products: ProductSummary[] }) {
  return (
    <ul className="product-grid">
      {products.map((p) => (
        <li key={p.id}>
          <ProductCard product={p} />
        </li>
      ))}
    </ul>
  );
}
