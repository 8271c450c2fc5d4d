import type { OrderDetailDto } from '@xiangbo/contracts';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { EmptyState, Loading } from '../../layout/common';
import { SproutIcon } from '../../layout/icons';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { addressLine } from './address-form';
import { useOrder, useOrderAction, useRequestRefund } from './api';
import { ConfirmAction } from './ConfirmAction';
import { orderErrorMessage } from './errors';
import { formatCountdown, formatDateTime, formatFen } from '../../format';
import { OrderStatusBadge } from './OrderStatusBadge';
import { GroupOrderBadge } from '../group-buys/GroupOrderBadge';
import { PresaleOrderBadge } from '../presale/PresaleOrderBadge';
import { OrderTimeline } from './OrderTimeline';
import { ParcelTimeline } from './ParcelTimeline';
import { refundRoomFen } from './refund';
import { RefundForm } from './RefundForm';
import { useNow } from './useNow';
import { useUnitLabel } from './useUnitLabel';
import { ImpactReceipt } from '../money/ledger/ImpactReceipt';
import { ContactSellerButton } from '../messages/ContactSellerButton';
import { OrderAfterSales } from '../after-sales/OrderAfterSales';
import './orders.css';

const REFUNDABLE = ['paid', 'shipped', 'delivered', 'completed'];

/** /orders/:id: status, timeline, lines, address, total, and what the buyer can do now. */
export function OrderDetailPage() {
  const { t } = useTranslation('orders');
  useDocumentTitle(t('detail.title'));
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  return <OrderDetail />;
}

function OrderDetail() {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const { id = '' } = useParams();
  const order = useOrder(id);
  if (order.isPending) return <Loading />;
  if (order.isError) {
    const missing = isApiError(order.error) && order.error.status === 404;
    return (
      <div className="page page--narrow">
        <EmptyState
          title={missing ? t('detail.notFound') : orderErrorMessage(t, tc, order.error)}
          hint={missing ? t('detail.notFoundHint') : undefined}
        >
          <Link to="/orders" className="button button--secondary">
            {t('detail.backToList')}
          </Link>
        </EmptyState>
      </div>
    );
  }
  return <OrderView order={order.data} />;
}

function OrderView({ order }: { order: OrderDetailDto }) {
  const { t, i18n } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const unitLabel = useUnitLabel();
  const [refunding, setRefunding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const pending = order.status === 'pending_payment';
  const now = useNow(pending);
  const remaining = Date.parse(order.expiresAt) - now;

  const action = useOrderAction(order.id, { onSuccess: () => setNotice(null) });
  const refund = useRequestRefund(order.id, {
    onSuccess: () => {
      setRefunding(false);
      setNotice(t('detail.refundSent'));
    },
  });

  const room = refundRoomFen(order);
  const canRefund = REFUNDABLE.includes(order.status) && room > 0;
  const canConfirm = order.status === 'shipped' || order.status === 'delivered';

  return (
    <div className="page page--narrow order-detail">
      <h1 className="page__heading">{t('detail.heading')}</h1>

      <section className="card order-detail__status" aria-labelledby="status-heading">
        <h2 id="status-heading" className="visually-hidden">
          {t(`status.${order.status}`)}
        </h2>
        <div className="order-detail__status-row">
          <OrderStatusBadge status={order.status} />
          <GroupOrderBadge orderId={order.id} link />
          <PresaleOrderBadge orderId={order.id} details />
          {pending && remaining > 0 && (
            <span className="pay-countdown pay-countdown--inline">
              {t('detail.waitingPayment', { time: formatCountdown(remaining) })}
            </span>
          )}
        </div>
        <p className="order-detail__hint">{t(`detail.hint.${order.status}`)}</p>
        {order.carrier && order.trackingNumber && (
          <section className="order-detail__parcel" aria-labelledby="parcel-heading">
            <h3 id="parcel-heading" className="order-detail__parcel-heading">
              {t('parcel.heading')}
            </h3>
            <p className="order-detail__tracking">
              {t('detail.tracking', { carrier: order.carrier, number: order.trackingNumber })}
            </p>
            <ParcelTimeline events={order.tracking ?? []} />
          </section>
        )}
        <dl className="details">
          <div className="details__row">
            <dt>{t('detail.number')}</dt>
            <dd className="order-detail__number">{order.number}</dd>
          </div>
          <div className="details__row">
            <dt>{t('detail.placedAt')}</dt>
            <dd>{formatDateTime(order.createdAt, i18n.language)}</dd>
          </div>
        </dl>
        {action.isError && (
          <p role="alert" className="form-error">
            {t('detail.actionFailed', { message: orderErrorMessage(t, tc, action.error) })}
          </p>
        )}
        {notice && (
          <p role="status" className="orders-notice">
            {notice}
          </p>
        )}
        {(pending || canConfirm || (canRefund && !refunding) || order.status === 'completed') && (
          <div className="button-row order-detail__actions">
            {order.status === 'completed' && (
              <Link to={`/orders/${order.id}/review`} className="button button--primary" data-testid="order-review">
                {t('detail.review')}
              </Link>
            )}
            {pending && remaining > 0 && (
              <Link to={`/pay/${order.paymentId}`} className="button button--buy">
                {t('detail.pay')}
              </Link>
            )}
            {pending && (
              <ConfirmAction
                label={t('detail.cancel')}
                question={t('detail.cancelConfirm')}
                busy={action.isPending}
                onConfirm={() => action.mutate('cancel')}
              />
            )}
            {canConfirm && (
              <ConfirmAction
                label={t('detail.confirmReceipt')}
                question={t('detail.confirmReceiptConfirm')}
                busy={action.isPending}
                onConfirm={() => action.mutate('confirm')}
                className="button button--primary"
              />
            )}
            {canRefund && !refunding && (
              <button type="button" className="button button--secondary" onClick={() => setRefunding(true)}>
                {t('detail.requestRefund')}
              </button>
            )}
          </div>
        )}
        {refunding && (
          <RefundForm
            idPrefix="refund"
            heading={t('detail.refundFormHeading')}
            submitLabel={t('detail.submitRefund')}
            roomFen={room}
            busy={refund.isPending}
            error={refund.isError ? orderErrorMessage(t, tc, refund.error) : null}
            onSubmit={(body) => refund.mutate(body)}
            onCancel={() => setRefunding(false)}
          />
        )}
        <Suspense fallback={null}>
          <ContactSellerButton about={{ orderId: order.id }} />
        </Suspense>
      </section>

      {/* 售后: requests with photos and the cooperative's answers (the after-sales feature). */}
      <Suspense fallback={null}>
        <OrderAfterSales orderId={order.id} orderStatus={order.status} />
      </Suspense>

      {/* The impact receipt (revenue-to-households feature): where each fen of this order went, from the ledger. */}
      <section data-testid="impact-receipt-slot">
        <ImpactReceipt orderId={order.id} orderStatus={order.status} />
      </section>

      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="card__heading">
          {t('detail.timeline')}
        </h2>
        <OrderTimeline events={order.events} />
      </section>

      <section className="card" aria-labelledby="lines-heading">
        <h2 id="lines-heading" className="card__heading">
          <SproutIcon className="cart-group__icon" aria-hidden="true" /> {order.cooperative.name}
          <span className="visually-hidden"> · {t('detail.lines')}</span>
        </h2>
        <ul className="cart-lines">
          {order.lines.map((l) => (
            <li key={l.id} className="cart-line">
              <div className="cart-line__body">
                <Link to={`/products/${l.productId}`} className="cart-line__name">
                  {l.productName}
                </Link>
                <span className="cart-line__price">
                  {formatFen(l.unitPriceFen, i18n.language)}
                  <span className="muted">{t('perUnit', { unit: unitLabel(l.unit) })}</span>
                  <span className="cart-line__qty">×{l.quantity}</span>
                </span>
              </div>
              <strong className="cart-line__total">{formatFen(l.lineTotalFen, i18n.language)}</strong>
            </li>
          ))}
        </ul>
        <dl className="money-rows">
          <div>
            <dt>{t('detail.subtotal')}</dt>
            <dd>{formatFen(order.subtotalFen, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t('detail.shipping')}</dt>
            <dd>{order.shippingFen ? formatFen(order.shippingFen, i18n.language) : t('checkout.freeShipping')}</dd>
          </div>
          {(order.discountFen ?? 0) > 0 && (
            <div data-testid="order-coupon">
              <dt>{t('detail.coupon')}</dt>
              <dd>-{formatFen(order.discountFen ?? 0, i18n.language)}</dd>
            </div>
          )}
          <div className="money-rows__total">
            <dt>{t('detail.total')}</dt>
            <dd data-testid="order-total">{formatFen(order.totalFen, i18n.language)}</dd>
          </div>
          {order.refundedFen > 0 && (
            <div>
              <dt>{t('detail.refunded')}</dt>
              <dd>-{formatFen(order.refundedFen, i18n.language)}</dd>
            </div>
          )}
        </dl>
      </section>

      <section className="card" aria-labelledby="address-heading">
        <h2 id="address-heading" className="card__heading">
          {t('detail.address')}
        </h2>
        <p className="address-option__who">
          {order.address.recipient} <span className="muted">{order.address.mobile}</span>
        </p>
        <p className="address-option__line">{addressLine(order.address)}</p>
      </section>

      {order.refunds.length > 0 && (
        <section className="card" aria-labelledby="refunds-heading">
          <h2 id="refunds-heading" className="card__heading">
            {t('detail.refunds')}
          </h2>
          <ul className="refund-list">
            {order.refunds.map((r) => (
              <li key={r.id} className="refund-list__item">
                <span className={`refund-status refund-status--${r.status}`}>
                  {t(`detail.refundStatus.${r.status}`)}
                </span>
                <span>
                  {t('detail.refundLine', { amount: formatFen(r.amountFen, i18n.language), reason: r.reason })}
                </span>
                <time className="muted" dateTime={r.createdAt}>
                  {formatDateTime(r.createdAt, i18n.language)}
                </time>
                {r.decisionNote && <span className="muted">{t('detail.refundNote', { note: r.decisionNote })}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}

      <p>
        <Link to="/orders">{t('detail.backToList')}</Link>
      </p>
    </div>
  );
}
