import type { ChatMessage } from '@xiangbo/contracts';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export interface Moderation {
  onDelete(m: ChatMessage): void;
  onMute(m: ChatMessage): void;
  onBan(m: ChatMessage): void;
}

/**
 * The chat stream. Messages are plain text and rendered as text nodes — React escapes them — never as HTML
 * (no dangerouslySetInnerHTML anywhere in the live feature). Hosts get moderation buttons per message.
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
  const end = useRef<HTMLLIElement | null>(null);
  const last = messages.at(-1)?.id;
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [last]);
  return (
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
              <button type="button" className="chat__action chat__action--danger" onClick={() => moderation.onBan(m)}>
                {t('hostConsole.ban')}
              </button>
            </span>
          )}
        </li>
      ))}
      <li ref={end} aria-hidden="true" className="chat__end" />
    </ol>
  );
}
