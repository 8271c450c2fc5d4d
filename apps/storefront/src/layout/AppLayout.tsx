import { Suspense, useEffect, useRef, type ComponentType, type SVGProps } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { lazyPage } from '../app/lazy-page';
import { Loading } from './common';
import { CartIcon, GlobeIcon, HomeIcon, LiveIcon, MeIcon, SproutIcon } from './icons';
import { LanguageSwitch } from './LanguageSwitch';

// The cart's count (and the guest-cart merge it runs) is not needed to paint the first screen: its own chunk.
const CartBadge = lazyPage(
  () => import('../features/orders/CartBadge'),
  (m) => m.CartBadge,
  ['orders'],
);

const TABS: { to: string; key: 'home' | 'live' | 'cart' | 'me'; Icon: ComponentType<SVGProps<SVGSVGElement>> }[] = [
  { to: '/', key: 'home', Icon: HomeIcon },
  { to: '/live', key: 'live', Icon: LiveIcon },
  { to: '/cart', key: 'cart', Icon: CartIcon },
  { to: '/me', key: 'me', Icon: MeIcon },
];

/**
 * The shell: header with the brand and language switch, and one main navigation that is a fixed
 * bottom tab bar on phones and sits in the header on wide screens (CSS decides, same links).
 */
export function AppLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation, start at the top and move focus to the new page's content.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo?.(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand" aria-label={t('brand.home')}>
            <SproutIcon className="brand__mark" />
            <span className="brand__name">{t('brand.name')}</span>
            <span className="brand__latin">{t('brand.latin')}</span>
          </Link>
          <nav className="main-nav" aria-label={t('nav.label')}>
            <ul className="main-nav__list">
              {TABS.map(({ to, key, Icon }) => (
                <li key={to}>
                  <NavLink to={to} end={to === '/'} className="main-nav__link">
                    <Icon className="main-nav__icon" />
                    <span className="main-nav__text">{t(`nav.${key}`)}</span>
                    {key === 'cart' && (
                      <Suspense fallback={null}>
                        <CartBadge />
                      </Suspense>
                    )}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="site-header__language">
            <GlobeIcon className="site-header__globe" />
            <LanguageSwitch testId="language-switch-header" />
          </div>
        </div>
      </header>
      <main id="main" className="site-main" ref={mainRef} tabIndex={-1}>
        {/* Pages are loaded as they are first shown (app/lazy-page.tsx): the shell stays while one downloads. */}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
