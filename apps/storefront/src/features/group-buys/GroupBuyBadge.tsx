import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useOpenGroups } from './api';
import { seatsShort } from './seats';
import './group-buys.css';

/**
 * "拼团 · 还差 N 人成团" for a product, linking to its group closest to forming; nothing when it has no open group.
 * Small enough for the live room's product card or pinned product (mount it with the product's id).
 */
export function GroupBuyBadge({ productId }: { productId: string }) {
  return (
    <Suspense fallback={null}>
      <Badge productId={productId} />
    </Suspense>
  );
}

function Badge({ productId }: { productId: string }) {
  const { t } = useTranslation('groupBuys');
  const groups = useOpenGroups(productId);
  const best = [...(groups.data ?? [])].sort((a, b) => seatsShort(a) - seatsShort(b))[0];
  if (!best) return null;
  return (
    <Link to={`/groups/${best.id}`} className="gb-live-badge" data-testid="group-buy-badge">
      <span className="gb-pill">{t('badge.size', { n: best.size })}</span>
      <span>{t('progress.short', { n: seatsShort(best) })}</span>
    </Link>
  );
}
