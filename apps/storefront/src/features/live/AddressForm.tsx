import { addressSchema, type AddressInput } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { apiErrorMessage } from '../../i18n/api-errors';
import { useSaveAddress } from '../orders/api';

const FIELDS = ['recipient', 'mobile', 'province', 'city', 'district', 'detail'] as const;

/** A flash-deal buy ships to the default address: asked for once, right where the buyer taps 立即抢购. */
export function AddressForm({ onSaved, onCancel }: { onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation('live');
  const { t: tc } = useTranslation();
  const [values, setValues] = useState<AddressInput>({
    recipient: '',
    mobile: '',
    province: '',
    city: '',
    district: '',
    detail: '',
  });
  const [errors, setErrors] = useState<Partial<Record<keyof AddressInput, string>>>({});
  const save = useSaveAddress({ onSuccess: onSaved });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = addressSchema.safeParse(values);
    if (!parsed.success) {
      const next: typeof errors = {};
      for (const i of parsed.error.issues) next[i.path[0] as keyof AddressInput] ??= i.message;
      setErrors(next);
      return;
    }
    setErrors({});
    save.mutate({ ...parsed.data, isDefault: true });
  };
  return (
    <form className="address-form card" onSubmit={submit} noValidate aria-labelledby="live-address-heading">
      <h2 id="live-address-heading" className="card__heading">
        {t('address.heading')}
      </h2>
      <p className="form__note">{t('address.hint')}</p>
      <FormError message={save.isError ? apiErrorMessage(tc, save.error) : null} />
      {FIELDS.map((f) => (
        <Field
          key={f}
          name={`live-address-${f}`}
          label={t(`address.${f}`)}
          value={values[f]}
          onValueChange={(v) => setValues((s) => ({ ...s, [f]: v }))}
          error={errors[f]}
          autoComplete={
            {
              recipient: 'name',
              mobile: 'tel',
              province: 'address-level1',
              city: 'address-level2',
              district: 'address-level3',
              detail: 'street-address',
            }[f]
          }
          inputMode={f === 'mobile' ? 'tel' : undefined}
        />
      ))}
      <div className="button-row">
        <button type="submit" className="button button--buy" disabled={save.isPending}>
          {t('address.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('address.cancel')}
        </button>
      </div>
    </form>
  );
}
