import type { PresaleOffer, ProductDetail } from '@xiangbo/contracts';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { formatDay, formatFen } from '../../format';
import './presale.css';

// The sheet (address book, checkout's fields) is fetched when a buyer starts to reserve.
const PresaleCheckoutSheet = lazy(() =>
  import('./PresaleCheckoutSheet').then((m) => ({ default: m.PresaleCheckoutSheet })),
);

/**
 * The product page's 预售 block, when the product has a pre-sale: the badge, the deposit and the balance, the
 * timeline 定金 → 尾款 → 发货 with the shipping window, the rule for an unpaid balance, the guaranteed purchase price
 * and the households' promises (masked), and 付定金. Renders nothing otherwise.
 */
export function ProductPresale({ product }: { product: ProductDetail }) {
  if (!product.presale) return null;
  return <PresaleBlock product={product} offer={product.presale} />;
}

function PresaleBlock({ product, offer }: { product: ProductDetail; offer: PresaleOffer }) {
  const { t, i18n } = useTranslation('presale');
  const { status } = useAuth();
  const location = useLocation();
  const [reserving, setReserving] = useState(false);
  const lang = i18n.language;
  const full = offer.balanceFen === 0;
  const open = offer.status === 'open';
  const available = Math.min(offer.remainingUnits, product.stock);
  const step = open ? 0 : offer.status === 'harvested' ? 1 : -1;
  return (
    <section className="ps-offer" aria-labelledby="ps-offer-heading" data-testid="presale-offer">
      <h2 id="ps-offer-heading" className="ps-offer__heading">
        <span className="ps-badge" data-testid="presale-badge">
          {t('badge')}
        </span>
        <span>{full ? t('product.headingFull') : t('product.heading')}</span>
      </h2>
      <dl className="ps-offer__amounts">
        <div>
          <dt>{full ? t('product.total') : t('product.deposit')}</dt>
          <dd className="ps-price ps-price--large" data-testid="presale-deposit">
            {formatFen(offer.depositFen, lang)}
          </dd>
        </div>
        {!full && (
          <div>
            <dt>{t('product.balance')}</dt>
            <dd className="ps-price">{formatFen(offer.balanceFen, lang)}</dd>
          </div>
        )}
        {!full && (
          <div>
            <dt>{t('product.total')}</dt>
            <dd>{formatFen(offer.totalFen, lang)}</dd>
          </div>
        )}
      </dl>
      <ol className="ps-timeline" aria-label={t('timeline.label')}>
        {(full ? (['deposit', 'ship'] as const) : (['deposit', 'balance', 'ship'] as const)).map((s, i) => (
          <li key={s} className={`ps-timeline__step${i <= step ? ' ps-timeline__step--now' : ''}`}>
            <span className="ps-timeline__dot" aria-hidden="true">
              {i + 1}
            </span>
            <span className="ps-timeline__label">{t(`timeline.${s}`)}</span>
            {s === 'ship' && (
              <span className="ps-timeline__when muted">
                {formatDay(offer.shipFrom, lang)}–{formatDay(offer.shipTo, lang)}
              </span>
            )}
          </li>
        ))}
      </ol>
      <p className="muted ps-offer__note">
        {t('product.window', { from: formatDay(offer.shipFrom, lang), to: formatDay(offer.shipTo, lang) })}
        {' · '}
        {open
          ? offer.remainingUnits > 0
            ? t('product.remaining', { n: offer.remainingUnits, total: offer.promisedUnits })
            : t('product.soldOut')
          : t('product.harvested')}
      </p>
      <p className="ps-offer__rule" data-testid="presale-rule">
        {full ? t('product.ruleFull') : t('product.rule', { days: offer.balanceDays })}
      </p>
      <p className="muted ps-offer__note">{t('product.guarantee', { price: formatFen(offer.guaranteedFen, lang) })}</p>
      {offer.promises.length > 0 && (
        <p className="muted ps-offer__note">
          {t('product.promises')}：
          {offer.promises.map((p) => t('product.promise', { name: p.name, n: p.quantity })).join('、')}
        </p>
      )}
      {open &&
        (status === 'signedOut' ? (
          <Link to={signInPathFor(location)} className="button button--buy button--block">
            {t('product.signIn')}
          </Link>
        ) : (
          <button
            type="button"
            className="button button--buy button--block"
            data-testid="presale-reserve"
            disabled={status !== 'signedIn' || available < 1}
            onClick={() => setReserving(true)}
          >
            {full ? t('product.payFull') : t('product.payDeposit')} {formatFen(offer.depositFen, lang)}
          </button>
        ))}
      {reserving && (
        <Suspense fallback={null}>
          <PresaleCheckoutSheet
            target={{
              productId: product.id,
              productName: product.nameZh,
              depositFen: offer.depositFen,
              balanceFen: offer.balanceFen,
              maxQuantity: Math.min(99, available),
            }}
            onClose={() => setReserving(false)}
          />
        </Suspense>
      )}
    </section>
  );
}
