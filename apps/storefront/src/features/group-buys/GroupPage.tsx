import type { GroupBuyView } from '@xiangbo/contracts';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { formatFen } from '../../format';
import { useNow } from '../orders/useNow';
import { useGroup } from './api';
import { groupErrorMessage } from './errors';
import { seatsShort, timeLeft } from './seats';
import { GroupStatusBadge } from './GroupStatusBadge';
import './group-buys.css';

// The sheet (address book, checkout's fields) is fetched when a buyer starts or joins a group.
const GroupCheckoutSheet = lazy(() => import('./GroupCheckoutSheet').then((m) => ({ default: m.GroupCheckoutSheet })));

/**
 * /groups/:groupId — the link a buyer shares (WeChat, SMS): the product at the group price, who has joined
 * (masked names), seats left, the countdown, share (copies the link) and 参与拼团 (address, then the payment page).
 * Public: it opens signed out; joining asks to sign in and comes back here.
 */
export function GroupPage() {
  const { groupId = '' } = useParams();
  const { t } = useTranslation('groupBuys');
  const { t: tc } = useTranslation();
  const group = useGroup(groupId);
  useDocumentTitle(group.data ? `${t('group.title')} · ${group.data.product.nameZh}` : t('group.title'));
  if (group.isPending) return <Loading />;
  if (group.isError) {
    const missing = isApiError(group.error) && group.error.status === 404;
    return (
      <div className="page page--narrow">
        <EmptyState
          title={missing ? t('group.notFound') : groupErrorMessage(t, tc, group.error)}
          hint={missing ? t('group.notFoundHint') : undefined}
        >
          <Link to="/products" className="button button--secondary">
            {t('group.browse')}
          </Link>
        </EmptyState>
      </div>
    );
  }
  return <GroupView g={group.data} />;
}

function GroupView({ g }: { g: GroupBuyView }) {
  const { t, i18n } = useTranslation('groupBuys');
  const { status } = useAuth();
  const location = useLocation();
  const now = useNow(g.status === 'open');
  const [joining, setJoining] = useState(false);
  const left = timeLeft(t, g.expiresAt, now);
  const short = seatsShort(g);
  const empty = Math.max(0, g.size - g.members.length);
  const open = g.status === 'open' && left !== null;
  return (
    <div className="page page--narrow gb-page">
      <Link to={`/products/${g.product.id}`} className="gb-product">
        <span className="gb-product__media" aria-hidden="true">
          {g.product.coverThumbUrl ? <img src={g.product.coverThumbUrl} alt="" /> : g.product.nameZh.slice(0, 2)}
        </span>
        <span className="gb-product__body">
          <span className="gb-product__name">
            {i18n.language.startsWith('en') && g.product.nameEn ? g.product.nameEn : g.product.nameZh}
          </span>
          <span className="gb-product__prices">
            <span className="gb-pill">{t('badge.size', { n: g.size })}</span>
            <strong className="gb-price gb-price--large">{formatFen(g.groupPriceFen, i18n.language)}</strong>
            <s className="muted">{t('group.normalPrice', { price: formatFen(g.product.priceFen, i18n.language) })}</s>
          </span>
        </span>
      </Link>

      <section className="card gb-card" aria-labelledby="gb-progress-heading">
        <div className="gb-card__top">
          <h1 id="gb-progress-heading" className={`gb-card__heading gb-card__heading--${g.status}`}>
            {g.status === 'open' ? t('group.short', { n: short }) : t(`group.status.${g.status}`)}
          </h1>
          <GroupStatusBadge status={g.status} />
        </div>
        <div
          className="gb-bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={g.size}
          aria-valuenow={g.joined}
          aria-label={t('group.progress', { joined: g.joined, size: g.size })}
        >
          <span className="gb-bar__fill" style={{ width: `${(100 * g.joined) / g.size}%` }} />
        </div>
        <p className="gb-card__meta">
          <span data-testid="group-progress">{t('group.progress', { joined: g.joined, size: g.size })}</span>
          {g.status === 'open' && (
            <span className="gb-countdown" data-testid="group-countdown">
              {left ? `${t('group.endsIn')} ${left}` : t('time.ended')}
            </span>
          )}
        </p>
        {g.status === 'open' && !open && (
          <p className="gb-note" data-testid="group-confirming">
            {t('group.confirmingHint')}
          </p>
        )}
        {g.status === 'formed' && <p className="gb-note gb-note--ok">{t('group.formedHint')}</p>}
        {g.status === 'failed' && <p className="gb-note">{t('group.failedHint')}</p>}

        <h2 className="gb-card__subhead">{t('group.members')}</h2>
        <ul className="gb-members">
          {g.members.map((m, i) => (
            <li key={i} className={`gb-member${m.paid ? '' : ' gb-member--unpaid'}`}>
              <span className="gb-member__avatar" aria-hidden="true">
                {m.name.slice(0, 1)}
              </span>
              <span className="gb-member__name">{m.name}</span>
              <span className="gb-member__tag">
                {m.leader ? t('group.leader') : m.paid ? t('group.paid') : t('group.unpaid')}
              </span>
            </li>
          ))}
          {g.status === 'open' &&
            Array.from({ length: empty }, (_, i) => (
              <li key={`empty-${i}`} className="gb-member gb-member--empty">
                <span className="gb-member__avatar" aria-hidden="true">
                  ?
                </span>
                <span className="gb-member__name">{t('group.emptySeat')}</span>
              </li>
            ))}
        </ul>
      </section>

      <div className="gb-actions">
        {open && g.mine && (
          <>
            <p className="gb-note gb-note--ok">{t('group.joined')}</p>
            {!g.mine.paid && g.mine.orderId && (
              <Link to={`/orders/${g.mine.orderId}`} className="button button--buy button--block">
                {t('group.payNow')}
              </Link>
            )}
          </>
        )}
        {open && !g.mine && status === 'signedIn' && (
          <button type="button" className="button button--buy button--block" onClick={() => setJoining(true)}>
            {t('group.join')} {formatFen(g.groupPriceFen, i18n.language)}
          </button>
        )}
        {open && !g.mine && status === 'signedOut' && (
          <Link to={signInPathFor(location)} className="button button--buy button--block">
            {t('group.signIn')}
          </Link>
        )}
        {open && <ShareButton />}
        {!open && g.status === 'open' && g.mine && !g.mine.paid && g.mine.orderId && (
          <Link to={`/orders/${g.mine.orderId}`} className="button button--buy button--block">
            {t('group.payNow')}
          </Link>
        )}
        {!open && g.mine?.orderId && (
          <Link to={`/orders/${g.mine.orderId}`} className="button button--secondary button--block">
            {t('group.viewOrder')}
          </Link>
        )}
        {!open && (
          <Link to={`/products/${g.product.id}`} className="button button--secondary button--block">
            {t('group.openAnother')}
          </Link>
        )}
      </div>
      <p className="muted gb-rules">
        {t('group.rules', {
          n: g.size,
          hours: Math.max(1, Math.round((Date.parse(g.expiresAt) - Date.parse(g.createdAt)) / 3600_000)),
        })}
      </p>
      {joining && (
        <Suspense fallback={null}>
          <GroupCheckoutSheet
            target={{
              kind: 'join',
              groupId: g.id,
              productName: g.product.nameZh,
              unitPriceFen: g.groupPriceFen,
              maxQuantity: 20,
            }}
            onClose={() => setJoining(false)}
          />
        </Suspense>
      )}
    </div>
  );
}

/** Copies this page's link (to paste into WeChat); where the clipboard is refused, shows it to press and hold. */
function ShareButton() {
  const { t } = useTranslation('groupBuys');
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const url = window.location.href;
  const share = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" className="button button--secondary button--block" onClick={() => void share()}>
        {t('group.share')}
      </button>
      <p role="status" className="gb-share-status">
        {state === 'copied' && t('group.copied')}
        {state === 'failed' && (
          <>
            {t('group.copyFailed')} <span className="gb-share-url">{url}</span>
          </>
        )}
      </p>
    </>
  );
}
