import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { RequireRoles } from '../auth/RequireRoles';
import { CONSOLE_AREAS, type ConsoleAreaId } from '../auth/roles';
import { EmptyState } from '../layout/common';
import { ReceiptIcon } from '../layout/icons';
import { useDocumentTitle } from '../layout/useDocumentTitle';

/** /console, /audit and /admin: protected, and for now only a promise of what is coming. */
export function ConsolePlaceholderPage({ areaId }: { areaId: ConsoleAreaId }) {
  const { t } = useTranslation();
  const area = CONSOLE_AREAS.find((a) => a.id === areaId) ?? CONSOLE_AREAS[0];
  const areaName = t(`consoleArea.${area.id}`);
  useDocumentTitle(areaName);

  return (
    <RequireRoles roles={area.roles} areaName={areaName}>
      <div className="page">
        <h1 className="page__heading">{areaName}</h1>
        <EmptyState icon={<ReceiptIcon />} title={t('console.comingSoonHeading', { area: areaName })} hint={t('console.comingSoonBody')}>
          <Link to="/me" className="button button--secondary">
            {t('console.backToAccount')}
          </Link>
        </EmptyState>
      </div>
    </RequireRoles>
  );
}
