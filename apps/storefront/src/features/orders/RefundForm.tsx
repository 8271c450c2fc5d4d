import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../forms/Field';
import { formatFen } from '../../format';
import { checkRefundAmount } from './refund';

export interface RefundFormProps {
  /** Unique per form on the page (field ids). */
  idPrefix: string;
  heading: string;
  submitLabel: string;
  cancelLabel?: string;
  roomFen: number;
  busy: boolean;
  error: string | null;
  onSubmit: (body: { reason: string; amountFen?: number }) => void;
  onCancel: () => void;
}

/** 退款原因 + optional 退款金额 in yuan (parsed exactly), used by the buyer and by the cooperative. */
export function RefundForm({
  idPrefix,
  heading,
  submitLabel,
  cancelLabel,
  roomFen,
  busy,
  error,
  onSubmit,
  onCancel,
}: RefundFormProps) {
  const { t, i18n } = useTranslation('orders');
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [problems, setProblems] = useState<{ reason?: string; amount?: string }>({});
  const max = formatFen(roomFen, i18n.language);

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: { reason?: string; amount?: string } = {};
    if (!reason.trim()) found.reason = t('validation.reasonRequired');
    const check = checkRefundAmount(amount, roomFen);
    if (!check.ok) found.amount = t(`validation.${check.key}`, { max });
    setProblems(found);
    if (found.reason || found.amount || !check.ok) return;
    onSubmit({ reason: reason.trim(), amountFen: check.amountFen });
  }

  return (
    <form className="form refund-form" onSubmit={submit} noValidate aria-label={heading}>
      <h3 className="refund-form__heading">{heading}</h3>
      <Field
        name={`${idPrefix}-reason`}
        label={t('detail.refundReason')}
        value={reason}
        onValueChange={setReason}
        error={problems.reason}
        maxLength={300}
        placeholder={t('detail.refundReasonPlaceholder')}
      />
      <Field
        name={`${idPrefix}-amount`}
        label={t('detail.refundAmount')}
        value={amount}
        onValueChange={setAmount}
        error={problems.amount}
        hint={t('detail.refundAmountHint', { max })}
        inputMode="decimal"
      />
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {cancelLabel ?? t('detail.cancelForm')}
        </button>
      </div>
    </form>
  );
}
