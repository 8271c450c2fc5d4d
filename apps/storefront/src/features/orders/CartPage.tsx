import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { EmptyState, Loading } from '../../layout/common';
import { CartIcon, SproutIcon } from '../../layout/icons';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { orderProductQuery } from './api';
import { useCartActions, useGuestCart, useServerCart } from './cart';
import { buyableTotalFen, groupByCooperative, lineProblem, type CartViewLine } from './cart-lines';
import { orderErrorMessage } from './errors';
import { formatFen } from '../../format';
import type { GuestCartItem } from './guest-cart';
import { QuantityStepper } from './QuantityStepper';
import { useUnitLabel } from './useUnitLabel';
import './orders.css';

/** /cart (购物车): the server cart when signed in, the guest cart otherwise; grouped by cooperative. */
export function CartPage() {
  const { t } = useTranslation('orders');
  useDocumentTitle(t('cart.title'));
  const { status } = useAuth();
  const signedIn = status === 'signedIn';
  const server = useServerCart(signedIn);
  const guest = useGuestCart();
  const guestLines = useGuestLines(guest, status === 'signedOut');

  let lines: CartViewLine[] | null;
  let error: unknown = null;
  if (status === 'loading') lines = null;
  else if (signedIn) {
    lines = server.data ?? null;
    error = server.error;
  } else lines = guestLines;

  return (
    <div className="page cart-page">
      <h1 className="page__heading">{t('cart.heading')}</h1>
      {error ? (
        <CartLoadError error={error} />
      ) : lines === null ? (
        <Loading />
      ) : lines.length === 0 ? (
        <EmptyState icon={<CartIcon />} title={t('cart.empty')} hint={t('cart.emptyHint')}>
          <Link to="/products" className="button button--secondary">
            {t('cart.browse')}
          </Link>
        </EmptyState>
      ) : (
        <CartContents lines={lines} signedIn={signedIn} />
      )}
    </div>
  );
}

function CartLoadError({ error }: { error: unknown }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  return (
    <div role="alert" className="form-error">
      <strong className="form-error__title">{t('cart.loadFailed')}</strong>
      <span>{orderErrorMessage(t, tc, error)}</span>
    </div>
  );
}

/** Guest cart lines with their product details from the public catalogue; a 404 marks the line as gone. */
function useGuestLines(items: GuestCartItem[], enabled: boolean): CartViewLine[] | null {
  const client = useApiClient();
  const results = useQueries({
    queries: items.map((i) => ({ ...orderProductQuery(client, i.productId), enabled, staleTime: 60_000 })),
  });
  if (!enabled) return null;
  if (results.some((r) => r.isPending)) return null;
  return items.map((item, i): CartViewLine => {
    const p = results[i]?.data;
    if (!p) {
      return {
        productId: item.productId,
        quantity: item.quantity,
        nameZh: '',
        unit: '',
        priceFen: 0,
        stock: 0,
        published: false,
        coverThumbUrl: null,
        cooperative: { id: '', name: '' },
        missing: true,
      };
    }
    return {
      productId: p.id,
      quantity: item.quantity,
      nameZh: p.nameZh,
      unit: p.unit,
      priceFen: p.priceFen,
      stock: p.stock,
      published: true,
      coverThumbUrl: p.photos[0]?.thumbUrl ?? null,
      cooperative: { id: p.cooperative.id, name: p.cooperative.name },
    };
  });
}

function CartContents({ lines, signedIn }: { lines: CartViewLine[]; signedIn: boolean }) {
  const { t, i18n } = useTranslation('orders');
  const navigate = useNavigate();
  const groups = groupByCooperative(lines);
  const buyable = lines.filter((l) => lineProblem(l) === null);
  const excluded = lines.length - buyable.length;
  const total = buyableTotalFen(lines);
  const units = buyable.reduce((n, l) => n + l.quantity, 0);

  return (
    <>
      {!signedIn && <p className="orders-notice">{t('cart.guestHint')}</p>}
      {groups.map((g) => (
        <section
          key={g.cooperative.id || 'missing'}
          className="card cart-group"
          aria-label={g.cooperative.name || t('cart.unknownProduct')}
        >
          {g.cooperative.name && (
            <h2 className="cart-group__name">
              <SproutIcon className="cart-group__icon" aria-hidden="true" />
              {g.cooperative.name}
            </h2>
          )}
          <ul className="cart-lines">
            {g.lines.map((l) => (
              <CartLine key={l.productId} line={l} />
            ))}
          </ul>
        </section>
      ))}
      <div className="checkout-bar" data-testid="cart-total">
        <div className="checkout-bar__sum">
          <span className="checkout-bar__label">{t('cart.total')}</span>
          <span className="checkout-bar__amount">{formatFen(total, i18n.language)}</span>
          <span className="checkout-bar__units muted">{t('cart.units', { n: units })}</span>
          {excluded > 0 && <span className="checkout-bar__note">{t('cart.excluded', { n: excluded })}</span>}
        </div>
        <button
          type="button"
          className="button button--buy checkout-bar__button"
          disabled={buyable.length === 0}
          onClick={() => navigate(signedIn ? '/checkout' : signInPathFor({ pathname: '/checkout', search: '' }))}
        >
          {signedIn ? t('cart.checkout') : t('cart.signInToCheckout')}
        </button>
      </div>
    </>
  );
}

function CartLine({ line }: { line: CartViewLine }) {
  const { t, i18n } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const unitLabel = useUnitLabel();
  const { setQuantity, remove } = useCartActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = lineProblem(line);
  const name = line.missing ? t('cart.unknownProduct') : line.nameZh;
  const unit = unitLabel(line.unit);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(t('cart.updateFailed', { message: orderErrorMessage(t, tc, e) }));
    } finally {
      setBusy(false);
    }
  };

  const flag =
    problem === 'unavailable'
      ? t('cart.unavailable')
      : problem === 'soldOut'
        ? t('cart.soldOut')
        : problem === 'short'
          ? t('cart.short', { n: line.stock, unit })
          : null;

  return (
    <li className={`cart-line${problem && problem !== 'short' ? ' cart-line--off' : ''}`} data-testid="cart-line">
      <div className="cart-line__media" aria-hidden="true">
        {line.coverThumbUrl ? <img src={line.coverThumbUrl} alt="" loading="lazy" /> : <span>{name.slice(0, 2)}</span>}
      </div>
      <div className="cart-line__body">
        {line.missing ? (
          <span className="cart-line__name">{name}</span>
        ) : (
          <Link to={`/products/${line.productId}`} className="cart-line__name">
            {name}
          </Link>
        )}
        {!line.missing && (
          <span className="cart-line__price">
            {formatFen(line.priceFen, i18n.language)}
            <span className="muted">{t('perUnit', { unit })}</span>
          </span>
        )}
        {flag && <span className={`line-flag line-flag--${problem}`}>{flag}</span>}
        <div className="cart-line__controls">
          {problem !== 'unavailable' && problem !== 'soldOut' && (
            <QuantityStepper
              value={line.quantity}
              max={Math.max(line.stock, line.quantity)}
              onChange={(n) => void run(() => setQuantity(line.productId, n))}
              label={t('stepper.input', { name })}
              disabled={busy}
            />
          )}
          <button
            type="button"
            className="link-button cart-line__remove"
            onClick={() => void run(() => remove(line.productId))}
            disabled={busy}
            aria-label={t('cart.removeLabel', { name })}
          >
            {t('cart.remove')}
          </button>
        </div>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
      </div>
    </li>
  );
}
