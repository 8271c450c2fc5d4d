import type { ChatMessage } from '@xiangbo/contracts';
import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './chat.css';

export interface Moderation {
  onDelete(m: ChatMessage): void;
  onMute(m: ChatMessage): void;
  onBan(m: ChatMessage): void;
}

/** How close to the end (px) still counts as "reading the newest". */
const AT_BOTTOM_PX = 24;

/**
 * The chat stream. Messages are plain text and rendered as text nodes — React escapes them — never as HTML
 * (no dangerouslySetInnerHTML anywhere in the live feature). Hosts get moderation buttons per message.
 *
 * It scrolls inside its own box, never the page: a new message moves the box only when the reader is at its
 * end (newest at the bottom); a reader who scrolled up keeps their place and gets a "N 条新消息" pill instead.
 */
export function ChatList({
  messages,
  moderation,
  selfId,
  variant = 'overlay',
}: {
  messages: ChatMessage[];
  moderation?: Moderation;
  selfId?: string | null;
  variant?: 'overlay' | 'panel';
}) {
  const { t } = useTranslation('live');
  const box = useRef<HTMLDivElement | null>(null);
  const atBottom = useRef(true);
  const seen = useRef<string | undefined>(undefined);
  const [unseen, setUnseen] = useState(0);
  const last = messages.at(-1)?.id;

  const toBottom = () => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  };

  useLayoutEffect(() => {
    if (last === seen.current) return;
    const before = seen.current;
    seen.current = last;
    if (atBottom.current) return toBottom();
    const from = before ? messages.findIndex((m) => m.id === before) : -1;
    setUnseen((n) => n + (from >= 0 ? messages.length - 1 - from : 1));
  }, [last, messages]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
    if (atBottom.current) setUnseen(0);
  };

  return (
    <div className={`chat-box chat-box--${variant}`}>
      <div className="chat-box__scroll" ref={box} onScroll={onScroll} data-testid="chat-scroll">
        <ol
          className={`chat chat--${variant}`}
          aria-label={t('room.chatLabel')}
          aria-live="polite"
          aria-relevant="additions"
        >
          {messages.map((m) => (
            <li key={m.id} className={`chat__item${m.fromHost ? ' chat__item--host' : ''}`} data-testid="chat-message">
              <span className="chat__name">
                {m.fromHost && <span className="chat__badge">{t('room.host')}</span>}
                {m.displayName}
              </span>
              <span className="chat__text">{m.text}</span>
              {moderation && !m.fromHost && m.userId !== selfId && (
                <span className="chat__actions">
                  <button type="button" className="chat__action" onClick={() => moderation.onDelete(m)}>
                    {t('hostConsole.delete')}
                  </button>
                  <button type="button" className="chat__action" onClick={() => moderation.onMute(m)}>
                    {t('hostConsole.mute')}
                  </button>
                  <button
                    type="button"
                    className="chat__action chat__action--danger"
                    onClick={() => moderation.onBan(m)}
                  >
                    {t('hostConsole.ban')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      </div>
      {unseen > 0 && (
        <button type="button" className="chat-box__pill" onClick={toBottom} data-testid="chat-new">
          {t('room.newMessages', { n: unseen })}
        </button>
      )}
    </div>
  );
}
