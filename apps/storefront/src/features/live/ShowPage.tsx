import type { ShowDetail } from '@xiangbo/contracts';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { Countdown } from './Countdown';
import { formatClock, formatFen, formatShowTime } from '../../format';
import { AudienceButtons } from './ShowCard';
import { LiveRoomScreen } from './LiveRoom';
import { useLiveRoom } from './use-live-room';
import { ReplayPlayer } from './video/ReplayPlayer';
import { useReloadShow, useShow } from './hooks';
import './live.css';

/** /live/:showId: the live room while live; the subscribe page before; the summary and pin timeline after. */
export function ShowPage() {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const { showId = '' } = useParams();
  const detail = useShow(showId);
  useDocumentTitle(detail.data?.title ?? t('title'));
  if (detail.isPending) return <Loading />;
  if (detail.isError) {
    return (
      <div className="page">
        {isApiError(detail.error) && detail.error.status === 404 ? (
          <EmptyState title={tc('notFound.heading')} />
        ) : (
          <p role="alert" className="form-error">
            {apiErrorMessage(tc, detail.error)}
          </p>
        )}
      </div>
    );
  }
  const show = detail.data;
  if (show.status === 'scheduled') return <UpcomingShow show={show} />;
  if (show.status === 'ended') return <EndedShow show={show} />;
  return <LiveRoomView show={show} />;
}

// ---- live -------------------------------------------------------------------------------------------------

function LiveRoomView({ show }: { show: ShowDetail }) {
  const room = useLiveRoom(show.id);
  const reloadShow = useReloadShow();
  const ended = room.view.state?.status === 'ended';
  // The show ended while we watched: reload the page data (it becomes the summary).
  useEffect(() => {
    if (ended) void reloadShow(show.id);
  }, [ended, reloadShow, show.id]);
  return <LiveRoomScreen show={show} room={room} />;
}

// ---- before and after ---------------------------------------------------------------------------------------

function ProductList({ show }: { show: ShowDetail }) {
  const { t, i18n } = useTranslation('live');
  return (
    <ul className="show-products">
      {show.products.map((p) => (
        <li key={p.id} className="show-products__item">
          <Link to={`/products/${p.id}`} className="show-products__link">
            {p.coverThumbUrl ? (
              <img src={p.coverThumbUrl} alt="" />
            ) : (
              <span aria-hidden="true">{p.nameZh.slice(0, 2)}</span>
            )}
            <span className="show-products__name">{p.nameZh}</span>
            <span className="show-products__price">
              {formatFen(p.priceFen, i18n.language)}/{t(`unit.${p.unit}`)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function UpcomingShow({ show }: { show: ShowDetail }) {
  const { t, i18n } = useTranslation('live');
  return (
    <div className="page show-page">
      <div className="show-page__cover">
        {show.coverUrl ? <img src={show.coverUrl} alt="" /> : null}
        <span className="badge badge--scheduled">{t('status.scheduled')}</span>
      </div>
      <h1 className="page__heading">{show.title}</h1>
      <p className="show-page__coop">
        {show.cooperative.name} · {show.cooperative.province}
        {show.cooperative.county}
      </p>
      {show.description && <p>{show.description}</p>}
      <dl className="details">
        <div className="details__row">
          <dt>{t('upcoming.startsAt')}</dt>
          <dd>{formatShowTime(show.scheduledAt, i18n.language)}</dd>
        </div>
        <div className="details__row">
          <dt>{t('upcoming.countdown')}</dt>
          <dd>
            <StartsIn at={show.scheduledAt} />
          </dd>
        </div>
      </dl>
      <AudienceButtons show={show} />
      <p className="form__note">{t('upcoming.subscribeHint')}</p>
      <h2 className="section__heading">{t('upcoming.products')}</h2>
      <ProductList show={show} />
    </div>
  );
}

function StartsIn({ at }: { at: string }) {
  const { t } = useTranslation('live');
  const ms = new Date(at).getTime() - Date.now();
  if (ms > 3600_000) {
    const h = Math.floor(ms / 3600_000);
    return (
      <span>
        {h >= 24
          ? t('upcoming.daysHours', { d: Math.floor(h / 24), h: h % 24 })
          : t('upcoming.hoursMinutes', { h, m: Math.floor((ms % 3600_000) / 60_000) })}
      </span>
    );
  }
  return <Countdown endsAt={at} label={t('upcoming.countdown')} />;
}

function EndedShow({ show }: { show: ShowDetail }) {
  const { t, i18n } = useTranslation('live');
  const s = show.summary;
  const fig = (label: string, value: string | number) => (
    <div className="figures__item">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <div className="page show-page">
      <span className="badge badge--ended">{t('status.ended')}</span>
      <h1 className="page__heading">{show.title}</h1>
      <p className="show-page__coop">
        {show.cooperative.name} · {formatShowTime(show.endedAt ?? show.scheduledAt, i18n.language)}
      </p>
      {show.replay && <ReplayPlayer replay={show.replay} products={show.products} />}
      {s && (
        <section aria-labelledby="summary-heading">
          <h2 id="summary-heading" className="section__heading">
            {t('ended.summary')}
          </h2>
          <dl className="figures" data-testid="show-summary">
            {fig(t('ended.uniqueViewers'), s.uniqueViewers)}
            {fig(t('ended.peakViewers'), s.peakViewers)}
            {fig(t('ended.chatMessages'), s.chatMessages)}
            {fig(t('ended.likes'), s.likes)}
            {fig(t('ended.duration'), t('ended.minutes', { n: Math.round(s.durationSeconds / 60) }))}
          </dl>
        </section>
      )}
      <h2 className="section__heading">{t('ended.timeline')}</h2>
      <ol className="timeline" data-testid="pin-timeline">
        {show.pins.map((p) => (
          <li key={p.pinnedAt} className="timeline__item">
            <time dateTime={p.pinnedAt}>{formatClock(p.pinnedAt)}</time>
            <Link to={`/products/${p.productId}`}>{p.productName}</Link>
          </li>
        ))}
      </ol>
      <h2 className="section__heading">{t('upcoming.products')}</h2>
      <ProductList show={show} />
    </div>
  );
}
