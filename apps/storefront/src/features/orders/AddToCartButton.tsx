import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useCartActions } from './cart';
import { orderErrorMessage } from './errors';
import { MAX_LINE_QUANTITY } from './guest-cart';
import { QuantityStepper } from './QuantityStepper';
import './orders.css';

export interface AddToCartButtonProps {
  productId: string;
  /** What can be bought at most (the stock); 0 shows 已售罄. */
  maxQuantity: number;
  /** Also show 立即购买 (straight to checkout with this one product). */
  buyNow?: boolean;
}

/** Quantity stepper + 加入购物车 (+ 立即购买). Works signed out too: the guest cart lives in this browser. */
export function AddToCartButton({ productId, maxQuantity, buyNow = false }: AddToCartButtonProps) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const { add } = useCartActions();
  const max = Math.min(maxQuantity, MAX_LINE_QUANTITY);
  const [quantity, setQuantity] = useState(1);
  const [state, setState] = useState<{ kind: 'idle' | 'adding' | 'added' } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });

  if (max <= 0) {
    return (
      <div className="buy-box">
        <button
          type="button"
          className="button button--block button--soldout"
          disabled
          aria-describedby={`sold-out-${productId}`}
        >
          {t('add.soldOut')}
        </button>
        <p id={`sold-out-${productId}`} className="field__hint">
          {t('add.soldOutHint')}
        </p>
      </div>
    );
  }

  const qty = Math.min(quantity, max);
  const onAdd = async () => {
    setState({ kind: 'adding' });
    try {
      await add(productId, qty, max);
      setState({ kind: 'added' });
    } catch (e) {
      setState({ kind: 'error', message: orderErrorMessage(t, tc, e) });
    }
  };

  return (
    <div className="buy-box">
      <div className="buy-box__qty">
        <span className="buy-box__label" aria-hidden="true">
          {t('add.quantity')}
        </span>
        <QuantityStepper value={qty} max={max} onChange={setQuantity} label={t('add.quantity')} />
      </div>
      <div className="buy-box__actions">
        <button
          type="button"
          className="button button--buy-outline"
          onClick={() => void onAdd()}
          disabled={state.kind === 'adding'}
        >
          {state.kind === 'adding' ? t('add.adding') : t('add.add')}
        </button>
        {buyNow && (
          <button
            type="button"
            className="button button--buy"
            onClick={() => navigate(`/checkout?product=${encodeURIComponent(productId)}&qty=${qty}`)}
          >
            {t('add.buyNow')}
          </button>
        )}
      </div>
      <div role="status" aria-live="polite" className="buy-box__status">
        {state.kind === 'added' && (
          <p className="buy-box__added">
            {t('add.added')}
            <Link to="/cart">{t('add.viewCart')}</Link>
          </p>
        )}
        {state.kind === 'error' && <p className="field__error">{state.message}</p>}
      </div>
    </div>
  );
}
