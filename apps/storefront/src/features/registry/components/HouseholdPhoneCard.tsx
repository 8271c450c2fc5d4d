import { householdPhoneSchema, type HouseholdDetail } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../../forms/FormError';
import { apiErrorMessage } from '../../../i18n/api-errors';
import { useRevealHouseholdPhone, useSetHouseholdPhone } from '../api';
import { registryErrorMessage } from '../errors';

/**
 * The household's phone in the platform's registry: payout confirmation codes go to it by SMS, so only the
 * platform sets it (a cooperative never can). Shown masked; the full number only on request (access-logged).
 */
export function HouseholdPhoneCard({ household }: { household: HouseholdDetail }) {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const set = useSetHouseholdPhone(household.id);
  const reveal = useRevealHouseholdPhone(household.id);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = (phone: string | null) => {
    setSaved(false);
    const parsed = householdPhoneSchema.safeParse({ phone });
    if (!parsed.success) {
      setError(t('phone.invalid'));
      return;
    }
    setError(null);
    set.mutate(parsed.data, {
      onSuccess: () => {
        setEditing(false);
        setValue('');
        setSaved(true);
        reveal.reset();
      },
    });
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(value);
  };
  const shown = reveal.data && reveal.data.phoneMasked === household.phoneMasked ? reveal.data.phone : null;

  return (
    <section className="card registry-detail__phone" aria-labelledby="phone-heading">
      <h2 id="phone-heading" className="card__heading">
        {t('phone.title')}
      </h2>
      <p className="muted">{t('phone.note')}</p>
      <p className="registry-phone" data-testid="registry-phone">
        {household.phoneMasked ? (
          <>
            <span className="registry-mono">{shown ?? household.phoneMasked}</span>
            {!shown && (
              <button
                type="button"
                className="button button--link"
                onClick={() => reveal.mutate()}
                disabled={reveal.isPending}
              >
                {t('phone.reveal')}
              </button>
            )}
            {shown && <span className="muted"> {t('phone.revealedLogged')}</span>}
          </>
        ) : (
          <span className="muted">{t('phone.none')}</span>
        )}
      </p>
      {saved && (
        <p role="status" className="registry-success">
          {t('phone.saved')}
        </p>
      )}
      <FormError
        message={
          set.isError
            ? (registryErrorMessage(t, set.error) ?? apiErrorMessage(tc, set.error))
            : reveal.isError
              ? (registryErrorMessage(t, reveal.error) ?? apiErrorMessage(tc, reveal.error))
              : null
        }
      />
      {editing ? (
        <form className="form" onSubmit={onSubmit} noValidate>
          <div className={error ? 'field field--invalid' : 'field'}>
            <label className="field__label" htmlFor="field-phone">
              {t('phone.label')}
            </label>
            <input
              id="field-phone"
              className="field__input registry-mono"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'field-phone-error' : 'field-phone-hint'}
            />
            {error ? (
              <p className="field__error" id="field-phone-error">
                {error}
              </p>
            ) : (
              <p className="field__hint" id="field-phone-hint">
                {t('phone.hint')}
              </p>
            )}
          </div>
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={set.isPending}>
              {t('phone.save')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setEditing(false)}>
              {t('phone.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="button-row">
          <button type="button" className="button button--secondary" onClick={() => setEditing(true)}>
            {household.phoneMasked ? t('phone.change') : t('phone.add')}
          </button>
          {household.phoneMasked && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => submit(null)}
              disabled={set.isPending}
            >
              {t('phone.remove')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
