import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useUnreadMessages } from './api';
import { ChatIcon } from './ChatIcon';
import './messages.css';

/** On /me: 消息 (客服 conversations) with the unread count. */
export function MessagesLink() {
  const { t } = useTranslation('messages');
  const unread = useUnreadMessages().data?.unreadTotal ?? 0;
  return (
    <Link to="/messages" className="card messages-link" data-testid="messages-link">
      <ChatIcon />
      <span className="messages-link__label">{t('list.title')}</span>
      {unread > 0 && (
        <span className="unread-badge" aria-label={t('list.unread', { n: unread })}>
          {unread > 99 ? '99+' : unread}
        </span>
      )}
      <span className="messages-link__go" aria-hidden="true">
        ›
      </span>
    </Link>
  );
}

export default MessagesLink;
