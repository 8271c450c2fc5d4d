import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useApiClient, useAuth } from '../auth/auth-context';
import { catalogApi } from '../features/catalog/api';
import { ProductGrid } from '../features/catalog/ProductCard';
import { LiveShelf } from '../features/live/LiveShelf';
import { Loading } from '../layout/common';
import { LiveIcon, ReceiptIcon, SproutIcon } from '../layout/icons';
import { useDocumentTitle } from '../layout/useDocumentTitle';

export function HomePage() {
  const { t } = useTranslation();
  const { status } = useAuth();
  useDocumentTitle(t('home.title'));

  const steps = [
    { Icon: LiveIcon, title: t('home.step1Title'), body: t('home.step1Body') },
    { Icon: SproutIcon, title: t('home.step2Title'), body: t('home.step2Body') },
    { Icon: ReceiptIcon, title: t('home.step3Title'), body: t('home.step3Body') },
  ];

  return (
    <div className="page page--home">
      <section className="hero" aria-labelledby="hero-heading">
        <p className="hero__eyebrow">{t('home.eyebrow')}</p>
        <h1 id="hero-heading" className="hero__heading">
          {t('home.heading')}
        </h1>
        <p className="hero__lead">{t('home.lead')}</p>
        <div className="hero__actions">
          <Link to="/live" className="button button--buy">
            {t('home.ctaLive')}
          </Link>
          {status === 'signedOut' && (
            <Link to="/sign-up" className="button button--secondary">
              {t('home.ctaSignUp')}
            </Link>
          )}
        </div>
      </section>

      <FeaturedProduce />

      <section className="section" aria-labelledby="live-now-heading">
        <h2 id="live-now-heading" className="section__heading">
          {t('home.liveHeading')}
        </h2>
        <LiveShelf />
      </section>

      <Cooperatives />

      <section className="section" aria-labelledby="how-heading">
        <h2 id="how-heading" className="section__heading">
          {t('home.howItWorks')}
        </h2>
        <ol className="steps">
          {steps.map(({ Icon, title, body }) => (
            <li key={title} className="steps__item">
              <Icon className="steps__icon" />
              <div>
                <h3 className="steps__title">{title}</h3>
                <p className="steps__body">{body}</p>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/** The best sellers: first page of the catalogue sorted by sales. */
function FeaturedProduce() {
  const { t } = useTranslation('catalog');
  const client = useApiClient();
  const featured = useQuery({
    queryKey: ['catalog', 'products', { sort: 'sales', pageSize: 8 }],
    queryFn: ({ signal }) => catalogApi.list(client, { sort: 'sales', pageSize: 8 }, signal),
  });
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

/** Cooperatives on the platform (GET /api/cooperatives); an error or an empty list says so plainly. */
function Cooperatives() {
  const { t } = useTranslation('catalog');
  const client = useApiClient();
  const coops = useQuery({
    queryKey: ['home', 'cooperatives'],
    queryFn: ({ signal }) => catalogApi.cooperatives(client, signal),
    retry: (n, e) => !(isApiError(e) && e.status === 404) && n < 1,
  });
  const items = coops.data?.items ?? [];
  return (
    <section className="section" aria-labelledby="coops-heading">
      <h2 id="coops-heading" className="section__heading">
        {t('home.cooperativesHeading')}
      </h2>
      {coops.isPending ? (
        <Loading />
      ) : items.length ? (
        <ul className="coop-cards">
          {items.map((c) => (
            <li key={c.id}>
              <Link to={`/cooperatives/${c.id}`} className="coop-card">
                {c.logoUrl ? (
                  <img src={c.logoUrl} alt="" className="coop-card__logo" loading="lazy" />
                ) : (
                  <span className="coop-card__logo" aria-hidden="true">
                    {c.name.slice(0, 1)}
                  </span>
                )}
                <span className="coop-card__text">
                  <span className="coop-card__name">{c.name}</span>
                  <span className="coop-card__place">
                    {c.province} {c.county} {c.village}
                    {typeof c.productCount === 'number' ? ` · ${t('home.products', { n: c.productCount })}` : ''}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="placeholder">{t('home.cooperativesEmpty')}</p>
      )}
    </section>
  );
}
