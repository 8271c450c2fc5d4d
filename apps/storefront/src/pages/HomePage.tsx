import type { ShowListItem } from '@xiangbo/contracts';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatShowTime } from '../format/show-time';
import { shortProvince } from '../format/place';
import { ProductGrid } from '../features/catalog/ProductCard';
import { HomeSearchBox } from '../features/search/HomeSearchBox';
import { Loading } from '../layout/common';
import { LiveIcon } from '../layout/icons';
import { lazyPage } from '../app/lazy-page';
import { useDocumentTitle } from '../layout/useDocumentTitle';
import { LIVE_COUNT, UPCOMING_COUNT, useFeaturedProducts, useHomeFacets } from './home-queries';
import { useHomeShows } from './home-shows';

// The brand pitch and the cooperatives, below the shop.
const HomeMore = lazyPage(
  () => import('./HomeMore'),
  (m) => m.HomeMore,
);

/**
 * Home reads like a shop: search first, then who is live now, the next shows, produce by category and by
 * region, the best sellers; what 乡播 is and how the money is traced comes after them.
 */
export function HomePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('home.title'));
  return (
    <div className="page page--home">
      <h1 className="visually-hidden">{t('home.shopHeading')}</h1>
      <HomeSearchBox />
      <LiveNow />
      <Upcoming />
      <Browse />
      <FeaturedProduce />
      {/* Below the first screen: its own chunk (the server's HTML stays on screen until it is hydrated). */}
      <Suspense fallback={null}>
        <HomeMore />
      </Suspense>
    </div>
  );
}

/** Shows on air now: cover, the 直播中 badge and how many watch. */
function LiveNow() {
  const { t } = useTranslation();
  const live = useHomeShows('live', LIVE_COUNT);
  const shows = live.data?.items ?? [];
  return (
    <section className="section home-live" aria-labelledby="live-now-heading">
      <div className="section__head">
        <h2 id="live-now-heading" className="section__heading">
          <span className="home-live__dot" aria-hidden="true" />
          {t('home.liveHeading')}
        </h2>
        <Link to="/live" className="button-link">
          {t('home.allShows')} ›
        </Link>
      </div>
      {live.isPending ? (
        <div className="home-live__rail home-live__rail--loading" aria-hidden="true" />
      ) : shows.length ? (
        <ul className="home-live__rail">
          {shows.map((s, i) => (
            <li key={s.id}>
              <LiveNowCard show={s} first={i === 0} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="placeholder home-live__empty">{t('home.liveEmpty')}</p>
      )}
    </section>
  );
}

/** `first`: the largest picture of the first screen, fetched first (it is in the server's HTML). */
function LiveNowCard({ show, first }: { show: ShowListItem; first: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to={`/live/${show.id}`} className="live-now-card" data-testid="live-now-card">
      <span className="live-now-card__media">
        {show.coverUrl ? (
          <img
            src={show.coverUrl}
            alt=""
            width={240}
            height={320}
            decoding="async"
            fetchPriority={first ? 'high' : undefined}
          />
        ) : (
          <span className="live-now-card__initials" aria-hidden="true">
            {show.title.slice(0, 2)}
          </span>
        )}
        <span className="live-now-card__badge">
          <LiveIcon className="live-now-card__icon" />
          {t('home.liveBadge')}
        </span>
        {typeof show.viewers === 'number' && (
          <span className="live-now-card__viewers">{t('home.viewers', { n: show.viewers })}</span>
        )}
      </span>
      <span className="live-now-card__title">{show.title}</span>
      <span className="live-now-card__coop">{show.cooperative.name}</span>
    </Link>
  );
}

/**
 * The next shows, in a rail of fixed height like the one above (its placeholder and its empty state are as tall),
 * so nothing below moves when they arrive. 订阅 / 关注 are in the show's page and the live list.
 */
function Upcoming() {
  const { t, i18n } = useTranslation();
  const upcoming = useHomeShows('scheduled', UPCOMING_COUNT);
  const shows = upcoming.data?.items ?? [];
  return (
    <section className="section home-upcoming" aria-labelledby="upcoming-heading">
      <h2 id="upcoming-heading" className="section__heading">
        {t('home.upcomingHeading')}
      </h2>
      {upcoming.isPending ? (
        <div className="home-upcoming__rail home-live__rail--loading" aria-hidden="true" />
      ) : shows.length ? (
        <ul className="home-upcoming__rail">
          {shows.map((s) => (
            <li key={s.id}>
              <Link to={`/live/${s.id}`} className="upcoming-card" data-testid="upcoming-card">
                <span className="upcoming-card__media">
                  {s.coverUrl ? (
                    <img src={s.coverUrl} alt="" width={160} height={90} loading="lazy" decoding="async" />
                  ) : (
                    <span aria-hidden="true">{s.title.slice(0, 2)}</span>
                  )}
                </span>
                <span className="upcoming-card__time">{formatShowTime(s.scheduledAt, i18n.language)}</span>
                <span className="upcoming-card__title">{s.title}</span>
                <span className="upcoming-card__coop">{s.cooperative.name}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="placeholder home-upcoming__empty">{t('home.upcomingEmpty')}</p>
      )}
    </section>
  );
}

/** Produce by category and by region (province), from the catalogue's facets, each with how many are on sale. */
function Browse() {
  const { t } = useTranslation();
  const { t: tc } = useTranslation('catalog');
  const facets = useHomeFacets();
  const categories = facets.data?.categories ?? [];
  const provinces = facets.data?.provinces ?? [];
  if (!facets.isPending && !categories.length && !provinces.length) return null;
  return (
    <section className="section home-browse" aria-labelledby="browse-heading">
      <h2 id="browse-heading" className="section__heading">
        {t('home.browseHeading')}
      </h2>
      {facets.isPending ? (
        <div className="home-browse__loading" aria-hidden="true" />
      ) : (
        <>
          <h3 className="home-browse__label">{t('home.byCategory')}</h3>
          <ul className="chips">
            {categories.map((c) => (
              <li key={c.category}>
                <Link to={`/products?category=${encodeURIComponent(c.category)}`} className="chip">
                  {tc(`category.${c.category}`)} <span className="chip__count">{c.count}</span>
                </Link>
              </li>
            ))}
          </ul>
          <h3 className="home-browse__label">{t('home.byRegion')}</h3>
          <ul className="chips">
            {provinces.map((p) => (
              <li key={p.province}>
                <Link to={`/products?region=${encodeURIComponent(p.province)}`} className="chip">
                  {shortProvince(p.province)} <span className="chip__count">{p.count}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The best sellers: first page of the catalogue sorted by sales. */
function FeaturedProduce() {
  const { t } = useTranslation('catalog');
  const featured = useFeaturedProducts();
  const items = featured.data?.items ?? [];
  return (
    <section className="section" aria-labelledby="featured-heading">
      <div className="section__head">
        <h2 id="featured-heading" className="section__heading">
          {t('home.featuredHeading')}
        </h2>
        {items.length > 0 && (
          <Link to="/products?sort=sales" className="button-link">
            {t('home.seeAll')} ›
          </Link>
        )}
      </div>
      {featured.isPending ? (
        <Loading />
      ) : items.length ? (
        <ProductGrid products={items} />
      ) : (
        <p className="placeholder">{t('home.featuredEmpty')}</p>
      )}
    </section>
  );
}
