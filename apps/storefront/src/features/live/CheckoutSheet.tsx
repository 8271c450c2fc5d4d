import { useQueryClient } from '@tanstack/react-query';
import { type AddressDto, type DealState, type ShowProductDto } from '@xiangbo/contracts';
import { countdown } from '@xiangbo/domain';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiClient } from '../../auth/auth-context';
import CheckoutCoupon, { type CouponChoice } from '../coupons/CheckoutCoupon';
import { ordersApi, useAddressBook, usePaymentsConfig } from '../orders/api';
import { orderErrorMessage } from '../orders/errors';
import { AddressForm } from './AddressForm';
import { useNow } from './Countdown';
import { formatFen } from '../../format';
import { refusalCode } from './refusals';
import type { LiveRoom } from './use-live-room';
import { useCloseOnEscape } from '../../layout/useCloseOnEscape';

// Stripe.js is fetched only when the provider is Stripe (the demo path never downloads it).
const StripePayment = lazy(() => import('../orders/StripePayment'));

export interface BuyTarget {
  product: ShowProductDto;
  /** The open flash deal of this product, if any (bought over the room's socket, at the deal price). */
  deal: DealState | null;
}

interface Reservation {
  paymentId: string;
  orderId: string;
  amountFen: number;
  expiresAt: string;
}

/** Most a buyer may take of a product outside a deal in one go from the room. */
const MAX_PLAIN_QUANTITY = 99;

/**
 * 立即购买 without leaving the room: a bottom sheet over the still-playing video with the quantity (within the
 * deal's cap), the default address (change it or add one here), the price, and payment — 演示支付 at once, or
 * Stripe's Payment Element (card, Alipay, WeChat Pay as the account offers them) with the reservation's
 * countdown. A flash deal is reserved over the room's socket (the server decides); another product is ordered
 * through the orders API. Refusals (sold out, cap reached, deal closed) show here in the reader's language; the
 * success state shows the order and the buyer's share reaching households, and closes back to the stream.
 */
export function CheckoutSheet({
  target,
  room,
  showId,
  onClose,
}: {
  target: BuyTarget;
  room: LiveRoom;
  /** The show the sheet is open in: an order at the normal price counts in its sales and impact too. */
  showId: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('live');
  const { t: to } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const { product, deal } = target;
  const addresses = useAddressBook();
  const config = usePaymentsConfig(300_000);
  const [quantity, setQuantity] = useState(1);
  const [addressId, setAddressId] = useState<string | null>(null);
  const [addressMode, setAddressMode] = useState<'show' | 'pick' | 'new'>('show');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reservation, setReservation] = useState<Reservation | null>(null);
  const [clientSecret, setClientSecret] = useState<string | null>(null);
  const [paid, setPaid] = useState<{ orderId: string; amountFen: number } | null>(null);
  // A live coupon on a purchase at the normal price (the best one unless the buyer picks another or none).
  const [coupon, setCoupon] = useState<CouponChoice | null>(null);
  const now = useNow(500);

  const list = addresses.data ?? [];
  const chosen: AddressDto | undefined =
    list.find((a) => a.id === addressId) ?? list.find((a) => a.isDefault) ?? list[0];
  useEffect(() => {
    if (addresses.isSuccess && !list.length) setAddressMode('new');
  }, [addresses.isSuccess, list.length]);

  const live = room.view.state?.deal?.id === deal?.id ? room.view.state?.deal : deal;
  const cap = deal
    ? Math.min(deal.perBuyerCap, Math.max(live?.remaining ?? 0, 1))
    : Math.min(MAX_PLAIN_QUANTITY, Math.max(product.stock, 1));
  const unitFen = deal ? deal.priceFen : product.priceFen;
  const totalFen = unitFen * quantity;
  const provider = config.data?.provider ?? 'demo';
  const left = reservation ? countdown(Date.parse(reservation.expiresAt), now) : null;
  const expired = Boolean(reservation && left && left.totalSeconds === 0 && !paid);

  // Esc closes the sheet (not while paying).
  useCloseOnEscape(onClose, !busy);

  const succeed = (r: Reservation) => {
    setPaid({ orderId: r.orderId, amountFen: r.amountFen });
    void queryClient.invalidateQueries({ queryKey: ['orders'] });
  };

  const pay = async () => {
    setBusy(true);
    setError(null);
    try {
      let r = reservation;
      if (!r) {
        if (deal) {
          const ack = await room.buy(deal.id, quantity);
          if (!ack.ok) {
            room.dismissRefusal();
            if (ack.code === 'NO_ADDRESS') setAddressMode('new');
            setError(t(`refusal.${refusalCode(ack.code)}`, { message: '' }));
            return;
          }
          r = ack.reservation;
        } else {
          if (!chosen) {
            setAddressMode('new');
            return;
          }
          const placed = await ordersApi.place(client, {
            items: [{ productId: product.id, quantity }],
            addressId: chosen.id,
            showId,
            ...(coupon ? { couponId: coupon.couponId } : {}),
          });
          r = {
            paymentId: placed.checkout.paymentId,
            orderId: placed.id,
            amountFen: placed.checkout.amountFen,
            expiresAt: placed.expiresAt,
          };
        }
        setReservation(r);
      }
      if (provider === 'demo') {
        await ordersApi.confirmDemo(client, r.paymentId);
        succeed(r);
      } else {
        const c = await ordersApi.checkout(client, r.paymentId);
        setClientSecret(c.clientSecret);
      }
    } catch (e) {
      setError(orderErrorMessage(to, tc, e));
    } finally {
      setBusy(false);
    }
  };

  const impact = room.view.state?.impact;
  const myShareFen =
    paid && impact && impact.paidFen > 0 ? Math.floor((paid.amountFen * impact.householdsFen) / impact.paidFen) : 0;

  return (
    <div className="sheet-backdrop" onClick={() => !busy && onClose()}>
      <section
        className="sheet checkout"
        role="dialog"
        aria-modal="true"
        aria-labelledby="checkout-title"
        data-testid="live-checkout"
        onClick={(e) => e.stopPropagation()}
      >
        <header className="sheet__head">
          <h2 id="checkout-title" className="sheet__title">
            {paid ? t('checkout.paidTitle') : deal ? t('checkout.dealTitle') : t('checkout.title')}
          </h2>
          <button
            type="button"
            className="sheet__close"
            aria-label={t('sheet.close')}
            onClick={onClose}
            disabled={busy}
          >
            ×
          </button>
        </header>

        {paid ? (
          <div className="checkout__paid" data-testid="live-paid" role="status">
            <p className="checkout__paid-big">{t('checkout.gotIt')}</p>
            <p>
              {t('checkout.paidLine', {
                name: product.nameZh,
                n: quantity,
                amount: formatFen(paid.amountFen, i18n.language),
              })}
            </p>
            {myShareFen > 0 && (
              <p className="checkout__impact" data-testid="live-paid-impact">
                {t('checkout.yourShare', { amount: formatFen(myShareFen, i18n.language) })}
              </p>
            )}
            <div className="checkout__actions">
              <Link to={`/orders/${paid.orderId}`} className="button button--secondary">
                {t('checkout.viewOrder')}
              </Link>
              <button type="button" className="button button--buy" onClick={onClose}>
                {t('checkout.backToShow')}
              </button>
            </div>
          </div>
        ) : (
          <>
            <div className="checkout__product">
              <span className="checkout__media">
                {product.coverThumbUrl ? (
                  <img src={product.coverThumbUrl} alt="" />
                ) : (
                  <span aria-hidden="true">{product.nameZh.slice(0, 2)}</span>
                )}
              </span>
              <span className="checkout__text">
                <span className="checkout__name">{product.nameZh}</span>
                <span className="checkout__price">
                  {formatFen(unitFen, i18n.language)}/{t(`unit.${product.unit}`)}
                  {deal && <s>{formatFen(deal.listPriceFen, i18n.language)}</s>}
                </span>
                <span className="checkout__meta">
                  {deal
                    ? `${t('deal.remaining', { n: live?.remaining ?? deal.remaining })} · ${t('deal.cap', { n: deal.perBuyerCap })}`
                    : t('room.stock', { n: product.stock })}
                </span>
              </span>
            </div>

            <div className="checkout__row">
              <span id="checkout-qty">{t('checkout.quantity')}</span>
              <span className="stepper" role="group" aria-labelledby="checkout-qty">
                <button
                  type="button"
                  aria-label={t('checkout.less')}
                  disabled={quantity <= 1 || Boolean(reservation)}
                  onClick={() => setQuantity((q) => Math.max(1, q - 1))}
                >
                  −
                </button>
                <output aria-live="polite" data-testid="checkout-quantity">
                  {quantity}
                </output>
                <button
                  type="button"
                  aria-label={t('checkout.more')}
                  disabled={quantity >= cap || Boolean(reservation)}
                  onClick={() => setQuantity((q) => Math.min(cap, q + 1))}
                >
                  +
                </button>
              </span>
            </div>

            {addressMode === 'new' ? (
              <AddressForm
                onCancel={() => setAddressMode(list.length ? 'show' : 'new')}
                onSaved={() => setAddressMode('show')}
              />
            ) : (
              <div className="checkout__address">
                {chosen ? (
                  <p className="checkout__address-text" data-testid="checkout-address">
                    <strong>
                      {chosen.recipient} {chosen.mobile}
                    </strong>
                    <span>
                      {chosen.province}
                      {chosen.city}
                      {chosen.district}
                      {chosen.detail}
                    </span>
                  </p>
                ) : (
                  <p className="checkout__address-text">{t('checkout.noAddress')}</p>
                )}
                {!reservation && (
                  <span className="checkout__address-actions">
                    {!deal && list.length > 1 && (
                      <button type="button" className="link-button" onClick={() => setAddressMode('pick')}>
                        {t('checkout.changeAddress')}
                      </button>
                    )}
                    <button type="button" className="link-button" onClick={() => setAddressMode('new')}>
                      {deal ? t('checkout.newDefaultAddress') : t('checkout.newAddress')}
                    </button>
                  </span>
                )}
                {addressMode === 'pick' && (
                  <ul className="checkout__address-list">
                    {list.map((a) => (
                      <li key={a.id}>
                        <label>
                          <input
                            type="radio"
                            name="checkout-address"
                            checked={chosen?.id === a.id}
                            onChange={() => {
                              setAddressId(a.id);
                              setAddressMode('show');
                            }}
                          />
                          {a.recipient} · {a.city}
                          {a.district}
                          {a.detail}
                        </label>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}

            {!deal && !reservation && (
              <CheckoutCoupon items={[{ productId: product.id, quantity }]} onChange={setCoupon} />
            )}
            {reservation && left && (
              <p className={`checkout__timer${expired ? ' checkout__timer--over' : ''}`} role="timer">
                {expired ? t('checkout.expired') : t('checkout.reservedFor', { time: left.label })}
              </p>
            )}
            {error && (
              <p role="alert" className="checkout__error" data-testid="checkout-error">
                {error}
              </p>
            )}

            {clientSecret && config.data?.publishableKey && reservation && !expired ? (
              <Suspense fallback={<p className="muted">{t('checkout.loadingPayment')}</p>}>
                <StripePayment
                  publishableKey={config.data.publishableKey}
                  clientSecret={clientSecret}
                  returnUrl={`${window.location.origin}/orders/${reservation.orderId}`}
                  onPaid={() => succeed(reservation)}
                />
              </Suspense>
            ) : (
              <div className="checkout__pay">
                <span className="checkout__total">
                  {t('checkout.total')}{' '}
                  <strong data-testid="live-total">
                    {formatFen(reservation?.amountFen ?? totalFen - (coupon?.discountFen ?? 0), i18n.language)}
                  </strong>
                </span>
                <button
                  type="button"
                  className="button button--buy checkout__pay-button"
                  data-testid="live-pay"
                  disabled={busy || expired || addressMode === 'new' || config.isPending || (!deal && !chosen)}
                  onClick={() => void pay()}
                >
                  {busy ? t('checkout.paying') : provider === 'demo' ? t('checkout.payDemo') : t('checkout.submit')}
                </button>
              </div>
            )}
            {provider === 'demo' && <p className="checkout__note">{t('checkout.demoNote')}</p>}
          </>
        )}
      </section>
    </div>
  );
}
