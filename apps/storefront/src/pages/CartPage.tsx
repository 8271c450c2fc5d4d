import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { EmptyState } from '../layout/common';
import { CartIcon } from '../layout/icons';
import { useDocumentTitle } from '../layout/useDocumentTitle';

export function CartPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('cart.title'));
  return (
    <div className="page">
      <h1 className="page__heading">{t('cart.heading')}</h1>
      <EmptyState icon={<CartIcon />} title={t('cart.empty')} hint={t('cart.emptyHint')}>
        <Link to="/" className="button button--secondary">
          {t('cart.browse')}
        </Link>
      </EmptyState>
    </div>
  );
}
