import type { ConversationSummary } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { EmptyState, Loading } from '../../layout/common';
import { UnreadBadge } from '../../layout/UnreadBadge';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { formatChatTime } from '../../format';
import { messageErrorText, useConversation, useMyConversations } from './api';
import { ChatThread } from './ChatThread';
import { useMessagesSocket } from './use-messages-socket';
import './messages.css';

function useSignedIn(): 'loading' | 'out' | 'in' {
  const { status } = useAuth();
  return status === 'loading' ? 'loading' : status === 'signedOut' ? 'out' : 'in';
}

/** /messages: the buyer's conversations with cooperatives, latest first, with unread badges (live). */
export function MessagesPage() {
  const { t } = useTranslation('messages');
  useDocumentTitle(t('list.title'));
  const signed = useSignedIn();
  const location = useLocation();
  if (signed === 'loading') return <Loading />;
  if (signed === 'out') return <Navigate to={signInPathFor(location)} replace />;
  return <MyConversations />;
}

function MyConversations() {
  const { t } = useTranslation('messages');
  const { t: tc } = useTranslation();
  useMessagesSocket(); // new messages refresh the list and the badges
  const q = useMyConversations();
  return (
    <div className="page page--narrow messages-page">
      <h1 className="page__heading">{t('list.title')}</h1>
      {q.isPending && <Loading />}
      {q.isError && (
        <p role="alert" className="form-error">
          {messageErrorText(tc, null, q.error)}
        </p>
      )}
      {q.data && q.data.items.length === 0 && <EmptyState title={t('list.none')} headingLevel={2} />}
      {q.data && q.data.items.length > 0 && (
        <ConversationList items={q.data.items} hrefOf={(c) => `/messages/${c.id}`} />
      )}
    </div>
  );
}

/** A list of conversations (the buyer's, or a cooperative's inbox): name, last message, time, unread count. */
export function ConversationList({
  items,
  hrefOf,
  activeId,
}: {
  items: ConversationSummary[];
  hrefOf: (c: ConversationSummary) => string;
  activeId?: string;
}) {
  const { t, i18n } = useTranslation('messages');
  return (
    <ul className="conversations" data-testid="conversation-list">
      {items.map((c) => {
        const name = c.side === 'buyer' ? c.cooperative.name : t('console.buyer', { name: c.buyer.masked });
        const last = c.lastMessage;
        const preview = last
          ? `${last.from === c.side ? t('list.you') : ''}${last.kind === 'photo' ? t('list.photo') : last.text}`
          : '';
        return (
          <li key={c.id}>
            <Link
              to={hrefOf(c)}
              className={`conversation${c.id === activeId ? ' conversation--active' : ''}`}
              aria-current={c.id === activeId ? 'page' : undefined}
              data-testid="conversation"
            >
              <span className="conversation__avatar" aria-hidden="true">
                {[...name.replace(/^买家\s*/, '')][0]}
              </span>
              <span className="conversation__body">
                <span className="conversation__top">
                  <span className="conversation__name">{name}</span>
                  {last && <time className="conversation__time">{formatChatTime(last.at, i18n.language)}</time>}
                </span>
                <span className="conversation__preview">{preview}</span>
              </span>
              <UnreadBadge count={c.unread} label={t('list.unread', { n: c.unread })} />
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** /messages/:id: the buyer's chat with a cooperative's 客服 (full screen on a phone). */
export function ChatPage() {
  const signed = useSignedIn();
  const location = useLocation();
  if (signed === 'loading') return <Loading />;
  if (signed === 'out') return <Navigate to={signInPathFor(location)} replace />;
  return <BuyerChat />;
}

function BuyerChat() {
  const { t } = useTranslation('messages');
  const { t: tc } = useTranslation();
  const { id = '' } = useParams();
  const socket = useMessagesSocket();
  const q = useConversation(id);
  useDocumentTitle(q.data ? t('chat.title', { name: q.data.cooperative.name }) : t('list.title'));
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <div className="page page--narrow">
        <EmptyState
          title={
            isApiError(q.error) && q.error.status === 404
              ? t('errors.CONVERSATION_NOT_FOUND')
              : messageErrorText(tc, null, q.error)
          }
          headingLevel={2}
        >
          <Link to="/messages" className="button button--secondary">
            {t('chat.back')}
          </Link>
        </EmptyState>
      </div>
    );
  const c = q.data;
  return (
    <div className="page chat-page">
      <header className="chat-page__head">
        <Link to="/messages" className="chat-page__back" aria-label={t('chat.back')}>
          ‹
        </Link>
        <h1 className="chat-page__title">{t('chat.title', { name: c.cooperative.name })}</h1>
      </header>
      <ChatThread conversation={c} status={socket.status} send={socket.send} />
    </div>
  );
}
