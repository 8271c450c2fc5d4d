import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../layout/useDocumentTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="page page--narrow">
      <p className="status-code" aria-hidden="true">
        404
      </p>
      <h1 className="page__heading">{t('notFound.heading')}</h1>
      <p>{t('notFound.body')}</p>
      <Link to="/" className="button button--secondary">
        {t('common.backHome')}
      </Link>
    </div>
  );
}
