import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import './orders.css';

const SHORTCUTS = ['pending', 'toShip', 'toReceive', 'refund'] as const;

/** On /me: 我的订单 with shortcuts to the order tabs (待付款, 待发货, 待收货, 退款). */
export function MyOrdersLink() {
  const { t } = useTranslation('orders');
  return (
    <nav className="card my-orders" aria-labelledby="my-orders-heading">
      <div className="my-orders__head">
        <h2 id="my-orders-heading" className="card__heading">
          {t('list.heading')}
        </h2>
        <Link to="/orders" className="my-orders__all">
          {t('list.allOrders')}
        </Link>
      </div>
      <ul className="my-orders__shortcuts">
        {SHORTCUTS.map((tab) => (
          <li key={tab}>
            <Link to={`/orders?tab=${tab}`}>{t(`list.tabs.${tab}`)}</Link>
          </li>
        ))}
      </ul>
      <Link to="/me/coupons" className="my-orders__coupons" data-testid="my-coupons-link">
        {t('list.coupons')} ›
      </Link>
    </nav>
  );
}
