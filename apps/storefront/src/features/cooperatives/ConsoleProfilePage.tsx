import { updateCooperativeProfileSchema, type ConsoleCooperative } from '@xiangbo/contracts';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { fieldProblems } from '../../forms/validation';
import { apiFieldErrors } from '../../i18n/api-errors';
import { Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useConsoleCooperative, useUpdateProfile, useUploadLogo } from './api';
import { TextAreaField } from './fields';
import { formatDate } from '../../format';
import { ApplicationStatusBadge, CoopLogo, Notice, regionText, useCoopErrorMessage } from './shared';

/** /console/:coopId/profile: what the platform registered (read-only) and what the cooperative says about itself. */
export function ConsoleProfilePage() {
  const { t } = useTranslation('coop');
  useDocumentTitle(t('console.profileTitle'));
  return (
    <ConsoleShell section="profile" title={t('console.profileTitle')}>
      <Profile />
    </ConsoleShell>
  );
}

function Profile() {
  const { coopId = '' } = useParams();
  const coop = useConsoleCooperative(coopId);
  const errorMessage = useCoopErrorMessage();
  if (coop.isPending) return <Loading />;
  if (coop.isError) return <FormError message={errorMessage(coop.error)} />;
  return <ProfileContent key={coop.data.id} coop={coop.data} />;
}

function ProfileContent({ coop }: { coop: ConsoleCooperative }) {
  const { t, i18n } = useTranslation('coop');
  const { t: tApp } = useTranslation();
  const update = useUpdateProfile(coop.id);
  const upload = useUploadLogo(coop.id);
  const errorMessage = useCoopErrorMessage();
  const [values, setValues] = useState({
    story: coop.story,
    contactName: coop.contactName,
    contactPhone: coop.contactPhone,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const server = apiFieldErrors(update.error);
  const set = (f: keyof typeof values) => (v: string) => setValues((o) => ({ ...o, [f]: v }));

  function onSave(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const parsed = updateCooperativeProfileSchema.safeParse(values);
    if (!parsed.success) {
      const problems = fieldProblems(parsed.error.issues);
      const found: Record<string, string> = {};
      for (const [field, p] of Object.entries(problems)) {
        found[field] =
          field === 'contactPhone' && p.key === 'invalid'
            ? t('validation.phone')
            : tApp(`validation.${p.key}`, p.values);
      }
      setErrors(found);
      return;
    }
    setErrors({});
    update.mutate(parsed.data, { onSuccess: () => setNotice(t('console.saved')) });
  }

  function onLogo(file: File | undefined) {
    if (!file) return;
    setNotice(null);
    upload.mutate(file, {
      onSuccess: () => setNotice(t('console.logoUploaded')),
      onSettled: () => {
        if (fileInput.current) fileInput.current.value = '';
      },
    });
  }

  return (
    <div className="coop-console-profile">
      {!coop.canManage && <p className="coop-notice coop-notice--info">{t('console.readOnly')}</p>}
      <Notice>{notice}</Notice>
      <section className="card" aria-labelledby="registered-heading">
        <div className="coop-application__top">
          <h2 id="registered-heading" className="card__heading">
            {t('console.registered')}
          </h2>
          <ApplicationStatusBadge status={coop.status} />
        </div>
        <div className="coop-profile-head">
          <CoopLogo name={coop.name} url={coop.logoUrl} size={72} />
          <dl className="details coop-details">
            <div className="details__row">
              <dt>{t('console.name')}</dt>
              <dd>{coop.name}</dd>
            </div>
            <div className="details__row">
              <dt>{t('apply.usccLabel')}</dt>
              <dd className="coop-mono">{coop.uscc}</dd>
            </div>
            <div className="details__row">
              <dt>{t('console.region')}</dt>
              <dd>{regionText(coop)}</dd>
            </div>
            {coop.approvedAt && (
              <div className="details__row">
                <dt>{t('console.approvedAt')}</dt>
                <dd>{formatDate(coop.approvedAt, i18n.language, 'long')}</dd>
              </div>
            )}
          </dl>
        </div>
        <p className="coop-meta">{t('console.registeredNote')}</p>
        {coop.canManage && (
          <div className="field">
            <label className="field__label" htmlFor="console-logo">
              {t('console.uploadLogo')}
            </label>
            <input
              ref={fileInput}
              id="console-logo"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              className="coop-file"
              aria-describedby="console-logo-hint"
              disabled={upload.isPending}
              onChange={(e) => onLogo(e.target.files?.[0])}
            />
            <p className="field__hint" id="console-logo-hint">
              {t('apply.logoHint')}
            </p>
            <FormError message={upload.isError ? errorMessage(upload.error) : null} />
          </div>
        )}
        {coop.status === 'approved' && (
          <Link to={`/cooperatives/${coop.id}`} className="button button--secondary">
            {t('console.publicPage')}
          </Link>
        )}
      </section>

      <form className="form card" onSubmit={onSave} noValidate aria-labelledby="edit-heading">
        <h2 id="edit-heading" className="card__heading">
          {t('console.editHeading')}
        </h2>
        <FormError message={update.isError ? errorMessage(update.error) : null} />
        <TextAreaField
          name="story"
          label={t('apply.story')}
          hint={t('apply.storyHint')}
          value={values.story}
          onValueChange={set('story')}
          error={errors['story'] ?? server['story']}
          rows={8}
          maxLength={5000}
          readOnly={!coop.canManage}
        />
        <div className="coop-grid-2">
          <Field
            name="contactName"
            label={t('apply.contactName')}
            value={values.contactName}
            onValueChange={set('contactName')}
            error={errors['contactName'] ?? server['contactName']}
            maxLength={40}
            readOnly={!coop.canManage}
          />
          <Field
            name="contactPhone"
            label={t('apply.contactPhone')}
            type="tel"
            value={values.contactPhone}
            onValueChange={set('contactPhone')}
            error={errors['contactPhone'] ?? server['contactPhone']}
            maxLength={20}
            readOnly={!coop.canManage}
          />
        </div>
        {coop.canManage && (
          <button
            type="submit"
            className="button button--primary"
            disabled={update.isPending}
            aria-busy={update.isPending}
          >
            {t('console.save')}
          </button>
        )}
      </form>
    </div>
  );
}
