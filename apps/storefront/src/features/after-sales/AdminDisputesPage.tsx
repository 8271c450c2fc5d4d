import type { AdminDisputeView, DisputeOutcome } from '@xiangbo/contracts';
import { parseYuan } from '@xiangbo/domain';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../layout/common';
import { AdminShell } from '../console/ConsoleShell';
import { formatDateTime, formatFen } from '../../format';
import { afterSalesError, useDecideDispute, useDisputes } from './api';
import { DisputeBlock, Photos } from './OrderAfterSales';
import './after-sales.css';

/**
 * /admin/after-sales (平台管理 → 售后纠纷): requests buyers took to the platform, oldest first, each with the buyer's
 * words and photos, the cooperative's reason and the order; the platform refunds (all or part) or upholds.
 */
export function AdminDisputesPage() {
  const { t } = useTranslation('afterSales');
  const [status, setStatus] = useState<'open' | 'decided'>('open');
  return (
    <AdminShell section="afterSales" title={t('admin.title')}>
      <div className="button-row" role="group" aria-label={t('admin.filter')}>
        {(['open', 'decided'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={`button ${status === s ? 'button--primary' : 'button--secondary'}`}
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
          >
            {t(`admin.${s}`)}
          </button>
        ))}
      </div>
      <Queue status={status} />
    </AdminShell>
  );
}

function Queue({ status }: { status: 'open' | 'decided' }) {
  const { t } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const q = useDisputes(status);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <p role="alert" className="form-error">
        {afterSalesError(tc, q.error)}
      </p>
    );
  if (!q.data.length) return <p className="muted">{t(status === 'open' ? 'admin.none' : 'admin.noneDecided')}</p>;
  return (
    <ul className="after-sales-console">
      {q.data.map((d) => (
        <li key={d.dispute.id}>
          <Dispute d={d} />
        </li>
      ))}
    </ul>
  );
}

function Dispute({ d }: { d: AdminDisputeView }) {
  const { t, i18n } = useTranslation('afterSales');
  const lang = i18n.language;
  return (
    <article className="card after-sales__item" data-testid="admin-dispute" data-status={d.status}>
      <p className="after-sales__head">
        <span className={`after-sales__status after-sales__status--${d.status}`}>{t(`status.${d.status}`)}</span>
        <span>{t('admin.parties', { coop: d.cooperativeName, name: d.buyerMasked, number: d.orderNumber })}</span>
      </p>
      <p className="muted">
        {t(`order.kinds.${d.kind}`)} · {t(`order.reasons.${d.reason}`)} ·{' '}
        {t('order.refundOf', { amount: formatFen(d.amountFen, lang) })} · {formatDateTime(d.createdAt, lang)}
      </p>
      <p className="muted">
        {t('admin.order', {
          total: formatFen(d.order.totalFen, lang),
          refunded: formatFen(d.order.refundedFen, lang),
        })}{' '}
        {d.order.lines.map((l) => `${l.name} × ${l.quantity}`).join('，')}
      </p>
      {d.text && <p className="after-sales__text">{d.text}</p>}
      <Photos photos={d.photos} />
      <p className="after-sales__decision">
        {t(d.dispute.because === 'refused' ? 'order.decision' : 'admin.unanswered')}
        {d.dispute.because === 'refused' ? (d.decisionNote ?? '') : ''}
      </p>
      <DisputeBlock r={d} />
      {d.dispute.status === 'open' && (
        <DecisionForm d={d} refundable={Math.max(0, d.order.totalFen - d.order.refundedFen)} />
      )}
    </article>
  );
}

function DecisionForm({ d, refundable }: { d: AdminDisputeView; refundable: number }) {
  const { t, i18n } = useTranslation('afterSales');
  const { t: tc } = useTranslation();
  const decide = useDecideDispute();
  const [outcome, setOutcome] = useState<DisputeOutcome>('refund');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; note?: string }>({});
  const id = d.dispute.id;

  function submit(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    let amountFen: number | undefined;
    if (outcome === 'refund' && amount.trim()) {
      const fen = parseYuan(amount.trim());
      if (fen === null || fen <= 0 || fen > refundable)
        next.amount = t('admin.amountInvalid', { max: formatFen(refundable, i18n.language) });
      else amountFen = fen;
    }
    if (!note.trim()) next.note = t('admin.noteRequired');
    setErrors(next);
    if (next.amount || next.note) return;
    decide.mutate({ disputeId: id, outcome, amountFen, note: note.trim() });
  }

  return (
    <form className="form" noValidate onSubmit={submit} aria-label={t('admin.decide')}>
      <fieldset className="after-sales__kinds">
        <legend>{t('admin.decide')}</legend>
        {(['refund', 'uphold'] as const).map((o) => (
          <label key={o} className="after-sales__kind">
            <input
              type="radio"
              name={`outcome-${id}`}
              value={o}
              checked={outcome === o}
              onChange={() => setOutcome(o)}
            />
            {t(`admin.outcomes.${o}`)}
          </label>
        ))}
      </fieldset>
      {outcome === 'refund' && (
        <div className="field">
          <label className="field__label" htmlFor={`amount-${id}`}>
            {t('admin.amount')}
          </label>
          <input
            id={`amount-${id}`}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-invalid={errors.amount ? true : undefined}
            aria-describedby={`amount-${id}-hint`}
          />
          <span id={`amount-${id}-hint`} className={errors.amount ? 'field__error' : 'field__hint'}>
            {errors.amount ??
              t('admin.amountHint', {
                amount: formatFen(Math.min(d.amountFen, refundable), i18n.language),
                max: formatFen(refundable, i18n.language),
              })}
          </span>
        </div>
      )}
      <div className="field">
        <label className="field__label" htmlFor={`note-${id}`}>
          {t('admin.note')}
        </label>
        <textarea
          id={`note-${id}`}
          value={note}
          maxLength={300}
          rows={2}
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={`note-${id}-hint`}
          onChange={(e) => setNote(e.target.value)}
        />
        <span id={`note-${id}-hint`} className={errors.note ? 'field__error' : 'field__hint'}>
          {errors.note ?? t('admin.noteHint')}
        </span>
      </div>
      {decide.isError && (
        <p role="alert" className="form-error">
          {afterSalesError(tc, decide.error)}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={decide.isPending}>
        {t(outcome === 'refund' ? 'admin.confirmRefund' : 'admin.confirmUphold')}
      </button>
    </form>
  );
}
