import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { formatDateTime, formatFen } from '../../format';
import { useMyCoupons } from './api';
import { CouponFace } from './CouponFace';
import { couponErrorMessage } from './errors';
import './coupons.css';

/** /me/coupons: 我的优惠券 — every coupon the buyer claimed in live rooms: usable first, then used and expired. */
export function MyCouponsPage() {
  const { t, i18n } = useTranslation('coupons');
  const { t: tc } = useTranslation();
  const { status } = useAuth();
  const coupons = useMyCoupons();
  useDocumentTitle(t('mine.title'));
  const order = { usable: 0, used: 1, expired: 2 } as const;
  const list = [...(coupons.data ?? [])].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <div className="page page--narrow">
      <h1 className="page__heading">{t('mine.title')}</h1>
      {status === 'signedOut' && (
        <p>
          <Link to={signInPathFor({ pathname: '/me/coupons', search: '' })}>{tc('account.signIn')}</Link>
        </p>
      )}
      {coupons.isPending && status !== 'signedOut' && <Loading />}
      {coupons.isError && (
        <p role="alert" className="form-error">
          {couponErrorMessage(t, tc, coupons.error)}
        </p>
      )}
      {coupons.isSuccess && !list.length && <EmptyState title={t('mine.empty')} />}
      {list.length > 0 && (
        <ul className="cp-list" data-testid="my-coupons">
          {list.map((c) => (
            <li
              key={c.id}
              className={`cp-card${c.status === 'usable' ? '' : ' cp-card--off'}`}
              data-testid="my-coupon"
              data-status={c.status}
            >
              <CouponFace amountOffFen={c.amountOffFen} minSpendFen={c.minSpendFen} />
              <span className="cp-card__text">
                <span>{t('mine.from', { coop: c.cooperativeName, show: c.showTitle })}</span>
                <small className="muted">
                  {c.status === 'used' && c.discountFen !== null
                    ? t('mine.usedOn', { amount: formatFen(c.discountFen, i18n.language) })
                    : c.validUntil
                      ? t('mine.until', { time: formatDateTime(c.validUntil, i18n.language) })
                      : t('mine.whileLive')}
                </small>
                {c.status === 'usable' && (
                  <Link to={`/live/${c.showId}`} className="muted">
                    {c.cooperativeName} ›
                  </Link>
                )}
              </span>
              <span className="cp-card__status">{t(`mine.status.${c.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
