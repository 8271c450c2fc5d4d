import type { DealState } from '@xiangbo/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Countdown, useNow } from './Countdown';
import { formatFen } from './format';

/**
 * The flash deal: price (and the struck-through 原价), countdown to the server's end time, what is left of it,
 * and the red one-tap 立即抢购. The server decides; the button only reflects the last state it sent.
 */
export function DealPanel({
  deal,
  onBuy,
  busy,
  signedIn,
}: {
  deal: DealState;
  onBuy: (quantity: number) => void;
  busy: boolean;
  signedIn: boolean;
}) {
  const { t, i18n } = useTranslation('live');
  const now = useNow();
  const [quantity, setQuantity] = useState(1);
  const over = deal.status === 'closed' || new Date(deal.endsAt).getTime() <= now;
  const soldOut = !over && deal.remaining === 0;
  const left = Math.max(0, Math.min(100, Math.round((deal.remaining / deal.quantity) * 100)));
  const label = over
    ? t('deal.closed')
    : soldOut
      ? t('deal.soldOut')
      : busy
        ? t('deal.buying')
        : signedIn
          ? t('deal.buy')
          : t('deal.signIn');
  return (
    <section
      className={`deal${over || soldOut ? ' deal--done' : ''}`}
      aria-labelledby="deal-title"
      data-testid="deal-panel"
    >
      <header className="deal__head">
        <h2 id="deal-title" className="deal__title">
          {t('deal.title')}
        </h2>
        {!over && <Countdown endsAt={deal.endsAt} now={now} label={t('deal.endsIn')} />}
      </header>
      <p className="deal__product">{deal.productName}</p>
      <p className="deal__prices">
        <span className="deal__price">{formatFen(deal.priceFen, i18n.language)}</span>
        <span className="deal__list">
          {t('deal.listPrice')} <s>{formatFen(deal.listPriceFen, i18n.language)}</s>
        </span>
      </p>
      <div
        className="deal__progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={deal.quantity}
        aria-valuenow={deal.remaining}
        aria-label={t('deal.remaining', { n: deal.remaining })}
      >
        <span style={{ width: `${left}%` }} />
      </div>
      <p className="deal__facts">
        <span data-testid="deal-remaining">{t('deal.remaining', { n: deal.remaining })}</span>
        <span>{t('deal.of', { n: deal.quantity })}</span>
        <span>{t('deal.cap', { n: deal.perBuyerCap })}</span>
      </p>
      <div className="deal__buy">
        {deal.perBuyerCap > 1 && !over && !soldOut && (
          <label className="deal__qty">
            <span>{t('deal.quantity')}</span>
            <select value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
              {Array.from({ length: Math.min(deal.perBuyerCap, 10) }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className="button button--buy deal__button"
          disabled={over || soldOut || busy}
          onClick={() => onBuy(quantity)}
        >
          {label}
        </button>
      </div>
    </section>
  );
}
