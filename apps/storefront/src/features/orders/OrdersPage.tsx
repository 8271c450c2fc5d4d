import type { OrderDto, OrderStatusValue } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { EmptyState, Loading } from '../../layout/common';
import { ReceiptIcon, SproutIcon } from '../../layout/icons';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useMyOrders } from './api';
import { orderErrorMessage } from './errors';
import { formatFen } from '../../format';
import { OrderStatusBadge } from './OrderStatusBadge';
import { GroupOrderBadge } from '../group-buys/GroupOrderBadge';
import { PresaleBalanceReminder, PresaleOrderBadge } from '../presale/PresaleOrderBadge';
import './orders.css';

/** 全部, 待付款, 待发货, 待收货 (shipped or delivered, still to confirm), 已完成, 退款. */
export const BUYER_TABS = [
  { id: 'all', statuses: [undefined] },
  { id: 'pending', statuses: ['pending_payment'] },
  { id: 'toShip', statuses: ['paid'] },
  { id: 'toReceive', statuses: ['shipped', 'delivered'] },
  { id: 'completed', statuses: ['completed'] },
  { id: 'refund', statuses: ['refunded'] },
] as const satisfies readonly { id: string; statuses: readonly (OrderStatusValue | undefined)[] }[];
type BuyerTab = (typeof BUYER_TABS)[number];

const PAGE_SIZE = 20;

/** /orders (我的订单). */
export function OrdersPage() {
  const { t } = useTranslation('orders');
  useDocumentTitle(t('list.title'));
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  return <Orders />;
}

function Orders() {
  const { t } = useTranslation('orders');
  const [params] = useSearchParams();
  const tab = BUYER_TABS.find((x) => x.id === params.get('tab')) ?? BUYER_TABS[0];
  return (
    <div className="page page--narrow orders-page">
      <h1 className="page__heading">{t('list.heading')}</h1>
      <PresaleBalanceReminder />
      <nav className="order-tabs" aria-label={t('list.tabsLabel')}>
        {BUYER_TABS.map((x) => (
          <Link
            key={x.id}
            to={x.id === 'all' ? '/orders' : `/orders?tab=${x.id}`}
            className={`order-tabs__tab${x.id === tab.id ? ' order-tabs__tab--active' : ''}`}
            aria-current={x.id === tab.id ? 'page' : undefined}
          >
            {t(`list.tabs.${x.id}`)}
          </Link>
        ))}
      </nav>
      <OrderList key={tab.id} tab={tab} />
    </div>
  );
}

function OrderList({ tab }: { tab: BuyerTab }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const list = useMyOrders(tab, PAGE_SIZE);

  if (list.isPending) return <Loading />;
  if (list.isError) {
    return (
      <div role="alert" className="form-error">
        <strong className="form-error__title">{t('list.loadFailed')}</strong>
        <span>{orderErrorMessage(t, tc, list.error)}</span>
        <button type="button" className="button button--secondary" onClick={() => void list.refetch()}>
          {t('list.retry')}
        </button>
      </div>
    );
  }
  const orders = list.data.pages.flatMap((p) => p.items);
  if (!orders.length) {
    return (
      <EmptyState icon={<ReceiptIcon />} title={t('list.empty')} hint={t('list.emptyHint')}>
        <Link to="/products" className="button button--secondary">
          {t('list.browse')}
        </Link>
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="order-cards">
        {orders.map((o) => (
          <li key={o.id}>
            <OrderCard order={o} />
          </li>
        ))}
      </ul>
      {list.hasNextPage ? (
        <button
          type="button"
          className="button button--secondary button--block"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {t('list.loadMore')}
        </button>
      ) : (
        <p className="muted orders-end">{t('list.end')}</p>
      )}
    </>
  );
}

export function OrderCard({ order }: { order: OrderDto }) {
  const { t, i18n } = useTranslation('orders');
  const units = order.lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <article className="card order-card" aria-labelledby={`order-${order.id}`} data-testid="order-card">
      <header className="order-card__head">
        <span className="order-card__coop">
          <SproutIcon className="cart-group__icon" aria-hidden="true" />
          {order.cooperative.name}
        </span>
        <OrderStatusBadge status={order.status} />
        <GroupOrderBadge orderId={order.id} />
      </header>
      <PresaleOrderBadge orderId={order.id} />
      <Link to={`/orders/${order.id}`} className="order-card__body" id={`order-${order.id}`}>
        <ul className="order-card__lines">
          {order.lines.map((l) => (
            <li key={l.id}>
              <span className="order-card__name">{l.productName}</span>
              <span className="muted">×{l.quantity}</span>
            </li>
          ))}
        </ul>
        <span className="visually-hidden">{t('list.orderNumber', { number: order.number })}</span>
      </Link>
      <p className="order-card__sum">
        <span className="muted">{t('list.summary', { n: units })}</span>
        <strong className="order-card__total">{formatFen(order.totalFen, i18n.language)}</strong>
        {order.refundedFen > 0 && (
          <span className="muted">
            {t('list.refundedAmount', { amount: formatFen(order.refundedFen, i18n.language) })}
          </span>
        )}
      </p>
      <div className="order-card__actions">
        <Link to={`/orders/${order.id}`} className="button button--secondary button--compact">
          {t('list.detail')}
        </Link>
        {order.status === 'pending_payment' && (
          <Link to={`/pay/${order.paymentId}`} className="button button--buy button--compact">
            {t('list.pay')}
          </Link>
        )}
      </div>
    </article>
  );
}
