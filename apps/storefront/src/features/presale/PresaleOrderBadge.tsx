import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatDateTime, formatDay, formatFen } from '../../format';
import { useMyPresaleOrders, usePayBalance } from './api';
import { presaleErrorMessage } from './errors';
import './presale.css';

/**
 * On the buyer's order list and order detail: 定金已付 / 待付尾款 (with 付尾款) / 尾款已付 / 退款中 / 已退款 for an
 * order of a pre-sale (its deposit order or its balance order); with `details`, the deadline or the shipping window.
 * Nothing for other orders.
 */
export function PresaleOrderBadge({ orderId, details = false }: { orderId: string; details?: boolean }) {
  return (
    <Suspense fallback={null}>
      <Badge orderId={orderId} details={details} />
    </Suspense>
  );
}

function Badge({ orderId, details }: { orderId: string; details: boolean }) {
  const { t, i18n } = useTranslation('presale');
  const { t: tc } = useTranslation();
  const mine = useMyPresaleOrders();
  const pay = usePayBalance();
  const navigate = useNavigate();
  const o = mine.data?.get(orderId);
  if (!o) return null;
  const lang = i18n.language;
  const due = o.state === 'balance_due' && o.role === 'deposit';
  return (
    <span className="ps-order">
      <span className="ps-badge ps-badge--soft">{t('badge')}</span>
      <span className={`ps-state ps-state--${o.state}`} data-testid="presale-order-state">
        {t(`order.${o.state}`)}
      </span>
      {o.role === 'balance' && <span className="muted">{t('order.balanceOrder')}</span>}
      {due && (
        <button
          type="button"
          className="button button--buy ps-order__pay"
          data-testid="presale-pay-balance"
          disabled={pay.isPending}
          onClick={(e) => {
            e.preventDefault();
            pay.mutate(o.orderId, { onSuccess: (res) => navigate(`/pay/${res.paymentId}`) });
          }}
        >
          {pay.isPending ? t('order.paying') : t('order.payBalance', { amount: formatFen(o.balanceFen, lang) })}
        </button>
      )}
      {details && due && o.balanceDueAt && (
        <span className="muted ps-order__note">{t('order.dueBy', { date: formatDateTime(o.balanceDueAt, lang) })}</span>
      )}
      {details && o.state === 'deposit_paid' && <span className="muted ps-order__note">{t('order.waitHarvest')}</span>}
      {details && (o.state === 'balance_paid' || o.state === 'deposit_paid') && (
        <span className="muted ps-order__note">
          {t('order.ships', { from: formatDay(o.shipFrom, lang), to: formatDay(o.shipTo, lang) })}
        </span>
      )}
      {pay.isError && (
        <span role="alert" className="ps-order__error">
          {presaleErrorMessage(t, tc, pay.error)}
        </span>
      )}
    </span>
  );
}

/**
 * At the top of the buyer's orders: the reminder once a harvest is in — each pre-sale whose balance is due, its
 * deadline and 付尾款 (the rule: not paid by then, the deposit is refunded). Nothing when none is due.
 */
export function PresaleBalanceReminder() {
  return (
    <Suspense fallback={null}>
      <Reminder />
    </Suspense>
  );
}

function Reminder() {
  const { t, i18n } = useTranslation('presale');
  const { t: tc } = useTranslation();
  const mine = useMyPresaleOrders();
  const pay = usePayBalance();
  const navigate = useNavigate();
  const due = [...(mine.data?.values() ?? [])].filter((o) => o.state === 'balance_due' && o.role === 'deposit');
  if (!due.length) return null;
  const lang = i18n.language;
  return (
    <section className="ps-reminder" role="status" aria-labelledby="ps-reminder-heading" data-testid="presale-reminder">
      <h2 id="ps-reminder-heading" className="ps-reminder__heading">
        {t('reminder.heading', { count: due.length })}
      </h2>
      <ul className="ps-reminder__list">
        {due.map((o) => (
          <li key={o.orderId} className="ps-reminder__item">
            <span>
              {o.productName} ×{o.quantity}
              {o.balanceDueAt && (
                <span className="muted ps-order__note">
                  {' '}
                  {t('order.dueBy', { date: formatDateTime(o.balanceDueAt, lang) })}
                </span>
              )}
            </span>
            <button
              type="button"
              className="button button--buy ps-order__pay"
              disabled={pay.isPending}
              onClick={() => pay.mutate(o.orderId, { onSuccess: (res) => navigate(`/pay/${res.paymentId}`) })}
            >
              {t('order.payBalance', { amount: formatFen(o.balanceFen, lang) })}
            </button>
          </li>
        ))}
      </ul>
      {pay.isError && (
        <p role="alert" className="ps-order__error">
          {presaleErrorMessage(t, tc, pay.error)}
        </p>
      )}
    </section>
  );
}
