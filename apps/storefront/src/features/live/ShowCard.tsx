import type { ShowListItem } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { useFollow, useReloadLive, useSubscribe } from './hooks';
import { formatShowTime } from '../../format/show-time';

/** One show in a list: cover with the 直播中 badge, title, cooperative, time; 订阅/关注 for upcoming ones. */
export function ShowCard({ show }: { show: ShowListItem }) {
  const { t, i18n } = useTranslation('live');
  const live = show.status === 'live';
  return (
    <article className={`show-card show-card--${show.status}`} data-testid="show-card">
      <Link to={`/live/${show.id}`} className="show-card__link">
        <div className="show-card__media">
          {show.coverUrl ? (
            <img src={show.coverUrl} alt="" loading="lazy" />
          ) : (
            <span aria-hidden="true">{show.title.slice(0, 2)}</span>
          )}
          <span className={`badge badge--${show.status}`}>{t(`status.${show.status}`)}</span>
        </div>
        <div className="show-card__body">
          <h3 className="show-card__title">{show.title}</h3>
          <p className="show-card__coop">
            {show.cooperative.name} · {show.cooperative.county}
          </p>
          <p className="show-card__time">
            {show.status === 'ended'
              ? t('list.endedAt', { time: formatShowTime(show.endedAt ?? show.scheduledAt, i18n.language) })
              : live
                ? t('list.watch')
                : t('list.startsAt', { time: formatShowTime(show.scheduledAt, i18n.language) })}
          </p>
        </div>
      </Link>
      {show.status === 'scheduled' && <AudienceButtons show={show} />}
    </article>
  );
}

/** 订阅 (this show) and 关注 (its cooperative); signed-out buyers are sent to sign in first. */
export function AudienceButtons({ show }: { show: ShowListItem }) {
  const { t } = useTranslation('live');
  const { status } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const subscribe = useSubscribe(show.id);
  const follow = useFollow(show.cooperative.id, useReloadLive());
  const guard = (fn: () => void) => () => (status === 'signedIn' ? fn() : navigate(signInPathFor(location)));
  return (
    <div className="audience">
      <button
        type="button"
        className={`button ${show.subscribed ? 'button--secondary' : 'button--primary'} audience__button`}
        aria-pressed={show.subscribed}
        aria-label={t('audience.subscribeLabel', { title: show.title })}
        disabled={subscribe.isPending}
        onClick={guard(() => subscribe.mutate(!show.subscribed))}
      >
        {show.subscribed ? t('audience.subscribed') : t('audience.subscribe')}
      </button>
      <button
        type="button"
        className="button button--secondary audience__button"
        aria-pressed={show.following}
        aria-label={t('audience.followLabel', { name: show.cooperative.name })}
        disabled={follow.isPending}
        onClick={guard(() => follow.mutate(!show.following))}
      >
        {show.following ? t('audience.following') : t('audience.follow')}
      </button>
    </div>
  );
}
