import { hasRole } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useConsoleProducts } from './hooks';
import { formatFen } from '../../format';
import './catalog.css';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

/** /console/:coopId/products: the cooperative's products, published or not, with links to edit and to lots. */
export function ConsoleProductsPage() {
  const { t } = useTranslation('catalog');
  useDocumentTitle(t('console.title'));
  return (
    <ConsoleShell section="products" title={t('console.title')}>
      <ProductsTable />
    </ConsoleShell>
  );
}

/** True when the signed-in user is the cooperative's admin (hosts only read). */
export function useCanEditCatalog(coopId: string): boolean {
  const { user } = useAuth();
  return hasRole(user, 'coop_admin', coopId);
}

function ProductsTable() {
  const { t, i18n } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const canEdit = useCanEditCatalog(coopId);
  const list = useConsoleProducts(coopId);

  if (list.isPending) return <Loading />;
  if (list.isError)
    return (
      <p role="alert" className="form-error">
        {apiErrorMessage(tc, list.error)}
      </p>
    );

  const add = canEdit && (
    <Link to={`/console/${coopId}/products/new`} className="button button--primary">
      {t('console.add')}
    </Link>
  );
  if (!list.data.length) {
    return (
      <EmptyState title={t('console.empty')} hint={canEdit ? t('console.emptyHint') : t('console.readOnly')}>
        {add}
      </EmptyState>
    );
  }
  return (
    <>
      {!canEdit && <p className="notice">{t('console.readOnly')}</p>}
      <div className="console-toolbar">{add}</div>
      <ul className="console-products">
        {list.data.map((p) => (
          <li key={p.id} className="console-product">
            <div className="console-product__media">
              {p.coverThumbUrl ? (
                <img src={p.coverThumbUrl} alt="" />
              ) : (
                <span aria-hidden="true">{p.nameZh.slice(0, 2)}</span>
              )}
            </div>
            <div className="console-product__body">
              <h2 className="console-product__name">
                {p.nameZh}{' '}
                <span className={`pill ${p.published ? 'pill--on' : 'pill--off'}`}>
                  {p.published ? t('console.published') : t('console.draft')}
                </span>
              </h2>
              <p className="console-product__facts">
                <span>
                  {t('console.price')} <strong className="price__amount">{formatFen(p.priceFen, i18n.language)}</strong>
                  {t('card.perUnit', { unit: t(`unit.${p.unit}`) })}
                </span>
                <span>
                  {t('console.stock')} {p.stock}
                </span>
                <span>
                  {t('console.sold')} {p.soldCount}
                </span>
                <span>{t('console.photosCount', { n: p.photos.length })}</span>
              </p>
              <div className="console-product__actions">
                <Link to={`/console/${coopId}/products/${p.id}`} className="button button--secondary button--small">
                  {t('console.edit')}
                </Link>
                <Link
                  to={`/console/${coopId}/products/${p.id}/lots`}
                  className="button button--secondary button--small"
                >
                  {t('console.lots', { n: p.lotCount })}
                </Link>
                {p.published && (
                  <Link to={`/products/${p.id}`} className="button-link">
                    {t('console.view')}
                  </Link>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
