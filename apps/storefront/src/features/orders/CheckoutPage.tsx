import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { FormError } from '../../forms/FormError';
import { apiFieldErrors } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { SproutIcon } from '../../layout/icons';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { AddressChoice, useAddressChoice, type AddressChosen } from './address-choice';
import CheckoutCoupon, { type CouponChoice } from '../coupons/CheckoutCoupon';
import { useOrderProduct, usePlaceOrder } from './api';
import { useServerCart } from './cart';
import { groupByCooperative, lineProblem } from './cart-lines';
import { lineRefusal, orderErrorMessage, type LineRefusal } from './errors';
import { formatFen } from '../../format';
import { MAX_LINE_QUANTITY } from './guest-cart';
import { useUnitLabel } from './useUnitLabel';
import './orders.css';

interface CheckoutLine {
  productId: string;
  name: string;
  unit: string;
  priceFen: number;
  quantity: number;
  thumbUrl: string | null;
  cooperative: { id: string; name: string };
}

/**
 * /checkout (确认订单): the buyable lines of the server cart, or one product with `?product=<id>&qty=<n>`
 * (立即购买). Pick or type a delivery address, place the orders (one per cooperative), then pay.
 */
export function CheckoutPage() {
  const { t } = useTranslation('orders');
  useDocumentTitle(t('checkout.title'));
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  return <Checkout />;
}

function useCheckoutLines(): { lines: CheckoutLine[] | null; fromCart: boolean; error: unknown } {
  const [params] = useSearchParams();
  const productId = params.get('product');
  const wanted = Math.max(1, Math.min(MAX_LINE_QUANTITY, Math.floor(Number(params.get('qty')) || 1)));
  const cart = useServerCart(!productId);
  const product = useOrderProduct(productId);
  if (productId) {
    if (product.isError) return { lines: null, fromCart: false, error: product.error };
    const p = product.data;
    if (!p) return { lines: null, fromCart: false, error: null };
    return {
      fromCart: false,
      error: null,
      lines: [
        {
          productId: p.id,
          name: p.nameZh,
          unit: p.unit,
          priceFen: p.priceFen,
          quantity: p.stock > 0 ? Math.min(wanted, p.stock) : wanted,
          thumbUrl: p.photos[0]?.thumbUrl ?? null,
          cooperative: { id: p.cooperative.id, name: p.cooperative.name },
        },
      ],
    };
  }
  if (cart.isError) return { lines: null, fromCart: true, error: cart.error };
  if (!cart.data) return { lines: null, fromCart: true, error: null };
  return {
    fromCart: true,
    error: null,
    lines: cart.data
      .filter((l) => lineProblem(l) === null)
      .map((l) => ({
        productId: l.productId,
        name: l.nameZh,
        unit: l.unit,
        priceFen: l.priceFen,
        quantity: l.quantity,
        thumbUrl: l.coverThumbUrl,
        cooperative: l.cooperative,
      })),
  };
}

function Checkout() {
  const { t, i18n } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const { lines, fromCart, error } = useCheckoutLines();
  const choice = useAddressChoice();
  const [refusal, setRefusal] = useState<LineRefusal | null>(null);
  // A live coupon (the best one unless the buyer picks another or none).
  const [coupon, setCoupon] = useState<CouponChoice | null>(null);

  const place = usePlaceOrder(
    async (chosen: AddressChosen) => {
      // A new address is saved to the book first: a retry after a refusal then uses it instead of saving it again.
      const addressId = chosen.kind === 'saved' ? chosen.address.id : (await choice.save(chosen.address)).id;
      return {
        items: (lines ?? []).map((l) => ({ productId: l.productId, quantity: l.quantity })),
        addressId,
        fromCart,
        ...(coupon ? { couponId: coupon.couponId } : {}),
      };
    },
    {
      onSuccess: (res) => navigate(`/pay/${res.checkout.paymentId}`),
      onError: (e) => setRefusal(lineRefusal(e)),
    },
  );

  if (error) {
    return (
      <div className="page page--narrow">
        <EmptyState title={t('checkout.loadFailed')} hint={orderErrorMessage(t, tc, error)}>
          <Link to="/cart" className="button button--secondary">
            {t('checkout.backToCart')}
          </Link>
        </EmptyState>
      </div>
    );
  }
  if (!lines || choice.isPending || !choice.ready) return <Loading />;
  if (lines.length === 0) {
    return (
      <div className="page page--narrow">
        <h1 className="page__heading">{t('checkout.heading')}</h1>
        <EmptyState title={t('checkout.empty')} hint={t('checkout.emptyHint')}>
          <Link to="/cart" className="button button--secondary">
            {t('checkout.backToCart')}
          </Link>
        </EmptyState>
      </div>
    );
  }

  const groups = groupByCooperative(lines);
  const total = lines.reduce((s, l) => s + l.priceFen * l.quantity, 0);
  const serverFieldErrors = apiFieldErrors(place.error);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    place.reset();
    setRefusal(null);
    const chosen = choice.read(e.currentTarget);
    if (chosen) place.mutate(chosen);
  }

  const formError =
    place.isError && !refusal ? orderErrorMessage(t, tc, place.error) : refusal ? t('checkout.fixLines') : null;

  return (
    <div className="page checkout-page">
      <h1 className="page__heading">{t('checkout.heading')}</h1>
      <form className="checkout-form" onSubmit={onSubmit} noValidate aria-label={t('checkout.heading')}>
        <section className="card" aria-labelledby="address-heading">
          <h2 id="address-heading" className="card__heading">
            {t('checkout.address')}
          </h2>
          <AddressChoice
            choice={choice}
            addLabel={t('checkout.newAddress')}
            defaultToggle
            serverErrors={serverFieldErrors}
          />
        </section>

        <section className="card" aria-labelledby="items-heading">
          <h2 id="items-heading" className="card__heading">
            {t('checkout.items')}
          </h2>
          {groups.length > 1 && (
            <p className="split-note" data-testid="split-note">
              <strong>{t('checkout.split', { n: groups.length })}</strong>
              <span className="muted">{t('checkout.splitHint')}</span>
            </p>
          )}
          {groups.map((g) => (
            <div key={g.cooperative.id} className="checkout-group">
              <h3 className="cart-group__name">
                <SproutIcon className="cart-group__icon" aria-hidden="true" />
                {g.cooperative.name}
              </h3>
              <ul className="cart-lines">
                {g.lines.map((l) => (
                  <CheckoutLineItem
                    key={l.productId}
                    line={l}
                    refusal={refusal?.productId === l.productId ? refusal : null}
                  />
                ))}
              </ul>
              <p className="checkout-group__sum">
                <span>{t('checkout.shipping')}</span>
                <span>{t('checkout.freeShipping')}</span>
              </p>
              <p className="checkout-group__sum">
                <span>{t('checkout.subtotal')}</span>
                <strong>
                  {formatFen(
                    g.lines.reduce((s, l) => s + l.priceFen * l.quantity, 0),
                    i18n.language,
                  )}
                </strong>
              </p>
            </div>
          ))}
        </section>

        <CheckoutCoupon
          items={lines.map((l) => ({ productId: l.productId, quantity: l.quantity }))}
          onChange={setCoupon}
        />
        <FormError message={formError} />
        {refusal && (
          <p>
            <Link to="/cart">{t('checkout.backToCart')}</Link>
          </p>
        )}
        <p className="form__note">{t('checkout.reservationHint')}</p>

        <div className="checkout-bar">
          <div className="checkout-bar__sum">
            <span className="checkout-bar__label">{t('checkout.total')}</span>
            <span className="checkout-bar__amount" data-testid="checkout-total">
              {formatFen(total - (coupon?.discountFen ?? 0), i18n.language)}
            </span>
          </div>
          <button type="submit" className="button button--buy checkout-bar__button" disabled={place.isPending}>
            {place.isPending ? t('checkout.placing') : t('checkout.place')}
          </button>
        </div>
      </form>
    </div>
  );
}

function CheckoutLineItem({ line, refusal }: { line: CheckoutLine; refusal: LineRefusal | null }) {
  const { t, i18n } = useTranslation('orders');
  const unitLabel = useUnitLabel();
  const unit = unitLabel(line.unit);
  let problem: string | null = null;
  if (refusal?.code === 'SOLD_OUT') {
    problem = refusal.available
      ? t('checkout.lineErrors.SOLD_OUT', { available: refusal.available, unit })
      : t('checkout.lineErrors.SOLD_OUT_NONE');
  } else if (refusal?.code === 'LIMIT_REACHED') {
    problem = t('checkout.lineErrors.LIMIT_REACHED', { limit: refusal.limit ?? 0, unit });
  } else if (refusal?.code === 'PRODUCT_UNAVAILABLE') {
    problem = t('checkout.lineErrors.PRODUCT_UNAVAILABLE');
  }
  return (
    <li className={`cart-line${problem ? ' cart-line--refused' : ''}`} data-testid="checkout-line">
      <div className="cart-line__media" aria-hidden="true">
        {line.thumbUrl ? <img src={line.thumbUrl} alt="" loading="lazy" /> : <span>{line.name.slice(0, 2)}</span>}
      </div>
      <div className="cart-line__body">
        <span className="cart-line__name">{line.name}</span>
        <span className="cart-line__price">
          {formatFen(line.priceFen, i18n.language)}
          <span className="muted">{t('perUnit', { unit })}</span>
          <span className="cart-line__qty">×{line.quantity}</span>
        </span>
        {problem && (
          <span className="line-flag line-flag--soldOut" role="alert">
            {problem}
          </span>
        )}
      </div>
      <strong className="cart-line__total">{formatFen(line.priceFen * line.quantity, i18n.language)}</strong>
    </li>
  );
}
