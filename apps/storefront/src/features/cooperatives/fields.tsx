import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

/** Labelled textarea and select in the same look and error wiring as forms/Field. */

function describedBy(id: string, hint?: string, error?: string) {
  return [error ? `${id}-error` : null, hint && !error ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

function Messages({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {hint && !error && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </>
  );
}

export function TextAreaField({
  name,
  label,
  value,
  onValueChange,
  hint,
  error,
  idPrefix = 'field',
  ...rest
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'name' | 'value' | 'onChange'> & {
  name: string;
  label: string;
  value: string;
  onValueChange: (v: string) => void;
  hint?: string;
  error?: string;
  idPrefix?: string;
}) {
  const id = `${idPrefix}-${name}`;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <textarea
        {...rest}
        id={id}
        name={name}
        className="field__input coop-textarea"
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  value,
  onValueChange,
  hint,
  error,
  children,
  idPrefix = 'field',
  ...rest
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name' | 'value' | 'onChange'> & {
  name: string;
  label: string;
  value: string;
  onValueChange: (v: string) => void;
  hint?: string;
  error?: string;
  children: ReactNode;
  idPrefix?: string;
}) {
  const id = `${idPrefix}-${name}`;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        {...rest}
        id={id}
        name={name}
        className="field__input"
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {children}
      </select>
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}
