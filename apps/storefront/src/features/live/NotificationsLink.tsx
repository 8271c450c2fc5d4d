import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { UnreadBadge } from '../../layout/UnreadBadge';
import { useNotifications } from './hooks';

/** On /me: 通知 (shows, 客服 answers, parcels) with the unread count; the list is /notifications. */
export function NotificationsLink() {
  const { t } = useTranslation('live');
  const unread = useNotifications(30_000).data?.unread ?? 0;
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

/** A bell (通知), drawn like the other line icons; here, not in the shell's icons, as only this row uses it. */
function BellIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
      <path d="M10 20.5a2 2 0 0 0 4 0" />
    </svg>
  );
}
