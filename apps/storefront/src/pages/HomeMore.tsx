import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth/auth-context';
import { Loading } from '../layout/common';
import { LiveIcon, ReceiptIcon, SproutIcon } from '../layout/icons';
import { useHomeCooperatives } from './home-queries';

/** Home below the shop (its own chunk: not needed to paint the first screen): the pitch, then the cooperatives. */
export function HomeMore() {
  return (
    <>
      <Pitch />
      <Cooperatives />
    </>
  );
}

/** What 乡播 is, below the shop: the pitch and how the money is traced. */
function Pitch() {
  const { t } = useTranslation();
  const { status } = useAuth();
  const steps = [
    { Icon: LiveIcon, title: t('home.step1Title'), body: t('home.step1Body') },
    { Icon: SproutIcon, title: t('home.step2Title'), body: t('home.step2Body') },
    { Icon: ReceiptIcon, title: t('home.step3Title'), body: t('home.step3Body') },
  ];
  return (
    <>
      <section className="hero" aria-labelledby="hero-heading">
        <p className="hero__eyebrow">{t('home.eyebrow')}</p>
        <h2 id="hero-heading" className="hero__heading">
          {t('home.heading')}
        </h2>
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
    </>
  );
}

/** Cooperatives on the platform (GET /api/cooperatives); an error or an empty list says so plainly. */
function Cooperatives() {
  const { t } = useTranslation('catalog');
  const coops = useHomeCooperatives();
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
                  <img src={c.logoUrl} alt="" className="coop-card__logo" loading="lazy" width={48} height={48} />
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
