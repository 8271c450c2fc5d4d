import { useQueryClient } from '@tanstack/react-query';
import type { LiveCoupon, LiveServerEvents, RoomCoupon } from '@xiangbo/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { couponErrorMessage } from './errors';
import { couponKeys, useClaimCoupon, useRoomCoupons } from './api';
import { CouponFace } from './CouponFace';
import './coupons.css';

/** What the room component needs of the live room: to hear its server events. */
interface RoomEvents {
  on<E extends keyof LiveServerEvents>(event: E, handler: LiveServerEvents[E]): () => void;
}

/**
 * The coupon drop in the live room (直播间专享券): the newest coupon the viewer can still claim (or holds), floating
 * over the video, with 领取 → 已领取 in one tap. New drops and claimed counts arrive over the room's socket
 * (`coupon:changed`). Loaded lazily by the room, so its first load does not grow.
 */
export default function RoomCoupons({ showId, room }: { showId: string; room: RoomEvents }) {
  const { t } = useTranslation('coupons');
  const { t: tc } = useTranslation();
  const { status, user } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const coupons = useRoomCoupons(showId);
  const [hidden, setHidden] = useState<string | null>(null);
  const key = couponKeys.room(showId, user?.id ?? null);

  // A drop or a new count: merged into the list at once (mine kept), no request.
  const on = room.on;
  useEffect(
    () =>
      on('coupon:changed', (c: LiveCoupon) => {
        queryClient.setQueryData<RoomCoupon[]>(key, (list = []) => {
          const old = list.find((x) => x.id === c.id);
          const next = { ...c, mine: old?.mine ?? 0 };
          return old ? list.map((x) => (x.id === c.id ? next : x)) : [next, ...list];
        });
        // a first read still under way would overwrite it: read again after it
        if (queryClient.getQueryState(key)?.fetchStatus === 'fetching')
          void queryClient.invalidateQueries({ queryKey: key });
        if (hidden === c.id && c.status !== 'live') setHidden(null);
      }),
    [on, queryClient, showId, user?.id, hidden],
  );

  const claim = useClaimCoupon(showId);

  const list = coupons.data ?? [];
  // The newest one still to claim, else the newest one held.
  const open = list.filter((c) => c.status === 'live' && c.claimed < c.quantity && c.mine < c.perViewerLimit);
  const coupon = open[0] ?? list.find((c) => c.mine > 0) ?? null;
  if (!coupon || hidden === coupon.id) return null;
  const held = coupon.mine > 0;
  const canClaim = coupon.status === 'live' && coupon.claimed < coupon.quantity && coupon.mine < coupon.perViewerLimit;
  const left = coupon.quantity - coupon.claimed;

  const tap = () => {
    if (status !== 'signedIn') {
      navigate(signInPathFor(location));
      return;
    }
    claim.mutate(coupon.id);
  };

  return (
    <section className="cp-drop" data-testid="coupon-drop" aria-label={t('room.title')}>
      <button type="button" className="cp-drop__close" aria-label={t('room.hide')} onClick={() => setHidden(coupon.id)}>
        ×
      </button>
      <p className="cp-drop__title">{t('room.title')}</p>
      <CouponFace amountOffFen={coupon.amountOffFen} minSpendFen={coupon.minSpendFen} compact />
      <p className="cp-drop__meta">
        <span>{coupon.validity === 'show' ? t('validity.show') : t('validity.24h')}</span>
        <span>{left > 0 ? t('room.left', { n: left }) : t('room.gone')}</span>
      </p>
      {canClaim ? (
        <button
          type="button"
          className="button button--buy cp-drop__claim"
          data-testid="coupon-claim"
          disabled={claim.isPending}
          onClick={tap}
        >
          {held ? t('room.claimAgain') : t('room.claim')}
        </button>
      ) : (
        <span className="cp-drop__done" data-testid={held ? 'coupon-claimed' : 'coupon-gone'}>
          {held ? t('room.claimed') : t('room.gone')}
        </span>
      )}
      {claim.isError && (
        <p role="alert" className="cp-drop__error">
          {couponErrorMessage(t, tc, claim.error)}
        </p>
      )}
    </section>
  );
}
