import {
  PAYOUT_CHANNELS,
  recordPayoutSchema,
  type PayoutChannel,
  type PayoutView,
  type RecordPayoutRequest,
} from '@xiangbo/contracts';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFieldErrors } from '../../../i18n/api-errors';
import { chinaToday, formatFen } from '../../../format';

type Field = 'channel' | 'reference' | 'paidOn';

/**
 * Records that one planned payout was paid: channel (银行转账 / 移动支付 / 现金), the bank or payment reference
 * (or cash receipt number) and the date. Checked here with the same schema the server uses.
 */
export function RecordPayoutForm({
  payout,
  pending,
  serverError,
  onSubmit,
  onCancel,
  today = chinaToday(),
}: {
  payout: Pick<PayoutView, 'id' | 'householdNameMasked' | 'amountFen'>;
  pending: boolean;
  /** The failed call, to show its message and field errors. */
  serverError: { message: string; error: unknown } | null;
  onSubmit: (body: RecordPayoutRequest) => void;
  onCancel: () => void;
  today?: string;
}) {
  const { t, i18n } = useTranslation('money');
  const ids = useId();
  const [channel, setChannel] = useState<PayoutChannel | ''>('');
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState(today);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const server = serverError ? apiFieldErrors(serverError.error) : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    if (!channel) next.channel = t('payouts.record.needChannel');
    if (!reference.trim()) next.reference = t('payouts.record.needReference');
    if (!paidOn) next.paidOn = t('payouts.record.needDate');
    else if (paidOn > today) next.paidOn = t('payouts.record.futureDate');
    const parsed = recordPayoutSchema.safeParse({ channel, reference, paidOn });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const f = issue.path[0] as Field;
        if (!next[f])
          next[f] =
            f === 'channel'
              ? t('payouts.record.needChannel')
              : f === 'reference'
                ? t('payouts.record.badReference')
                : t('payouts.record.badDate');
      }
    }
    setErrors(next);
    if (Object.keys(next).length || !parsed.success) return;
    onSubmit(parsed.data);
  };

  const fieldError = (f: Field) => errors[f] ?? server[f];
  const referenceLabel = channel
    ? t(`payouts.record.referenceLabel.${channel}`)
    : t('payouts.record.referenceLabel.any');
  return (
    <form className="form payout-record" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className="payout-record__title">
        {t('payouts.record.title', {
          name: payout.householdNameMasked,
          amount: formatFen(payout.amountFen, i18n.language),
        })}
      </h3>
      <div className={`field${fieldError('channel') ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor={`${ids}-channel`}>
          {t('payouts.record.channel')}
        </label>
        <select
          id={`${ids}-channel`}
          className="field__input"
          value={channel}
          onChange={(e) => setChannel(e.target.value as PayoutChannel | '')}
          aria-invalid={Boolean(fieldError('channel'))}
          aria-describedby={fieldError('channel') ? `${ids}-channel-error` : undefined}
        >
          <option value="">{t('payouts.record.choose')}</option>
          {PAYOUT_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`payouts.channels.${c}`)}
            </option>
          ))}
        </select>
        {fieldError('channel') && (
          <p id={`${ids}-channel-error`} className="field__error">
            {fieldError('channel')}
          </p>
        )}
      </div>
      <div className={`field${fieldError('reference') ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor={`${ids}-reference`}>
          {referenceLabel}
        </label>
        <input
          id={`${ids}-reference`}
          className="field__input"
          value={reference}
          maxLength={100}
          autoComplete="off"
          onChange={(e) => setReference(e.target.value)}
          aria-invalid={Boolean(fieldError('reference'))}
          aria-describedby={`${ids}-reference-hint${fieldError('reference') ? ` ${ids}-reference-error` : ''}`}
        />
        <p id={`${ids}-reference-hint`} className="field__hint">
          {t('payouts.record.referenceHint')}
        </p>
        {fieldError('reference') && (
          <p id={`${ids}-reference-error`} className="field__error">
            {fieldError('reference')}
          </p>
        )}
      </div>
      <div className={`field${fieldError('paidOn') ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor={`${ids}-paidOn`}>
          {t('payouts.record.paidOn')}
        </label>
        <input
          id={`${ids}-paidOn`}
          className="field__input"
          type="date"
          value={paidOn}
          max={today}
          onChange={(e) => setPaidOn(e.target.value)}
          aria-invalid={Boolean(fieldError('paidOn'))}
          aria-describedby={fieldError('paidOn') ? `${ids}-paidOn-error` : undefined}
        />
        {fieldError('paidOn') && (
          <p id={`${ids}-paidOn-error`} className="field__error">
            {fieldError('paidOn')}
          </p>
        )}
      </div>
      {serverError && (
        <div role="alert" className="form-error">
          <strong className="form-error__title">{t('payouts.record.failed')}</strong>
          <span>{serverError.message}</span>
        </div>
      )}
      <p className="form__note">{t('payouts.record.note')}</p>
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? t('payouts.record.saving') : t('payouts.record.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={pending}>
          {t('payouts.record.cancel')}
        </button>
      </div>
    </form>
  );
}
