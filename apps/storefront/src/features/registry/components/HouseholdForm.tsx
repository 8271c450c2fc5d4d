import {
  createHouseholdRequestSchema,
  POVERTY_CAUSES,
  REGISTRY_STATUSES,
  updateHouseholdRequestSchema,
  type CreateHouseholdRequest,
  type HouseholdSummary,
  type PovertyCause,
  type RegistryStatus,
  type UpdateHouseholdRequest,
} from '@xiangbo/contracts';
import { normaliseIdNumber, todayInChina } from '@xiangbo/domain';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../../forms/Field';
import { FormError } from '../../../forms/FormError';
import { fieldProblems, focusFirstInvalid } from '../../../forms/validation';

type TextField =
  | 'headName'
  | 'province'
  | 'city'
  | 'county'
  | 'township'
  | 'village'
  | 'idNumber'
  | 'householdSize'
  | 'statusEffectiveDate'
  | 'statusReason';

export interface HouseholdFormValues {
  headName: string;
  idNumber: string;
  province: string;
  city: string;
  county: string;
  township: string;
  village: string;
  householdSize: string;
  povertyCauses: PovertyCause[];
  status: RegistryStatus;
  statusEffectiveDate: string;
  statusReason: string;
}

export function emptyHouseholdValues(): HouseholdFormValues {
  return {
    headName: '',
    idNumber: '',
    province: '',
    city: '',
    county: '',
    township: '',
    village: '',
    householdSize: '',
    povertyCauses: [],
    status: 'registered',
    statusEffectiveDate: todayInChina(),
    statusReason: '',
  };
}

export function valuesOf(h: HouseholdSummary): HouseholdFormValues {
  return {
    ...emptyHouseholdValues(),
    headName: h.headName,
    province: h.province,
    city: h.city,
    county: h.county,
    township: h.township,
    village: h.village,
    householdSize: String(h.householdSize),
    povertyCauses: h.povertyCauses,
  };
}

type Props =
  | { mode: 'create'; onSubmit: (body: CreateHouseholdRequest) => void }
  | { mode: 'edit'; onSubmit: (body: UpdateHouseholdRequest) => void };

/**
 * Create a household (particulars, ID number, first status) or correct its particulars (never the ID number or the
 * status). Checked here with the same contracts as the server, and the ID number with the same rules as the
 * registry, so most mistakes are caught before sending; the server's field errors are shown in the same places.
 */
export function HouseholdForm(
  props: Props & {
    initial: HouseholdFormValues;
    pending: boolean;
    serverError: string | null;
    serverFieldErrors: Record<string, string>;
    submitLabel: string;
    extra?: ReactNode;
    onCancel?: () => void;
  },
) {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const [values, setValues] = useState<HouseholdFormValues>(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = props.mode === 'create';

  const set = (field: TextField) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const errorFor = (field: string) => errors[field] ?? props.serverFieldErrors[field];
  const toggleCause = (c: PovertyCause) =>
    setValues((v) => ({
      ...v,
      povertyCauses: v.povertyCauses.includes(c) ? v.povertyCauses.filter((x) => x !== c) : [...v.povertyCauses, c],
    }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const size = values.householdSize.trim() === '' ? undefined : Number(values.householdSize);
    const base = {
      headName: values.headName,
      province: values.province,
      city: values.city,
      county: values.county,
      township: values.township,
      village: values.village,
      householdSize: size,
      povertyCauses: values.povertyCauses,
    };
    const found: Record<string, string> = {};
    const parsed = create
      ? createHouseholdRequestSchema.safeParse({
          ...base,
          idNumber: values.idNumber,
          status: values.status,
          statusEffectiveDate: values.statusEffectiveDate,
          statusReason: values.statusReason,
        })
      : updateHouseholdRequestSchema.safeParse(base);
    if (!parsed.success) {
      for (const [field, problem] of Object.entries(fieldProblems(parsed.error.issues))) {
        found[field] = tc(`validation.${problem.key}`, problem.values);
      }
      if (found['householdSize']) found['householdSize'] = t('form.sizeInvalid');
      if (found['statusEffectiveDate']) {
        found['statusEffectiveDate'] =
          values.statusEffectiveDate > todayInChina() ? t('form.dateFuture') : t('form.dateInvalid');
      }
    }
    if (create && values.idNumber.trim()) {
      const id = normaliseIdNumber(values.idNumber);
      if (!id.ok) {
        found['idNumber'] = t(
          id.reason === 'format'
            ? 'form.idFormat'
            : id.reason === 'birth_date'
              ? 'form.idBirthDate'
              : 'form.idChecksum',
        );
      } else if (found['idNumber']) {
        delete found['idNumber'];
      }
    }
    setErrors(found);
    if (Object.keys(found).length || !parsed.success) {
      focusFirstInvalid(event.currentTarget, Object.keys(found));
      return;
    }
    if (props.mode === 'create') props.onSubmit(parsed.data as CreateHouseholdRequest);
    else props.onSubmit(parsed.data as UpdateHouseholdRequest);
  }

  return (
    <form className="form registry-form" onSubmit={onSubmit} noValidate>
      <FormError message={props.serverError} />
      {props.extra}
      <fieldset className="registry-fieldset">
        <legend className="registry-fieldset__legend">{t('form.particulars')}</legend>
        <Field
          name="headName"
          label={t('field.headName')}
          value={values.headName}
          onValueChange={set('headName')}
          error={errorFor('headName')}
          autoComplete="off"
          required
        />
        {create && (
          <Field
            name="idNumber"
            label={t('field.idNumber')}
            value={values.idNumber}
            onValueChange={set('idNumber')}
            error={errorFor('idNumber')}
            hint={t('form.idNumberHint')}
            autoComplete="off"
            spellCheck={false}
            maxLength={22}
            required
          />
        )}
        <Field
          name="householdSize"
          label={t('field.householdSize')}
          value={values.householdSize}
          onValueChange={set('householdSize')}
          error={errorFor('householdSize')}
          hint={t('form.householdSizeHint')}
          type="number"
          inputMode="numeric"
          min={1}
          max={30}
          step={1}
          required
        />
        <fieldset className="registry-checks" aria-describedby="causes-hint">
          <legend className="field__label">{t('field.povertyCauses')}</legend>
          <p className="field__hint" id="causes-hint">
            {t('form.causesHint')}
          </p>
          <div className="registry-checks__grid">
            {POVERTY_CAUSES.map((c) => (
              <label key={c} className="registry-check">
                <input
                  type="checkbox"
                  name="povertyCauses"
                  value={c}
                  checked={values.povertyCauses.includes(c)}
                  onChange={() => toggleCause(c)}
                />
                {t(`cause.${c}`)}
              </label>
            ))}
          </div>
          {errorFor('povertyCauses') && <p className="field__error">{errorFor('povertyCauses')}</p>}
        </fieldset>
      </fieldset>

      <fieldset className="registry-fieldset">
        <legend className="registry-fieldset__legend">{t('form.region')}</legend>
        <div className="registry-form__grid">
          {(['province', 'city', 'county', 'township', 'village'] as const).map((f) => (
            <Field
              key={f}
              name={f}
              label={t(`field.${f}`)}
              value={values[f]}
              onValueChange={set(f)}
              error={errorFor(f)}
              required
            />
          ))}
        </div>
      </fieldset>

      {create && (
        <fieldset className="registry-fieldset">
          <legend className="registry-fieldset__legend">{t('form.firstStatus')}</legend>
          <div className="field">
            <label className="field__label" htmlFor="field-status">
              {t('field.status')}
            </label>
            <select
              id="field-status"
              name="status"
              className="field__input"
              value={values.status}
              onChange={(e) => setValues((v) => ({ ...v, status: e.target.value as RegistryStatus }))}
            >
              {REGISTRY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <Field
            name="statusEffectiveDate"
            label={t('field.statusEffectiveDate')}
            type="date"
            max={todayInChina()}
            value={values.statusEffectiveDate}
            onValueChange={set('statusEffectiveDate')}
            error={errorFor('statusEffectiveDate')}
            required
          />
          <Field
            name="statusReason"
            label={t('field.statusReason')}
            value={values.statusReason}
            onValueChange={set('statusReason')}
            error={errorFor('statusReason')}
            hint={t('form.reasonOptionalHint')}
            maxLength={500}
          />
        </fieldset>
      )}

      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={props.pending} aria-busy={props.pending}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="button button--secondary" onClick={props.onCancel}>
            {t('form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
