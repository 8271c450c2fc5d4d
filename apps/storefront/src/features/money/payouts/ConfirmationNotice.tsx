import type { PayoutView, RecordPayoutResponse } from '@xiangbo/contracts';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../../format';

/**
 * After a payment is recorded: where the household's confirmation will come from. The code and the link went
 * by SMS to the phone in the platform's registry (the console never sees them), or, without a phone, an assigned
 * auditor or village supervisor must confirm in person.
 */
export function ConfirmationNotice({ result, onDone }: { result: RecordPayoutResponse; onDone: () => void }) {
  const { t, i18n } = useTranslation('money');
  const c = result.confirmation;
  const amount = formatFen(result.payout.amountFen, i18n.language);
  return (
    <section className="confirm-notice card" aria-labelledby="confirm-notice-title" data-testid="confirm-notice">
      <h3 id="confirm-notice-title" className="card__heading">
        {t('payouts.sent.title', { name: result.payout.householdNameMasked, amount })}
      </h3>
      <p className="confirm-notice__route" role="status">
        {c.route === 'sms'
          ? c.sms === 'failed'
            ? t('payouts.sent.smsFailed', { phone: c.phoneMasked })
            : t('payouts.sent.sms', { phone: c.phoneMasked })
          : t('payouts.sent.attest')}
      </p>
      <p className="field__hint">{c.route === 'sms' ? t('payouts.sent.smsHint') : t('payouts.sent.attestHint')}</p>
      <div className="button-row">
        <button type="button" className="button button--primary" onClick={onDone}>
          {t('payouts.sent.done')}
        </button>
      </div>
    </section>
  );
}

/** One line for a payout's confirmation: how it is expected (paid) or how it was given (confirmed). */
export function confirmationLabel(
  t: TFunction<'money'>,
  p: Pick<PayoutView, 'status' | 'confirmRoute' | 'smsToMasked' | 'confirmMethod'>,
): string | null {
  if (p.status === 'confirmed') return p.confirmMethod ? t(`payouts.method.${p.confirmMethod}`) : null;
  if (p.status !== 'paid') return null;
  return p.confirmRoute === 'sms'
    ? t('payouts.sent.smsShort', { phone: p.smsToMasked })
    : t('payouts.sent.attestShort');
}
