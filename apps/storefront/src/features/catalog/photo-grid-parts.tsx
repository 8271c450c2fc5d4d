import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import './console-strings'; // the console's Chinese strings, merged into `catalog` (see there)

/** A photo being uploaded: its local preview (an object URL) until the server has it. */
export interface UploadPreview {
  key: string;
  url: string;
}

/** The photo grid's items for photos still uploading: the preview, marked 正在上传…. */
export function UploadingPreviews({ previews }: { previews: readonly UploadPreview[] }) {
  const { t } = useTranslation('catalog');
  return previews.map((p) => (
    <li key={p.key} className="photo-grid__item photo-grid__item--pending">
      <div className="photo-grid__frame">
        <img src={p.url} alt="" className="photo-grid__img" />
        <span className="photo-grid__cover">{t('photos.uploading')}</span>
      </div>
    </li>
  ));
}

/** 上传图片 (several at once) while there is room, else 已达到 8 张上限. */
export function AddPhotosButton({
  room,
  busy,
  onFiles,
}: {
  room: number;
  busy: boolean;
  onFiles: (e: ChangeEvent<HTMLInputElement>) => void;
}) {
  const { t } = useTranslation('catalog');
  if (room <= 0) return <p className="muted">{t('photos.full')}</p>;
  return (
    <label className="button button--secondary upload-button">
      <input
        type="file"
        accept="image/jpeg,image/png,image/webp"
        multiple
        onChange={onFiles}
        disabled={busy}
        className="visually-hidden"
        aria-label={t('photos.choose')}
      />
      {busy ? t('photos.uploading') : t('photos.choose')}
    </label>
  );
}
