import { useTranslation } from 'react-i18next';
import { EmptyState } from '../layout/common';
import { LiveIcon } from '../layout/icons';
import { useDocumentTitle } from '../layout/useDocumentTitle';

export function LivePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('live.title'));
  return (
    <div className="page">
      <h1 className="page__heading">{t('live.heading')}</h1>
      <EmptyState icon={<LiveIcon />} title={t('live.empty')} hint={t('live.emptyHint')} />
    </div>
  );
}
