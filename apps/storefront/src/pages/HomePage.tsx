import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth/auth-context';
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

      <div className="home-columns">
        <section className="section" aria-labelledby="live-now-heading">
          <h2 id="live-now-heading" className="section__heading">
            {t('home.liveHeading')}
          </h2>
          <p className="placeholder">{t('home.liveEmpty')}</p>
        </section>
        <section className="section" aria-labelledby="featured-heading">
          <h2 id="featured-heading" className="section__heading">
            {t('home.featuredHeading')}
          </h2>
          <p className="placeholder">{t('home.featuredEmpty')}</p>
        </section>
      </div>
    </div>
  );
}
