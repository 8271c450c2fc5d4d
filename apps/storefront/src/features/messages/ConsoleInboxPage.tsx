import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { EmptyState, Loading } from '../../layout/common';
import { ConsoleShell } from '../console/ConsoleShell';
import { messageErrorText, useConversation, useInbox } from './api';
import { ChatThread, SubjectCard } from './ChatThread';
import { ConversationList } from './MessagesPages';
import { useMessagesSocket } from './use-messages-socket';
import './messages.css';

/**
 * /console/:coopId/messages[/:conversationId]: the cooperative's 客服 inbox. Unread conversations first with their
 * counts; the chosen one beside the list on a laptop, alone on a phone (with a way back). Live over the socket.
 */
export function ConsoleInboxPage() {
  const { t } = useTranslation('messages');
  return (
    <ConsoleShell section="messages" title={t('console.title')}>
      <Inbox />
    </ConsoleShell>
  );
}

function Inbox() {
  const { t } = useTranslation('messages');
  const { t: tc } = useTranslation();
  const { coopId = '', conversationId } = useParams();
  const socket = useMessagesSocket();
  const inbox = useInbox(coopId);
  if (inbox.isPending) return <Loading />;
  if (inbox.isError)
    return (
      <p role="alert" className="form-error">
        {messageErrorText(tc, null, inbox.error)}
      </p>
    );
  const { items, unreadTotal } = inbox.data;
  return (
    <div className={`inbox${conversationId ? ' inbox--open' : ''}`}>
      <section className="inbox__list" aria-label={t('console.title')}>
        {unreadTotal > 0 && <p className="inbox__unread">{t('console.unreadTotal', { n: unreadTotal })}</p>}
        {items.length === 0 ? (
          <EmptyState title={t('console.none')} headingLevel={2} />
        ) : (
          <ConversationList
            items={items}
            activeId={conversationId}
            hrefOf={(c) => `/console/${coopId}/messages/${c.id}`}
          />
        )}
      </section>
      <section className="inbox__thread">
        {conversationId ? (
          <StaffThread id={conversationId} coopId={coopId} socket={socket} />
        ) : (
          items.length > 0 && <p className="muted inbox__pick">{t('console.pick')}</p>
        )}
      </section>
    </div>
  );
}

function StaffThread({
  id,
  coopId,
  socket,
}: {
  id: string;
  coopId: string;
  socket: ReturnType<typeof useMessagesSocket>;
}) {
  const { t } = useTranslation('messages');
  const { t: tc } = useTranslation();
  const q = useConversation(id);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <p role="alert" className="form-error">
        {messageErrorText(tc, null, q.error)}
      </p>
    );
  const c = q.data;
  return (
    <div className="inbox__chat">
      <header className="chat-page__head">
        <Link
          to={`/console/${coopId}/messages`}
          className="chat-page__back inbox__back"
          aria-label={t('console.backToList')}
        >
          ‹
        </Link>
        <h2 className="chat-page__title">{t('console.buyer', { name: c.buyer.masked })}</h2>
      </header>
      {c.subject && (
        <div className="chat-page__subject">
          <SubjectCard subject={c.subject} compact linked={c.subject.kind === 'product'} />
        </div>
      )}
      <ChatThread conversation={c} status={socket.status} send={socket.send} />
    </div>
  );
}
