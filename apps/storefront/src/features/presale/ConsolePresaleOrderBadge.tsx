import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useConsolePresaleOrders } from './api';
import './presale.css';

/**
 * On the cooperative's order list: 预售 with what the order waits for (待丰收 / 待付尾款 — the API refuses to ship
 * it) or 可发货（定金单与尾款单同包裹）, and 尾款单 on a balance order; nothing for other orders.
 */
export function ConsolePresaleOrderBadge({ cooperativeId, orderId }: { cooperativeId: string; orderId: string }) {
  return (
    <Suspense fallback={null}>
      <Badge cooperativeId={cooperativeId} orderId={orderId} />
    </Suspense>
  );
}

function Badge({ cooperativeId, orderId }: { cooperativeId: string; orderId: string }) {
  const { t } = useTranslation('presale');
  const orders = useConsolePresaleOrders(cooperativeId);
  const o = orders.data?.get(orderId);
  if (!o) return null;
  const label = o.shippable
    ? t('consoleOrder.shippable')
    : o.state === 'deposit_paid'
      ? t('consoleOrder.waitHarvest')
      : o.state === 'balance_due'
        ? t('consoleOrder.waitBalance')
        : t(`order.${o.state}`);
  return (
    <span className="ps-order ps-order--inline">
      <span className="ps-badge ps-badge--soft">{o.role === 'balance' ? t('order.balanceOrder') : t('badge')}</span>
      <span className={`ps-state ps-state--${o.state}`} data-testid="console-presale-status">
        {label}
      </span>
    </span>
  );
}
