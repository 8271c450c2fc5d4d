import { COUPON_LIMITS, type CouponValidity } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { yuanToFen } from '../../format';
import { useConsoleCouponActions, useConsoleCoupons } from './api';
import { CouponFace } from './CouponFace';
import { couponErrorMessage } from './errors';
import './coupons.css';

/**
 * The host console's coupons of a show: drop coupons while live (amount off, threshold, quantity, per viewer,
 * validity) and see each one's claimed / used / paid counts; stop a drop. Loaded lazily by the console.
 */
export default function ConsoleCoupons({ showId, live }: { showId: string; live: boolean }) {
  const { t } = useTranslation('coupons');
  const { t: tc } = useTranslation();
  const coupons = useConsoleCoupons(showId);
  const [amount, setAmount] = useState('5');
  const [minSpend, setMinSpend] = useState('50');
  const [quantity, setQuantity] = useState('100');
  const [perViewer, setPerViewer] = useState('1');
  const [validity, setValidity] = useState<CouponValidity>('show');
  const [invalid, setInvalid] = useState<string | null>(null);
  const { drop, stop } = useConsoleCouponActions(showId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amountOffFen = yuanToFen(amount);
    const minSpendFen = minSpend.trim() === '0' || minSpend.trim() === '' ? 0 : yuanToFen(minSpend);
    if (amountOffFen === null || minSpendFen === null) {
      setInvalid(t('console.invalidAmount'));
      return;
    }
    setInvalid(null);
    drop.mutate({
      amountOffFen,
      minSpendFen,
      quantity: Number(quantity),
      perViewerLimit: Number(perViewer),
      validity,
    });
  };

  const list = coupons.data ?? [];
  return (
    <section className="card cp-console" aria-labelledby="host-coupons" data-testid="console-coupons">
      <h2 id="host-coupons" className="card__heading">
        {t('console.title')}
      </h2>
      {live && (
        <form className="cp-console__form" onSubmit={submit}>
          <label>
            {t('console.amountOff')}
            <input
              name="amountOff"
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              required
            />
          </label>
          <label>
            {t('console.minSpend')}
            <input name="minSpend" inputMode="decimal" value={minSpend} onChange={(e) => setMinSpend(e.target.value)} />
          </label>
          <label>
            {t('console.quantity')}
            <input
              name="quantity"
              type="number"
              min={1}
              max={COUPON_LIMITS.maxQuantity}
              value={quantity}
              onChange={(e) => setQuantity(e.target.value)}
              required
            />
          </label>
          <label>
            {t('console.perViewer')}
            <input
              name="perViewer"
              type="number"
              min={1}
              max={COUPON_LIMITS.maxPerViewer}
              value={perViewer}
              onChange={(e) => setPerViewer(e.target.value)}
              required
            />
          </label>
          <label>
            {t('console.validity')}
            <select name="validity" value={validity} onChange={(e) => setValidity(e.target.value as CouponValidity)}>
              <option value="show">{t('validity.show')}</option>
              <option value="24h">{t('validity.24h')}</option>
            </select>
          </label>
          <button
            type="submit"
            className="button button--buy"
            data-testid="coupon-drop-submit"
            disabled={drop.isPending}
          >
            {drop.isPending ? t('console.dropping') : t('console.drop')}
          </button>
        </form>
      )}
      {(invalid || drop.isError || stop.isError) && (
        <p role="alert" className="form-error">
          {invalid ?? couponErrorMessage(t, tc, drop.error ?? stop.error)}
        </p>
      )}
      {coupons.isSuccess && !list.length && <p className="muted">{t('console.empty')}</p>}
      {list.length > 0 && (
        <ul className="cp-list">
          {list.map((c) => (
            <li key={c.id} className="cp-card" data-testid="console-coupon">
              <CouponFace amountOffFen={c.amountOffFen} minSpendFen={c.minSpendFen} compact />
              <span className="cp-card__text">
                <span data-testid="console-coupon-counts">
                  {t('console.counts', { claimed: c.claimed, quantity: c.quantity, used: c.used, paid: c.paid })}
                </span>
                <small className="muted">
                  {c.validity === 'show' ? t('validity.show') : t('validity.24h')} · {t('console.perViewer')}{' '}
                  {c.perViewerLimit}
                </small>
              </span>
              {c.status === 'live' ? (
                <button
                  type="button"
                  className="button button--secondary cp-card__status"
                  disabled={stop.isPending}
                  onClick={() => stop.mutate(c.id)}
                >
                  {t('console.stop')}
                </button>
              ) : (
                <span className="cp-card__status muted">{t('console.stopped')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
