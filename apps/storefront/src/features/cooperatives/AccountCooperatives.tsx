import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { FormError } from '../../forms/FormError';
import { useAcceptInvitation, useMyInvitations } from './api';
import { formatDate } from '../../format';
import { Notice, useCoopErrorMessage } from './shared';

/** On /me: staff invitations addressed to the signed-in user, each with an accept button. Renders nothing when none. */
export function InvitationsBox() {
  const { t, i18n } = useTranslation('coop');
  const { status } = useAuth();
  const invitations = useMyInvitations(status === 'signedIn');
  const accept = useAcceptInvitation();
  const errorMessage = useCoopErrorMessage();
  const [joined, setJoined] = useState<{ coop: string; role: string; cooperativeId: string } | null>(null);

  if (status !== 'signedIn') return null;
  const items = invitations.data ?? [];
  if (items.length === 0 && !joined) return null;

  return (
    <section className="card coop-invitations" aria-labelledby="invitations-box-heading">
      <h2 id="invitations-box-heading" className="card__heading">
        {t('account.invitationsHeading')}
      </h2>
      {joined && (
        <Notice>
          {t('account.accepted', { coop: joined.coop, role: joined.role })}{' '}
          <Link to={`/console/${joined.cooperativeId}/profile`}>{t('account.toConsole')}</Link>
        </Notice>
      )}
      <FormError message={accept.isError ? errorMessage(accept.error) : null} />
      <ul className="coop-people">
        {items.map((inv) => {
          const role = t(`staffRole.${inv.role}`);
          return (
            <li key={inv.id} className="coop-person">
              <div className="coop-person__main">
                <span className="coop-person__name">
                  {t('account.invitation', { coop: inv.cooperativeName, role })}
                </span>
                <span className="coop-meta">
                  {t('account.invitedAt', { date: formatDate(inv.invitedAt, i18n.language, 'long') })}
                </span>
              </div>
              <button
                type="button"
                className="button button--primary coop-small-button"
                disabled={accept.isPending}
                onClick={() =>
                  accept.mutate(inv.id, {
                    onSuccess: (r) => setJoined({ coop: inv.cooperativeName, role, cooperativeId: r.cooperativeId }),
                  })
                }
              >
                {t('account.accept')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** On /me: the way in for a cooperative that wants to sell here. */
export function ApplyCooperativeLink() {
  const { t } = useTranslation('coop');
  return (
    <p className="coop-account-link">
      <Link to="/apply" className="link-list__link">
        {t('account.apply')}
      </Link>
    </p>
  );
}
