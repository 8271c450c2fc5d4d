import {
  AFTER_SALES_REASONS,
  MAX_AFTER_SALES_PHOTOS,
  type AfterSalesKind,
  type AfterSalesReason,
  type AfterSalesView,
  type OrderStatusValue,
} from '@xiangbo/contracts';
import { parseYuan } from '@xiangbo/domain';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatFen } from '../../format';
import { afterSalesError, useCreateAfterSales, useEscalate, useOrderAfterSales, useShipReturn } from './api';
import './after-sales.css';

const RECEIVED: OrderStatusValue[] = ['shipped', 'delivered', 'completed'];

/**
 * The order page's 售后 block: the buyer's requests with their state and the cooperative's answer, and the form
 * (类型, 原因, 描述, 金额, 凭证照片) for a paid order. A return agreed by the cooperative asks for the tracking number.
 */
export function OrderAfterSales({ orderId, orderStatus }: { orderId: string; orderStatus: OrderStatusValue }) {
  const { t } = useTranslation('afterSales');
  const q = useOrderAfterSales(orderId);
  const [open, setOpen] = useState(false);
  const canApply = orderStatus === 'paid' || RECEIVED.includes(orderStatus);
  const openOne = q.data?.some((r) =>
    ['requested', 'awaiting_return', 'returned', 'processing', 'disputed'].includes(r.status),
  );
  if (!canApply && !q.data?.length) return null;
  return (
    <section className="card after-sales" aria-labelledby="after-sales-heading" data-testid="after-sales">
      <h2 id="after-sales-heading" className="card__heading">
        {t('order.heading')}
      </h2>
      {q.data?.map((r) => (
        <RequestItem key={r.id} r={r} orderId={orderId} />
      ))}
      {canApply && !openOne && !open && (
        <button
          type="button"
          className="button button--secondary"
          data-testid="after-sales-apply"
          onClick={() => setOpen(true)}
        >
          {t('order.apply')}
        </button>
      )}
      {open && <RequestForm orderId={orderId} orderStatus={orderStatus} onDone={() => setOpen(false)} />}
    </section>
  );
}

function RequestItem({ r, orderId }: { r: AfterSalesView; orderId: string }) {
  const { t, i18n } = useTranslation('afterSales');
  return (
    <article className="after-sales__item" data-testid="after-sales-item" data-status={r.status}>
      <p className="after-sales__head">
        <span className={`after-sales__status after-sales__status--${r.status}`}>{t(`status.${r.status}`)}</span>
        <span className="muted">
          {t(`order.kinds.${r.kind}`)} · {t(`order.reasons.${r.reason}`)} ·{' '}
          {t('order.refundOf', { amount: formatFen(r.amountFen, i18n.language) })}
        </span>
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
      {r.status === 'awaiting_return' && <ReturnForm id={r.id} orderId={orderId} />}
      <DisputeBlock r={r} />
      <Escalate r={r} orderId={orderId} />
      <p className="muted after-sales__time">{formatDateTime(r.createdAt, i18n.language)}</p>
    </article>
  );
}

/** The platform's part of a request (平台介入): the buyer's note, then the decision and its reason. */
export function DisputeBlock({ r }: { r: AfterSalesView }) {
  const { t, i18n } = useTranslation('afterSales');
  const d = r.dispute;
  if (!d) return null;
  return (
    <div className="after-sales__dispute" data-testid="after-sales-dispute" data-dispute={d.status}>
      <p>
        <strong>{t(`dispute.status.${d.status}`)}</strong>
        <span className="muted"> · {formatDateTime(d.escalatedAt, i18n.language)}</span>
      </p>
      <p className="muted">
        {t('dispute.buyerNote')}
        {d.buyerNote}
      </p>
      {d.decisionNote && (
        <p className="after-sales__decision">
          {t('dispute.decision')}
          {d.decisionNote}
        </p>
      )}
      {d.refundFen !== null && (
        <p>
          {t('dispute.refunded', { amount: formatFen(d.refundFen, i18n.language) })}
          {/* the platform's refund is sent after its decision: say when it is still on its way or was refused */}
          {r.status === 'failed' && <strong className="form-error"> {t('dispute.refundFailed')}</strong>}
          {r.status === 'processing' && <span className="muted"> {t('dispute.refundProcessing')}</span>}
        </p>
      )}
    </div>
  );
}

/**
 * 申请平台介入: once the cooperative refused, or did not answer in time. Before that time the buyer reads until
 * when the cooperative may answer.
 */
function Escalate({ r, orderId }: { r: AfterSalesView; orderId: string }) {
  const { t, i18n } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const escalate = useEscalate(orderId);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  if (r.dispute || !r.escalatableFrom) return null;
  if (new Date(r.escalatableFrom).getTime() > Date.now())
    return (
      <p className="muted" data-testid="after-sales-escalate-later">
        {t('dispute.later', { at: formatDateTime(r.escalatableFrom, i18n.language) })}
      </p>
    );
  if (!open)
    return (
      <button
        type="button"
        className="button button--secondary"
        data-testid="after-sales-escalate"
        onClick={() => setOpen(true)}
      >
        {t('dispute.escalate')}
      </button>
    );
  return (
    <form
      className="form after-sales__escalate"
      noValidate
      aria-label={t('dispute.escalate')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!note.trim()) {
          setNoteError(true);
          return;
        }
        setNoteError(false);
        escalate.mutate({ id: r.id, note: note.trim() }, { onSuccess: () => setOpen(false) });
      }}
    >
      <div className="field">
        <label className="field__label" htmlFor={`escalate-${r.id}`}>
          {t('dispute.note')}
        </label>
        <textarea
          id={`escalate-${r.id}`}
          value={note}
          maxLength={500}
          rows={3}
          placeholder={t('dispute.notePlaceholder')}
          aria-invalid={noteError ? true : undefined}
          aria-describedby={`escalate-${r.id}-hint`}
          onChange={(e) => setNote(e.target.value)}
        />
        <span id={`escalate-${r.id}-hint`} className={noteError ? 'field__error' : 'field__hint'}>
          {noteError ? t('dispute.noteRequired') : t('dispute.hint')}
        </span>
      </div>
      {escalate.isError && (
        <p role="alert" className="form-error">
          {afterSalesError(tc, escalate.error)}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={escalate.isPending}>
          {t('dispute.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          {t('order.cancel')}
        </button>
      </div>
    </form>
  );
}

export function Photos({ photos }: { photos: AfterSalesView['photos'] }) {
  const { t } = useTranslation('afterSales');
  if (!photos.length) return null;
  return (
    <ul className="after-sales__photos">
      {photos.map((p, i) => (
        <li key={p.url}>
          <a href={p.url} target="_blank" rel="noreferrer">
            <img src={p.thumbUrl} alt={t('order.photoAlt', { n: i + 1 })} width={72} height={72} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}

function RequestForm({
  orderId,
  orderStatus,
  onDone,
}: {
  orderId: string;
  orderStatus: OrderStatusValue;
  onDone: () => void;
}) {
  const { t } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const received = RECEIVED.includes(orderStatus);
  const [kind, setKind] = useState<AfterSalesKind>('refund');
  const reasons = useMemo(
    () =>
      AFTER_SALES_REASONS.filter((r) => (received ? r !== 'late_shipping' : r === 'late_shipping' || r === 'other')),
    [received],
  );
  const [reason, setReason] = useState<AfterSalesReason>(reasons[0]);
  const [text, setText] = useState('');
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const previews = useMemo(() => photos.map((f) => URL.createObjectURL(f)), [photos]);
  useEffect(() => () => previews.forEach((u) => URL.revokeObjectURL(u)), [previews]);
  const create = useCreateAfterSales(orderId);

  function submit(e: FormEvent) {
    e.preventDefault();
    let amountFen: number | undefined;
    if (amount.trim()) {
      const fen = parseYuan(amount.trim());
      if (fen === null || fen <= 0) {
        setAmountError(t('order.amountInvalid'));
        return;
      }
      amountFen = fen;
    }
    setAmountError(null);
    create.mutate(
      { body: { kind: reason === 'no_reason' ? 'return' : kind, reason, text: text.trim(), amountFen }, photos },
      { onSuccess: onDone },
    );
  }

  return (
    <form className="form after-sales__form" onSubmit={submit} noValidate aria-label={t('order.apply')}>
      {received && (
        <fieldset className="after-sales__kinds">
          <legend>{t('order.kind')}</legend>
          {(['refund', 'return'] as const).map((k) => (
            <label key={k} className="after-sales__kind">
              <input type="radio" name="as-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`order.kinds.${k}`)}
            </label>
          ))}
        </fieldset>
      )}
      <label className="field">
        <span className="field__label">{t('order.reason')}</span>
        <select value={reason} onChange={(e) => setReason(e.target.value as AfterSalesReason)}>
          {reasons.map((r) => (
            <option key={r} value={r}>
              {t(`order.reasons.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field__label">{t('order.text')}</span>
        <textarea
          value={text}
          maxLength={500}
          rows={3}
          placeholder={t('order.textPlaceholder')}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <div className="field">
        <label className="field__label" htmlFor="as-amount">
          {t('order.amount')}
        </label>
        <input
          id="as-amount"
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={amountError ? true : undefined}
          aria-describedby="as-amount-hint"
        />
        <span id="as-amount-hint" className={amountError ? 'field__error' : 'field__hint'}>
          {amountError ?? t('order.amountHint')}
        </span>
      </div>
      <div className="field">
        <span className="field__label">{t('order.photos', { max: MAX_AFTER_SALES_PHOTOS })}</span>
        <ul className="after-sales__photos">
          {previews.map((u, i) => (
            <li key={u}>
              <img src={u} alt={t('order.photoAlt', { n: i + 1 })} width={72} height={72} />
              <button
                type="button"
                className="after-sales__remove"
                aria-label={t('order.removePhoto', { n: i + 1 })}
                onClick={() => setPhotos((all) => all.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
          {photos.length < MAX_AFTER_SALES_PHOTOS && (
            <li>
              <label className="after-sales__add">
                <span aria-hidden="true">＋</span>
                <span className="visually-hidden">{t('order.photos', { max: MAX_AFTER_SALES_PHOTOS })}</span>
                <input
                  type="file"
                  accept="image/jpeg,image/png,image/webp"
                  multiple
                  className="visually-hidden"
                  data-testid="after-sales-photo-input"
                  onChange={(e) => {
                    const files = [...(e.currentTarget.files ?? [])];
                    e.currentTarget.value = '';
                    setPhotos((all) => [...all, ...files].slice(0, MAX_AFTER_SALES_PHOTOS));
                  }}
                />
              </label>
            </li>
          )}
        </ul>
      </div>
      {create.isError && (
        <p role="alert" className="form-error">
          {afterSalesError(tc, create.error)}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? t('order.sending') : t('order.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          {t('order.cancel')}
        </button>
      </div>
    </form>
  );
}

function ReturnForm({ id, orderId }: { id: string; orderId: string }) {
  const { t } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const [carrier, setCarrier] = useState('');
  const [number, setNumber] = useState('');
  const ship = useShipReturn(orderId);
  return (
    <form
      className="form after-sales__return"
      noValidate
      aria-label={t('order.returnHeading')}
      onSubmit={(e) => {
        e.preventDefault();
        ship.mutate({ id, carrier: carrier.trim(), trackingNumber: number.trim() });
      }}
    >
      <label className="field">
        <span className="field__label">{t('order.carrier')}</span>
        <input value={carrier} maxLength={30} onChange={(e) => setCarrier(e.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">{t('order.tracking')}</span>
        <input value={number} maxLength={60} onChange={(e) => setNumber(e.target.value)} />
      </label>
      {ship.isError && (
        <p role="alert" className="form-error">
          {afterSalesError(tc, ship.error)}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={ship.isPending}>
        {t('order.sendReturn')}
      </button>
    </form>
  );
}

export default OrderAfterSales;
