import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { apiErrorMessage, apiFieldErrors } from '../../../i18n/api-errors';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { AdminShell } from '../../console/ConsoleShell';
import { useCreateHousehold } from '../api';
import { emptyHouseholdValues, HouseholdForm } from '../components/HouseholdForm';
import { registryErrorMessage } from '../errors';

/** /admin/registry/new: register a household with its first status. */
export function HouseholdNewPage() {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('form.newTitle'));
  const navigate = useNavigate();
  const create = useCreateHousehold();
  const duplicateOf =
    isApiError(create.error) && create.error.code === 'DUPLICATE_ID_NUMBER'
      ? (create.error.body.details?.['existingHouseholdId'] as string | undefined)
      : undefined;

  return (
    <AdminShell section="registry" title={t('form.newTitle')}>
      <div className="page--narrow registry-narrow">
        <p className="muted">{t('form.newIntro')}</p>
        <div className="card">
          <HouseholdForm
            mode="create"
            initial={emptyHouseholdValues()}
            pending={create.isPending}
            serverError={
              create.isError ? (registryErrorMessage(t, create.error) ?? apiErrorMessage(tc, create.error)) : null
            }
            serverFieldErrors={duplicateOf ? { idNumber: t('form.duplicate') } : apiFieldErrors(create.error)}
            submitLabel={t('form.create')}
            extra={
              duplicateOf && (
                <p>
                  <Link to={`/admin/registry/${duplicateOf}`}>{t('form.openExisting')}</Link>
                </p>
              )
            }
            onSubmit={(body) => create.mutate(body, { onSuccess: (h) => navigate(`/admin/registry/${h.id}`) })}
            onCancel={() => navigate('/admin/registry')}
          />
        </div>
      </div>
    </AdminShell>
  );
}
