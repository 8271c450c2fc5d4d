import type { NotificationDto } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useMarkRead, useNotifications } from './hooks';
import { formatShowTime } from '../../format';
import './live.css';

/** /notifications: the in-app notification centre (show announcements, reminders, now live). */
export function NotificationsPage() {
  const { t } = useTranslation('live');
  useDocumentTitle(t('notifications.title'));
  return (
    <SignedInOnly>
      <Notifications />
    </SignedInOnly>
  );
}

function SignedInOnly({ children }: { children: React.ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut') return <Navigate to={signInPathFor(location)} replace />;
  return children;
}

function Notifications() {
  const { t, i18n } = useTranslation('live');
  const { t: tc } = useTranslation();
  const list = useNotifications();
  const { one: read, all: readAll } = useMarkRead();
  const text = (n: NotificationDto) => t(`notifications.${n.kind}`, { title: n.title, coop: n.body });
  return (
    <div className="page notifications">
      <div className="live-list__head">
        <h1 className="page__heading">{t('notifications.title')}</h1>
        {Boolean(list.data?.unread) && (
          <button type="button" className="button button--secondary" onClick={() => readAll.mutate()}>
            {t('notifications.markAll')}
          </button>
        )}
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <p role="alert" className="form-error">
          {apiErrorMessage(tc, list.error)}
        </p>
      ) : list.data.items.length === 0 ? (
        <EmptyState title={t('notifications.empty')} />
      ) : (
        <ul className="notification-list">
          {list.data.items.map((n) => (
            <li key={n.id} className={`notification${n.readAt ? '' : ' notification--unread'}`}>
              <Link to={n.link} onClick={() => !n.readAt && read.mutate(n.id)} className="notification__link">
                {!n.readAt && <span className="visually-hidden">{t('notifications.unread')}</span>}
                <span className="notification__text">{text(n)}</span>
                <time className="notification__time" dateTime={n.createdAt}>
                  {formatShowTime(n.createdAt, i18n.language)}
                </time>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
