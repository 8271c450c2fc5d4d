import type { Role } from '@xiangbo/contracts';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { Loading } from '../layout/common';
import { LockIcon } from '../layout/icons';
import { useAuth } from './auth-context';
import { signInPathFor } from './redirect';
import { hasAnyRole } from './roles';

/**
 * Guards a page: signed-out visitors go to sign-in (and come back afterwards); signed-in users
 * without one of `roles` see a 403 message. The server checks again; this only keeps people
 * from landing on pages that cannot work for them.
 */
export function RequireRoles({
  roles,
  areaName,
  children,
}: {
  roles: readonly Role[];
  areaName: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { status, user } = useAuth();
  const location = useLocation();

  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  if (!hasAnyRole(user, roles)) {
    return (
      <div className="page page--narrow" data-testid="forbidden">
        <p className="status-code" aria-hidden="true">
          403
        </p>
        <LockIcon className="page__icon" />
        <h1 className="page__heading">{t('console.forbiddenHeading')}</h1>
        <p>{t('console.forbiddenBody', { area: areaName })}</p>
        <Link to="/me" className="button button--secondary">
          {t('console.backToAccount')}
        </Link>
      </div>
    );
  }
  return children;
}
