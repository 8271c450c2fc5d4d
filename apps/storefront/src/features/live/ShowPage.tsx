import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LIVE_LIMITS, type ShowDetail } from '@xiangbo/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { AddressForm } from './AddressForm';
import { liveApi } from './api';
import { ChatList } from './ChatList';
import { Countdown } from './Countdown';
import { DealPanel } from './DealPanel';
import { formatFen, formatShowTime, percent } from './format';
import { PinnedCard } from './PinnedCard';
import { AudienceButtons } from './ShowCard';
import { useLiveRoom, type LiveRoom } from './use-live-room';
import { VideoArea } from './VideoArea';
import { ReplayPlayer } from './video/ReplayPlayer';
import './live.css';

/** /live/:showId: the live room while live; the subscribe page before; the summary and pin timeline after. */
export function ShowPage() {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const { showId = '' } = useParams();
  const client = useApiClient();
  const { status } = useAuth();
  const detail = useQuery({
    queryKey: ['live', 'show', showId, status],
    queryFn: ({ signal }) => liveApi.detail(client, showId, signal),
    enabled: status !== 'loading',
  });
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
  const queryClient = useQueryClient();
  const ended = room.view.state?.status === 'ended';
  // The show ended while we watched: reload the page data (it becomes the summary).
  useEffect(() => {
    if (ended) void queryClient.invalidateQueries({ queryKey: ['live', 'show', show.id] });
  }, [ended, queryClient, show.id]);
  return <LiveRoomScreen show={show} room={room} />;
}

/** The room as a viewer sees it: video area with overlays (counts, ticker, chat), pinned card, deal, chat box. */
export function LiveRoomScreen({ show, room }: { show: ShowDetail; room: LiveRoom }) {
  const { t } = useTranslation('live');
  const { status } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [askAddress, setAskAddress] = useState<number | null>(null);
  const { view } = room;
  const s = view.state;
  const signedIn = status === 'signedIn';

  const buy = async (quantity: number) => {
    if (!s?.deal) return;
    if (!signedIn) return navigate(signInPathFor(location));
    const addresses = await queryClient
      .fetchQuery({ queryKey: ['live', 'addresses'], queryFn: () => liveApi.addresses(client), staleTime: 60_000 })
      .catch(() => []);
    if (!addresses.length) return setAskAddress(quantity);
    setBusy(true);
    const r = await room.buy(s.deal.id, quantity);
    setBusy(false);
    if (r.ok) navigate(r.reservation.payUrl);
    else if (r.code === 'NO_ADDRESS') setAskAddress(quantity);
  };

  return (
    <div className="room" data-testid="live-room">
      <div className="room__stage">
        <VideoArea poster={show.coverUrl} video={s?.video ?? show.video}>
          <div className="room__top">
            <span className="badge badge--live">{t('status.live')}</span>
            <span className="room__coop">{show.cooperative.name}</span>
            <span className="room__count" data-testid="viewer-count">
              {t('room.viewers', { n: s?.viewers ?? 0 })}
            </span>
          </div>
          <ul className="ticker" aria-live="polite">
            {view.tickers.map((tk) => (
              <li key={tk.key} className="ticker__item">
                {tk.text}
              </li>
            ))}
          </ul>
          {s && <ChatList messages={s.chat.slice(-30)} />}
        </VideoArea>
        <ConnectionBanner room={room} />
      </div>
      <div className="room__side">
        <h1 className="room__title">{show.title}</h1>
        {view.banned && (
          <p role="alert" className="form-error">
            {t('room.banned')}
          </p>
        )}
        <Refusal room={room} />
        {s?.pin && <PinnedCard pin={s.pin} />}
        {askAddress !== null ? (
          <AddressForm
            onCancel={() => setAskAddress(null)}
            onSaved={() => {
              const q = askAddress;
              setAskAddress(null);
              void buy(q);
            }}
          />
        ) : (
          s?.deal && <DealPanel deal={s.deal} onBuy={(q) => void buy(q)} busy={busy} signedIn={signedIn} />
        )}
        {s && s.status !== 'live' && (
          <p className="live-notice">{s.status === 'ended' ? t('room.endedBanner') : t('room.notLive')}</p>
        )}
        <ChatBox room={room} />
      </div>
    </div>
  );
}

function ConnectionBanner({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const c = room.view.connection;
  if (c === 'connected' && room.view.state) return null;
  return (
    <p className="room__connection" role="status">
      {c === 'reconnecting' ? t('room.reconnecting') : c === 'offline' ? t('room.offline') : t('room.connecting')}
    </p>
  );
}

function Refusal({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const r = room.view.refusal;
  if (!r) return null;
  const known = [
    'SOLD_OUT',
    'CAP_REACHED',
    'DEAL_CLOSED',
    'NO_ADDRESS',
    'NOT_SIGNED_IN',
    'NOT_JOINED',
    'NOT_FOUND',
    'FORBIDDEN',
    'INVALID',
    'RATE_LIMITED',
    'SLOW_MODE',
    'MUTED',
    'BANNED',
    'SHOW_NOT_LIVE',
    'UNAVAILABLE',
    'INTERNAL',
  ] as const;
  const code = (known as readonly string[]).includes(r.code) ? (r.code as (typeof known)[number]) : 'INTERNAL';
  return (
    <div role="alert" className="refusal" data-testid="refusal">
      <span>{t(`refusal.${code}`, { message: r.message })}</span>
      <button type="button" className="refusal__close" onClick={room.dismissRefusal}>
        {t('refusal.dismiss')}
      </button>
    </div>
  );
}

/** Chat input and the like button; signed-out viewers are invited to sign in. */
export function ChatBox({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const { status } = useAuth();
  const location = useLocation();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const s = room.view.state;
  const left = LIVE_LIMITS.chatMaxLength - [...text].length;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || left < 0) return;
    setSending(true);
    const r = await room.chat(text);
    setSending(false);
    if (r.ok) setText('');
  };
  return (
    <div className="chatbox">
      {s && s.slowModeSeconds > 0 && <p className="chatbox__note">{t('room.slowMode', { s: s.slowModeSeconds })}</p>}
      {s?.you.mutedUntil && <p className="chatbox__note">{t('room.muted')}</p>}
      {status === 'signedIn' ? (
        <form className="chatbox__form" onSubmit={submit}>
          <label className="visually-hidden" htmlFor="live-chat-input">
            {t('room.chatInput')}
          </label>
          <input
            id="live-chat-input"
            className="chatbox__input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('room.chatPlaceholder')}
            maxLength={LIVE_LIMITS.chatMaxLength * 2}
            aria-describedby="live-chat-left"
            enterKeyHint="send"
            disabled={s?.status !== 'live'}
          />
          <button
            type="submit"
            className="button button--primary chatbox__send"
            disabled={sending || !text.trim() || left < 0 || s?.status !== 'live'}
          >
            {t('room.chatSend')}
          </button>
        </form>
      ) : (
        <Link to={signInPathFor(location)} className="button button--secondary button--block">
          {t('room.chatSignIn')}
        </Link>
      )}
      <div className="chatbox__row">
        <span id="live-chat-left" className={`chatbox__left${left < 0 ? ' chatbox__left--over' : ''}`}>
          {status === 'signedIn' ? t('room.charLeft', { n: left }) : ''}
        </span>
        <button
          type="button"
          className="like"
          onClick={room.like}
          aria-label={t('room.like')}
          disabled={s?.status !== 'live'}
        >
          <span aria-hidden="true">♥</span> {t('room.likes', { n: s?.likes ?? 0 })}
        </button>
      </div>
    </div>
  );
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
            {fig(t('ended.paidOrders'), s.paidOrders)}
            {fig(t('ended.gmv'), formatFen(s.gmvFen, i18n.language))}
            {fig(t('ended.conversion'), percent(s.conversion, i18n.language))}
            {fig(t('ended.chatMessages'), s.chatMessages)}
            {fig(t('ended.likes'), s.likes)}
            {fig(t('ended.duration'), t('ended.minutes', { n: Math.round(s.durationSeconds / 60) }))}
          </dl>
          <h3 className="section__heading">{t('ended.perProduct')}</h3>
          {s.perProduct.length ? (
            <div className="live-table-scroll">
              <table className="live-table">
                <tbody>
                  {s.perProduct.map((p) => (
                    <tr key={p.productId}>
                      <th scope="row">{p.productName}</th>
                      <td>{t('ended.units', { n: p.units })}</td>
                      <td>{formatFen(p.revenueFen, i18n.language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="placeholder">{t('ended.noSales')}</p>
          )}
        </section>
      )}
      <h2 className="section__heading">{t('ended.timeline')}</h2>
      <ol className="timeline" data-testid="pin-timeline">
        {show.pins.map((p) => (
          <li key={p.pinnedAt} className="timeline__item">
            <time dateTime={p.pinnedAt}>
              {new Intl.DateTimeFormat(i18n.language.startsWith('en') ? 'en-GB' : 'zh-CN', {
                hour: '2-digit',
                minute: '2-digit',
                hour12: false,
                timeZone: 'Asia/Shanghai',
              }).format(new Date(p.pinnedAt))}
            </time>
            <Link to={`/products/${p.productId}`}>{p.productName}</Link>
          </li>
        ))}
      </ol>
      <h2 className="section__heading">{t('upcoming.products')}</h2>
      <ProductList show={show} />
    </div>
  );
}
