import { LIVE_LIMITS } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import type { LiveRoom } from './use-live-room';

/** Chat input and the like button; signed-out viewers are invited to sign in. */
export function ChatBox({ room }: { room: LiveRoom }) {
  const { t } = useTranslation('live');
  const { status } = useAuth();
  const location = useLocation();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const s = room.view.state;
  const left = LIVE_LIMITS.chatMaxLength - [...text].length;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || left < 0) return;
    setSending(true);
    const r = await room.chat(text);
    setSending(false);
    if (r.ok) setText('');
  };
  return (
    <div className="chatbox">
      {s && s.slowModeSeconds > 0 && <p className="chatbox__note">{t('room.slowMode', { s: s.slowModeSeconds })}</p>}
      {s?.you.mutedUntil && <p className="chatbox__note">{t('room.muted')}</p>}
      {status === 'signedIn' ? (
        <form className="chatbox__form" onSubmit={submit}>
          <label className="visually-hidden" htmlFor="live-chat-input">
            {t('room.chatInput')}
          </label>
          <input
            id="live-chat-input"
            className="chatbox__input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('room.chatPlaceholder')}
            maxLength={LIVE_LIMITS.chatMaxLength * 2}
            aria-describedby="live-chat-left"
            enterKeyHint="send"
            disabled={s?.status !== 'live'}
          />
          <button
            type="submit"
            className="button button--primary chatbox__send"
            disabled={sending || !text.trim() || left < 0 || s?.status !== 'live'}
          >
            {t('room.chatSend')}
          </button>
        </form>
      ) : (
        <Link to={signInPathFor(location)} className="button button--secondary button--block">
          {t('room.chatSignIn')}
        </Link>
      )}
      <div className="chatbox__row">
        <span id="live-chat-left" className={`chatbox__left${left < 0 ? ' chatbox__left--over' : ''}`}>
          {status === 'signedIn' ? t('room.charLeft', { n: left }) : ''}
        </span>
        <button
          type="button"
          className="like"
          onClick={room.like}
          aria-label={t('room.like')}
          disabled={s?.status !== 'live'}
        >
          <span aria-hidden="true">♥</span> {t('room.likes', { n: s?.likes ?? 0 })}
        </button>
      </div>
    </div>
  );
}
