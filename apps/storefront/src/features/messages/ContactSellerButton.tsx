import type { OpenConversationRequest } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { signInPathFor } from '../../auth/redirect';
import { messageErrorText, useOpenConversation } from './api';
import { ChatIcon } from './ChatIcon';
import './messages.css';

/**
 * 联系客服 on a product page or an order: opens (or reuses) the buyer's conversation with the cooperative about
 * it and goes there. Signed out: sign in first, then back here.
 */
export function ContactSellerButton({ about, className }: { about: OpenConversationRequest; className?: string }) {
  const { t } = useTranslation('messages');
  const { t: tc } = useTranslation();
  const { status } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const open = useOpenConversation((c) => navigate(`/messages/${c.id}`));
  return (
    <div className={`contact-seller ${className ?? ''}`}>
      <button
        type="button"
        className="button button--secondary contact-seller__button"
        data-testid="contact-seller"
        disabled={open.isPending}
        onClick={() => {
          if (status !== 'signedIn') {
            navigate(signInPathFor(location));
            return;
          }
          open.mutate(about);
        }}
      >
        <ChatIcon className="contact-seller__icon" />
        {open.isPending ? t('opening') : t('contact')}
      </button>
      {open.isError && (
        <p role="alert" className="form-error">
          {messageErrorText(tc, null, open.error)}
        </p>
      )}
    </div>
  );
}

export default ContactSellerButton;
