import { hasRole, shipOrderSchema, type OrderDto, type OrderStatusValue } from '@xiangbo/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { addressLine } from './address-form';
import {
  downloadPackingList,
  useCoopOrders,
  useCoopRefunds,
  useConsoleRefund,
  useDecideRefund,
  useDeliverOrder,
  useRefreshCoopOrders,
  useShipBatch,
  useShipOrder,
  type ConsoleRefund,
  type ShipLine,
} from './api';
import { ConfirmAction } from './ConfirmAction';
import { orderErrorMessage } from './errors';
import { formatDateTime, formatFen } from '../../format';
import { OrderStatusBadge } from './OrderStatusBadge';
import { ConsoleGroupOrderBadge } from '../group-buys/GroupOrderBadge';
import { ConsolePresaleOrderBadge } from '../presale/ConsolePresaleOrderBadge';
import { refundRoomFen } from './refund';
import { RefundForm } from './RefundForm';
import './orders.css';

/** The carriers offered; the Chinese name is what is stored and what the buyer sees. */
export const CARRIERS = [
  { id: 'sf', name: '顺丰' },
  { id: 'zto', name: '中通' },
  { id: 'yto', name: '圆通' },
  { id: 'yunda', name: '韵达' },
  { id: 'ems', name: '邮政' },
  { id: 'jd', name: '京东' },
] as const;

const CONSOLE_TABS = [
  { id: 'toShip', statuses: ['paid'] },
  { id: 'shipped', statuses: ['shipped', 'delivered'] },
  { id: 'completed', statuses: ['completed', 'refunded'] },
  { id: 'refunds', statuses: [] },
] as const satisfies readonly { id: string; statuses: readonly OrderStatusValue[] }[];
type ConsoleTab = (typeof CONSOLE_TABS)[number];

/** /console/:coopId/orders (订单发货): ship (one or a batch), packing list, delivered, refunds. */
export function ConsoleOrdersPage() {
  const { t } = useTranslation('orders');
  useDocumentTitle(t('console.title'));
  return (
    <ConsoleShell section="orders" title={t('console.title')}>
      <ConsoleOrders />
    </ConsoleShell>
  );
}

function useCanManage(coopId: string): boolean {
  const { user } = useAuth();
  return hasRole(user, 'coop_admin', coopId);
}

function ConsoleOrders() {
  const { t } = useTranslation('orders');
  const { coopId = '' } = useParams();
  const [params] = useSearchParams();
  const tab = CONSOLE_TABS.find((x) => x.id === params.get('tab')) ?? CONSOLE_TABS[0];
  const canManage = useCanManage(coopId);
  return (
    <>
      {!canManage && <p className="orders-notice">{t('console.readOnly')}</p>}
      <nav className="order-tabs" aria-label={t('console.tabsLabel')}>
        {CONSOLE_TABS.map((x) => (
          <Link
            key={x.id}
            to={`/console/${coopId}/orders${x.id === 'toShip' ? '' : `?tab=${x.id}`}`}
            className={`order-tabs__tab${x.id === tab.id ? ' order-tabs__tab--active' : ''}`}
            aria-current={x.id === tab.id ? 'page' : undefined}
          >
            {t(`console.tabs.${x.id}`)}
          </Link>
        ))}
      </nav>
      {tab.id === 'refunds' ? (
        <RefundRequests coopId={coopId} canManage={canManage} />
      ) : (
        <CoopOrderList key={tab.id} coopId={coopId} tab={tab} canManage={canManage} />
      )}
    </>
  );
}

interface Draft {
  carrier: string;
  trackingNumber: string;
}

function CoopOrderList({ coopId, tab, canManage }: { coopId: string; tab: ConsoleTab; canManage: boolean }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const list = useCoopOrders(coopId, tab);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [lineErrors, setLineErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);

  const refresh = useRefreshCoopOrders(coopId);
  const draftOf = (id: string): Draft => drafts[id] ?? { carrier: '', trackingNumber: '' };

  /** Checks the carrier and tracking number of the given orders; records a message per bad order. */
  const validate = (ids: string[]): ShipLine[] | null => {
    const errors: Record<string, string> = {};
    const out: ShipLine[] = [];
    for (const id of ids) {
      const d = draftOf(id);
      const parsed = shipOrderSchema.safeParse(d);
      if (!d.carrier) errors[id] = t('console.needCarrier');
      else if (!parsed.success) errors[id] = t('console.needTracking');
      else out.push({ orderId: id, ...parsed.data });
    }
    setLineErrors(errors);
    return Object.keys(errors).length ? null : out;
  };

  const shipBatch = useShipBatch(coopId, {
    onSuccess: (r) => {
      setNotice(t('console.shippedCount', { n: r.shipped }));
      setSelected(new Set());
      refresh();
    },
    onError: (e, lines) => {
      const index = isApiError(e) ? e.body.details?.['index'] : undefined;
      const bad = typeof index === 'number' ? lines[index] : undefined;
      if (bad) setLineErrors({ [bad.orderId]: orderErrorMessage(t, tc, e) });
    },
  });
  const shipOne = useShipOrder({
    onSuccess: () => {
      setNotice(t('console.shippedCount', { n: 1 }));
      refresh();
    },
    onError: (e, line) => setLineErrors({ [line.orderId]: orderErrorMessage(t, tc, e) }),
  });

  if (list.isPending) return <Loading />;
  if (list.isError) {
    return (
      <div role="alert" className="form-error">
        <strong className="form-error__title">{t('console.loadFailed')}</strong>
        <span>{orderErrorMessage(t, tc, list.error)}</span>
      </div>
    );
  }
  const orders = list.data;
  const shipping = tab.id === 'toShip';
  const selectedIds = orders.filter((o) => selected.has(o.id)).map((o) => o.id);

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await downloadPackingList(client, coopId);
    } catch (e) {
      setDownloadError(orderErrorMessage(t, tc, e));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <>
      {shipping && (
        <div className="ship-toolbar">
          <div className="ship-toolbar__download">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void download()}
              disabled={downloading || !orders.length}
            >
              {downloading ? t('console.downloading') : t('console.packingList')}
            </button>
            <span className="field__hint">{t('console.packingListHint')}</span>
            {downloadError && (
              <p role="alert" className="field__error">
                {downloadError}
              </p>
            )}
          </div>
        </div>
      )}
      {notice && (
        <p role="status" className="orders-notice orders-notice--ok">
          {notice}
        </p>
      )}
      {!orders.length ? (
        <EmptyState title={t(`console.empty.${tab.id}`)} />
      ) : (
        <>
          {shipping && canManage && (
            <div className="ship-batch" data-testid="ship-batch">
              <label className="check-row">
                <input
                  type="checkbox"
                  checked={selectedIds.length === orders.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(orders.map((o) => o.id)) : new Set())}
                />
                <span>{t('console.selectAll', { n: orders.length })}</span>
              </label>
              <button
                type="button"
                className="button button--primary"
                disabled={!selectedIds.length || shipBatch.isPending}
                onClick={() => {
                  setNotice(null);
                  shipBatch.reset();
                  const lines = validate(selectedIds);
                  if (lines) shipBatch.mutate(lines);
                }}
              >
                {t('console.shipSelected', { n: selectedIds.length })}
              </button>
              <span className="field__hint">{t('console.shipSelectedHint')}</span>
              {shipBatch.isError && (
                <p role="alert" className="form-error ship-batch__error">
                  {t('console.batchFailed', { message: orderErrorMessage(t, tc, shipBatch.error) })}
                </p>
              )}
            </div>
          )}
          <ul className="order-cards">
            {orders.map((o) => (
              <li key={o.id}>
                <CoopOrderCard
                  order={o}
                  canManage={canManage}
                  shipping={shipping}
                  selected={selected.has(o.id)}
                  onSelect={(on) =>
                    setSelected((old) => {
                      const next = new Set(old);
                      if (on) next.add(o.id);
                      else next.delete(o.id);
                      return next;
                    })
                  }
                  draft={draftOf(o.id)}
                  onDraft={(d) => setDrafts((old) => ({ ...old, [o.id]: d }))}
                  error={lineErrors[o.id] ?? null}
                  busy={shipOne.isPending || shipBatch.isPending}
                  onShip={() => {
                    setNotice(null);
                    const lines = validate([o.id]);
                    if (lines?.[0]) shipOne.mutate(lines[0]);
                  }}
                  onChanged={refresh}
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function CoopOrderCard({
  order,
  canManage,
  shipping,
  selected,
  onSelect,
  draft,
  onDraft,
  error,
  busy,
  onShip,
  onChanged,
}: {
  order: OrderDto;
  canManage: boolean;
  shipping: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  draft: Draft;
  onDraft: (d: Draft) => void;
  error: string | null;
  busy: boolean;
  onShip: () => void;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const [refunding, setRefunding] = useState(false);
  const deliver = useDeliverOrder(order.id, { onSuccess: onChanged });
  const refund = useConsoleRefund(order.id, {
    onSuccess: () => {
      setRefunding(false);
      onChanged();
    },
  });
  const room = refundRoomFen(order);
  const idBase = `o-${order.id.slice(0, 8)}`;

  return (
    <article
      className={`card order-card coop-order${selected ? ' coop-order--selected' : ''}`}
      aria-labelledby={`${idBase}-title`}
      data-testid="coop-order"
    >
      <header className="order-card__head">
        {shipping && canManage ? (
          <label className="check-row coop-order__select">
            <input
              type="checkbox"
              checked={selected}
              onChange={(e) => onSelect(e.target.checked)}
              aria-label={t('console.select', { number: order.number })}
            />
            <span id={`${idBase}-title`} className="order-detail__number">
              {order.number}
            </span>
          </label>
        ) : (
          <span id={`${idBase}-title`} className="order-detail__number">
            {order.number}
          </span>
        )}
        <OrderStatusBadge status={order.status} />
        <ConsoleGroupOrderBadge cooperativeId={order.cooperative.id} orderId={order.id} />
        <ConsolePresaleOrderBadge cooperativeId={order.cooperative.id} orderId={order.id} />
      </header>
      <ul className="order-card__lines">
        {order.lines.map((l) => (
          <li key={l.id}>
            <span className="order-card__name">{l.productName}</span>
            <span className="muted">×{l.quantity}</span>
          </li>
        ))}
      </ul>
      <p className="coop-order__address">
        <span className="muted">{t('console.buyerAddress')}：</span>
        {order.address.recipient} {order.address.mobile} · {addressLine(order.address)}
      </p>
      <p className="order-card__sum">
        {order.paidAt && (
          <span className="muted">{t('console.paidAt', { time: formatDateTime(order.paidAt, i18n.language) })}</span>
        )}
        <strong className="order-card__total">{formatFen(order.totalFen, i18n.language)}</strong>
      </p>
      {order.carrier && order.trackingNumber && (
        <p className="order-detail__tracking">
          {t('detail.tracking', { carrier: order.carrier, number: order.trackingNumber })}
        </p>
      )}
      {order.refundedFen > 0 && (
        <p className="muted">{t('list.refundedAmount', { amount: formatFen(order.refundedFen, i18n.language) })}</p>
      )}

      {canManage && shipping && (
        <div className="ship-fields">
          <div className="field ship-fields__carrier">
            <label className="field__label" htmlFor={`${idBase}-carrier`}>
              {t('console.carrier')}
            </label>
            <select
              id={`${idBase}-carrier`}
              className="field__input"
              value={draft.carrier}
              onChange={(e) => onDraft({ ...draft, carrier: e.target.value })}
            >
              <option value="">{t('console.carrierPick')}</option>
              {CARRIERS.map((c) => (
                <option key={c.id} value={c.name}>
                  {t(`console.carriers.${c.id}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field ship-fields__tracking">
            <label className="field__label" htmlFor={`${idBase}-tracking`}>
              {t('console.tracking')}
            </label>
            <input
              id={`${idBase}-tracking`}
              className="field__input"
              value={draft.trackingNumber}
              onChange={(e) => onDraft({ ...draft, trackingNumber: e.target.value })}
              autoComplete="off"
              inputMode="text"
              aria-invalid={error ? true : undefined}
            />
          </div>
          <button type="button" className="button button--primary ship-fields__ship" onClick={onShip} disabled={busy}>
            {t('console.ship')}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
      {deliver.isError && (
        <p role="alert" className="field__error">
          {t('console.actionFailed', { message: orderErrorMessage(t, tc, deliver.error) })}
        </p>
      )}
      {canManage && (order.status === 'shipped' || room > 0) && !refunding && (
        <div className="order-card__actions">
          {order.status === 'shipped' && (
            <button
              type="button"
              className="button button--secondary button--compact"
              onClick={() => deliver.mutate()}
              disabled={deliver.isPending}
            >
              {t('console.markDelivered')}
            </button>
          )}
          {room > 0 && (
            <button
              type="button"
              className="button button--secondary button--compact"
              onClick={() => setRefunding(true)}
            >
              {t('console.refund')}
            </button>
          )}
        </div>
      )}
      {refunding && (
        <RefundForm
          idPrefix={`${idBase}-refund`}
          heading={t('console.refundHeading', { number: order.number })}
          submitLabel={t('console.submitRefund')}
          cancelLabel={t('console.close')}
          roomFen={room}
          busy={refund.isPending}
          error={refund.isError ? orderErrorMessage(t, tc, refund.error) : null}
          onSubmit={(body) => refund.mutate(body)}
          onCancel={() => setRefunding(false)}
        />
      )}
    </article>
  );
}

function RefundRequests({ coopId, canManage }: { coopId: string; canManage: boolean }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const list = useCoopRefunds(coopId);
  if (list.isPending) return <Loading />;
  if (list.isError) {
    return (
      <div role="alert" className="form-error">
        <strong className="form-error__title">{t('console.loadFailed')}</strong>
        <span>{orderErrorMessage(t, tc, list.error)}</span>
      </div>
    );
  }
  if (!list.data.length) return <EmptyState title={t('console.empty.refunds')} />;
  return (
    <ul className="order-cards">
      {list.data.map((r) => (
        <li key={r.id}>
          <RefundCard refund={r} coopId={coopId} canManage={canManage} />
        </li>
      ))}
    </ul>
  );
}

function RefundCard({ refund, coopId, canManage }: { refund: ConsoleRefund; coopId: string; canManage: boolean }) {
  const { t, i18n } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const [declining, setDeclining] = useState(false);
  const [note, setNote] = useState('');
  const decide = useDecideRefund(coopId, refund.id);
  const noteId = `decline-${refund.id.slice(0, 8)}`;
  return (
    <article className="card order-card" data-testid="refund-card">
      <header className="order-card__head">
        <span className="order-detail__number">{t('console.orderRef', { number: refund.orderNumber })}</span>
        <span className={`refund-status refund-status--${refund.status}`}>
          {t(`detail.refundStatus.${refund.status}`)}
        </span>
      </header>
      <p>
        <strong className="order-card__total">{formatFen(refund.amountFen, i18n.language)}</strong> · {refund.reason}
      </p>
      <p className="muted">
        <time dateTime={refund.createdAt}>{formatDateTime(refund.createdAt, i18n.language)}</time>
        {refund.decisionNote && <> · {t('detail.refundNote', { note: refund.decisionNote })}</>}
      </p>
      {decide.isError && (
        <p role="alert" className="field__error">
          {t('console.actionFailed', { message: orderErrorMessage(t, tc, decide.error) })}
        </p>
      )}
      {canManage && refund.status === 'requested' && !declining && (
        <div className="button-row">
          <ConfirmAction
            label={t('console.accept')}
            question={t('console.acceptQuestion', { amount: formatFen(refund.amountFen, i18n.language) })}
            busy={decide.isPending}
            onConfirm={() => decide.mutate({ accept: true })}
            className="button button--primary"
          />
          <button type="button" className="button button--secondary" onClick={() => setDeclining(true)}>
            {t('console.decline')}
          </button>
        </div>
      )}
      {declining && (
        <form
          className="form refund-form"
          onSubmit={(e) => {
            e.preventDefault();
            decide.mutate({ accept: false, note: note.trim() || undefined }, { onSuccess: () => setDeclining(false) });
          }}
        >
          <div className="field">
            <label className="field__label" htmlFor={noteId}>
              {t('console.declineNote')}
            </label>
            <input
              id={noteId}
              className="field__input"
              value={note}
              maxLength={300}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={decide.isPending}>
              {t('console.confirmDecline')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setDeclining(false)}>
              {t('console.close')}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
