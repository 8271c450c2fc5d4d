import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiClient } from '../../auth/auth-context';
import { UnreadBadge } from '../../layout/common';
import { BellIcon } from '../../layout/icons';
import { liveApi, NOTIFICATIONS_KEY } from './api';

/** On /me: 通知 (shows, 客服 answers, parcels) with the unread count; the list is /notifications. */
export function NotificationsLink() {
  const { t } = useTranslation('live');
  const client = useApiClient();
  const unread =
    useQuery({
      queryKey: NOTIFICATIONS_KEY,
      queryFn: ({ signal }) => liveApi.notifications(client, signal),
      staleTime: 30_000,
    }).data?.unread ?? 0;
  return (
    <Link to="/notifications" className="card account-link" data-testid="notifications-link">
      <BellIcon />
      <span className="account-link__label">{t('notifications.title')}</span>
      <UnreadBadge count={unread} label={t('list.unread', { n: unread })} />
      <span className="account-link__go" aria-hidden="true">
        ›
      </span>
    </Link>
  );
}

export default NotificationsLink;
