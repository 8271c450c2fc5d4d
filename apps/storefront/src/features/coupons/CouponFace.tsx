import { useTranslation } from 'react-i18next';
import { formatFen } from '../../format';

/** The face of a coupon: "¥5" big, "满 ¥50 可用" (or 无门槛) small. One badge for the concept, everywhere. */
export function CouponFace({
  amountOffFen,
  minSpendFen,
  compact = false,
}: {
  amountOffFen: number;
  minSpendFen: number;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation('coupons');
  return (
    <span className={`cp-face${compact ? ' cp-face--compact' : ''}`}>
      <strong className="cp-face__amount">{formatFen(amountOffFen, i18n.language).replace(/\.00$/, '')}</strong>
      <span className="cp-face__rule">
        {minSpendFen > 0
          ? t('face.threshold', { amount: formatFen(minSpendFen, i18n.language).replace(/\.00$/, '') })
          : t('face.noThreshold')}
      </span>
    </span>
  );
}
