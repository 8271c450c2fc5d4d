import { PROMISES, type AfterSalesView, type CooperativePromises } from '@xiangbo/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { Loading } from '../../layout/common';
import { ConsoleShell } from '../console/ConsoleShell';
import { formatDateTime, formatFen } from '../../format';
import { afterSalesError, useCooperativeAfterSales, useDecideAfterSales, usePromises, useSetPromises } from './api';
import { DisputeBlock, Photos } from './OrderAfterSales';
import './after-sales.css';

/** /console/:coopId/after-sales: the promises the cooperative makes, and the buyers' requests to answer. */
export function ConsoleAfterSalesPage() {
  const { t } = useTranslation('afterSales');
  const { coopId = '' } = useParams();
  const { user } = useAuth();
  const isAdmin = !!user?.roles.some((r) => r.role === 'coop_admin' && r.cooperativeId === coopId);
  return (
    <ConsoleShell section="after-sales" title={t('console.title')}>
      <PromisesEditor coopId={coopId} canEdit={isAdmin} />
      <Requests coopId={coopId} canDecide={isAdmin} />
    </ConsoleShell>
  );
}

function PromisesEditor({ coopId, canEdit }: { coopId: string; canEdit: boolean }) {
  const { t } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const q = usePromises(coopId);
  const save = useSetPromises(coopId);
  const [draft, setDraft] = useState<CooperativePromises | null>(null);
  useEffect(() => {
    if (q.data) setDraft(q.data);
  }, [q.data]);
  if (!draft) return <Loading />;
  return (
    <form
      className="card promises-editor"
      aria-labelledby="promises-heading"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft);
      }}
    >
      <h2 id="promises-heading" className="card__heading">
        {t('console.promisesHeading')}
      </h2>
      <p className="muted">{t('console.promisesHint')}</p>
      {PROMISES.map((k) => (
        <label key={k} className="promises-editor__row">
          <input
            type="checkbox"
            checked={draft[k]}
            disabled={!canEdit}
            onChange={(e) => setDraft({ ...draft, [k]: e.target.checked })}
          />
          <span>
            <strong>{t(`promises.${k}`)}</strong>
            <span className="muted"> — {t(`promises.hint.${k}`)}</span>
          </span>
        </label>
      ))}
      {save.isError && (
        <p role="alert" className="form-error">
          {afterSalesError(tc, save.error)}
        </p>
      )}
      {save.isSuccess && <p role="status">{t('console.saved')}</p>}
      {canEdit && (
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {t('console.savePromises')}
        </button>
      )}
    </form>
  );
}

function Requests({ coopId, canDecide }: { coopId: string; canDecide: boolean }) {
  const { t } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const q = useCooperativeAfterSales(coopId);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <p role="alert" className="form-error">
        {afterSalesError(tc, q.error)}
      </p>
    );
  if (!q.data.length) return <p className="muted">{t('console.none')}</p>;
  return (
    <ul className="after-sales-console">
      {q.data.map((r) => (
        <li key={r.id}>
          <ConsoleRequest r={r} coopId={coopId} canDecide={canDecide} />
        </li>
      ))}
    </ul>
  );
}

function ConsoleRequest({ r, coopId, canDecide }: { r: AfterSalesView; coopId: string; canDecide: boolean }) {
  const { t, i18n } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const decide = useDecideAfterSales(coopId);
  const [refusing, setRefusing] = useState(false);
  const [note, setNote] = useState('');
  const open = r.status === 'requested';
  return (
    <article className="card after-sales__item" data-testid="console-after-sales" data-status={r.status}>
      <p className="after-sales__head">
        <span className={`after-sales__status after-sales__status--${r.status}`}>{t(`status.${r.status}`)}</span>
        <span>{t('console.buyer', { name: r.buyerMasked, number: r.orderNumber })}</span>
      </p>
      <p className="muted">
        {t(`order.kinds.${r.kind}`)} · {t(`order.reasons.${r.reason}`)} ·{' '}
        {t('order.refundOf', { amount: formatFen(r.amountFen, i18n.language) })} ·{' '}
        {formatDateTime(r.createdAt, i18n.language)}
      </p>
      {r.coveredBy && (
        <p className="after-sales__covered">{t('order.covered', { promise: t(`promises.${r.coveredBy}`) })}</p>
      )}
      {r.text && <p className="after-sales__text">{r.text}</p>}
      <Photos photos={r.photos} />
      {r.decisionNote && (
        <p className="after-sales__decision">
          {t('order.decision')}
          {r.decisionNote}
        </p>
      )}
      {r.returnShipment && (
        <p className="muted">
          {t('order.returnSent', { carrier: r.returnShipment.carrier, number: r.returnShipment.trackingNumber })}
        </p>
      )}
      <DisputeBlock r={r} />
      {decide.isError && (
        <p role="alert" className="form-error">
          {afterSalesError(tc, decide.error)}
        </p>
      )}
      {canDecide && open && !refusing && (
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            disabled={decide.isPending}
            onClick={() => decide.mutate({ id: r.id, step: 'decision', accept: true })}
          >
            {r.kind === 'return' ? t('console.acceptReturn') : t('console.accept')}
          </button>
          {!r.coveredBy && (
            <button type="button" className="button button--secondary" onClick={() => setRefusing(true)}>
              {t('console.refuse')}
            </button>
          )}
        </div>
      )}
      {canDecide && open && refusing && (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            decide.mutate({ id: r.id, step: 'decision', accept: false, note: note.trim() });
          }}
        >
          <label className="field">
            <span className="field__label">{t('console.refuseReason')}</span>
            <textarea value={note} maxLength={300} rows={2} onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={decide.isPending}>
              {t('console.confirmRefuse')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setRefusing(false)}>
              {t('order.cancel')}
            </button>
          </div>
        </form>
      )}
      {canDecide && r.status === 'returned' && (
        <button
          type="button"
          className="button button--primary"
          disabled={decide.isPending}
          onClick={() => decide.mutate({ id: r.id, step: 'received' })}
        >
          {t('console.received')}
        </button>
      )}
      {!canDecide && open && <p className="muted">{t('console.readOnly')}</p>}
    </article>
  );
}
