import type { ConsoleReview } from '@xiangbo/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { AdminShell, ConsoleShell } from '../console/ConsoleShell';
import { useCooperativeReviews, useReplyReview, useReportedReviews, useSetReviewHidden } from './api';
import { ReviewItem } from './ReviewItem';
import './reviews.css';

/** /console/:coopId/reviews: what buyers said about the cooperative's produce, and its answers. */
export function ConsoleReviewsPage() {
  const { t } = useTranslation('reviews');
  useDocumentTitle(t('console.title'));
  return (
    <ConsoleShell section="reviews" title={t('console.title')}>
      <CooperativeReviews />
    </ConsoleShell>
  );
}

function CooperativeReviews() {
  const { t } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const q = useCooperativeReviews(coopId);
  if (q.isPending) return <Loading />;
  if (q.isError) return <p role="alert">{apiErrorMessage(tc, q.error)}</p>;
  if (!q.data.length) return <EmptyState title={t('console.none')} headingLevel={2} />;
  return (
    <ul className="console-reviews">
      {q.data.map((r) => (
        <li key={r.id} className="console-review">
          <ReviewMeta review={r} />
          <ReviewItem review={r} />
          <ReplyForm coopId={coopId} review={r} />
        </li>
      ))}
    </ul>
  );
}

function ReviewMeta({ review }: { review: ConsoleReview }) {
  const { t } = useTranslation('reviews');
  return (
    <p className="console-review__meta">
      <span className="console-review__product">{review.productName}</span>
      {review.hidden && <span className="review-badge">{t('console.hidden')}</span>}
      {review.reports > 0 && (
        <span className="review-badge review-badge--warn">{t('console.reports', { n: review.reports })}</span>
      )}
    </p>
  );
}

function ReplyForm({ coopId, review }: { coopId: string; review: ConsoleReview }) {
  const { t } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const reply = useReplyReview(coopId);
  const [text, setText] = useState(review.reply?.text ?? '');
  const id = `reply-${review.id}`;
  return (
    <form
      className="reply-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) reply.mutate({ reviewId: review.id, text: text.trim() });
      }}
    >
      <label className="field__label" htmlFor={id}>
        {review.reply ? t('reply.edit') : t('reply.write')}
      </label>
      <textarea
        id={id}
        className="field__input"
        rows={2}
        maxLength={300}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {reply.isError && (
        <p className="field__error" role="alert">
          {apiErrorMessage(tc, reply.error)}
        </p>
      )}
      {reply.isSuccess && <p className="muted">{t('reply.saved')}</p>}
      <button type="submit" className="button button--secondary" disabled={reply.isPending || !text.trim()}>
        {t('reply.submit')}
      </button>
    </form>
  );
}

/** /admin/reviews: reviews buyers reported, most reported first; the platform hides or shows again. */
export function AdminReviewsPage() {
  const { t } = useTranslation('reviews');
  useDocumentTitle(t('admin.title'));
  return (
    <AdminShell section="reviews" title={t('admin.title')}>
      <ReportedReviews />
    </AdminShell>
  );
}

function ReportedReviews() {
  const { t } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const q = useReportedReviews();
  const setHidden = useSetReviewHidden();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  if (q.isPending) return <Loading />;
  if (q.isError) return <p role="alert">{apiErrorMessage(tc, q.error)}</p>;
  if (!q.data.length) return <EmptyState title={t('admin.none')} headingLevel={2} />;
  return (
    <ul className="console-reviews">
      {setHidden.isError && (
        <li className="field__error" role="alert">
          {apiErrorMessage(tc, setHidden.error)}
        </li>
      )}
      {q.data.map((r) => (
        <li key={r.id} className="console-review">
          <ReviewMeta review={r} />
          <ReviewItem review={r} />
          {r.hidden ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setHidden.mutate({ reviewId: r.id, hidden: false })}
            >
              {t('admin.show')}
            </button>
          ) : (
            <form
              className="reply-form"
              onSubmit={(e) => {
                e.preventDefault();
                setHidden.mutate({ reviewId: r.id, hidden: true, reason: reasons[r.id] });
              }}
            >
              <label className="field__label" htmlFor={`hide-${r.id}`}>
                {t('admin.reason')}
              </label>
              <input
                id={`hide-${r.id}`}
                className="field__input"
                maxLength={200}
                value={reasons[r.id] ?? ''}
                onChange={(e) => setReasons({ ...reasons, [r.id]: e.target.value })}
              />
              <button type="submit" className="button button--primary">
                {t('admin.hide')}
              </button>
            </form>
          )}
        </li>
      ))}
    </ul>
  );
}
