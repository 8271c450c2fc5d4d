import { createInvitationSchema, hasRole, STAFF_ROLES, type StaffMember, type StaffRole } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useStaff, useStaffActions } from './api';
import { SelectField } from './fields';
import { formatDate } from '../../format';
import { Notice, useCoopErrorMessage } from './shared';

/** /console/:coopId/staff: hosts and admins, open invitations, and the invite form (admins only). */
export function ConsoleStaffPage() {
  const { t } = useTranslation('coop');
  useDocumentTitle(t('console.staffTitle'));
  return (
    <ConsoleShell section="staff" title={t('console.staffTitle')}>
      <Staff />
    </ConsoleShell>
  );
}

function Staff() {
  const { t, i18n } = useTranslation('coop');
  const { coopId = '' } = useParams();
  const { user } = useAuth();
  const canManage = hasRole(user, 'coop_admin', coopId);
  const staff = useStaff(coopId);
  const actions = useStaffActions(coopId);
  const errorMessage = useCoopErrorMessage();
  const [notice, setNotice] = useState<string | null>(null);
  const actionError = actions.revoke.error ?? actions.removeRole.error;

  function removeRole(member: StaffMember, role: StaffRole) {
    const roleName = t(`staffRole.${role}`);
    if (!window.confirm(t('console.removeConfirm', { name: member.displayName, role: roleName }))) return;
    actions.revoke.reset();
    actions.removeRole.mutate({ userId: member.userId, role });
  }

  if (staff.isPending) return <Loading />;
  if (staff.isError) return <FormError message={errorMessage(staff.error)} />;
  const { staff: people, invitations } = staff.data;
  // The last admin cannot be removed (the server refuses too): no button that can only fail.
  const adminCount = people.filter((p) => p.roles.includes('coop_admin')).length;

  return (
    <div className="coop-staff">
      {!canManage && <p className="coop-notice coop-notice--info">{t('console.readOnly')}</p>}
      <Notice>{notice}</Notice>
      <FormError message={actionError ? errorMessage(actionError) : null} />
      <section className="card" aria-labelledby="staff-heading">
        <h2 id="staff-heading" className="card__heading">
          {t('console.staffHeading')}
        </h2>
        {people.length === 0 && <p className="muted">{t('console.noStaff')}</p>}
        <ul className="coop-people">
          {people.map((p) => (
            <li key={p.userId} className="coop-person">
              <div className="coop-person__main">
                <span className="coop-person__name">{p.displayName}</span>
                <span className="coop-meta">
                  {[p.email, p.mobile].filter(Boolean).join(' · ')} ·{' '}
                  {t('console.since', { date: formatDate(p.since, i18n.language, 'long') })}
                </span>
              </div>
              <div className="coop-person__roles">
                {p.roles.map((r) => (
                  <span key={r} className="coop-chip">
                    {t(`staffRole.${r}`)}
                    {canManage && !(r === 'coop_admin' && adminCount <= 1) && (
                      <button
                        type="button"
                        className="coop-chip__remove"
                        aria-label={t('console.remove', { role: t(`staffRole.${r}`) }) + ` · ${p.displayName}`}
                        title={t('console.remove', { role: t(`staffRole.${r}`) })}
                        onClick={() => removeRole(p, r)}
                        disabled={actions.removeRole.isPending}
                      >
                        ×
                      </button>
                    )}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading" className="card__heading">
          {t('console.invitationsHeading')}
        </h2>
        {invitations.length === 0 && <p className="muted">{t('console.noInvitations')}</p>}
        <ul className="coop-people">
          {invitations.map((i) => (
            <li key={i.id} className="coop-person">
              <div className="coop-person__main">
                <span className="coop-person__name">
                  {i.identifier} <span className="coop-chip">{t(`staffRole.${i.role}`)}</span>
                </span>
                <span className="coop-meta">
                  {t('console.invitedBy', { name: i.invitedBy, date: formatDate(i.invitedAt, i18n.language, 'long') })}
                </span>
              </div>
              {canManage && (
                <button
                  type="button"
                  className="button button--secondary coop-small-button"
                  onClick={() => {
                    actions.removeRole.reset();
                    actions.revoke.mutate(i.id);
                  }}
                  disabled={actions.revoke.isPending}
                >
                  {t('console.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>

      {canManage && (
        <InviteForm coopId={coopId} onInvited={(identifier) => setNotice(t('console.invited', { identifier }))} />
      )}
    </div>
  );
}

function InviteForm({ coopId, onInvited }: { coopId: string; onInvited: (identifier: string) => void }) {
  const { t } = useTranslation('coop');
  const { t: tApp } = useTranslation();
  const { invite } = useStaffActions(coopId);
  const errorMessage = useCoopErrorMessage();
  const [identifier, setIdentifier] = useState('');
  const [role, setRole] = useState<StaffRole>('host');
  const [error, setError] = useState<string | undefined>();

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed = createInvitationSchema.safeParse({ identifier, role });
    if (!parsed.success) {
      setError(identifier.trim() ? tApp('validation.emailOrMobile') : tApp('validation.required'));
      return;
    }
    setError(undefined);
    invite.mutate(parsed.data, {
      onSuccess: (inv) => {
        setIdentifier('');
        onInvited(inv.identifier);
      },
    });
  }

  return (
    <form className="form card" onSubmit={onSubmit} noValidate aria-labelledby="invite-heading">
      <h2 id="invite-heading" className="card__heading">
        {t('console.inviteHeading')}
      </h2>
      <p className="muted">{t('console.inviteLead')}</p>
      <FormError message={invite.isError ? errorMessage(invite.error) : null} />
      <div className="coop-grid-2">
        <Field
          name="identifier"
          label={t('console.identifier')}
          value={identifier}
          onValueChange={setIdentifier}
          error={error}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <SelectField name="role" label={t('console.role')} value={role} onValueChange={(v) => setRole(v as StaffRole)}>
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`staffRole.${r}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <button type="submit" className="button button--primary" disabled={invite.isPending} aria-busy={invite.isPending}>
        {t('console.invite')}
      </button>
    </form>
  );
}
