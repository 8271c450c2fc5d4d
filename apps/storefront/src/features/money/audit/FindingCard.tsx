import type { FindingView } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../format';

/**
 * One finding (问题线索): what the auditor raised, the cooperative's answer, the auditor's closing note; with the
 * one action the viewer may take (answer for the cooperative's admin, close for an auditor).
 */
export function FindingCard({
  finding,
  action,
  pending,
  error,
  onSubmit,
}: {
  finding: FindingView;
  action: 'answer' | 'close' | null;
  pending: boolean;
  error: string | null;
  onSubmit: (text: string) => void;
}) {
  const { t, i18n } = useTranslation('money');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    onSubmit(text.trim());
  };
  const formId = `finding-${finding.id}-${action ?? 'none'}`;
  const showForm = action !== null && finding.status !== 'closed';
  return (
    <article className={`card finding finding--${finding.status}`} aria-labelledby={`${formId}-title`}>
      <header className="finding__header">
        <h3 id={`${formId}-title`} className="card__heading">
          {finding.title}
        </h3>
        <span className={`payout-badge finding-badge--${finding.status}`}>{t(`audit.status.${finding.status}`)}</span>
      </header>
      <p className="finding__meta muted">
        {t('audit.findings.raisedBy', {
          name: finding.auditorName ?? '—',
          at: formatDateTime(finding.createdAt, i18n.language),
        })}
        {' · '}
        {t(`audit.subject.${finding.subject.type}`)}
        {finding.subject.ref ? ` ${finding.subject.ref}` : ''}
      </p>
      <p className="finding__body">{finding.body}</p>
      {finding.answer && (
        <div className="finding__answer">
          <strong>{t('audit.findings.answer')}</strong>
          {finding.answeredAt && <span className="muted"> {formatDateTime(finding.answeredAt, i18n.language)}</span>}
          <p>{finding.answer}</p>
        </div>
      )}
      {finding.closingNote && (
        <div className="finding__answer finding__answer--closed">
          <strong>{t('audit.findings.closingNote')}</strong>
          {finding.closedAt && <span className="muted"> {formatDateTime(finding.closedAt, i18n.language)}</span>}
          <p>{finding.closingNote}</p>
        </div>
      )}
      {showForm && (
        <form className="form finding__form" onSubmit={submit} noValidate>
          <div className={`field${invalid || error ? ' field--invalid' : ''}`}>
            <label className="field__label" htmlFor={`${formId}-text`}>
              {action === 'answer' ? t('audit.findings.answerLabel') : t('audit.findings.closeLabel')}
            </label>
            <textarea
              id={`${formId}-text`}
              className="field__input"
              rows={3}
              value={text}
              maxLength={action === 'answer' ? 5000 : 2000}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={invalid || Boolean(error)}
            />
            {(invalid || error) && (
              <p role="alert" className="field__error">
                {invalid ? t('audit.findings.required') : error}
              </p>
            )}
          </div>
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={pending}>
              {action === 'answer'
                ? finding.answer
                  ? t('audit.findings.reviseAnswer')
                  : t('audit.findings.submitAnswer')
                : t('audit.findings.submitClose')}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
