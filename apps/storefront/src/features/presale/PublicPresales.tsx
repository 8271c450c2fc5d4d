import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay, formatFen } from '../../format';
import { usePublicPresales } from './api';
import './presale.css';

/**
 * On the cooperative's transparency page: its pre-sales (not cancelled, and cancelled ones too, marked) with the
 * guaranteed purchase price and what each household was promised to deliver (names masked).
 */
export function PublicPresales({ cooperativeId }: { cooperativeId: string }) {
  return (
    <Suspense fallback={null}>
      <List cooperativeId={cooperativeId} />
    </Suspense>
  );
}

function List({ cooperativeId }: { cooperativeId: string }) {
  const { t, i18n } = useTranslation('presale');
  const list = usePublicPresales(cooperativeId);
  if (!list.data || list.data.length === 0) return null;
  const lang = i18n.language;
  return (
    <section className="card" aria-labelledby="ps-public-heading" data-testid="transparency-presales">
      <h2 id="ps-public-heading" className="card__heading">
        {t('transparency.heading')}
      </h2>
      <ul className="ps-public">
        {list.data.map((p) => (
          <li key={p.id}>
            <p>
              <span className="ps-badge ps-badge--soft">{t(`console.status.${p.status}`)}</span>{' '}
              {t('transparency.row', {
                product: p.productName,
                price: formatFen(p.guaranteedFen, lang),
                ordered: p.orderedUnits,
                promised: p.promisedUnits,
              })}
            </p>
            <p className="muted">
              {t('transparency.window', { from: formatDay(p.shipFrom, lang), to: formatDay(p.shipTo, lang) })}
              {' · '}
              {p.promises.map((x) => t('product.promise', { name: x.name, n: x.quantity })).join('、')}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
