import type { ProductDetail, ProductPhotoView } from '@xiangbo/contracts';
import { lazy, Suspense, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { SproutIcon } from '../../layout/icons';
import { AddToCartButton } from '../orders/AddToCartButton';
import { ProductReviews } from '../reviews/ProductReviews';
import { ProductGroupBuy } from '../group-buys/ProductGroupBuy';
import { ProductPresale } from '../presale/ProductPresale';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useProduct } from './product-query';
import { formatDate, formatFen } from '../../format';
import { StatusBadge } from './StatusBadge';
import './catalog.css';

/** 联系客服 (the messages feature, its own chunk and translations, after the first paint). */
const ContactSeller = lazy(() => import('../messages/ContactSellerButton'));
/** 服务保障: the cooperative's promises (the after-sales feature, its own chunk). */
const PromiseBadges = lazy(() => import('../after-sales/PromiseBadges'));

/** /products/:id: photos, price, details, cooperative and the trace (产地, 批次, supplying households, masked). */
export function ProductPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const product = useProduct(id);
  useDocumentTitle(product.data?.nameZh ?? t('product.title'));

  if (product.isPending) return <Loading />;
  if (product.isError) {
    const missing = isApiError(product.error) && product.error.status === 404;
    return (
      <div className="page page--narrow">
        <EmptyState
          title={missing ? t('product.notFound') : apiErrorMessage(tc, product.error)}
          hint={missing ? t('product.notFoundHint') : undefined}
          headingLevel={2}
        >
          <Link to="/products" className="button button--secondary">
            {t('product.browse')}
          </Link>
        </EmptyState>
      </div>
    );
  }
  return <ProductView p={product.data} />;
}

function ProductView({ p }: { p: ProductDetail }) {
  const { t, i18n } = useTranslation('catalog');
  const unit = t(`unit.${p.unit}`);
  const origin = [p.originProvince, p.originCounty, p.originVillage].filter(Boolean).join(' ');
  return (
    <div className="page product-page">
      <div className="product-page__top">
        <Gallery p={p} />
        <div className="product-page__summary">
          <h1 className="product-page__name">{p.nameZh}</h1>
          {p.nameEn && i18n.language.startsWith('en') && <p className="muted">{p.nameEn}</p>}
          <p className="product-page__price">
            <span className="price price--large">
              <span className="price__amount">{formatFen(p.priceFen, i18n.language)}</span>
              <span className="price__unit">{t('card.perUnit', { unit })}</span>
            </span>
          </p>
          <p className="product-page__stock">
            <span>{p.stock > 0 ? t('product.stock', { n: p.stock, unit }) : t('product.soldOut')}</span>
            <span aria-hidden="true"> · </span>
            <span>{t('card.sold', { n: p.soldCount })}</span>
          </p>
          <ProductGroupBuy product={p} />
          <ProductPresale product={p} />
          {/* An open pre-sale is bought through its own block (the deposit, on its own order). */}
          {p.presale?.status !== 'open' && (
            <div className="product-page__buy">
              <AddToCartButton productId={p.id} maxQuantity={p.stock} buyNow />
            </div>
          )}
          <Suspense fallback={<div style={{ minHeight: 60 }} />}>
            <ContactSeller about={{ productId: p.id }} />
          </Suspense>
          <Suspense fallback={null}>
            <PromiseBadges cooperativeId={p.cooperative.id} />
          </Suspense>
          <Link to={`/cooperatives/${p.cooperative.id}`} className="coop-link">
            <SproutIcon className="coop-link__icon" />
            <span className="coop-link__text">
              <span className="coop-link__name">{p.cooperative.name}</span>
              <span className="coop-link__place">
                {p.cooperative.province} {p.cooperative.county} {p.cooperative.village}
              </span>
            </span>
            <span className="coop-link__go">{t('product.visitCooperative')}</span>
          </Link>
        </div>
      </div>

      <section className="section card" aria-labelledby="details-heading">
        <h2 id="details-heading" className="card__heading">
          {t('product.details')}
        </h2>
        <dl className="details">
          <Row label={t('product.origin')} value={origin} />
          <Row label={t('product.category')} value={t(`category.${p.category}`)} />
          <Row label={t('product.unit')} value={unit} />
          <Row
            label={t('product.shelfLife')}
            value={p.shelfLifeDays ? t('product.shelfLifeDays', { n: p.shelfLifeDays }) : t('product.notGiven')}
          />
          <Row label={t('product.storage')} value={p.storage || t('product.notGiven')} />
          <Row
            label={t('product.shipping')}
            value={p.shippingRegions.length ? p.shippingRegions.join('、') : t('product.shippingAll')}
          />
        </dl>
        {p.descriptionZh && (
          <>
            <h3 className="product-page__subheading">{t('product.description')}</h3>
            <p className="product-page__description">{p.descriptionZh}</p>
          </>
        )}
      </section>

      <Trace p={p} />
      {/* Reviews (their own feature and translations, fetched after the first paint). */}
      <Suspense fallback={null}>
        <ProductReviews productId={p.id} />
      </Suspense>
    </div>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="details__row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * The two widths the WebP pipeline stores (apps/api/src/storage/image.ts): the thumbnail, which fits in 400 × 400,
 * and the original, at most 1600 on its longer side. A phone picks the one its screen needs.
 */
export function photoSrcSet(ph: Pick<ProductPhotoView, 'url' | 'thumbUrl' | 'width' | 'height'>): string {
  const scale = Math.min(1, THUMB_PX / Math.max(ph.width, ph.height, 1));
  const thumbWidth = Math.round(ph.width * scale);
  return thumbWidth < ph.width ? `${ph.thumbUrl} ${thumbWidth}w, ${ph.url} ${ph.width}w` : `${ph.url} ${ph.width}w`;
}
const THUMB_PX = 400;

/** Swipeable on phones (scroll-snap), with dots; thumbnails to jump on wide screens. */
function Gallery({ p }: { p: ProductDetail }) {
  const { t } = useTranslation('catalog');
  const track = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(0);
  if (!p.photos.length) {
    return (
      <div className="gallery gallery--empty" aria-label={t('product.gallery')}>
        <span aria-hidden="true">{p.nameZh.slice(0, 2)}</span>
        <span className="muted">{t('card.noPhoto')}</span>
      </div>
    );
  }
  const goTo = (i: number) => {
    const el = track.current;
    if (!el) return;
    el.scrollTo({ left: i * el.clientWidth, behavior: 'smooth' });
  };
  return (
    <section className="gallery" aria-label={t('product.gallery')}>
      <div
        className="gallery__track"
        ref={track}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          setCurrent(Math.round(el.scrollLeft / Math.max(1, el.clientWidth)));
        }}
      >
        {p.photos.map((ph, i) => (
          <figure
            key={ph.url}
            className="gallery__slide"
            aria-label={t('product.photoOf', { n: i + 1, total: p.photos.length })}
          >
            <img
              src={ph.url}
              srcSet={photoSrcSet(ph)}
              sizes="(min-width: 900px) 50vw, 100vw"
              width={ph.width}
              height={ph.height}
              alt={i === 0 ? p.nameZh : ''}
              loading={i === 0 ? 'eager' : 'lazy'}
              fetchPriority={i === 0 ? 'high' : undefined}
              decoding={i === 0 ? 'sync' : 'async'}
              className="gallery__img"
            />
          </figure>
        ))}
      </div>
      {p.photos.length > 1 && (
        <div className="gallery__thumbs">
          {p.photos.map((ph, i) => (
            <button
              key={ph.thumbUrl}
              type="button"
              className="gallery__thumb"
              aria-current={i === current}
              aria-label={t('product.photoOf', { n: i + 1, total: p.photos.length })}
              onClick={() => goTo(i)}
            >
              <img src={ph.thumbUrl} alt="" loading="lazy" />
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

function Trace({ p }: { p: ProductDetail }) {
  const { t, i18n } = useTranslation('catalog');
  const unit = t(`unit.${p.unit}`);
  const { origin, lots, households } = p.trace;
  return (
    <section className="section card trace" aria-labelledby="trace-heading">
      <h2 id="trace-heading" className="card__heading">
        {t('trace.heading')}
      </h2>
      <p className="muted">{t('trace.lead')}</p>
      <dl className="details">
        <Row label={t('trace.origin')} value={[origin.province, origin.county, origin.village].join(' ')} />
      </dl>
      <h3 className="product-page__subheading">{t('trace.lots')}</h3>
      {lots.length ? (
        <ul className="trace__lots">
          {lots.map((l) => (
            <li key={l.code} className="trace__lot">
              <span className="trace__lot-date">
                {t('lots.harvested', { date: formatDate(l.harvestDate, i18n.language) })}
              </span>
              <span className="trace__lot-code">{t('trace.lotCode', { code: l.code })}</span>
              <span className="trace__qty">
                {l.quantity}
                {unit}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('trace.noLots')}</p>
      )}
      {households.total > 0 && (
        <>
          <p className="trace__summary" data-testid="trace-summary">
            {t('trace.households', { total: households.total, n: households.registeredOrMonitored })}
          </p>
          <h3 className="product-page__subheading">{t('trace.supplierList')}</h3>
          <ul className="trace__households">
            {households.masked.map((h, i) => (
              <li key={`${h.name}-${i}`} className="trace__household">
                <span className="trace__name">{h.name}</span>
                <StatusBadge status={h.status} />
                <span className="trace__qty">{t('trace.supplied', { quantity: h.quantity, unit })}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
