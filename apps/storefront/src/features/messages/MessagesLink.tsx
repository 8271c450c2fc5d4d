import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { UnreadBadge } from '../../layout/UnreadBadge';
import { useUnreadMessages } from './api';
import { ChatIcon } from './ChatIcon';
import './messages.css';

/** On /me: 消息 (客服 conversations) with the unread count. */
export function MessagesLink() {
  const { t } = useTranslation('messages');
  const unread = useUnreadMessages().data?.unreadTotal ?? 0;
  return (
    <Link to="/messages" className="card account-link" data-testid="messages-link">
      <ChatIcon />
      <span className="account-link__label">{t('list.title')}</span>
      <UnreadBadge count={unread} label={t('list.unread', { n: unread })} />
      <span className="account-link__go" aria-hidden="true">
        ›
      </span>
    </Link>
  );
}

export default MessagesLink;
