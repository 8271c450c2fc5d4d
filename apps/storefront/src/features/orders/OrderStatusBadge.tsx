import type { OrderStatusValue } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';

export function OrderStatusBadge({ status }: { status: OrderStatusValue }) {
  const { t } = useTranslation('orders');
  return <span className={`order-status order-status--${status}`}>{t(`status.${status}`)}</span>;
}
