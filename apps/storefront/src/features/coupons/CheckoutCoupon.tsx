import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../format';
import { useCouponQuote } from './api';
import './coupons.css';

/** What the buyer chose: a coupon (its claim id) and its discount, or none (null). */
export interface CouponChoice {
  couponId: string | null;
  discountFen: number;
}

/**
 * The coupon row of a checkout (the live room's sheet, the cart): the best usable coupon is chosen by itself (as
 * POST /api/orders would), shown as "已优惠 ¥X"; the buyer may pick another or none. Reports each choice.
 */
export default function CheckoutCoupon({
  items,
  onChange,
}: {
  items: { productId: string; quantity: number }[];
  onChange: (choice: CouponChoice) => void;
}) {
  const { t, i18n } = useTranslation('coupons');
  const quote = useCouponQuote(items);
  const usable = quote.data?.usable ?? [];
  const [picked, setPicked] = useState<string | 'none' | null>(null);
  const chosen = picked === 'none' ? null : (usable.find((c) => c.id === picked) ?? quote.data?.best ?? null);

  useEffect(() => {
    if (!quote.data) return;
    onChange({ couponId: chosen?.id ?? null, discountFen: chosen?.discountFen ?? 0 });
  }, [quote.data, chosen?.id, chosen?.discountFen]);

  if (!quote.data) return null;
  const money = (fen: number) => formatFen(fen, i18n.language);
  return (
    <div className="cp-checkout" data-testid="checkout-coupon">
      <label className="cp-checkout__label" htmlFor="checkout-coupon-select">
        {t('checkout.label')}
      </label>
      {usable.length ? (
        <select
          id="checkout-coupon-select"
          className="cp-checkout__select"
          value={chosen?.id ?? 'none'}
          onChange={(e) => setPicked(e.target.value)}
        >
          {usable.map((c) => (
            <option key={c.id} value={c.id}>
              {`−${money(c.discountFen)} · ${c.minSpendFen > 0 ? t('face.threshold', { amount: money(c.minSpendFen) }) : t('face.noThreshold')}`}
            </option>
          ))}
          <option value="none">{t('checkout.none')}</option>
        </select>
      ) : (
        <span className="cp-checkout__none">{t('checkout.noneAvailable')}</span>
      )}
      {chosen && (
        <strong className="cp-checkout__saved" data-testid="coupon-saved">
          {t('checkout.saved', { amount: money(chosen.discountFen) })}
        </strong>
      )}
    </div>
  );
}
