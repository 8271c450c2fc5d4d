import { useQueries, useQueryClient } from '@tanstack/react-query';
import type { CheckoutDto, OrderDetailDto, OrderDto } from '@xiangbo/contracts';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { orderKeys, orderQuery, useCheckout, useConfirmDemoPayment, usePaymentsConfig } from './api';
import { orderErrorMessage } from './errors';
import { formatCountdown, formatFen } from '../../format';
import { useNow } from './useNow';
import './orders.css';

// Loaded only when the provider is Stripe: the demo path never downloads Stripe.js.
const StripePayment = lazy(() => import('./StripePayment'));

/** /pay/:paymentId (支付): the amount, its orders, the reservation countdown, and 演示支付 or Stripe. */
export function PayPage() {
  const { t } = useTranslation('orders');
  useDocumentTitle(t('pay.title'));
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  return <Pay />;
}

function Pay() {
  const { t, i18n } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const { paymentId = '' } = useParams();
  const client = useApiClient();
  const checkout = useCheckout(paymentId);
  const orderIds = checkout.data?.orderIds ?? [];
  const orders = useQueries({ queries: orderIds.map((id) => orderQuery(client, id)) });

  if (checkout.isError) {
    const missing = isApiError(checkout.error) && (checkout.error.status === 404 || checkout.error.status === 400);
    return (
      <div className="page page--narrow">
        <EmptyState
          title={missing ? t('pay.notFound') : t('pay.loadFailed')}
          hint={missing ? undefined : orderErrorMessage(t, tc, checkout.error)}
        >
          <Link to="/orders" className="button button--secondary">
            {t('pay.viewOrders')}
          </Link>
        </EmptyState>
      </div>
    );
  }
  if (!checkout.data || orders.some((o) => o.isPending)) return <Loading />;
  const loaded = orders.map((o) => o.data).filter((o): o is OrderDetailDto => Boolean(o));

  return (
    <div className="page page--narrow pay-page">
      <h1 className="page__heading">{t('pay.heading')}</h1>
      <section className="card pay-summary" aria-labelledby="pay-amount-label">
        <p id="pay-amount-label" className="pay-summary__label">
          {t('pay.amount')}
        </p>
        <p className="pay-summary__amount" data-testid="pay-amount">
          {formatFen(checkout.data.amountFen, i18n.language)}
        </p>
        <PayState checkout={checkout.data} orders={loaded} />
        <h2 className="pay-summary__orders-heading">{t('pay.orders', { n: loaded.length })}</h2>
        <ul className="pay-orders">
          {loaded.map((o) => (
            <li key={o.id} className="pay-orders__item">
              <span className="pay-orders__coop">{o.cooperative.name}</span>
              <span className="muted pay-orders__number">{t('pay.orderNumber', { number: o.number })}</span>
              <span className="muted">{o.lines.map((l) => `${l.productName} ×${l.quantity}`).join('，')}</span>
              <span className="pay-orders__total">{formatFen(o.totalFen, i18n.language)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

type PhaseKind = 'pending' | 'paid' | 'cancelled' | 'expired';

/** Where the payment stands, from the payment and its orders (and the clock for the countdown). */
function PayState({ checkout, orders }: { checkout: CheckoutDto; orders: OrderDto[] }) {
  const { t } = useTranslation('orders');
  const queryClient = useQueryClient();
  const firstOrder = orders[0];
  const unpaid = orders.some((o) => o.status === 'pending_payment');
  const expiresAt = Math.min(
    ...orders.filter((o) => o.status === 'pending_payment').map((o) => Date.parse(o.expiresAt)),
  );
  const now = useNow(unpaid && checkout.paymentStatus === 'pending');
  const remaining = Number.isFinite(expiresAt) ? expiresAt - now : 0;

  let phase: PhaseKind;
  if (
    checkout.paymentStatus === 'succeeded' ||
    orders.some((o) => !['pending_payment', 'cancelled'].includes(o.status))
  )
    phase = 'paid';
  else if (!unpaid || checkout.paymentStatus === 'canceled') phase = 'cancelled';
  else if (remaining <= 0) phase = 'expired';
  else phase = 'pending';

  // When the time is up, ask the server again: the expiry job cancels the orders and returns their stock.
  useEffect(() => {
    if (phase !== 'expired') return;
    const id = setTimeout(() => {
      for (const o of orders) void queryClient.invalidateQueries({ queryKey: orderKeys.order(o.id) });
    }, 3000);
    return () => clearTimeout(id);
  }, [phase, orders, queryClient]);

  if (phase === 'paid') {
    return (
      <div className="pay-result pay-result--ok" role="status">
        <strong>{t('pay.paid')}</strong>
        <span>{t('pay.paidHint')}</span>
        {firstOrder && (
          <Link to={orders.length > 1 ? '/orders' : `/orders/${firstOrder.id}`} className="button button--secondary">
            {orders.length > 1 ? t('pay.viewOrders') : t('pay.viewOrder')}
          </Link>
        )}
      </div>
    );
  }
  if (phase === 'cancelled' || phase === 'expired') {
    return (
      <div className="pay-result pay-result--off" role="status">
        <strong>{phase === 'expired' ? t('pay.expired') : t('pay.cancelled')}</strong>
        <span>{t('pay.expiredHint')}</span>
        <Link to="/products" className="button button--secondary">
          {t('list.browse')}
        </Link>
      </div>
    );
  }
  return (
    <>
      <p className="pay-countdown" role="timer" aria-live="off">
        {t('pay.countdown', { time: formatCountdown(remaining) })}
        <span className="pay-countdown__hint">{t('pay.countdownHint')}</span>
      </p>
      {checkout.provider === 'demo' ? <DemoPanel checkout={checkout} /> : <StripePanel checkout={checkout} />}
    </>
  );
}

function useAfterPaid(checkout: CheckoutDto) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: orderKeys.all });
    const first = checkout.orderIds[0];
    navigate(checkout.orderIds.length === 1 && first ? `/orders/${first}` : '/orders', { replace: true });
  };
}

function DemoPanel({ checkout }: { checkout: CheckoutDto }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const afterPaid = useAfterPaid(checkout);
  const confirm = useConfirmDemoPayment(checkout.paymentId, { onSuccess: afterPaid });
  return (
    <section className="demo-pay" aria-labelledby="demo-pay-heading" data-testid="demo-pay">
      <h2 id="demo-pay-heading" className="demo-pay__heading">
        <span className="demo-pay__badge">{t('pay.demo.badge')}</span>
        {t('pay.demo.heading')}
      </h2>
      <p className="demo-pay__note">
        <strong>{t('pay.demo.note')}</strong>
      </p>
      <p className="muted">{t('pay.demo.explain')}</p>
      {confirm.isError && (
        <p role="alert" className="form-error">
          {orderErrorMessage(t, tc, confirm.error)}
        </p>
      )}
      <button
        type="button"
        className="button button--buy button--block"
        onClick={() => confirm.mutate()}
        disabled={confirm.isPending}
      >
        {confirm.isPending ? t('pay.demo.paying') : t('pay.demo.confirm')}
      </button>
    </section>
  );
}

function StripePanel({ checkout }: { checkout: CheckoutDto }) {
  const { t } = useTranslation('orders');
  const queryClient = useQueryClient();
  const afterPaid = useAfterPaid(checkout);
  const config = usePaymentsConfig();
  const first = checkout.orderIds[0] ?? '';
  const returnUrl = `${window.location.origin}/orders/${first}`;
  const key = config.data?.publishableKey;

  if (config.isPending) return <Loading />;
  if (!key || !checkout.clientSecret) {
    return (
      <section className="stripe-pay">
        <p role="alert" className="form-error">
          {t('pay.stripe.unavailable')}
        </p>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void queryClient.invalidateQueries({ queryKey: orderKeys.checkout(checkout.paymentId) })}
        >
          {t('pay.stripe.retry')}
        </button>
      </section>
    );
  }
  return (
    <section className="stripe-pay" aria-labelledby="stripe-pay-heading">
      <h2 id="stripe-pay-heading" className="card__heading">
        {t('pay.stripe.heading')}
      </h2>
      <p className="muted">{t('pay.stripe.hint')}</p>
      <Suspense fallback={<p className="loading">{t('pay.stripe.loading')}</p>}>
        <StripePayment
          publishableKey={key}
          clientSecret={checkout.clientSecret}
          returnUrl={returnUrl}
          onPaid={afterPaid}
        />
      </Suspense>
    </section>
  );
}
