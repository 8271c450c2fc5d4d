import { PROMISES } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { usePromises } from './api';
import './after-sales.css';

/** The product page's 服务保障 row: the promises the cooperative chose (nothing when it chose none). */
export function PromiseBadges({ cooperativeId }: { cooperativeId: string }) {
  const { t } = useTranslation('afterSales');
  const q = usePromises(cooperativeId);
  const chosen = PROMISES.filter((k) => q.data?.[k]);
  if (!chosen.length) return null;
  return (
    <ul className="promise-badges" aria-label={t('promises.label')} data-testid="promise-badges">
      {chosen.map((k) => (
        <li key={k} className="promise-badge" title={t(`promises.hint.${k}`)}>
          <span aria-hidden="true" className="promise-badge__tick">
            ✓
          </span>
          {t(`promises.${k}`)}
        </li>
      ))}
    </ul>
  );
}

export default PromiseBadges;
