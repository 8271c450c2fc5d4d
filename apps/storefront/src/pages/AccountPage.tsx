import type { Me, RoleGrant } from '@xiangbo/contracts';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth, useSignOut } from '../auth/auth-context';
import { consoleAreasFor } from '../auth/roles';
import { ApplyCooperativeLink, InvitationsBox } from '../features/cooperatives/AccountCooperatives';
import { MyOrdersLink } from '../features/orders/MyOrdersLink';
import { Loading } from '../layout/common';
import { MeIcon } from '../layout/icons';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { useDocumentTitle } from '../layout/useDocumentTitle';

/** 消息 with its unread badge (the messages feature's own chunk). */
const MessagesLink = lazy(() => import('../features/messages/MessagesLink'));
/** 通知 with its unread badge (the live feature's notification centre). */
const NotificationsLink = lazy(() => import('../features/live/NotificationsLink'));

export function AccountPage() {
  const { t } = useTranslation();
  const { status, user } = useAuth();
  useDocumentTitle(t('account.title'));

  return (
    <div className="page page--narrow">
      <h1 className="page__heading">{t('account.heading')}</h1>
      {status === 'loading' && <Loading />}
      {status === 'signedOut' && <SignedOut />}
      {user && <SignedIn user={user} />}
      <section className="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading" className="card__heading">
          {t('account.settings')}
        </h2>
        <div className="setting-row">
          <span className="setting-row__label" aria-hidden="true">
            {t('account.language')}
          </span>
          <LanguageSwitch testId="language-switch-account" />
        </div>
      </section>
    </div>
  );
}

function SignedOut() {
  const { t } = useTranslation();
  return (
    <section className="card card--welcome" aria-labelledby="signed-out-heading">
      <MeIcon className="card__icon" />
      <h2 id="signed-out-heading" className="card__heading">
        {t('account.signedOutHeading')}
      </h2>
      <p>{t('account.signedOutBody')}</p>
      <div className="button-row">
        <Link to="/sign-in" className="button button--primary">
          {t('account.signIn')}
        </Link>
        <Link to="/sign-up" className="button button--secondary">
          {t('account.signUp')}
        </Link>
      </div>
    </section>
  );
}

function RoleLabel({ grant }: { grant: RoleGrant }) {
  const { t } = useTranslation();
  return (
    <>
      {t(`role.${grant.role}`)}
      {grant.cooperativeId && (
        <span className="role-list__coop">
          {t('account.cooperative', { id: grant.cooperativeName ?? grant.cooperativeId })}
        </span>
      )}
    </>
  );
}

function SignedIn({ user }: { user: Me }) {
  const { t } = useTranslation();
  const signOut = useSignOut();
  const areas = consoleAreasFor(user);

  return (
    <>
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="visually-hidden">
          {t('account.profile')}
        </h2>
        <p className="profile__name" data-testid="account-display-name">
          {user.displayName}
        </p>
        <dl className="details">
          <div className="details__row">
            <dt>{t('account.email')}</dt>
            <dd>{user.email ?? <span className="muted">{t('account.notSet')}</span>}</dd>
          </div>
          <div className="details__row">
            <dt>{t('account.mobile')}</dt>
            <dd>{user.mobile ?? <span className="muted">{t('account.notSet')}</span>}</dd>
          </div>
          <div className="details__row">
            <dt>{t('account.roles')}</dt>
            <dd>
              {user.roles.length === 0 ? (
                <span className="muted">{t('account.noRoles')}</span>
              ) : (
                <ul className="role-list" data-testid="account-roles">
                  {user.roles.map((grant) => (
                    <li key={`${grant.role}:${grant.cooperativeId ?? ''}`} className="role-list__item">
                      <RoleLabel grant={grant} />
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      </section>

      <MyOrdersLink />
      <Suspense fallback={null}>
        <MessagesLink />
        <NotificationsLink />
      </Suspense>
      <InvitationsBox />
      <ApplyCooperativeLink />
      {areas.length > 0 && (
        <nav className="card" aria-labelledby="consoles-heading">
          <h2 id="consoles-heading" className="card__heading">
            {t('account.consoles')}
          </h2>
          <ul className="link-list">
            {areas.map((area) => (
              <li key={area.id}>
                <Link to={area.path} className="link-list__link">
                  {t(`consoleArea.${area.id}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      <div className="sign-out">
        <button
          type="button"
          className="button button--secondary button--block"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          {t('account.signOut')}
        </button>
      </div>
    </>
  );
}
