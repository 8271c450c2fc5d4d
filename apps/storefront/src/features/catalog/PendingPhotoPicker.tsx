import { MAX_PRODUCT_PHOTOS, type PendingPhoto } from '@xiangbo/contracts';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useApiClient } from '../../auth/auth-context';
import { apiErrorMessage } from '../../i18n/api-errors';
import { deletePendingPhoto, uploadPendingPhoto } from './api';
import { AddPhotosButton, UploadingPreviews } from './photo-grid-parts';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

const PHOTO_ERRORS: readonly string[] = ['NOT_AN_IMAGE', 'IMAGE_TOO_LARGE', 'PAYLOAD_TOO_LARGE', 'PHOTO_LIMIT'];

/**
 * Photos of a product not saved yet: each uploads as soon as it is chosen (to the cooperative's pending photos),
 * so the first save sends only their ids and the product is created with its photos. The first is the cover.
 */
export function PendingPhotoPicker({
  coopId,
  photos,
  onChange,
  onBusyChange,
}: {
  coopId: string;
  photos: PendingPhoto[];
  onChange: (update: (old: PendingPhoto[]) => PendingPhoto[]) => void;
  onBusyChange: (busy: boolean) => void;
}) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const [previews, setPreviews] = useState<{ key: string; url: string }[]>([]);
  const [busy, setBusyState] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const room = MAX_PRODUCT_PHOTOS - photos.length;
  const setBusy = (b: boolean) => {
    setBusyState(b);
    onBusyChange(b);
  };
  const describe = (e: unknown) =>
    isApiError(e) && PHOTO_ERRORS.includes(e.code)
      ? t(`photos.errors.${e.code as 'NOT_AN_IMAGE'}`)
      : apiErrorMessage(tc, e);

  async function onFiles(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []).slice(0, room);
    e.target.value = '';
    if (!files.length) return;
    setError(null);
    setBusy(true);
    const shown = files.map((f, i) => ({ key: `${Date.now()}-${i}`, url: URL.createObjectURL(f) }));
    setPreviews(shown);
    try {
      for (const [i, f] of files.entries()) {
        const uploaded = await uploadPendingPhoto(client, coopId, f);
        onChange((old) => [...old, uploaded]);
        setPreviews((old) => old.filter((p) => p.key !== shown[i].key));
      }
    } catch (err) {
      setError(describe(err));
    } finally {
      shown.forEach((p) => URL.revokeObjectURL(p.url));
      setPreviews([]);
      setBusy(false);
    }
  }

  async function remove(id: string) {
    setError(null);
    setBusy(true);
    try {
      await deletePendingPhoto(client, coopId, id);
    } catch (err) {
      // Already gone on the server (swept): drop it here too; anything else is shown.
      if (!(isApiError(err) && err.status === 404)) {
        setError(describe(err));
        setBusy(false);
        return;
      }
    }
    onChange((old) => old.filter((p) => p.id !== id));
    setBusy(false);
  }

  return (
    <section className="card photo-manager" aria-labelledby="new-photos-heading">
      <div className="photo-manager__head">
        <h2 id="new-photos-heading" className="card__heading">
          {t('photos.heading')}
        </h2>
        <span className="muted">{t('photos.count', { n: photos.length })}</span>
      </div>
      <p className="field__hint">{t('photos.hintNew')}</p>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <ul className="photo-grid" aria-busy={busy}>
        {photos.map((ph, i) => (
          <li key={ph.id} className="photo-grid__item" data-testid="pending-photo">
            <div className="photo-grid__frame">
              <img src={ph.thumbUrl} alt={t('photos.photoAlt', { n: i + 1 })} className="photo-grid__img" />
              {i === 0 && <span className="photo-grid__cover">{t('photos.cover')}</span>}
            </div>
            <div className="photo-grid__actions">
              <button
                type="button"
                className="icon-button icon-button--danger"
                onClick={() => void remove(ph.id)}
                disabled={busy}
                aria-label={`${t('photos.delete')} ${i + 1}`}
              >
                ×
              </button>
            </div>
          </li>
        ))}
        <UploadingPreviews previews={previews} />
      </ul>
      <AddPhotosButton room={room} busy={busy} onFiles={(e) => void onFiles(e)} />
    </section>
  );
}
