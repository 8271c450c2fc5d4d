import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CALLBACK_OUTCOMES,
  CALLBACK_SAMPLE_MAX,
  type CallbackCheckView,
  type CallbackContact,
  type CallbackOutcome,
  type CallbackVia,
  type PayoutToAttest,
} from '@xiangbo/contracts';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiClient } from '../../../auth/auth-context';
import { Loading } from '../../../layout/common';
import { formatDate, formatDateTime, formatFen } from '../../../format';
import { auditApi } from './api';
import { auditErrorMessage } from './errors';

/**
 * 现场确认: the assigned auditor (or village supervisor) confirms, in person, payouts of households without a
 * registered phone (or who never got the text). Clear names are shown for the identity check; the API logs them.
 */
export function AttestPayouts({ coopId }: { coopId: string }) {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const key = ['audit', 'to-attest', coopId];
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => auditApi.toAttest(client, coopId, signal) });
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="section audit-attest" aria-labelledby="audit-attest">
      <h2 id="audit-attest" className="section__heading">
        {t('audit.attest.title')}
      </h2>
      <p className="muted">{t('audit.attest.intro')}</p>
      {done && (
        <p className="audit-attest__done" role="status">
          {done}
        </p>
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <p role="alert" className="form-error">
          {auditErrorMessage(t, tc, list.error)}
        </p>
      ) : list.data.length === 0 ? (
        <p className="muted">{t('audit.attest.empty')}</p>
      ) : (
        <ul className="audit-checks">
          {list.data.map((p) => (
            <li key={p.id} className="card audit-check" data-testid="attest-item">
              <div className="audit-check__head">
                <strong>{p.headName}</strong>
                <span className="muted">
                  {p.village} · {t('audit.attest.idNumber')} {p.idNumberMasked}
                </span>
              </div>
              <p className="audit-check__line">
                <span className="audit-check__amount">{formatFen(p.amountFen, i18n.language)}</span>
                {p.channel && ` · ${t(`payouts.channels.${p.channel}`)} ${p.reference ?? ''}`}
                {p.paidOn && ` · ${formatDate(p.paidOn, i18n.language)}`}
              </p>
              <p className="audit-check__route">
                {p.confirmRoute === 'sms'
                  ? t('audit.attest.routeSms', { phone: p.smsToMasked })
                  : t('audit.attest.routeAttest')}
              </p>
              {open === p.id ? (
                <AttestForm
                  payout={p}
                  onCancel={() => setOpen(null)}
                  onDone={() => {
                    setOpen(null);
                    setDone(
                      t('audit.attest.done', { name: p.headName, amount: formatFen(p.amountFen, i18n.language) }),
                    );
                    void queryClient.invalidateQueries({ queryKey: key });
                    void queryClient.invalidateQueries({ queryKey: ['audit', 'overview', coopId] });
                  }}
                />
              ) : (
                <button
                  type="button"
                  className="button button--primary"
                  onClick={() => {
                    setDone(null);
                    setOpen(p.id);
                  }}
                >
                  {t('audit.attest.attest')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AttestForm({
  payout,
  onCancel,
  onDone,
}: {
  payout: PayoutToAttest;
  onCancel: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const attest = useMutation({
    mutationFn: () => auditApi.attest(client, payout.id, { note: note.trim() }),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) {
      setError(t('audit.attest.needNote'));
      return;
    }
    setError(null);
    attest.mutate();
  };
  return (
    <form className="form audit-check__form" onSubmit={submit} noValidate>
      <label className="field" htmlFor={noteId}>
        <span className="field__label">{t('audit.attest.noteLabel')}</span>
        <textarea
          id={noteId}
          className="field__input"
          rows={2}
          maxLength={500}
          value={note}
          placeholder={t('audit.attest.notePlaceholder')}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      {(error || attest.isError) && (
        <p role="alert" className="field__error">
          {error ?? auditErrorMessage(t, tc, attest.error)}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={attest.isPending}>
          {attest.isPending ? t('audit.attest.saving') : t('audit.attest.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('audit.attest.cancel')}
        </button>
      </div>
    </form>
  );
}

/** 回访抽查: draw a random sample of confirmed payouts (server-side), call or visit, record each outcome. */
export function CallbackChecks({ coopId }: { coopId: string }) {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const sizeId = useId();
  const key = ['audit', 'callbacks', coopId];
  const samples = useQuery({ queryKey: key, queryFn: ({ signal }) => auditApi.samples(client, coopId, signal) });
  const [size, setSize] = useState('5');
  const [sizeError, setSizeError] = useState<string | null>(null);
  const draw = useMutation({
    mutationFn: (n: number) => auditApi.drawSample(client, coopId, { size: n }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(size);
    if (!Number.isInteger(n) || n < 1 || n > CALLBACK_SAMPLE_MAX) {
      setSizeError(t('audit.callbacks.badSize', { max: CALLBACK_SAMPLE_MAX }));
      return;
    }
    setSizeError(null);
    draw.mutate(n);
  };
  return (
    <section className="section audit-callbacks" aria-labelledby="audit-callbacks">
      <h2 id="audit-callbacks" className="section__heading">
        {t('audit.callbacks.title')}
      </h2>
      <p className="muted">{t('audit.callbacks.intro')}</p>
      <form className="form audit-callbacks__draw" onSubmit={submit} noValidate>
        <label className="field" htmlFor={sizeId}>
          <span className="field__label">{t('audit.callbacks.sizeLabel')}</span>
          <input
            id={sizeId}
            className="field__input"
            inputMode="numeric"
            value={size}
            onChange={(e) => setSize(e.target.value.replace(/\D/g, '').slice(0, 2))}
          />
        </label>
        <button type="submit" className="button button--primary" disabled={draw.isPending}>
          {draw.isPending ? t('audit.callbacks.drawing') : t('audit.callbacks.draw')}
        </button>
      </form>
      {(sizeError || draw.isError) && (
        <p role="alert" className="field__error">
          {sizeError ?? auditErrorMessage(t, tc, draw.error)}
        </p>
      )}
      {samples.isPending ? (
        <Loading />
      ) : samples.isError ? (
        <p role="alert" className="form-error">
          {auditErrorMessage(t, tc, samples.error)}
        </p>
      ) : samples.data.length === 0 ? (
        <p className="muted">{t('audit.callbacks.none')}</p>
      ) : (
        samples.data.map((s) => (
          <div key={s.id} className="audit-sample" data-testid="callback-sample">
            <h3 className="audit-sample__title">
              {t('audit.callbacks.sample', {
                at: formatDateTime(s.drawnAt, i18n.language),
                population: s.population,
                drawn: s.drawn,
              })}
              {s.auditorName && <span className="muted"> · {t('audit.callbacks.by', { name: s.auditorName })}</span>}
            </h3>
            <ul className="audit-checks">
              {s.checks.map((c) => (
                <CallbackCheckItem
                  key={c.id}
                  check={c}
                  onSaved={() => void queryClient.invalidateQueries({ queryKey: key })}
                />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}

function CallbackCheckItem({ check, onSaved }: { check: CallbackCheckView; onSaved: () => void }) {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const ids = useId();
  const [contact, setContact] = useState<CallbackContact | null>(null);
  const [outcome, setOutcome] = useState<CallbackOutcome>('confirmed');
  const [via, setVia] = useState<CallbackVia>('phone');
  const [note, setNote] = useState('');
  const showContact = useMutation({
    mutationFn: () => auditApi.contact(client, check.id),
    onSuccess: setContact,
  });
  const save = useMutation({
    mutationFn: () => auditApi.recordCallback(client, check.id, { outcome, via, note: note.trim() }),
    onSuccess: onSaved,
  });
  return (
    <li className="card audit-check" data-testid="callback-check">
      <div className="audit-check__head">
        <strong>{check.householdNameMasked}</strong>
        <span className="muted">{check.village}</span>
      </div>
      <p className="audit-check__line">
        <span className="audit-check__amount">{formatFen(check.amountFen, i18n.language)}</span>
        {check.paidOn && ` · ${formatDate(check.paidOn, i18n.language)}`}
        {check.confirmMethod && ` · ${t(`payouts.method.${check.confirmMethod}`)}`}
      </p>
      {check.outcome !== 'pending' ? (
        <p className={`audit-check__outcome audit-check__outcome--${check.outcome}`}>
          {t(`audit.callbacks.outcomes.${check.outcome}`)}
          {check.via && ` · ${t(check.via === 'phone' ? 'audit.callbacks.viaPhone' : 'audit.callbacks.viaVisit')}`}
          {check.checkedAt && ` · ${formatDateTime(check.checkedAt, i18n.language)}`}
          {check.note && <span className="audit-check__note">{check.note}</span>}
          {check.findingId && <span className="payout-flag">{t('audit.callbacks.finding')}</span>}
        </p>
      ) : (
        <>
          {contact ? (
            <p className="audit-check__contact">
              {contact.headName} ·{' '}
              {contact.phone ? <a href={`tel:${contact.phone}`}>{contact.phone}</a> : t('audit.callbacks.noPhone')}{' '}
              <span className="muted">{t('audit.callbacks.contactLogged')}</span>
            </p>
          ) : (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => showContact.mutate()}
              disabled={showContact.isPending}
            >
              {t('audit.callbacks.showContact')}
            </button>
          )}
          <form
            className="form audit-check__form"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
          >
            <fieldset className="audit-check__choices">
              <legend className="field__label">{t('audit.callbacks.outcome')}</legend>
              {CALLBACK_OUTCOMES.map((o) => (
                <label key={o} className="audit-check__choice">
                  <input
                    type="radio"
                    name={`${ids}-outcome`}
                    value={o}
                    checked={outcome === o}
                    onChange={() => setOutcome(o)}
                  />{' '}
                  {t(`audit.callbacks.outcomes.${o}`)}
                </label>
              ))}
            </fieldset>
            <fieldset className="audit-check__choices">
              <legend className="field__label">{t('audit.callbacks.via')}</legend>
              {(['phone', 'visit'] as const).map((v) => (
                <label key={v} className="audit-check__choice">
                  <input type="radio" name={`${ids}-via`} value={v} checked={via === v} onChange={() => setVia(v)} />{' '}
                  {t(v === 'phone' ? 'audit.callbacks.viaPhone' : 'audit.callbacks.viaVisit')}
                </label>
              ))}
            </fieldset>
            <label className="field" htmlFor={`${ids}-note`}>
              <span className="field__label">{t('audit.callbacks.noteLabel')}</span>
              <textarea
                id={`${ids}-note`}
                className="field__input"
                rows={2}
                maxLength={2000}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
            </label>
            {(save.isError || showContact.isError) && (
              <p role="alert" className="field__error">
                {auditErrorMessage(t, tc, save.error ?? showContact.error)}
              </p>
            )}
            <button type="submit" className="button button--primary" disabled={save.isPending}>
              {save.isPending ? t('audit.callbacks.saving') : t('audit.callbacks.save')}
            </button>
          </form>
        </>
      )}
    </li>
  );
}
