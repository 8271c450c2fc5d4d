import {
  COOPERATIVE_STATUSES,
  rejectApplicationSchema,
  type AdminCooperativeApplication,
  type CooperativeStatus,
} from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { FormError } from '../../forms/FormError';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { AdminShell } from '../console/ConsoleShell';
import { useAdminApplications, useReview } from './api';
import { TextAreaField } from './fields';
import { formatDate } from '../../format';
import { ApplicationStatusBadge, Notice, regionText, useCoopErrorMessage } from './shared';

/** /admin/applications: platform admins approve or reject cooperative applications (pending first). */
export function AdminApplicationsPage() {
  const { t } = useTranslation('coop');
  useDocumentTitle(t('admin.title'));
  return (
    <AdminShell section="applications" title={t('admin.title')}>
      <Applications />
    </AdminShell>
  );
}

function Applications() {
  const { t } = useTranslation('coop');
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: CooperativeStatus = (COOPERATIVE_STATUSES as readonly string[]).includes(raw ?? '')
    ? (raw as CooperativeStatus)
    : 'pending';
  const list = useAdminApplications(status);
  const errorMessage = useCoopErrorMessage();
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <>
      <div className="coop-segments" role="group" aria-label={t('admin.filter')}>
        {COOPERATIVE_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`coop-segment${s === status ? ' coop-segment--active' : ''}`}
            aria-pressed={s === status}
            onClick={() => {
              setNotice(null);
              setParams(s === 'pending' ? {} : { status: s });
            }}
          >
            {t(`status.${s}`)}
          </button>
        ))}
      </div>
      <Notice>{notice}</Notice>
      {list.isPending && <Loading />}
      {list.isError && <FormError message={errorMessage(list.error)} />}
      {list.data && list.data.total > 0 && <p className="coop-meta">{t('admin.total', { count: list.data.total })}</p>}
      {list.data?.items.length === 0 && <EmptyState title={t('admin.empty', { status: t(`status.${status}`) })} />}
      <ul className="coop-list" data-testid="applications">
        {list.data?.items.map((a) => (
          <ApplicationCard key={a.id} application={a} onDone={setNotice} />
        ))}
      </ul>
    </>
  );
}

function ApplicationCard({
  application: a,
  onDone,
}: {
  application: AdminCooperativeApplication;
  onDone: (msg: string) => void;
}) {
  const { t, i18n } = useTranslation('coop');
  const { t: tApp } = useTranslation();
  const review = useReview();
  const errorMessage = useCoopErrorMessage();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const headingId = `application-${a.id}`;

  function approve() {
    review.mutate(
      { id: a.id, decision: 'approve' },
      { onSuccess: () => onDone(t('admin.approved', { name: a.name })) },
    );
  }

  function reject(e: FormEvent) {
    e.preventDefault();
    const parsed = rejectApplicationSchema.safeParse({ reason });
    if (!parsed.success) {
      const tooLong = parsed.error.issues.some((i) => i.code === 'too_big');
      setReasonError(tooLong ? tApp('validation.tooLong', { max: 500 }) : tApp('validation.required'));
      return;
    }
    setReasonError(undefined);
    review.mutate(
      { id: a.id, decision: 'reject', reason: parsed.data.reason },
      { onSuccess: () => onDone(t('admin.rejected', { name: a.name })) },
    );
  }

  return (
    <li className="card coop-application" aria-labelledby={headingId}>
      <div className="coop-application__top">
        <h2 className="coop-application__name" id={headingId}>
          {a.name}
        </h2>
        <ApplicationStatusBadge status={a.status} />
      </div>
      <dl className="details coop-details">
        <div className="details__row">
          <dt>{t('apply.usccLabel')}</dt>
          <dd className="coop-mono">{a.uscc}</dd>
        </div>
        <div className="details__row">
          <dt>{t('console.region')}</dt>
          <dd>{regionText(a)}</dd>
        </div>
        <div className="details__row">
          <dt>{t('admin.applicant')}</dt>
          <dd>
            {a.applicant.displayName} · {a.applicant.email ?? a.applicant.mobile}
          </dd>
        </div>
        <div className="details__row">
          <dt>{t('admin.contact')}</dt>
          <dd>
            {a.contactName} · <a href={`tel:${a.contactPhone}`}>{a.contactPhone}</a>
          </dd>
        </div>
        <div className="details__row">
          <dt>{t('admin.submittedAt')}</dt>
          <dd>{formatDate(a.createdAt, i18n.language, 'long')}</dd>
        </div>
        {a.reviewReason && (
          <div className="details__row">
            <dt>{t('admin.reason')}</dt>
            <dd>{a.reviewReason}</dd>
          </div>
        )}
      </dl>
      {a.story && (
        <details className="coop-more">
          <summary>{t('admin.story')}</summary>
          <p className="coop-story">{a.story}</p>
        </details>
      )}
      <FormError message={review.isError ? errorMessage(review.error) : null} />
      {a.status === 'pending' && !rejecting && (
        <div className="button-row">
          <button type="button" className="button button--primary" onClick={approve} disabled={review.isPending}>
            {t('admin.approve')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setRejecting(true)}
            disabled={review.isPending}
          >
            {t('admin.reject')}
          </button>
        </div>
      )}
      {a.status === 'pending' && rejecting && (
        <form className="coop-inline-form" onSubmit={reject} noValidate>
          <TextAreaField
            idPrefix={`reject-${a.id}`}
            name="reason"
            label={t('admin.rejectReason')}
            hint={t('admin.rejectReasonHint')}
            value={reason}
            onValueChange={setReason}
            error={reasonError}
            rows={3}
            maxLength={500}
            required
            autoFocus
          />
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={review.isPending}>
              {t('admin.confirmReject')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setRejecting(false)}>
              {t('admin.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
