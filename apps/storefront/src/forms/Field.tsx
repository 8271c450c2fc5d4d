import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import { translateServerText } from '../i18n/server-messages';

export interface FieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'name' | 'value' | 'onChange' | 'children'
> {
  name: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  hint?: string;
  error?: string;
}

/**
 * A labelled input with an optional hint and an error that is announced and tied to the input. Errors from the
 * shared schemas or the API (English sentences) show in the reader's language. An error goes away as soon as the
 * reader edits the field (it was about the old value) and comes back only with the next submission's verdict.
 */
export function Field({ name, label, value, onValueChange, hint, error: given, ...input }: FieldProps) {
  const id = `field-${name}`;
  const ref = useRef<HTMLInputElement>(null);
  const [edited, setEdited] = useState(false);
  useEffect(() => {
    // The form's submit event reaches this listener before React's (delegated to the root) sets the new errors.
    const form = ref.current?.form;
    if (!form) return;
    const reset = () => setEdited(false);
    form.addEventListener('submit', reset);
    return () => form.removeEventListener('submit', reset);
  }, []);
  const error = edited ? undefined : given;
  // The error, when there is one, takes the hint's place: it says the same thing more urgently.
  const showHint = Boolean(hint) && !error;
  const hintId = showHint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        ref={ref}
        id={id}
        name={name}
        className="field__input"
        value={value}
        onChange={(e) => {
          if (given) setEdited(true);
          onValueChange(e.target.value);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {error && (
        <p className="field__error" id={errorId}>
          {translateServerText(error)}
        </p>
      )}
      {showHint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
