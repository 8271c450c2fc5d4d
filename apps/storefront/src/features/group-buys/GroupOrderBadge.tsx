import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useCooperativeGroupOrders, useMyGroupOrders } from './api';
import './group-buys.css';

/**
 * On the buyer's order list and order detail: 拼团中 / 已成团 / 拼团失败·已退款 for an order bought in a group,
 * with a link to the group (with `link`); nothing for other orders.
 */
export function GroupOrderBadge({ orderId, link = false }: { orderId: string; link?: boolean }) {
  return (
    <Suspense fallback={null}>
      <OrderBadge orderId={orderId} link={link} />
    </Suspense>
  );
}

function OrderBadge({ orderId, link }: { orderId: string; link: boolean }) {
  const { t } = useTranslation('groupBuys');
  const mine = useMyGroupOrders();
  const g = mine.data?.get(orderId);
  if (!g) return null;
  const label = g.status === 'failed' ? (g.refunded ? t('order.refunded') : t('order.failed')) : t(`order.${g.status}`);
  return (
    <span className="gb-order-badge">
      <span className={`gb-status gb-status--${g.status}`} data-testid="group-order-status">
        {label}
      </span>
      {link && (
        <Link to={`/groups/${g.groupId}`} className="gb-order-badge__link">
          {t('order.view')}
        </Link>
      )}
    </span>
  );
}

/**
 * On the cooperative's order list: 拼团中·成团后发货 for an order whose group is still forming (the API refuses to
 * ship it), 已成团, or 拼团失败(·已退款); nothing for other orders.
 */
export function ConsoleGroupOrderBadge({ cooperativeId, orderId }: { cooperativeId: string; orderId: string }) {
  return (
    <Suspense fallback={null}>
      <ConsoleBadge cooperativeId={cooperativeId} orderId={orderId} />
    </Suspense>
  );
}

function ConsoleBadge({ cooperativeId, orderId }: { cooperativeId: string; orderId: string }) {
  const { t } = useTranslation('groupBuys');
  const orders = useCooperativeGroupOrders(cooperativeId);
  const g = orders.data?.get(orderId);
  if (!g) return null;
  const label =
    g.status === 'failed'
      ? g.refunded
        ? t('consoleOrder.refunded')
        : t('consoleOrder.failed')
      : t(`consoleOrder.${g.status}`);
  return (
    <span className={`gb-status gb-status--${g.status}`} data-testid="console-group-status">
      {label}
    </span>
  );
}
