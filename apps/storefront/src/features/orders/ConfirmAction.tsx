import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button that asks once more, inline (no window.confirm: it is blocked in some webviews and dismissed by
 * automated browsers), before doing something that cannot be undone.
 */
export function ConfirmAction({
  label,
  question,
  onConfirm,
  busy,
  className = 'button button--secondary',
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  busy: boolean;
  className?: string;
}) {
  const { t } = useTranslation('orders');
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={className} onClick={() => setAsking(true)} disabled={busy}>
        {label}
      </button>
    );
  }
  return (
    <div className="confirm-action" role="group" aria-label={label}>
      <p className="confirm-action__question">{question}</p>
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
          disabled={busy}
        >
          {label}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setAsking(false)}>
          {t('confirmBack')}
        </button>
      </div>
    </div>
  );
}
