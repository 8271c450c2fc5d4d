import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface QuantityStepperProps {
  value: number;
  onChange: (value: number) => void;
  /** The accessible name of the control, e.g. "购买数量" or "黑木耳 的数量". */
  label: string;
  min?: number;
  max: number;
  disabled?: boolean;
}

/** − [ n ] +, with 44px targets; typed numbers are clamped to [min, max] when the field is left. */
export function QuantityStepper({ value, onChange, label, min = 1, max, disabled = false }: QuantityStepperProps) {
  const { t } = useTranslation('orders');
  const [draft, setDraft] = useState(String(value));
  const inputId = useId();
  useEffect(() => setDraft(String(value)), [value]);
  const upper = Math.max(min, max);
  const commit = (n: number) => {
    const next = Math.min(upper, Math.max(min, Number.isFinite(n) ? Math.floor(n) : value));
    setDraft(String(next));
    if (next !== value) onChange(next);
  };
  return (
    <div className="qty-stepper" role="group" aria-label={label}>
      <button
        type="button"
        className="qty-stepper__button"
        aria-label={t('stepper.decrease')}
        onClick={() => commit(value - 1)}
        disabled={disabled || value <= min}
      >
        −
      </button>
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      <input
        id={inputId}
        className="qty-stepper__input"
        type="text"
        inputMode="numeric"
        pattern="[0-9]*"
        value={draft}
        disabled={disabled}
        onChange={(e) => setDraft(e.target.value.replace(/[^0-9]/g, '').slice(0, 3))}
        onBlur={() => commit(Number(draft || value))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit(Number(draft || value));
          }
        }}
      />
      <button
        type="button"
        className="qty-stepper__button"
        aria-label={t('stepper.increase')}
        onClick={() => commit(value + 1)}
        disabled={disabled || value >= upper}
      >
        +
      </button>
    </div>
  );
}
