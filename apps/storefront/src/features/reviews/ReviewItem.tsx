import type { PublicReview } from '@xiangbo/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/auth-context';
import { apiErrorMessage } from '../../i18n/api-errors';
import { formatDateTime } from '../../format';
import { useReportReview } from './api';
import { Stars } from './Stars';

/** One review: stars, masked buyer, date, text, photos (tap for the full size), the cooperative's answer. */
export function ReviewItem({ review, canReport = false }: { review: PublicReview; canReport?: boolean }) {
  const { t, i18n } = useTranslation('reviews');
  return (
    <article className="review" data-testid="review">
      <header className="review__head">
        <span className="review__buyer">{review.buyerMasked}</span>
        <Stars value={review.rating} />
        <time className="review__date muted" dateTime={review.createdAt}>
          {formatDateTime(review.createdAt, i18n.language)}
        </time>
      </header>
      <p className="review__text">{review.text}</p>
      {review.photos.length > 0 && (
        <ul className="review__photos" aria-label={t('photos.label')}>
          {review.photos.map((ph, i) => (
            <li key={ph.thumbUrl}>
              <a href={ph.url} target="_blank" rel="noreferrer">
                <img
                  src={ph.thumbUrl}
                  alt={t('photos.alt', { n: i + 1 })}
                  width={88}
                  height={88}
                  loading="lazy"
                  decoding="async"
                />
              </a>
            </li>
          ))}
        </ul>
      )}
      {review.reply && (
        <p className="review__reply">
          <strong>{t('reply.label')}</strong>
          {review.reply.text}
        </p>
      )}
      {canReport && <ReportButton reviewId={review.id} />}
    </article>
  );
}

function ReportButton({ reviewId }: { reviewId: string }) {
  const { t } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const { status } = useAuth();
  const report = useReportReview();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (status !== 'signedIn') return null;
  if (report.isSuccess) return <p className="review__reported muted">{t('report.done')}</p>;
  if (!open) {
    return (
      <button type="button" className="review__link-button" onClick={() => setOpen(true)}>
        {t('report.open')}
      </button>
    );
  }
  return (
    <form
      className="review__report-form"
      onSubmit={(e) => {
        e.preventDefault();
        report.mutate({ reviewId, reason });
      }}
    >
      <label className="field__label" htmlFor={`report-${reviewId}`}>
        {t('report.reason')}
      </label>
      <input
        id={`report-${reviewId}`}
        className="field__input"
        value={reason}
        maxLength={200}
        required
        onChange={(e) => setReason(e.target.value)}
      />
      {report.isError && (
        <p className="field__error" role="alert">
          {apiErrorMessage(tc, report.error)}
        </p>
      )}
      <button type="submit" className="button button--secondary" disabled={report.isPending || !reason.trim()}>
        {t('report.submit')}
      </button>
    </form>
  );
}
