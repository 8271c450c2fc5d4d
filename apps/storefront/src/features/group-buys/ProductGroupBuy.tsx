import type { ProductDetail } from '@xiangbo/contracts';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { formatFen } from '../../format';
import { useNow } from '../orders/useNow';
import { useOpenGroups } from './api';
import { seatsShort, timeLeft } from './seats';
import './group-buys.css';

// The sheet (address book, checkout's fields) is fetched when a buyer starts or joins a group.
const GroupCheckoutSheet = lazy(() => import('./GroupCheckoutSheet').then((m) => ({ default: m.GroupCheckoutSheet })));

/**
 * The product page's 拼团 block, when the product has a group offer: the group price and "N人团", what it saves,
 * 发起拼团, and the open groups to join with their time left and "还差 N 人". Renders nothing otherwise.
 */
export function ProductGroupBuy({ product }: { product: ProductDetail }) {
  if (!product.groupBuy) return null;
  return (
    <Suspense fallback={null}>
      <GroupOffer product={product} offer={product.groupBuy} />
    </Suspense>
  );
}

function GroupOffer({ product, offer }: { product: ProductDetail; offer: NonNullable<ProductDetail['groupBuy']> }) {
  const { t, i18n } = useTranslation('groupBuys');
  const { status } = useAuth();
  const location = useLocation();
  const groups = useOpenGroups(product.id);
  const now = useNow(Boolean(groups.data?.length));
  const [opening, setOpening] = useState(false);
  const saving = product.priceFen - offer.groupPriceFen;
  return (
    <section className="gb-offer" aria-labelledby="gb-offer-heading" data-testid="group-offer">
      <div className="gb-offer__top">
        <h2 id="gb-offer-heading" className="gb-offer__heading">
          <span className="gb-pill">{t('badge.size', { n: offer.size })}</span>
          <span className="gb-offer__label">{t('badge.groupPrice')}</span>
          <strong className="gb-price gb-price--large">{formatFen(offer.groupPriceFen, i18n.language)}</strong>
        </h2>
        {saving > 0 && (
          <span className="gb-offer__save">{t('product.save', { amount: formatFen(saving, i18n.language) })}</span>
        )}
      </div>
      <p className="muted gb-offer__rules">{t('product.rules', { n: offer.size, hours: offer.windowHours })}</p>
      {status === 'signedOut' ? (
        <Link to={signInPathFor(location)} className="button button--buy button--block">
          {t('product.open')}
        </Link>
      ) : (
        <button
          type="button"
          className="button button--buy button--block"
          disabled={status !== 'signedIn' || product.stock < 1}
          onClick={() => setOpening(true)}
        >
          {t('product.open')} {formatFen(offer.groupPriceFen, i18n.language)}
        </button>
      )}
      {groups.data && groups.data.length > 0 && (
        <>
          <h3 className="gb-offer__subhead">{t('product.groups')}</h3>
          <ul className="gb-open-groups">
            {groups.data.map((g) => {
              const left = timeLeft(t, g.expiresAt, now);
              return (
                <li key={g.id} className="gb-open-group">
                  <span className="gb-open-group__who">{t('product.leader', { name: g.leaderName })}</span>
                  <span className="gb-open-group__short">{t('product.short', { n: seatsShort(g) })}</span>
                  <span className="gb-open-group__time muted">
                    {left ? t('time.left', { time: left }) : t('time.ended')}
                  </span>
                  <Link to={`/groups/${g.id}`} className="button button--secondary gb-open-group__join">
                    {t('product.join')}
                  </Link>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {opening && (
        <Suspense fallback={null}>
          <GroupCheckoutSheet
            target={{
              kind: 'open',
              productId: product.id,
              productName: product.nameZh,
              unitPriceFen: offer.groupPriceFen,
              maxQuantity: Math.min(20, product.stock),
            }}
            onClose={() => setOpening(false)}
          />
        </Suspense>
      )}
    </section>
  );
}
