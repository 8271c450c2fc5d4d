import type { PendingPhoto } from '@xiangbo/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { apiErrorMessage, apiFieldErrors } from '../../i18n/api-errors';
import { Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useConsoleProduct, useCreateProduct, useUpdateProduct } from './hooks';
import { useCanEditCatalog } from './ConsoleProductsPage';
import { PendingPhotoPicker } from './PendingPhotoPicker';
import { PhotoManager } from './PhotoManager';
import { ProductForm } from './ProductForm';
import { emptyProductForm, formFromProduct } from './product-form-values';
import { GroupOfferEditor } from '../group-buys/GroupOfferEditor';
import './catalog.css';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

/** /console/:coopId/products/new and /console/:coopId/products/:productId: the product form and its photos. */
export function ConsoleProductEditPage() {
  const { t } = useTranslation('catalog');
  const { productId } = useParams();
  const isNew = !productId || productId === 'new';
  const title = isNew ? t('console.newTitle') : t('console.editTitle');
  useDocumentTitle(title);
  return (
    <ConsoleShell section="products" title={title}>
      {isNew ? <CreateProduct /> : <EditProduct productId={productId} />}
    </ConsoleShell>
  );
}

function BackLink() {
  const { t } = useTranslation('catalog');
  const { coopId = '' } = useParams();
  return (
    <p>
      <Link to={`/console/${coopId}/products`} className="button-link">
        ‹ {t('console.back')}
      </Link>
    </p>
  );
}

/** A new product: photos upload while the admin types, and one save creates the product with them (on sale by default). */
function CreateProduct() {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const navigate = useNavigate();
  const [photos, setPhotos] = useState<PendingPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const create = useCreateProduct(coopId, (body) => ({ ...body, photoIds: photos.map((p) => p.id) }), {
    onSuccess: (p) => {
      navigate(`/console/${coopId}/products/${p.id}`, { replace: true });
    },
  });
  const serverError = !create.isError
    ? null
    : isApiError(create.error) && create.error.code === 'PENDING_PHOTO_UNKNOWN'
      ? t('photos.errors.PENDING_PHOTO_UNKNOWN')
      : apiErrorMessage(tc, create.error);
  return (
    <div className="console-edit">
      <BackLink />
      <div className="console-edit__columns">
        <PendingPhotoPicker coopId={coopId} photos={photos} onChange={setPhotos} onBusyChange={setUploading} />
        <ProductForm
          initial={emptyProductForm}
          mode="create"
          pending={create.isPending}
          photosUploading={uploading}
          serverError={serverError}
          serverFieldErrors={apiFieldErrors(create.error)}
          onSubmit={(body) => create.mutate(body)}
        />
      </div>
    </div>
  );
}

function EditProduct({ productId }: { productId: string }) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const canEdit = useCanEditCatalog(coopId);
  const [saved, setSaved] = useState(false);
  const product = useConsoleProduct(productId);
  const update = useUpdateProduct(productId, { onSuccess: () => setSaved(true) });

  if (product.isPending) return <Loading />;
  if (product.isError)
    return (
      <p role="alert" className="form-error">
        {apiErrorMessage(tc, product.error)}
      </p>
    );
  const p = product.data;
  return (
    <div className="console-edit">
      <BackLink />
      <div className="console-edit__links">
        <Link to={`/console/${coopId}/products/${p.id}/lots`} className="button button--secondary button--small">
          {t('console.lots', { n: p.lotCount })}
        </Link>
        {p.published && (
          <Link to={`/products/${p.id}`} className="button-link">
            {t('console.view')}
          </Link>
        )}
      </div>
      <div className="console-edit__columns">
        <PhotoManager product={p} canEdit={canEdit} />
        {canEdit ? (
          <ProductForm
            key={p.id}
            initial={formFromProduct(p)}
            mode="edit"
            pending={update.isPending}
            serverError={update.isError ? apiErrorMessage(tc, update.error) : null}
            serverFieldErrors={apiFieldErrors(update.error)}
            onSubmit={(body) => {
              setSaved(false);
              update.mutate(body);
            }}
            footer={
              saved && !update.isPending ? (
                <p role="status" className="notice notice--ok">
                  {t('form.saved')}
                </p>
              ) : null
            }
          />
        ) : (
          <p className="notice">{t('console.readOnly')}</p>
        )}
      </div>
      {canEdit && <GroupOfferEditor productId={p.id} />}
    </div>
  );
}
