import { MAX_REVIEW_PHOTOS, REVIEW_TEXT_MAX, type OrderReviewLine } from '@xiangbo/contracts';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useAddReviewPhoto, useOrderReviews, useWriteReview } from './api';
import { ReviewItem } from './ReviewItem';
import { StarInput } from './Stars';
import './reviews.css';

/** /orders/:id/review: the buyer reviews each line of a completed order (stars, words, up to 6 photos). */
export function OrderReviewPage() {
  const { t } = useTranslation('reviews');
  useDocumentTitle(t('write.title'));
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  return <OrderReviews />;
}

function OrderReviews() {
  const { t } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const { id = '' } = useParams();
  const q = useOrderReviews(id);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    const missing = isApiError(q.error) && q.error.status === 404;
    return (
      <div className="page page--narrow">
        <EmptyState title={missing ? t('write.notFound') : apiErrorMessage(tc, q.error)}>
          <Link to="/orders" className="button button--secondary">
            {t('write.backToOrders')}
          </Link>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="page page--narrow review-page">
      <h1 className="page__heading">{t('write.title')}</h1>
      {!q.data.reviewable && <p className="review-notice">{t('write.notYet')}</p>}
      {q.data.lines.map((line) => (
        <section key={line.lineId} className="review-line" aria-label={line.productName}>
          <h2 className="review-line__product">
            <Link to={`/products/${line.productId}`}>{line.productName}</Link>
          </h2>
          {line.review ? (
            <WrittenReview orderId={id} line={line} />
          ) : q.data.reviewable ? (
            <ReviewForm orderId={id} line={line} />
          ) : null}
        </section>
      ))}
      <Link to={`/orders/${id}`} className="button button--secondary">
        {t('write.backToOrder')}
      </Link>
    </div>
  );
}

function ReviewForm({ orderId, line }: { orderId: string; line: OrderReviewLine }) {
  const { t } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const write = useWriteReview(orderId);
  const [rating, setRating] = useState(5);
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [touched, setTouched] = useState(false);
  const textError = touched && !text.trim() ? t('write.textRequired') : undefined;
  const textId = `review-text-${line.lineId}`;
  return (
    <form
      className="review-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!text.trim()) return;
        write.mutate({ body: { lineId: line.lineId, rating, text: text.trim() }, photos });
      }}
    >
      <StarInput name={`rating-${line.lineId}`} value={rating} onChange={setRating} />
      <div className={textError ? 'field field--invalid' : 'field'}>
        <label className="field__label" htmlFor={textId}>
          {t('write.text')}
        </label>
        <textarea
          id={textId}
          className="field__input review-form__text"
          rows={4}
          maxLength={REVIEW_TEXT_MAX}
          placeholder={t('write.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => setTouched(true)}
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? `${textId}-error` : `${textId}-count`}
        />
        <p className="field__hint" id={`${textId}-count`}>
          {t('write.count', { n: text.length, max: REVIEW_TEXT_MAX })}
        </p>
        {textError && (
          <p className="field__error" id={`${textId}-error`}>
            {textError}
          </p>
        )}
      </div>
      <PhotoPicker files={photos} onChange={setPhotos} max={MAX_REVIEW_PHOTOS} />
      {write.isError && (
        <p className="field__error" role="alert">
          {apiErrorMessage(tc, write.error)}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={write.isPending}>
        {write.isPending ? t('write.sending') : t('write.submit')}
      </button>
    </form>
  );
}

function WrittenReview({ orderId, line }: { orderId: string; line: OrderReviewLine }) {
  const { t } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const add = useAddReviewPhoto(orderId);
  const review = line.review;
  if (!review) return null;
  const open = review.photos.length < MAX_REVIEW_PHOTOS && Date.now() < new Date(review.photosUntil).getTime();
  return (
    <div className="review-written">
      {review.hidden && <p className="review-notice">{t('write.hidden')}</p>}
      <ReviewItem review={review} />
      {open && (
        <label className="button button--secondary review__upload">
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            className="visually-hidden"
            disabled={add.isPending}
            onChange={(e) => {
              const photo = e.target.files?.[0];
              e.target.value = '';
              if (photo) add.mutate({ reviewId: review.id, photo });
            }}
          />
          {add.isPending ? t('write.sending') : t('photos.addMore')}
        </label>
      )}
      {add.isError && (
        <p className="field__error" role="alert">
          {apiErrorMessage(tc, add.error)}
        </p>
      )}
    </div>
  );
}

/** Picks up to `max` images and shows them before they are sent. */
function PhotoPicker({ files, onChange, max }: { files: File[]; onChange: (f: File[]) => void; max: number }) {
  const { t } = useTranslation('reviews');
  const previews = useMemo(() => files.map((f) => URL.createObjectURL(f)), [files]);
  useEffect(() => () => previews.forEach((u) => URL.revokeObjectURL(u)), [previews]);
  return (
    <div className="photo-picker">
      <p className="field__label">{t('photos.pick', { max })}</p>
      <ul className="review__photos">
        {previews.map((src, i) => (
          <li key={src}>
            <img src={src} alt={t('photos.alt', { n: i + 1 })} width={88} height={88} />
            <button
              type="button"
              className="photo-picker__remove"
              aria-label={t('photos.remove', { n: i + 1 })}
              onClick={() => onChange(files.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
        {files.length < max && (
          <li>
            <label className="photo-picker__add">
              <input
                type="file"
                multiple
                accept="image/jpeg,image/png,image/webp"
                className="visually-hidden"
                data-testid="review-photo-input"
                onChange={(e) => {
                  const picked = Array.from(e.target.files ?? []);
                  e.target.value = '';
                  onChange([...files, ...picked].slice(0, max));
                }}
              />
              <span aria-hidden="true">+</span>
              <span className="visually-hidden">{t('photos.add')}</span>
            </label>
          </li>
        )}
      </ul>
    </div>
  );
}
