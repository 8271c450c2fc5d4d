import { cooperativeApplicationSchema, hasRole, PROVINCES, type MyCooperativeApplication } from '@xiangbo/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { fieldProblems, focusFirstInvalid } from '../../forms/validation';
import { apiFieldErrors } from '../../i18n/api-errors';
import { Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useApply, useMyApplications } from './api';
import { SelectField, TextAreaField } from './fields';
import { formatDate } from '../../format';
import { ApplicationStatusBadge, Notice, regionText, useCoopErrorMessage } from './shared';

const FIELDS = [
  'name',
  'uscc',
  'province',
  'city',
  'county',
  'township',
  'village',
  'story',
  'contactName',
  'contactPhone',
] as const;
type ApplyField = (typeof FIELDS)[number];
type Values = Record<ApplyField, string>;

const EMPTY: Values = {
  name: '',
  uscc: '',
  province: '',
  city: '',
  county: '',
  township: '',
  village: '',
  story: '',
  contactName: '',
  contactPhone: '',
};

/**
 * Checks the form with the shared contract and says, per field, what is wrong in the reader's language.
 * Exported for the unit test.
 */
export function validateApplication(values: Values, t: (key: string, opts?: Record<string, unknown>) => string) {
  const parsed = cooperativeApplicationSchema.safeParse(values);
  if (parsed.success) return { data: parsed.data, errors: {} as Record<string, string> };
  const errors: Record<string, string> = {};
  const generic = fieldProblems(parsed.error.issues);
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (field in errors) continue;
    const reason = (issue as { params?: { reason?: string } }).params?.reason;
    const blank = field in values && values[field as ApplyField].trim() === '';
    if (blank && field !== 'story') errors[field] = t('validation.required');
    else if (field === 'uscc' && reason === 'format') errors[field] = t('coop:validation.usccFormat');
    else if (field === 'uscc' && reason === 'checksum') errors[field] = t('coop:validation.usccChecksum');
    else if (field === 'uscc' && reason === 'required') errors[field] = t('validation.required');
    else if (field === 'contactPhone' && issue.code === 'invalid_format') errors[field] = t('coop:validation.phone');
    else {
      const p = generic[field];
      errors[field] = t(`validation.${p?.key ?? 'invalid'}`, p?.values);
    }
  }
  return { data: null, errors };
}

export function ApplyPage() {
  const { t } = useTranslation('coop');
  const { status } = useAuth();
  const location = useLocation();
  useDocumentTitle(t('apply.title'));

  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  return <ApplyContent />;
}

function ApplyContent() {
  const { t, i18n } = useTranslation('coop');
  const { t: tAll } = useTranslation(['translation', 'coop']);
  const errorMessage = useCoopErrorMessage();
  const apply = useApply();
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [logo, setLogo] = useState<File | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const logoInput = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const serverErrors = apiFieldErrors(apply.error);
  const errorFor = (f: ApplyField) => errors[f] ?? serverErrors[f];
  const set = (f: ApplyField) => (v: string) => setValues((old) => ({ ...old, [f]: v }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    apply.reset();
    setNotice(null);
    const { data, errors: found } = validateApplication(values, tAll as never);
    if (!data) {
      setErrors(found);
      focusFirst(event.currentTarget, Object.keys(found));
      return;
    }
    setErrors({});
    apply.mutate(
      { body: data, logo },
      {
        onSuccess: ({ logoError }) => {
          setValues(EMPTY);
          setLogo(null);
          if (logoInput.current) logoInput.current.value = '';
          setNotice(logoError ? t('apply.logoFailed', { reason: errorMessage(logoError) }) : t('apply.submitted'));
        },
      },
    );
  }

  function resubmit(a: MyCooperativeApplication) {
    setValues((old) => ({
      ...old,
      name: a.name,
      uscc: a.uscc,
      province: a.province,
      city: a.city,
      county: a.county,
      township: a.township,
      village: a.village,
    }));
    setErrors({});
    setNotice(t('apply.resubmitNote'));
    formRef.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
    formRef.current?.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
  }

  const provinceKnown = PROVINCES.some(([full]) => full === values.province);

  return (
    <div className="page page--narrow coop-apply">
      <h1 className="page__heading" id="apply-heading">
        {t('apply.heading')}
      </h1>
      <p className="muted">{t('apply.lead')}</p>
      <Notice>{notice}</Notice>

      <form ref={formRef} className="form card" onSubmit={onSubmit} noValidate aria-labelledby="apply-form-heading">
        <h2 className="card__heading" id="apply-form-heading">
          {t('apply.formHeading')}
        </h2>
        <FormError message={apply.isError ? errorMessage(apply.error) : null} />
        <Field
          name="name"
          label={t('apply.name')}
          value={values.name}
          onValueChange={set('name')}
          hint={t('apply.nameHint')}
          error={errorFor('name')}
          required
          maxLength={100}
          autoComplete="organization"
        />
        <Field
          name="uscc"
          label={t('apply.uscc')}
          value={values.uscc}
          onValueChange={set('uscc')}
          hint={t('apply.usccHint')}
          error={errorFor('uscc')}
          required
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          maxLength={24}
          className="coop-mono"
        />
        <fieldset className="coop-fieldset">
          <legend className="field__label">{t('region.legend')}</legend>
          <SelectField
            name="province"
            label={t('region.province')}
            value={values.province}
            onValueChange={set('province')}
            error={errorFor('province')}
            required
          >
            <option value="">{t('region.choose')}</option>
            {!provinceKnown && values.province && <option value={values.province}>{values.province}</option>}
            {PROVINCES.map(([full]) => (
              <option key={full} value={full}>
                {full}
              </option>
            ))}
          </SelectField>
          <div className="coop-grid-2">
            <Field
              name="city"
              label={t('region.city')}
              value={values.city}
              onValueChange={set('city')}
              error={errorFor('city')}
              required
              maxLength={30}
            />
            <Field
              name="county"
              label={t('region.county')}
              value={values.county}
              onValueChange={set('county')}
              error={errorFor('county')}
              required
              maxLength={30}
            />
            <Field
              name="township"
              label={t('region.township')}
              value={values.township}
              onValueChange={set('township')}
              error={errorFor('township')}
              required
              maxLength={30}
            />
            <Field
              name="village"
              label={t('region.village')}
              value={values.village}
              onValueChange={set('village')}
              error={errorFor('village')}
              required
              maxLength={30}
            />
          </div>
        </fieldset>
        <TextAreaField
          name="story"
          label={t('apply.story')}
          value={values.story}
          onValueChange={set('story')}
          hint={t('apply.storyHint')}
          error={errorFor('story')}
          rows={5}
          maxLength={5000}
        />
        <div className="coop-grid-2">
          <Field
            name="contactName"
            label={t('apply.contactName')}
            value={values.contactName}
            onValueChange={set('contactName')}
            error={errorFor('contactName')}
            required
            maxLength={40}
            autoComplete="name"
          />
          <Field
            name="contactPhone"
            label={t('apply.contactPhone')}
            type="tel"
            inputMode="tel"
            value={values.contactPhone}
            onValueChange={set('contactPhone')}
            error={errorFor('contactPhone')}
            required
            maxLength={20}
            autoComplete="tel-national"
          />
        </div>
        <p className="field__hint coop-contact-hint">{t('apply.contactHint')}</p>
        <div className="field">
          <label className="field__label" htmlFor="apply-logo">
            {t('apply.logo')}
          </label>
          <input
            ref={logoInput}
            id="apply-logo"
            name="logo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            className="coop-file"
            aria-describedby="apply-logo-hint"
            onChange={(e) => setLogo(e.target.files?.[0] ?? null)}
          />
          <p className="field__hint" id="apply-logo-hint">
            {t('apply.logoHint')}
          </p>
        </div>
        <button
          type="submit"
          className="button button--primary button--block"
          disabled={apply.isPending}
          aria-busy={apply.isPending}
        >
          {t('apply.submit')}
        </button>
      </form>

      <MyApplications language={i18n.language} onResubmit={resubmit} />
    </div>
  );
}

function focusFirst(form: HTMLFormElement, fields: string[]) {
  const select = Array.from(form.elements).find(
    (el): el is HTMLSelectElement | HTMLTextAreaElement =>
      (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) && fields.includes(el.name),
  );
  const firstField = FIELDS.find((f) => fields.includes(f));
  if (select && select.name === firstField) select.focus();
  else focusFirstInvalid(form, fields);
}

function MyApplications({
  language,
  onResubmit,
}: {
  language: string;
  onResubmit: (a: MyCooperativeApplication) => void;
}) {
  const { t } = useTranslation('coop');
  const { user } = useAuth();
  const client = useApiClient();
  const errorMessage = useCoopErrorMessage();
  const mine = useMyApplications();
  const refreshed = useRef(false);

  // An approval grants coop_admin on the server: refresh the session once so the console link works at once.
  const approvedWithoutRole = (mine.data ?? []).some(
    (a) => a.status === 'approved' && !hasRole(user, 'coop_admin', a.id),
  );
  useEffect(() => {
    if (approvedWithoutRole && !refreshed.current) {
      refreshed.current = true;
      void client.refreshSession().catch(() => null);
    }
  }, [approvedWithoutRole, client]);

  return (
    <section className="section" aria-labelledby="mine-heading">
      <h2 id="mine-heading" className="section__heading">
        {t('apply.mine')}
      </h2>
      {mine.isPending && <Loading />}
      {mine.isError && <FormError message={errorMessage(mine.error)} />}
      {mine.data?.length === 0 && <p className="muted">{t('apply.mineEmpty')}</p>}
      <ul className="coop-list" data-testid="my-applications">
        {mine.data?.map((a) => (
          <li key={a.id} className="card coop-application">
            <div className="coop-application__top">
              <h3 className="coop-application__name">{a.name}</h3>
              <ApplicationStatusBadge status={a.status} />
            </div>
            <p className="coop-meta">
              {t('apply.usccLabel')} <span className="coop-mono">{a.uscc}</span> · {regionText(a)}
            </p>
            <p className="coop-meta">
              {t('apply.submittedAt', { date: formatDate(a.createdAt, language, 'long') })}
              {a.reviewedAt && ` · ${t('apply.reviewedAt', { date: formatDate(a.reviewedAt, language, 'long') })}`}
            </p>
            {a.status === 'rejected' && (
              <>
                <div className="coop-reason">
                  <strong>{t('apply.reason')}</strong>
                  <p>{a.reviewReason}</p>
                </div>
                <button type="button" className="button button--secondary" onClick={() => onResubmit(a)}>
                  {t('apply.fixAndResubmit')}
                </button>
              </>
            )}
            {a.status === 'approved' && (
              <Link to={`/console/${a.id}/profile`} className="button button--primary">
                {t('apply.toConsole')}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
