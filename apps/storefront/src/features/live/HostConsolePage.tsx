import { LIVE_LIMITS, type ConsoleShow, type HostStats } from '@xiangbo/contracts';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ReplayPlayer } from './video/ReplayPlayer';
import { useAuth } from '../../auth/auth-context';
import { FormError } from '../../forms/FormError';
import { apiErrorMessage } from '../../i18n/api-errors';
import { Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useConsoleShow, useShowTransition } from './hooks';
import { ChatList } from './ChatList';
import { Countdown } from './Countdown';
import { formatFen, formatPercent, yuanToFen } from '../../format';
import { CameraPanel } from './camera/CameraPanel';
import { refusalCode } from './refusals';
import { ChatBox } from './ChatBox';
import { useLiveRoom, type LiveRoom } from './use-live-room';
import { StreamPanel } from './video/StreamPanel';
import './live.css';

// 直播间优惠券: drop coupons and see them claimed and used (the coupon feature's own chunk).
const ConsoleCoupons = lazy(() => import('../coupons/ConsoleCoupons'));

/** /console/:coopId/shows/:showId/host: go live / end, pin, launch a flash deal, moderate, live figures. */
export function HostConsolePage() {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const { showId = '' } = useParams();
  const show = useConsoleShow(showId);
  useDocumentTitle(t('hostConsole.title'));
  return (
    <ConsoleShell
      section="shows"
      title={show.data ? `${t('hostConsole.title')} · ${show.data.title}` : t('hostConsole.title')}
    >
      {show.isPending ? (
        <Loading />
      ) : show.isError ? (
        <p role="alert" className="form-error">
          {apiErrorMessage(tc, show.error)}
        </p>
      ) : (
        <HostConsole show={show.data} />
      )}
    </ConsoleShell>
  );
}

function HostConsole({ show }: { show: ConsoleShow }) {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const { user } = useAuth();
  const room = useLiveRoom(show.id);
  const s = room.view.state;
  const status = s?.status ?? show.status;
  const transition = useShowTransition(show.id);
  const stats: HostStats = room.view.hostStats ?? show.stats;
  const startShow = async () => {
    if (status === 'live') return true;
    if (status !== 'scheduled') return false;
    return transition
      .mutateAsync('start')
      .then(() => true)
      .catch(() => false);
  };
  if (status === 'ended' || status === 'cancelled') return <HostSummary show={show} />;
  return (
    <div className="host" data-testid="host-console">
      <div className="host__bar">
        <span className={`badge badge--${status}`}>{t(`status.${status}`)}</span>
        {status === 'scheduled' && (
          <button
            type="button"
            className="button button--buy"
            disabled={transition.isPending}
            onClick={() => transition.mutate('start')}
          >
            {t('hostConsole.goLive')}
          </button>
        )}
        {status === 'live' && (
          <button
            type="button"
            className="button button--secondary"
            disabled={transition.isPending}
            onClick={() => window.confirm(t('hostConsole.endConfirm')) && transition.mutate('end')}
          >
            {t('hostConsole.end')}
          </button>
        )}
        <Link to={`/live/${show.id}`} className="button button--secondary">
          {t('hostConsole.watchAsViewer')}
        </Link>
      </div>
      <FormError message={transition.isError ? apiErrorMessage(tc, transition.error) : null} />
      {status === 'scheduled' && <p className="live-notice">{t('hostConsole.notLiveYet')}</p>}

      <dl className="figures figures--host" aria-live="off" data-testid="host-stats">
        <Figure label={t('hostConsole.viewers')} value={s?.viewers ?? stats.viewers} />
        <Figure label={t('hostConsole.orders')} value={stats.orders} />
        <Figure label={t('hostConsole.paidOrders')} value={stats.paidOrders} />
        <Figure label={t('hostConsole.gmv')} value={formatFen(stats.gmvFen, 'zh-CN')} />
        <Figure label={t('hostConsole.likes')} value={s?.likes ?? stats.likes} />
        <Figure label={t('hostConsole.chat')} value={stats.chatMessages} />
      </dl>

      {show.canManage && (status === 'scheduled' || status === 'live') && (
        <CameraPanel showId={show.id} canStart={!transition.isPending} startShow={startShow} />
      )}
      {show.canManage && (status === 'scheduled' || status === 'live') && <StreamPanel show={show} />}

      <div className="host__grid">
        <section className="card host__products" aria-labelledby="host-products">
          <h2 id="host-products" className="card__heading">
            {t('hostConsole.products')}
          </h2>
          <ul className="host-products">
            {show.products.map((p, i) => {
              const pinned = s?.pin?.productId === p.id;
              return (
                <li key={p.id} className={`host-products__item${pinned ? ' host-products__item--pinned' : ''}`}>
                  <span className="host-products__number" aria-label={t('bag.number', { n: i + 1 })}>
                    {i + 1}
                  </span>
                  <span className="host-products__name">
                    {p.nameZh}
                    <small>
                      {formatFen(p.priceFen, 'zh-CN')} ·{' '}
                      {t('room.stock', { n: pinned && s?.pin ? s.pin.stock : p.stock })}
                    </small>
                  </span>
                  <button
                    type="button"
                    className={`button ${pinned ? 'button--secondary' : 'button--primary'}`}
                    disabled={status !== 'live'}
                    onClick={() => void room.pin(pinned ? null : p.id)}
                  >
                    {pinned ? t('hostConsole.unpin') : t('hostConsole.pin')}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>

        <DealForm room={room} show={show} disabled={status !== 'live'} />

        {show.canManage && (
          <Suspense fallback={null}>
            <ConsoleCoupons showId={show.id} live={status === 'live'} />
          </Suspense>
        )}

        <section className="card host__chat" aria-labelledby="host-chat">
          <h2 id="host-chat" className="card__heading">
            {t('hostConsole.moderation')}
          </h2>
          <label className="host__slow">
            <span>{t('hostConsole.slowMode')}</span>
            <select
              value={s?.slowModeSeconds ?? 0}
              onChange={(e) => void room.slowMode(Number(e.target.value))}
              disabled={status !== 'live'}
            >
              {[0, 5, 10, 30, 60].map((n) => (
                <option key={n} value={n}>
                  {n === 0 ? t('hostConsole.slowOff') : t('hostConsole.seconds', { n })}
                </option>
              ))}
            </select>
          </label>
          <Refusal room={room} />
          <ChatList
            variant="panel"
            messages={s?.chat ?? []}
            selfId={user?.id}
            moderation={{
              onDelete: (m) => void room.deleteChat(m.id),
              onMute: (m) => void room.mute(m.userId, 10),
              onBan: (m) => void room.ban(m.userId),
            }}
          />
          <ChatBox room={room} />
        </section>
      </div>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="figures__item">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Refusal({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const r = room.view.refusal;
  if (!r) return null;
  return (
    <div role="alert" className="refusal">
      <span>
        {r.code === 'INVALID' ? invalidMessage(t, r.message) : t(`refusal.${refusalCode(r.code)}`, { message: '' })}
      </span>
      <button type="button" className="refusal__close" onClick={room.dismissRefusal}>
        {t('refusal.dismiss')}
      </button>
    </div>
  );
}

function DealForm({ room, show, disabled }: { room: LiveRoom; show: ConsoleShow; disabled: boolean }) {
  const { t, i18n } = useTranslation('live');
  const s = room.view.state;
  const pin = s?.pin ?? null;
  const deal = s?.deal && s.deal.status === 'open' ? s.deal : null;
  const listPrice = show.products.find((p) => p.id === pin?.productId)?.priceFen ?? pin?.priceFen ?? 0;
  const [price, setPrice] = useState('');
  const [quantity, setQuantity] = useState('50');
  const [cap, setCap] = useState('2');
  const [minutes, setMinutes] = useState('5');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pin) return;
    const priceFen = yuanToFen(price);
    if (!priceFen) return setError(t('hostConsole.priceYuan'));
    const r = await room.launchDeal({
      productId: pin.productId,
      priceFen,
      quantity: Number(quantity),
      perBuyerCap: Number(cap),
      durationSeconds: Math.round(Number(minutes) * 60),
    });
    if (r.ok) return setError(null);
    room.dismissRefusal();
    setError(
      r.code === 'INVALID' ? invalidMessage(t, r.message) : t(`refusal.${refusalCode(r.code)}`, { message: '' }),
    );
  };
  const preset = (p: (typeof DEAL_PRESETS)[number]) => {
    setPrice((Math.max(1, Math.floor((listPrice * p.percent) / 100)) / 100).toFixed(2));
    setQuantity(String(p.quantity));
    setCap(String(p.cap));
    setMinutes(String(p.minutes));
    setError(null);
  };
  return (
    <section className="card host__deal" aria-labelledby="host-deal">
      <h2 id="host-deal" className="card__heading">
        {t('hostConsole.launchDeal')}
      </h2>
      {deal ? (
        <div className="host-deal" data-testid="host-deal">
          <p>
            <strong>{deal.productName}</strong> {formatFen(deal.priceFen, i18n.language)}
          </p>
          <p>
            <Countdown endsAt={deal.endsAt} label={t('deal.endsIn')} /> · {t('deal.remaining', { n: deal.remaining })}{' '}
            {t('deal.of', { n: deal.quantity })}
          </p>
          <button type="button" className="button button--secondary" onClick={() => void room.closeDeal(deal.id)}>
            {t('hostConsole.closeDeal')}
          </button>
        </div>
      ) : !pin ? (
        <p className="field__hint">{t('hostConsole.pinFirst')}</p>
      ) : (
        <form className="form deal-form" onSubmit={(e) => void submit(e)}>
          <p className="field__hint">
            {t('hostConsole.dealProduct')}: <strong>{pin.nameZh}</strong> · {t('deal.listPrice')}{' '}
            {formatFen(listPrice, i18n.language)}
          </p>
          <div className="deal-presets" role="group" aria-label={t('hostConsole.presets')}>
            {DEAL_PRESETS.map((p) => (
              <button key={p.id} type="button" className="deal-presets__item" onClick={() => preset(p)}>
                {t(`hostConsole.preset.${p.id}`)}
              </button>
            ))}
          </div>
          <FormError message={error} />
          <div className="deal-form__grid">
            <NumberField
              id="deal-price"
              label={t('hostConsole.priceYuan')}
              value={price}
              onChange={setPrice}
              inputMode="decimal"
            />
            <NumberField id="deal-quantity" label={t('hostConsole.quantity')} value={quantity} onChange={setQuantity} />
            <NumberField
              id="deal-cap"
              label={t('hostConsole.perBuyerCap')}
              value={cap}
              onChange={setCap}
              max={LIVE_LIMITS.maxDealCap}
            />
            <NumberField
              id="deal-minutes"
              label={t('hostConsole.durationMinutes')}
              value={minutes}
              onChange={setMinutes}
              max={60}
            />
          </div>
          <button type="submit" className="button button--buy" disabled={disabled}>
            {t('hostConsole.launch')}
          </button>
        </form>
      )}
    </section>
  );
}

function NumberField({
  id,
  label,
  value,
  onChange,
  inputMode = 'numeric',
  max,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  inputMode?: 'numeric' | 'decimal';
  max?: number;
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field__input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputMode={inputMode}
        {...(max ? { max } : {})}
      />
    </div>
  );
}

/** One tap fills the deal form: a share of the list price, quantity, per-buyer cap and minutes. */
const DEAL_PRESETS = [
  { id: 'small', percent: 80, quantity: 20, cap: 1, minutes: 1 },
  { id: 'medium', percent: 70, quantity: 50, cap: 2, minutes: 3 },
  { id: 'large', percent: 60, quantity: 100, cap: 2, minutes: 5 },
] as const;

/** The server's INVALID refusals of host actions, in the reader's language (the server's text as a last resort). */
const INVALID_KEYS: [RegExp, string][] = [
  [/deal price must be below/i, 'priceNotBelowList'],
  [/pin the product/i, 'notPinned'],
  [/quantity is more than the stock/i, 'quantityAboveStock'],
  [/per-buyer limit is more than/i, 'capAboveQuantity'],
  [/a deal lasts/i, 'badDuration'],
  [/already open|deal is open/i, 'dealOpen'],
];
function invalidMessage(t: ReturnType<typeof useTranslation<'live'>>['t'], message: string): string {
  const hit = INVALID_KEYS.find(([re]) => re.test(message));
  return hit
    ? t(`hostConsole.invalid.${hit[1]}` as 'hostConsole.invalid.priceNotBelowList')
    : t('refusal.INVALID', { message: '' });
}

/** After the show: the summary and the replay instead of the controls (the figures are the cooperative's own). */
function HostSummary({ show }: { show: ConsoleShow }) {
  const { t, i18n } = useTranslation('live');
  const s = show.summary;
  return (
    <div className="host host--ended" data-testid="host-summary">
      <p className="live-notice">
        {t(show.status === 'ended' ? 'hostConsole.endedNote' : 'hostConsole.cancelledNote')}
      </p>
      {s && (
        <dl className="figures figures--host" data-testid="show-summary">
          <Figure label={t('ended.uniqueViewers')} value={s.uniqueViewers} />
          <Figure label={t('ended.peakViewers')} value={s.peakViewers} />
          <Figure label={t('ended.orders')} value={s.orders} />
          <Figure label={t('ended.paidOrders')} value={s.paidOrders} />
          <Figure label={t('ended.gmv')} value={formatFen(s.gmvFen, i18n.language)} />
          <Figure label={t('ended.conversion')} value={formatPercent(s.conversion, i18n.language)} />
          <Figure label={t('ended.likes')} value={s.likes} />
          <Figure label={t('ended.duration')} value={t('ended.minutes', { n: Math.round(s.durationSeconds / 60) })} />
        </dl>
      )}
      {show.replay ? (
        <ReplayPlayer replay={show.replay} products={show.products} />
      ) : (
        <p className="field__hint">{t('hostConsole.noReplay')}</p>
      )}
      <Link to={`/live/${show.id}`} className="button button--secondary">
        {t('hostConsole.watchAsViewer')}
      </Link>
    </div>
  );
}
