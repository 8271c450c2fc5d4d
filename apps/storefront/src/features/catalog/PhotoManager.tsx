import { useQueryClient } from '@tanstack/react-query';
import { MAX_PRODUCT_PHOTOS, type ConsoleProduct } from '@xiangbo/contracts';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useApiClient } from '../../auth/auth-context';
import { apiErrorMessage } from '../../i18n/api-errors';
import { catalogApi, uploadPhoto } from './api';
import { AddPhotosButton, UploadingPreviews } from './photo-grid-parts';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

type PhotoErrorCode = 'NOT_AN_IMAGE' | 'IMAGE_TOO_LARGE' | 'PAYLOAD_TOO_LARGE' | 'PHOTO_LIMIT';
const PHOTO_ERRORS: readonly string[] = ['NOT_AN_IMAGE', 'IMAGE_TOO_LARGE', 'PAYLOAD_TOO_LARGE', 'PHOTO_LIMIT'];

/** Upload (with a local preview while it goes), reorder and delete a product's photos; the first is the cover. */
export function PhotoManager({ product, canEdit }: { product: ConsoleProduct; canEdit: boolean }) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<{ key: string; url: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const photos = product.photos;
  const room = MAX_PRODUCT_PHOTOS - photos.length;

  const store = (p: ConsoleProduct) => {
    queryClient.setQueryData(['catalog', 'console', 'product', p.id], p);
    void queryClient.invalidateQueries({ queryKey: ['catalog', 'console', 'list'] });
  };
  const describe = (e: unknown) =>
    isApiError(e) && PHOTO_ERRORS.includes(e.code)
      ? t(`photos.errors.${e.code as PhotoErrorCode}`)
      : apiErrorMessage(tc, e);

  async function onFiles(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []).slice(0, room);
    e.target.value = '';
    if (!files.length) return;
    setError(null);
    setBusy(true);
    const previews = files.map((f, i) => ({ key: `${Date.now()}-${i}`, url: URL.createObjectURL(f) }));
    setPending(previews);
    try {
      for (const [i, f] of files.entries()) {
        store(await uploadPhoto(client, product.id, f));
        setPending((old) => old.filter((p) => p.key !== previews[i].key));
      }
    } catch (err) {
      setError(describe(err));
    } finally {
      previews.forEach((p) => URL.revokeObjectURL(p.url));
      setPending([]);
      setBusy(false);
    }
  }

  async function run(action: () => Promise<ConsoleProduct>) {
    setError(null);
    setBusy(true);
    try {
      store(await action());
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  }

  const move = (index: number, by: -1 | 1) => {
    const ids = photos.map((p) => p.id);
    const [x] = ids.splice(index, 1);
    ids.splice(index + by, 0, x);
    void run(() => catalogApi.reorderPhotos(client, product.id, ids));
  };

  return (
    <section className="card photo-manager" aria-labelledby="photos-heading">
      <div className="photo-manager__head">
        <h2 id="photos-heading" className="card__heading">
          {t('photos.heading')}
        </h2>
        <span className="muted">{t('photos.count', { n: photos.length })}</span>
      </div>
      <p className="field__hint">{t('photos.hint')}</p>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <ul className="photo-grid" aria-busy={busy}>
        {photos.map((ph, i) => (
          <li key={ph.id} className="photo-grid__item">
            <div className="photo-grid__frame">
              <img src={ph.thumbUrl} alt={t('photos.photoAlt', { n: i + 1 })} className="photo-grid__img" />
              {i === 0 && <span className="photo-grid__cover">{t('photos.cover')}</span>}
            </div>
            {canEdit && (
              <div className="photo-grid__actions">
                <button
                  type="button"
                  className="icon-button"
                  onClick={() => move(i, -1)}
                  disabled={busy || i === 0}
                  aria-label={`${t('photos.moveLeft')} ${i + 1}`}
                >
                  ‹
                </button>
                <button
                  type="button"
                  className="icon-button"
                  onClick={() => move(i, 1)}
                  disabled={busy || i === photos.length - 1}
                  aria-label={`${t('photos.moveRight')} ${i + 1}`}
                >
                  ›
                </button>
                <button
                  type="button"
                  className="icon-button icon-button--danger"
                  onClick={() => void run(() => catalogApi.deletePhoto(client, product.id, ph.id))}
                  disabled={busy}
                  aria-label={`${t('photos.delete')} ${i + 1}`}
                >
                  ×
                </button>
              </div>
            )}
          </li>
        ))}
        <UploadingPreviews previews={pending} />
      </ul>
      {canEdit && <AddPhotosButton room={room} busy={busy} onFiles={(e) => void onFiles(e)} />}
    </section>
  );
}
