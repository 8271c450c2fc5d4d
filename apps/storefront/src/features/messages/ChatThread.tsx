import {
  MESSAGE_LIMITS,
  type ChatMessageDto,
  type ConversationSubject,
  type ConversationSummary,
} from '@xiangbo/contracts';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Loading } from '../../layout/common';
import { formatChatTime, formatFen } from '../../format';
import { flattenHistory, messageErrorText, useHistory, useMarkRead, useSendPhoto } from './api';
import type { SendResult, SocketStatus } from './use-messages-socket';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

interface Pending {
  clientId: string;
  text: string;
  failed: string | null;
}

const newClientId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Is the text sendable? Mirrors the server's rules (which decide): no control characters, 1–500 characters. */
export function checkMessageText(text: string): 'ok' | 'empty' | 'tooLong' | 'controls' {
  if (CONTROL.test(text)) return 'controls';
  const trimmed = text.replace(/[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, '').trim();
  if (!trimmed) return 'empty';
  if ([...trimmed].length > MESSAGE_LIMITS.textMax) return 'tooLong';
  return 'ok';
}

/**
 * One conversation as a chat: bubbles (mine on the right), the product/order card, earlier messages on demand,
 * 已读 under my last message, and the composer (text with Enter to send on a laptop, a photo). Messages are
 * sent over the socket with a client id, so a resend after a failure is stored once.
 */
export function ChatThread({
  conversation,
  status,
  send,
}: {
  conversation: ConversationSummary;
  status: SocketStatus;
  send: (conversationId: string, text: string, clientId: string) => Promise<SendResult>;
}) {
  const { t, i18n } = useTranslation('messages');
  const { t: tc } = useTranslation();
  const history = useHistory(conversation.id);
  const markRead = useMarkRead(conversation.id);
  const photo = useSendPhoto(conversation.id);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending[]>([]);
  const list = useRef<HTMLOListElement | null>(null);
  const atBottom = useRef(true);
  const messages = useMemo(() => flattenHistory(history.data), [history.data]);
  const mine = conversation.side;
  const lastId = messages.at(-1)?.id;
  const lastFromPeer = [...messages].reverse().find((m) => m.from !== mine)?.id;

  // Seen: the other side's messages are read while this thread is on screen.
  const { mutate: read } = markRead;
  useEffect(() => {
    if (lastFromPeer && (conversation.unread > 0 || lastFromPeer === lastId)) read();
  }, [lastFromPeer, lastId, conversation.unread, read]);

  // New messages keep the view at the bottom (unless the reader scrolled up to read older ones).
  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lastId, pending.length]);

  async function deliver(p: Pending) {
    setPending((all) => all.map((x) => (x.clientId === p.clientId ? { ...x, failed: null } : x)));
    const r = await send(conversation.id, p.text, p.clientId);
    if (r.ok) setPending((all) => all.filter((x) => x.clientId !== p.clientId));
    else
      setPending((all) =>
        all.map((x) => (x.clientId === p.clientId ? { ...x, failed: messageErrorText(tc, r.code) } : x)),
      );
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    const verdict = checkMessageText(draft);
    if (verdict !== 'ok') {
      setProblem(
        verdict === 'tooLong'
          ? t('chat.tooLong', { max: MESSAGE_LIMITS.textMax })
          : verdict === 'controls'
            ? t('chat.controls')
            : t('chat.empty2'),
      );
      return;
    }
    setProblem(null);
    const p = { clientId: newClientId(), text: draft.trim(), failed: null };
    setPending((all) => [...all, p]);
    setDraft('');
    atBottom.current = true;
    void deliver(p);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends on a keyboard; Shift+Enter (and a phone's return key inside an IME) makes a new line.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e as unknown as FormEvent);
  }

  const length = [...draft].length;
  const peerRead = conversation.peerReadAt ? new Date(conversation.peerReadAt).getTime() : 0;
  const lastMine = [...messages].reverse().find((m) => m.from === mine && (m.kind === 'text' || m.kind === 'photo'));

  return (
    <div className="chat" data-testid="chat-thread">
      {status !== 'connected' && (
        <p className="chat__offline" role="status">
          {t('chat.offline')}
        </p>
      )}
      <ol
        className="chat__list"
        ref={list}
        aria-live="polite"
        aria-label={t('chat.history')}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {history.hasNextPage && (
          <li className="chat__older">
            <button
              type="button"
              className="button button--link"
              onClick={() => void history.fetchNextPage()}
              disabled={history.isFetchingNextPage}
            >
              {history.isFetchingNextPage ? t('chat.loadingOlder') : t('chat.older')}
            </button>
          </li>
        )}
        {history.isPending && (
          <li>
            <Loading />
          </li>
        )}
        {history.isError && (
          <li role="alert" className="form-error">
            {messageErrorText(tc, null, history.error)}
          </li>
        )}
        {messages.map((m, i) => (
          <Bubble
            key={m.id}
            m={m}
            mine={m.from === mine}
            showTime={i === 0 || Date.parse(m.at) - Date.parse(messages[i - 1].at) > 5 * 60_000}
            read={m.id === lastMine?.id ? Date.parse(m.at) <= peerRead : null}
            side={mine}
            peerName={
              mine === 'buyer'
                ? t('chat.staffName', { name: conversation.cooperative.name })
                : conversation.buyer.masked
            }
            language={i18n.language}
          />
        ))}
        {!history.isPending &&
          !messages.some((m) => m.kind === 'text' || m.kind === 'photo') &&
          pending.length === 0 && <li className="chat__empty muted">{t('chat.empty')}</li>}
        {pending.map((p) => (
          <li key={p.clientId} className="bubble-row bubble-row--mine" data-testid="chat-pending">
            <div className="bubble bubble--mine bubble--pending">{p.text}</div>
            {p.failed ? (
              <button type="button" className="chat__retry" onClick={() => void deliver(p)}>
                {p.failed} · {t('chat.failed')}
              </button>
            ) : (
              <span className="chat__meta">{t('chat.sending')}</span>
            )}
          </li>
        ))}
      </ol>
      <form className="chat__composer" onSubmit={submit} noValidate>
        <label className="chat__photo" title={t('chat.photo')}>
          <span className="visually-hidden">{t('chat.photo')}</span>
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            data-testid="chat-photo-input"
            className="visually-hidden"
            disabled={photo.isPending}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) {
                atBottom.current = true;
                photo.mutate(f);
              }
            }}
          />
          <span aria-hidden="true">＋</span>
        </label>
        <div className="chat__input">
          <textarea
            aria-label={t('chat.inputLabel')}
            placeholder={t('chat.placeholder')}
            value={draft}
            rows={1}
            enterKeyHint="send"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'chat-problem' : undefined}
            onChange={(e) => {
              setDraft(e.target.value);
              if (problem) setProblem(null);
            }}
            onKeyDown={onKeyDown}
          />
          {length > MESSAGE_LIMITS.textMax - 50 && (
            <span className={`chat__count${length > MESSAGE_LIMITS.textMax ? ' chat__count--over' : ''}`}>
              {t('chat.count', { n: length, max: MESSAGE_LIMITS.textMax })}
            </span>
          )}
        </div>
        <button type="submit" className="button button--primary chat__send">
          {t('chat.send')}
        </button>
      </form>
      {(problem || photo.isError) && (
        <p id="chat-problem" role="alert" className="form-error chat__problem">
          {problem ?? messageErrorText(tc, null, photo.error)}
        </p>
      )}
    </div>
  );
}

function Bubble({
  m,
  side,
  mine,
  showTime,
  read,
  peerName,
  language,
}: {
  m: ChatMessageDto;
  side: 'buyer' | 'staff';
  mine: boolean;
  showTime: boolean;
  read: boolean | null;
  peerName: string;
  language: string;
}) {
  const { t } = useTranslation('messages');
  if (m.kind === 'product' || m.kind === 'order') {
    return (
      <li className="chat__card-row">
        {showTime && <time className="chat__time">{formatChatTime(m.at, language)}</time>}
        {m.card && <SubjectCard subject={m.card} linked={side === 'buyer' || m.card.kind === 'product'} />}
      </li>
    );
  }
  return (
    <li className={`bubble-row${mine ? ' bubble-row--mine' : ''}`} data-testid="chat-message" data-from={m.from}>
      {showTime && <time className="chat__time">{formatChatTime(m.at, language)}</time>}
      <span className="visually-hidden">{mine ? t('chat.me') : peerName}：</span>
      {m.kind === 'photo' && m.photo ? (
        <a href={m.photo.url} target="_blank" rel="noreferrer" className="bubble bubble--photo">
          <img
            src={m.photo.thumbUrl}
            alt={t('chat.photoAlt')}
            width={m.photo.width}
            height={m.photo.height}
            loading="lazy"
          />
        </a>
      ) : (
        <div className={`bubble${mine ? ' bubble--mine' : ''}`}>{m.text}</div>
      )}
      {mine && read !== null && (
        <span className={`chat__meta${read ? ' chat__meta--read' : ''}`}>
          {read ? t('chat.read') : t('chat.unreadMark')}
        </span>
      )}
    </li>
  );
}

/** The product or order the buyer asks about, as a card that links to it. */
export function SubjectCard({
  subject,
  compact = false,
  linked = true,
}: {
  subject: ConversationSubject;
  compact?: boolean;
  /** The order page is the buyer's: staff see the card without a link. */
  linked?: boolean;
}) {
  const { t, i18n } = useTranslation('messages');
  if (subject.kind === 'product')
    return (
      <Link to={`/products/${subject.id}`} className={`subject-card${compact ? ' subject-card--compact' : ''}`}>
        {subject.thumbUrl ? (
          <img src={subject.thumbUrl} alt="" className="subject-card__img" width={56} height={56} />
        ) : (
          <span className="subject-card__img" aria-hidden="true" />
        )}
        <span className="subject-card__body">
          <span className="subject-card__label">{t('chat.askingAbout')}</span>
          <span className="subject-card__name">{subject.name}</span>
          <span className="subject-card__price">{formatFen(subject.priceFen, i18n.language)}</span>
        </span>
      </Link>
    );
  const body = (
    <span className="subject-card__body">
      <span className="subject-card__label">
        {t('chat.orderCard', { number: subject.number })} · {t(`orderStatus.${subject.status}`)}
      </span>
      <span className="subject-card__name">
        {t('chat.orderItems', { n: subject.itemCount, total: formatFen(subject.totalFen, i18n.language) })}
      </span>
    </span>
  );
  const cls = `subject-card${compact ? ' subject-card--compact' : ''}`;
  return linked ? (
    <Link to={`/orders/${subject.id}`} className={cls}>
      {body}
    </Link>
  ) : (
    <div className={cls}>{body}</div>
  );
}
