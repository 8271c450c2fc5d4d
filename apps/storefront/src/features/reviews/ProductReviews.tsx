import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../../i18n/api-errors';
import { useProductReviews } from './api';
import { ReviewItem } from './ReviewItem';
import { Stars } from './Stars';
import './reviews.css';

/** The product page's 评价 section: average, how many, stars by count, the latest reviews and more on demand. */
export function ProductReviews({ productId }: { productId: string }) {
  const { t, i18n } = useTranslation('reviews');
  const { t: tc } = useTranslation();
  const q = useProductReviews(productId);
  const first = q.data?.pages[0];
  return (
    <section className="reviews" aria-labelledby="reviews-heading" data-testid="product-reviews">
      <h2 id="reviews-heading" className="reviews__heading">
        {t('product.heading', { n: first?.count ?? 0 })}
      </h2>
      {q.isPending && <p className="muted">{t('loading')}</p>}
      {q.isError && <p role="alert">{apiErrorMessage(tc, q.error)}</p>}
      {first && first.count === 0 && <p className="muted">{t('product.none')}</p>}
      {first && first.average !== null && (
        <div className="reviews__summary">
          <p className="reviews__average">
            <span className="reviews__average-number">
              {first.average.toLocaleString(i18n.language, { minimumFractionDigits: 1 })}
            </span>
            <Stars value={first.average} size="large" />
          </p>
          <ul className="reviews__bars" aria-label={t('product.distribution')}>
            {[5, 4, 3, 2, 1].map((n) => {
              const count = first.distribution[n - 1];
              return (
                <li key={n} className="reviews__bar">
                  <span className="reviews__bar-label">{t('starsShort', { n })}</span>
                  <span className="reviews__bar-track" aria-hidden="true">
                    <span
                      className="reviews__bar-fill"
                      style={{ width: `${first.count ? (count / first.count) * 100 : 0}%` }}
                    />
                  </span>
                  <span className="reviews__bar-count">{t('product.count', { n: count })}</span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {q.data?.pages.flatMap((page) => page.items.map((r) => <ReviewItem key={r.id} review={r} canReport />))}
      {q.hasNextPage && (
        <button
          type="button"
          className="button button--secondary reviews__more"
          onClick={() => void q.fetchNextPage()}
          disabled={q.isFetchingNextPage}
        >
          {t('product.more')}
        </button>
      )}
    </section>
  );
}
