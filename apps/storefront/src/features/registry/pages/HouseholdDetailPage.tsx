import {
  REGISTRY_STATUSES,
  statusEventRequestSchema,
  type HouseholdDetail,
  type RegistryStatus,
} from '@xiangbo/contracts';
import { todayInChina } from '@xiangbo/domain';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { Field } from '../../../forms/Field';
import { FormError } from '../../../forms/FormError';
import { focusFirstInvalid } from '../../../forms/validation';
import { apiErrorMessage, apiFieldErrors } from '../../../i18n/api-errors';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { AdminShell } from '../../console/ConsoleShell';
import { useAddStatusEvent, useHousehold, useUpdateHousehold } from '../api';
import { HouseholdForm, valuesOf } from '../components/HouseholdForm';
import { HouseholdPhoneCard } from '../components/HouseholdPhoneCard';
import { StatusBadge } from '../components/StatusBadge';
import { StatusTimeline } from '../components/StatusTimeline';
import { registryErrorMessage } from '../errors';
import { formatDate } from '../../../format';

/** /admin/registry/:id: the household's particulars, its status history, corrections and status changes. */
export function HouseholdDetailPage() {
  const { t } = useTranslation('registry');
  return (
    <AdminShell section="registry" title={t('detail.title')}>
      <HouseholdLoader />
    </AdminShell>
  );
}

function HouseholdLoader() {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const { id = '' } = useParams();
  const household = useHousehold(id);
  useDocumentTitle(household.data?.headName ?? t('detail.title'));
  return (
    <>
      <p>
        <Link to="/admin/registry">← {t('detail.back')}</Link>
      </p>
      {household.isPending ? (
        <Loading />
      ) : household.isError ? (
        isApiError(household.error) && household.error.status === 404 ? (
          <EmptyState title={t('detail.notFound')} />
        ) : (
          <FormError message={apiErrorMessage(tc, household.error)} />
        )
      ) : (
        <HouseholdView household={household.data} />
      )}
    </>
  );
}

function HouseholdView({ household: h }: { household: HouseholdDetail }) {
  const { t, i18n } = useTranslation('registry');
  const [editing, setEditing] = useState(false);
  return (
    <div className="registry-detail">
      <section className="card registry-detail__main" aria-labelledby="household-heading">
        <div className="registry-detail__title">
          <h2 id="household-heading" className="card__heading">
            {h.headName}
          </h2>
          <StatusBadge status={h.status} />
        </div>
        <dl className="details registry-details">
          <div className="details__row">
            <dt>{t('field.idNumberMasked')}</dt>
            <dd className="registry-mono">{h.idNumberMasked}</dd>
          </div>
          <div className="details__row">
            <dt>{t('field.address')}</dt>
            <dd>
              {h.province} {h.city} {h.county} {h.township} <strong>{h.village}</strong>
            </dd>
          </div>
          <div className="details__row">
            <dt>{t('field.householdSize')}</dt>
            <dd>{t('search.people', { count: h.householdSize })}</dd>
          </div>
          <div className="details__row">
            <dt>{t('field.povertyCauses')}</dt>
            <dd>
              {h.povertyCauses.length ? h.povertyCauses.map((c) => t(`cause.${c}`)).join('、') : t('detail.noCauses')}
            </dd>
          </div>
          <div className="details__row">
            <dt>{t('field.membership')}</dt>
            <dd>
              {h.membership ? (
                <>
                  <Link to={`/cooperatives/${h.membership.cooperativeId}`}>{h.membership.cooperativeName}</Link>{' '}
                  <span className="muted">
                    {t('detail.joinedAt', { date: formatDate(h.membership.joinedAt, i18n.language) })}
                  </span>
                </>
              ) : (
                <span className="muted">{t('detail.noMembership')}</span>
              )}
            </dd>
          </div>
        </dl>
        <p className="muted registry-detail__created">
          {t('detail.createdAt', { date: formatDate(h.createdAt, i18n.language) })} ·{' '}
          <Link to={`/admin/access-log?householdId=${h.id}`}>{t('detail.accessLog')}</Link>
        </p>
        {!editing && (
          <button type="button" className="button button--secondary" onClick={() => setEditing(true)}>
            {t('detail.edit')}
          </button>
        )}
      </section>
      {editing && <EditCard household={h} onDone={() => setEditing(false)} />}
      <HouseholdPhoneCard household={h} />

      <section className="card registry-detail__history" aria-labelledby="history-heading">
        <h2 id="history-heading" className="card__heading">
          {t('detail.history')}
        </h2>
        <p className="muted">{t('detail.historyNote')}</p>
        <StatusTimeline events={h.history} />
      </section>
      <StatusChangeCard household={h} />
    </div>
  );
}

function EditCard({ household, onDone }: { household: HouseholdDetail; onDone: () => void }) {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const update = useUpdateHousehold(household.id);
  return (
    <section className="card registry-detail__edit" aria-labelledby="edit-heading">
      <h2 id="edit-heading" className="card__heading">
        {t('detail.editTitle')}
      </h2>
      <p className="muted">{t('detail.editNote')}</p>
      <HouseholdForm
        mode="edit"
        initial={valuesOf(household)}
        pending={update.isPending}
        serverError={
          update.isError ? (registryErrorMessage(t, update.error) ?? apiErrorMessage(tc, update.error)) : null
        }
        serverFieldErrors={apiFieldErrors(update.error)}
        submitLabel={t('form.save')}
        onSubmit={(body) => update.mutate(body, { onSuccess: onDone })}
        onCancel={onDone}
      />
    </section>
  );
}

function StatusChangeCard({ household }: { household: HouseholdDetail }) {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const add = useAddStatusEvent(household.id);
  const [values, setValues] = useState<{ status: RegistryStatus; effectiveDate: string; reason: string }>({
    status: household.status,
    effectiveDate: todayInChina(),
    reason: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const serverErrors = apiFieldErrors(add.error);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setDone(false);
    const parsed = statusEventRequestSchema.safeParse(values);
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        if (found[field]) continue;
        found[field] =
          field === 'effectiveDate'
            ? values.effectiveDate > todayInChina()
              ? t('form.dateFuture')
              : t('form.dateInvalid')
            : tc('validation.required');
      }
      setErrors(found);
      focusFirstInvalid(e.currentTarget, Object.keys(found));
      return;
    }
    setErrors({});
    add.mutate(parsed.data, {
      onSuccess: () => {
        setDone(true);
        setValues((v) => ({ ...v, reason: '' }));
      },
    });
  }

  const reasonError = errors['reason'] ?? serverErrors['reason'];
  return (
    <section className="card registry-detail__change" aria-labelledby="status-change-heading">
      <h2 id="status-change-heading" className="card__heading">
        {t('detail.recordChange')}
      </h2>
      <p className="muted">{t('detail.recordChangeNote')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError
          message={add.isError ? (registryErrorMessage(t, add.error) ?? apiErrorMessage(tc, add.error)) : null}
        />
        {done && (
          <p role="status" className="registry-success">
            {t('detail.changeRecorded')}
          </p>
        )}
        <div className="registry-form__grid">
          <div className="field">
            <label className="field__label" htmlFor="field-new-status">
              {t('field.status')}
            </label>
            <select
              id="field-new-status"
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
            name="effectiveDate"
            label={t('field.effectiveDate')}
            type="date"
            max={todayInChina()}
            value={values.effectiveDate}
            onValueChange={(effectiveDate) => setValues((v) => ({ ...v, effectiveDate }))}
            error={errors['effectiveDate'] ?? serverErrors['effectiveDate']}
            required
          />
        </div>
        <div className={reasonError ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor="field-reason">
            {t('field.reason')}
          </label>
          <textarea
            id="field-reason"
            name="reason"
            className="field__input registry-textarea"
            value={values.reason}
            maxLength={500}
            rows={3}
            onChange={(e) => setValues((v) => ({ ...v, reason: e.target.value }))}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? 'field-reason-error' : undefined}
            required
          />
          {reasonError && (
            <p className="field__error" id="field-reason-error">
              {reasonError}
            </p>
          )}
        </div>
        <button type="submit" className="button button--primary" disabled={add.isPending} aria-busy={add.isPending}>
          {t('detail.submitChange')}
        </button>
      </form>
    </section>
  );
}
