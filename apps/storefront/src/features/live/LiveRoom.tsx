import {
  LIVE_LIMITS,
  type DealState,
  type PinnedProduct,
  type ShowDetail,
  type ShowProductDto,
} from '@xiangbo/contracts';
import {
  lazy,
  memo,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type FormEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { useFollow, useReloadShow } from './hooks';
import { ChatList } from './ChatList';
import type { BuyTarget } from './CheckoutSheet';
import { Countdown } from './Countdown';
import { formatFen } from '../../format';
import { refusalCode } from './refusals';
import type { LiveRoom } from './use-live-room';
import { LivePlayer } from './video/LivePlayer';
import './room.css';

// 拼团 progress in the bag (还差 N 人成团): loaded when the bag opens (or beside the video on a wide screen), asked
// about only while it shows.
const GroupBuyBadge = lazy(() => import('../group-buys/GroupBuyBadge').then((m) => ({ default: m.GroupBuyBadge })));
// The coupon drop (直播间专享券, 领取): its own chunk, fetched when the room shows.
const RoomCoupons = lazy(() => import('../coupons/RoomCoupons'));
// The purchase sheet (address form, payment): loaded when a signed-in viewer can buy, not with the room.
const loadCheckout = () => import('./CheckoutSheet');
const CheckoutSheet = lazy(() => loadCheckout().then((m) => ({ default: m.CheckoutSheet })));
// Chat and bag re-render only when their own data changes (not on every viewer count or like).
const RoomChat = memo(ChatList);

/**
 * The show's deal while it is open and its end time has not passed. The room re-renders once when it ends, not
 * every second (the countdown ticks on its own).
 */
function useOpenDeal(deal: DealState | null | undefined): DealState | null {
  const [, expired] = useReducer((n: number) => n + 1, 0);
  const endsAt = deal?.status === 'open' ? Date.parse(deal.endsAt) : 0;
  useEffect(() => {
    const ms = endsAt - Date.now();
    if (ms <= 0) return;
    const id = setTimeout(expired, ms + 1);
    return () => clearTimeout(id);
  }, [endsAt]);
  return deal && endsAt > Date.now() ? deal : null;
}

/** Whether the page is at least `px` wide (false on the server and in the first render, which hydrates it). */
function useWide(px: number): boolean {
  const [wide, setWide] = useState(false);
  useEffect(() => {
    const query = window.matchMedia?.(`(min-width: ${px}px)`);
    if (!query) return;
    setWide(query.matches);
    const change = () => setWide(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, [px]);
  return wide;
}

/** What the product card and the bag offer: the open deal's product first, else the pinned one. */
function featured(show: ShowDetail, room: LiveRoom, deal: DealState | null) {
  const s = room.view.state;
  const pin = s?.pin ?? null;
  const productId = deal?.productId ?? pin?.productId ?? null;
  if (!productId) return null;
  const p = show.products.find((x) => x.id === productId);
  const index = show.products.findIndex((x) => x.id === productId);
  return {
    productId,
    number: index + 1,
    nameZh: deal?.productName ?? pin?.nameZh ?? p?.nameZh ?? '',
    unit: deal?.unit ?? pin?.unit ?? p?.unit ?? 'jin',
    coverThumbUrl: pin?.productId === productId ? pin.coverThumbUrl : (p?.coverThumbUrl ?? null),
    priceFen: pin?.productId === productId ? pin.priceFen : (p?.priceFen ?? deal?.listPriceFen ?? 0),
    stock: pin?.productId === productId ? pin.stock : (p?.stock ?? 0),
    soldCount: p?.soldCount ?? 0,
    pinned: pin?.productId === productId,
    deal: deal?.productId === productId ? deal : null,
  };
}

/**
 * The live room as buyers of Douyin, Kuaishou and Taobao Live know it: the video fills the phone's screen and
 * everything floats over it — top bar (cooperative, follow, viewers, close), the 本场助农 counter, chat at the
 * bottom left over a fade (it scrolls in its own box), the product card (讲解中 / 秒杀 with countdown and 剩余)
 * with its buy button, and the bottom bar (chat input, 购物袋 with numbered products, share, like). Tapping the
 * video likes it (floating hearts). Buying opens a sheet over the playing video. On a laptop the video stands
 * at 9:16 in the middle with the chat and the bag beside it. No site header or tab bar: the room covers them.
 */
export function LiveRoomScreen({ show, room }: { show: ShowDetail; room: LiveRoom }) {
  const { t, i18n } = useTranslation('live');
  const { status } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const s = room.view.state;
  const deal = useOpenDeal(s?.deal);
  // The side panel (bag and chat beside the video) shows from 900 px (room.css); its 拼团 badges only there.
  const wide = useWide(900);
  const video = s?.video ?? show.video;
  const signedIn = status === 'signedIn';
  const [bagOpen, setBagOpen] = useState(false);
  const [buying, setBuying] = useState<BuyTarget | null>(null);
  const [hearts, setHearts] = useState<{ id: number; x: number }[]>([]);
  const [shared, setShared] = useState(false);
  const heartId = useRef(0);
  const hadVideo = useRef(false);
  if (video.state === 'on') hadVideo.current = true;
  const hostDown = s?.status === 'live' && video.state === 'waiting' && hadVideo.current;

  // The room covers the page: nothing behind it scrolls (the site header and tab bar are under it).
  useEffect(() => {
    document.documentElement.classList.add('live-room-open');
    return () => document.documentElement.classList.remove('live-room-open');
  }, []);

  const like = (x = 50) => {
    if (s?.status !== 'live') return;
    room.like();
    const id = ++heartId.current;
    setHearts((h) => [...h.slice(-12), { id, x }]);
    setTimeout(() => setHearts((h) => h.filter((v) => v.id !== id)), 1400);
  };

  const buy = useCallback(
    (product: ShowProductDto, forDeal: DealState | null) => {
      if (!signedIn) return navigate(signInPathFor(location));
      setBagOpen(false);
      setBuying({ product, deal: forDeal });
    },
    [signedIn, navigate, location],
  );
  // Only a signed-in viewer can buy: their purchase sheet loads while the room is idle.
  useEffect(() => {
    if (!signedIn) return;
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 1000));
    idle(() => void loadCheckout());
  }, [signedIn]);
  const chat = useMemo(() => s?.chat.slice(-50), [s?.chat]);
  const live = s?.status === 'live';
  const pin = s?.pin ?? null;

  const share = async () => {
    const url = window.location.href;
    try {
      if (navigator.share) await navigator.share({ title: show.title, url });
      else await navigator.clipboard.writeText(url);
      setShared(true);
      setTimeout(() => setShared(false), 2000);
    } catch {
      /* the person closed the share sheet */
    }
  };

  const card = featured(show, room, deal);
  const cardProduct: ShowProductDto | null = card
    ? (show.products.find((p) => p.id === card.productId) ?? {
        id: card.productId,
        nameZh: card.nameZh,
        unit: card.unit,
        priceFen: card.priceFen,
        stock: card.stock,
        soldCount: card.soldCount,
        coverThumbUrl: card.coverThumbUrl,
      })
    : null;

  return (
    <div className="lr" data-testid="live-room">
      <div className="lr__stage">
        <div
          className="lr__video"
          data-testid="live-video"
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            like(Math.round(((e.clientX - r.left) / Math.max(r.width, 1)) * 100));
          }}
        >
          {video.state !== 'off' ? (
            <LivePlayer video={video} poster={show.coverUrl} />
          ) : (
            <div
              className="lr__poster"
              style={show.coverUrl ? { backgroundImage: `url(${show.coverUrl})` } : undefined}
            />
          )}
        </div>
        <div className="lr__fade" aria-hidden="true" />

        <header className="lr__top">
          <div className="lr__host">
            <span className="lr__avatar" aria-hidden="true">
              {show.cooperative.name.slice(0, 1)}
            </span>
            <span className="lr__host-text">
              <span className="lr__coop">{show.cooperative.name}</span>
              <span className="lr__viewers" data-testid="viewer-count">
                {t('room.viewers', { n: s?.viewers ?? 0 })} · {t('room.likes', { n: s?.likes ?? 0 })}
              </span>
            </span>
            <FollowButton show={show} />
          </div>
          <Link to="/live" className="lr__close" aria-label={t('room.close')}>
            ×
          </Link>
        </header>

        <div className="lr__notices">
          <ImpactBadge room={room} />
          {hostDown && (
            <p className="lr__notice lr__notice--warn" role="status" data-testid="host-unstable">
              {t('room.hostUnstable')}
            </p>
          )}
          <ConnectionNotice room={room} />
          {s && s.status !== 'live' && (
            <p className="lr__notice" role="status">
              {s.status === 'ended' ? t('room.endedBanner') : t('room.notLive')}
            </p>
          )}
          {view(room).banned && (
            <p role="alert" className="lr__notice lr__notice--warn">
              {t('room.banned')}
            </p>
          )}
          <RoomRefusal room={room} />
        </div>

        <ul className="lr__tickers" aria-live="polite">
          {room.view.tickers.map((tk) => (
            <li key={tk.key} className="lr__ticker">
              {tk.text}
            </li>
          ))}
        </ul>

        <div className="lr__chat">{chat && <RoomChat messages={chat} />}</div>

        {card && cardProduct && (
          <article
            className={`lr-card${card.deal ? ' lr-card--deal' : ''}`}
            aria-label={card.deal ? t('deal.title') : t('room.pinned')}
            data-testid={card.deal ? 'deal-panel' : 'pinned-card'}
          >
            {card.deal ? (
              <DealStrip deal={card.deal} />
            ) : (
              <p className="lr-card__flag">
                {t('room.explaining')} · {t('bag.number', { n: card.number })}
              </p>
            )}
            <div className="lr-card__body">
              <div className="lr-card__media">
                {card.coverThumbUrl ? (
                  <img src={card.coverThumbUrl} alt="" />
                ) : (
                  <span aria-hidden="true">{card.nameZh.slice(0, 2)}</span>
                )}
              </div>
              <div className="lr-card__text">
                <h2 className="lr-card__name">{card.nameZh}</h2>
                <p className="lr-card__price">
                  {formatFen(card.deal?.priceFen ?? card.priceFen, i18n.language)}
                  <small>/{t(`unit.${card.unit}`)}</small>
                  {card.deal && <s className="lr-card__list">{formatFen(card.deal.listPriceFen, i18n.language)}</s>}
                </p>
                <p className="lr-card__facts">
                  <span data-testid="card-sold">
                    {t('room.sold', { n: card.deal ? card.deal.quantity - card.deal.remaining : card.soldCount })}
                  </span>
                  <span data-testid={card.deal ? 'deal-remaining' : 'pinned-stock'}>
                    {card.deal
                      ? t('deal.remaining', { n: card.deal.remaining })
                      : card.stock === 0
                        ? t('room.soldOut')
                        : t('room.stock', { n: card.stock })}
                  </span>
                </p>
              </div>
            </div>
            <BuyButton
              soldOut={card.deal ? card.deal.remaining === 0 : card.stock === 0}
              live={s?.status === 'live'}
              signedIn={signedIn}
              isDeal={Boolean(card.deal)}
              onClick={() => buy(cardProduct, card.deal)}
            />
          </article>
        )}

        <ul className="lr__hearts" aria-hidden="true">
          {hearts.map((h) => (
            <li key={h.id} className="lr__heart" style={{ left: `${Math.min(90, Math.max(10, h.x))}%` }}>
              ♥
            </li>
          ))}
        </ul>

        <Suspense fallback={null}>
          <RoomCoupons showId={show.id} room={room} />
        </Suspense>

        <footer className="lr__bar">
          <ChatInput room={room} />
          <button
            type="button"
            className="lr__icon lr__bag"
            data-testid="live-bag"
            aria-expanded={bagOpen}
            onClick={() => setBagOpen((o) => !o)}
          >
            <svg
              aria-hidden="true"
              width="20"
              height="20"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
            >
              <path d="M5 8h14l-1.2 12H6.2L5 8Z" />
              <path d="M9 8V6a3 3 0 0 1 6 0v2" />
            </svg>
            <span className="lr__icon-label">{t('bag.title')}</span>
            <span className="lr__badge">{show.products.length}</span>
          </button>
          <button type="button" className="lr__icon" onClick={() => void share()}>
            <span aria-hidden="true">↗</span>
            <span className="lr__icon-label">{shared ? t('room.shared') : t('room.share')}</span>
          </button>
          <button
            type="button"
            className="lr__icon lr__like"
            onClick={() => like(85)}
            aria-label={t('room.like')}
            disabled={s?.status !== 'live'}
          >
            <span aria-hidden="true">♥</span>
            <span className="lr__icon-label">{s?.likes ?? 0}</span>
          </button>
        </footer>
      </div>

      <aside className="lr__side" aria-label={t('bag.title')}>
        <h2 className="lr__side-title">{show.title}</h2>
        <Bag show={show} pin={pin} deal={deal} live={live} groups={wide} onBuy={buy} />
        <div className="lr__side-chat">{chat && <RoomChat messages={chat} variant="panel" />}</div>
      </aside>

      {bagOpen && (
        <div className="sheet-backdrop" onClick={() => setBagOpen(false)}>
          <section
            className="sheet"
            role="dialog"
            aria-modal="true"
            aria-label={t('bag.title')}
            data-testid="bag-sheet"
            onClick={(e) => e.stopPropagation()}
          >
            <header className="sheet__head">
              <h2 className="sheet__title">
                {t('bag.title')} · {t('bag.count', { n: show.products.length })}
              </h2>
              <button
                type="button"
                className="sheet__close"
                aria-label={t('sheet.close')}
                onClick={() => setBagOpen(false)}
              >
                ×
              </button>
            </header>
            <Bag show={show} pin={pin} deal={deal} live={live} groups onBuy={buy} />
          </section>
        </div>
      )}

      {buying && (
        <Suspense fallback={null}>
          <CheckoutSheet target={buying} room={room} showId={show.id} onClose={() => setBuying(null)} />
        </Suspense>
      )}
    </div>
  );
}

const view = (room: LiveRoom) => room.view;

function BuyButton({
  soldOut,
  live,
  signedIn,
  isDeal,
  onClick,
}: {
  soldOut: boolean;
  live: boolean;
  signedIn: boolean;
  isDeal: boolean;
  onClick: () => void;
}) {
  const { t } = useTranslation('live');
  return (
    <button
      type="button"
      className="button button--buy lr-card__buy"
      data-testid="live-buy"
      disabled={soldOut || !live}
      onClick={onClick}
    >
      {soldOut
        ? isDeal
          ? t('deal.soldOut')
          : t('room.soldOut')
        : !signedIn
          ? t('deal.signIn')
          : isDeal
            ? t('deal.buy')
            : t('room.buy')}
    </button>
  );
}

function DealStrip({ deal }: { deal: DealState }) {
  const { t } = useTranslation('live');
  return (
    <p className="lr-card__strip">
      <strong>{t('deal.flash')}</strong>
      <Countdown endsAt={deal.endsAt} label={t('deal.endsIn')} />
      <span>{t('deal.remaining', { n: deal.remaining })}</span>
    </p>
  );
}

/**
 * Every product of the show, numbered as the host calls them ("3号链接"), with the deal price where one is open
 * (`deal`: the open one) and, with `groups`, each product's 拼团 progress.
 */
const Bag = memo(function Bag({
  show,
  pin,
  deal,
  live,
  groups,
  onBuy,
}: {
  show: ShowDetail;
  pin: PinnedProduct | null;
  deal: DealState | null;
  live: boolean;
  groups: boolean;
  onBuy: (p: ShowProductDto, deal: DealState | null) => void;
}) {
  const { t, i18n } = useTranslation('live');
  return (
    <ol className="bag" data-testid="bag">
      {show.products.map((p, i) => {
        const d = deal?.productId === p.id ? deal : null;
        const pinned = pin?.productId === p.id;
        const stock = pinned && pin ? pin.stock : p.stock;
        const soldOut = d ? d.remaining === 0 : stock === 0;
        return (
          <li key={p.id} className={`bag__item${pinned ? ' bag__item--pinned' : ''}`} data-testid="bag-item">
            <span className="bag__number">{i + 1}</span>
            <span className="bag__media">
              {p.coverThumbUrl ? (
                <img src={p.coverThumbUrl} alt="" />
              ) : (
                <span aria-hidden="true">{p.nameZh.slice(0, 2)}</span>
              )}
            </span>
            <span className="bag__text">
              <span className="bag__name">
                {pinned && <span className="bag__flag">{t('room.explaining')}</span>}
                {p.nameZh}
              </span>
              <span className="bag__price">
                {formatFen(d?.priceFen ?? p.priceFen, i18n.language)}/{t(`unit.${p.unit}`)}
                {d && <span className="bag__deal">{t('deal.flash')}</span>}
              </span>
              {groups && (
                <Suspense fallback={null}>
                  <GroupBuyBadge productId={p.id} />
                </Suspense>
              )}
              <span className="bag__stock">
                {d ? t('room.sold', { n: d.quantity - d.remaining }) : t('room.sold', { n: p.soldCount })}
                {' · '}
                {soldOut
                  ? t('room.soldOut')
                  : d
                    ? t('deal.remaining', { n: d.remaining })
                    : t('room.stock', { n: stock })}
              </span>
            </span>
            <button
              type="button"
              className="button button--buy bag__buy"
              disabled={soldOut || !live}
              onClick={() => onBuy(p, d)}
            >
              {d ? t('deal.grab') : t('room.buy')}
            </button>
          </li>
        );
      })}
    </ol>
  );
});

/** 本场助农: what this show's paid orders bring registered and monitored households, updated as orders are paid. */
function ImpactBadge({ room }: { room: LiveRoom }) {
  const { t, i18n } = useTranslation('live');
  const impact = room.view.state?.impact;
  if (!impact || impact.householdsFen <= 0) return null;
  return (
    <p className="lr__impact" data-testid="live-impact">
      <span className="lr__impact-label">{t('impact.label')}</span>
      {t('impact.line', { amount: formatFen(impact.householdsFen, i18n.language), n: impact.households })}
    </p>
  );
}

function ConnectionNotice({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const c = room.view.connection;
  if (c === 'connected' && room.view.state) return null;
  return (
    <p className="lr__notice" role="status">
      {c === 'reconnecting' ? t('room.reconnecting') : c === 'offline' ? t('room.offline') : t('room.connecting')}
    </p>
  );
}

/** A refusal of the room (chat, like) in the reader's language; refusals of a purchase show in its sheet. */
function RoomRefusal({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const r = room.view.refusal;
  useEffect(() => {
    if (!r) return;
    const id = setTimeout(room.dismissRefusal, 4000);
    return () => clearTimeout(id);
  }, [r, room.dismissRefusal]);
  if (!r) return null;
  return (
    <p role="alert" className="lr__notice lr__notice--warn" data-testid="refusal">
      {t(`refusal.${refusalCode(r.code)}`, { message: '' })}
    </p>
  );
}

function FollowButton({ show }: { show: ShowDetail }) {
  const { t } = useTranslation('live');
  const { status } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const reloadShow = useReloadShow();
  const follow = useFollow(show.cooperative.id, () => reloadShow(show.id));
  return (
    <button
      type="button"
      className={`lr__follow${show.following ? ' lr__follow--on' : ''}`}
      aria-pressed={show.following}
      aria-label={t('audience.followLabel', { name: show.cooperative.name })}
      disabled={follow.isPending}
      onClick={() => (status === 'signedIn' ? follow.mutate(!show.following) : navigate(signInPathFor(location)))}
    >
      {show.following ? t('audience.following') : t('audience.follow')}
    </button>
  );
}

/** The bottom bar's chat input; signed-out viewers get a sign-in link in its place. */
function ChatInput({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const { status } = useAuth();
  const location = useLocation();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const s = room.view.state;
  const over = [...text].length > LIVE_LIMITS.chatMaxLength;
  if (status !== 'signedIn') {
    return (
      <Link to={signInPathFor(location)} className="lr__input lr__input--link">
        {t('room.chatSignIn')}
      </Link>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || over) return;
    setSending(true);
    const r = await room.chat(text);
    setSending(false);
    if (r.ok) setText('');
  };
  return (
    <form className="lr__form" onSubmit={(e) => void submit(e)}>
      <label className="visually-hidden" htmlFor="live-chat-input">
        {t('room.chatInput')}
      </label>
      <input
        id="live-chat-input"
        className="lr__input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={
          s?.you.mutedUntil
            ? t('room.muted')
            : s && s.slowModeSeconds > 0
              ? t('room.slowMode', { s: s.slowModeSeconds })
              : t('room.chatPlaceholder')
        }
        maxLength={LIVE_LIMITS.chatMaxLength * 2}
        enterKeyHint="send"
        aria-invalid={over}
        disabled={s?.status !== 'live'}
      />
      {text.trim() && (
        <button type="submit" className="lr__send" disabled={sending || over}>
          {t('room.chatSend')}
        </button>
      )}
    </form>
  );
}
