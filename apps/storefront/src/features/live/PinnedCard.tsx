import type { PinnedProduct } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatFen } from './format';

/** The product the host is presenting, with its live stock (updated by the room's patches). */
export function PinnedCard({ pin }: { pin: PinnedProduct }) {
  const { t, i18n } = useTranslation('live');
  return (
    <article className="pinned" aria-label={t('room.pinned')} data-testid="pinned-card">
      <div className="pinned__media">
        {pin.coverThumbUrl ? (
          <img src={pin.coverThumbUrl} alt="" />
        ) : (
          <span aria-hidden="true">{pin.nameZh.slice(0, 2)}</span>
        )}
        <span className="pinned__flag">{t('room.pinned')}</span>
      </div>
      <div className="pinned__body">
        <h2 className="pinned__name">{pin.nameZh}</h2>
        <p className="pinned__meta">
          <span className="pinned__price">
            {formatFen(pin.priceFen, i18n.language)}
            <small>/{t(`unit.${pin.unit}`)}</small>
          </span>
          <span className={`pinned__stock${pin.stock === 0 ? ' pinned__stock--out' : ''}`} data-testid="pinned-stock">
            {pin.stock === 0 ? t('room.soldOut') : t('room.stock', { n: pin.stock })}
          </span>
        </p>
        <Link to={`/products/${pin.productId}`} className="pinned__link">
          {t('room.viewProduct')}
        </Link>
      </div>
    </article>
  );
}
