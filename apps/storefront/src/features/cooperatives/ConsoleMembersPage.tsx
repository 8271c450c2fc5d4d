import {
  formatLandMu,
  hasRole,
  LABOUR_ROLES,
  leaveMemberSchema,
  linkMemberSchema,
  parseLandMu,
  type LabourRole,
  type MemberView,
} from '@xiangbo/contracts';
import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { ConsoleShell } from '../console/ConsoleShell';
import { useMemberActions, useMembers, usePublicCooperative } from './api';
import { BulkLinkMembers } from './BulkLinkMembers';
import { SelectField } from './fields';
import { chinaToday, formatDate } from '../../format';
import { Notice, RegistryBadge, useCoopErrorMessage } from './shared';

type MemberState = 'active' | 'left' | 'all';
const STATES: MemberState[] = ['active', 'left', 'all'];

/**
 * /console/:coopId/members: member households with masked names and their registry status (read-only: the
 * platform keeps the registry), linking by ID number, shares and land, and recording a household leaving.
 */
export function ConsoleMembersPage() {
  const { t } = useTranslation('coop');
  useDocumentTitle(t('console.membersTitle'));
  return (
    <ConsoleShell section="members" title={t('console.membersTitle')}>
      <Members />
    </ConsoleShell>
  );
}

function Members() {
  const { t } = useTranslation('coop');
  const { coopId = '' } = useParams();
  const { user } = useAuth();
  const canManage = hasRole(user, 'coop_admin', coopId);
  const [state, setState] = useState<MemberState>('active');
  const [page, setPage] = useState(1);
  const members = useMembers(coopId, state, page);
  const figures = usePublicCooperative(coopId);
  const errorMessage = useCoopErrorMessage();
  const [notice, setNotice] = useState<string | null>(null);
  const pages = members.data ? Math.max(1, Math.ceil(members.data.total / members.data.pageSize)) : 1;

  return (
    <div className="coop-members">
      <p className="muted">{t('console.membersLead')}</p>
      {!canManage && <p className="coop-notice coop-notice--info">{t('console.readOnly')}</p>}
      {figures.data && (
        <dl className="coop-facts coop-facts--small">
          <div className="coop-facts__item">
            <dt>{t('console.statActive')}</dt>
            <dd>{figures.data.memberCount}</dd>
          </div>
          <div className="coop-facts__item">
            <dt>{t('page.poorMembers')}</dt>
            <dd>{figures.data.registeredOrMonitoredMemberCount}</dd>
          </div>
        </dl>
      )}
      <Notice>{notice}</Notice>

      <div className="coop-segments" role="group" aria-label={t('console.stateFilter')}>
        {STATES.map((s) => (
          <button
            key={s}
            type="button"
            className={`coop-segment${s === state ? ' coop-segment--active' : ''}`}
            aria-pressed={s === state}
            onClick={() => {
              setState(s);
              setPage(1);
            }}
          >
            {t(`console.state.${s}`)}
          </button>
        ))}
      </div>

      {members.isPending && <Loading />}
      {members.isError && <FormError message={errorMessage(members.error)} />}
      {members.data?.items.length === 0 && (
        <EmptyState
          title={t('console.noMembers')}
          hint={canManage && state === 'active' ? t('console.noMembersHint') : undefined}
        />
      )}
      {members.data && members.data.items.length > 0 && (
        <MembersTable
          coopId={coopId}
          items={members.data.items}
          canManage={canManage}
          showLeft={state !== 'active'}
          onDone={setNotice}
        />
      )}
      {pages > 1 && (
        <nav className="coop-pager" aria-label={t('console.pageOf', { page, pages })}>
          <button
            type="button"
            className="button button--secondary"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            {t('console.previous')}
          </button>
          <span>{t('console.pageOf', { page, pages })}</span>
          <button
            type="button"
            className="button button--secondary"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            {t('console.next')}
          </button>
        </nav>
      )}

      {canManage && <BulkLinkMembers coopId={coopId} onLinked={setNotice} />}
      {canManage && <LinkMemberForm coopId={coopId} onLinked={setNotice} />}
    </div>
  );
}

function MembersTable({
  coopId,
  items,
  canManage,
  showLeft,
  onDone,
}: {
  coopId: string;
  items: MemberView[];
  canManage: boolean;
  showLeft: boolean;
  onDone: (msg: string) => void;
}) {
  const { t, i18n } = useTranslation('coop');
  const [open, setOpen] = useState<{ id: string; mode: 'edit' | 'leave' } | null>(null);
  const columns = 8 + (showLeft ? 1 : 0) + (canManage ? 1 : 0);
  const label = (k: string) => t(`console.col.${k}` as 'console.col.headName');

  return (
    <div className="coop-table-wrap">
      <table className="coop-table" data-testid="members-table">
        <thead>
          <tr>
            <th scope="col">{label('headName')}</th>
            <th scope="col">{label('idNumber')}</th>
            <th scope="col">{label('village')}</th>
            <th scope="col">{label('status')}</th>
            <th scope="col" className="coop-num">
              {label('shares')}
            </th>
            <th scope="col" className="coop-num">
              {label('land')}
            </th>
            <th scope="col">{label('labour')}</th>
            <th scope="col">{label('joinedAt')}</th>
            {showLeft && <th scope="col">{label('leftAt')}</th>}
            {canManage && <th scope="col">{label('actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <Fragment key={m.id}>
              <tr className={m.leftAt ? 'coop-row--left' : undefined}>
                <th scope="row" data-label={label('headName')} className="coop-member-name">
                  {m.headName}
                </th>
                <td data-label={label('idNumber')} className="coop-mono">
                  {m.idNumberMasked}
                </td>
                <td data-label={label('village')}>{m.village}</td>
                <td data-label={label('status')}>
                  <RegistryBadge status={m.registryStatus} />
                </td>
                <td data-label={label('shares')} className="coop-num">
                  {m.shareUnits}
                </td>
                <td data-label={label('land')} className="coop-num">
                  {m.landMu}
                </td>
                <td data-label={label('labour')}>{t(`labourRole.${m.labourRole}`)}</td>
                <td data-label={label('joinedAt')}>{formatDate(m.joinedAt, i18n.language, 'numeric')}</td>
                {showLeft && (
                  <td data-label={label('leftAt')}>
                    {m.leftAt ? formatDate(m.leftAt, i18n.language, 'numeric') : '—'}
                  </td>
                )}
                {canManage && (
                  <td data-label={label('actions')} className="coop-actions">
                    {!m.leftAt && (
                      <>
                        <button
                          type="button"
                          className="button button--secondary coop-small-button"
                          aria-expanded={open?.id === m.id && open.mode === 'edit'}
                          onClick={() =>
                            setOpen(open?.id === m.id && open.mode === 'edit' ? null : { id: m.id, mode: 'edit' })
                          }
                        >
                          {t('console.edit')}
                          <span className="visually-hidden"> {m.headName}</span>
                        </button>
                        <button
                          type="button"
                          className="button button--secondary coop-small-button"
                          aria-expanded={open?.id === m.id && open.mode === 'leave'}
                          onClick={() =>
                            setOpen(open?.id === m.id && open.mode === 'leave' ? null : { id: m.id, mode: 'leave' })
                          }
                        >
                          {t('console.leave')}
                          <span className="visually-hidden"> {m.headName}</span>
                        </button>
                      </>
                    )}
                  </td>
                )}
              </tr>
              {open?.id === m.id && (
                <tr className="coop-row-form">
                  <td colSpan={columns}>
                    {open.mode === 'edit' ? (
                      <EditMemberForm
                        coopId={coopId}
                        member={m}
                        onClose={() => setOpen(null)}
                        onDone={() => {
                          setOpen(null);
                          onDone(t('console.updated'));
                        }}
                      />
                    ) : (
                      <LeaveForm
                        coopId={coopId}
                        member={m}
                        onClose={() => setOpen(null)}
                        onDone={() => {
                          setOpen(null);
                          onDone(t('console.leftDone'));
                        }}
                      />
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LabourSelect({
  name,
  value,
  onChange,
}: {
  name: string;
  value: LabourRole;
  onChange: (v: LabourRole) => void;
}) {
  const { t } = useTranslation('coop');
  return (
    <SelectField
      name={name}
      label={t('console.labourRole')}
      value={value}
      onValueChange={(v) => onChange(v as LabourRole)}
    >
      {LABOUR_ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`labourRole.${r}`)}
        </option>
      ))}
    </SelectField>
  );
}

/** Whole numbers ≥ 0 typed as text (so an empty field is "not filled in", not 0). */
function parseWhole(text: string): number | null {
  return /^\s*\d{1,7}\s*$/.test(text) ? Number(text) : null;
}

function EditMemberForm({
  coopId,
  member,
  onClose,
  onDone,
}: {
  coopId: string;
  member: MemberView;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('coop');
  const { update } = useMemberActions(coopId);
  const errorMessage = useCoopErrorMessage();
  const [shares, setShares] = useState(String(member.shareUnits));
  const [land, setLand] = useState(formatLandMu(member.landMuHundredths));
  const [labour, setLabour] = useState<LabourRole>(member.labourRole);
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const shareUnits = parseWhole(shares);
    const landMuHundredths = parseLandMu(land);
    const found: Record<string, string> = {};
    if (shareUnits === null) found['shares'] = t('validation.wholeNumber');
    if (landMuHundredths === null) found['land'] = t('validation.land');
    setErrors(found);
    if (shareUnits === null || landMuHundredths === null) return;
    update.mutate(
      { membershipId: member.id, body: { shareUnits, landMuHundredths, labourRole: labour } },
      { onSuccess: onDone },
    );
  }

  return (
    <form
      className="coop-inline-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`${t('console.edit')} ${member.headName}`}
    >
      <FormError message={update.isError ? errorMessage(update.error) : null} />
      <div className="coop-grid-3">
        <Field
          name={`shares-${member.id}`}
          label={t('console.shareUnits')}
          inputMode="numeric"
          value={shares}
          onValueChange={setShares}
          error={errors['shares']}
        />
        <Field
          name={`land-${member.id}`}
          label={t('console.land')}
          inputMode="decimal"
          value={land}
          onValueChange={setLand}
          error={errors['land']}
        />
        <LabourSelect name={`labour-${member.id}`} value={labour} onChange={setLabour} />
      </div>
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={update.isPending}>
          {t('console.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t('console.cancel')}
        </button>
      </div>
    </form>
  );
}

function LeaveForm({
  coopId,
  member,
  onClose,
  onDone,
}: {
  coopId: string;
  member: MemberView;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('coop');
  const { leave } = useMemberActions(coopId);
  const errorMessage = useCoopErrorMessage();
  const [leftAt, setLeftAt] = useState(chinaToday());
  const [error, setError] = useState<string | undefined>();

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!leaveMemberSchema.safeParse({ leftAt }).success) {
      setError(t('validation.date'));
      return;
    }
    setError(undefined);
    leave.mutate({ membershipId: member.id, leftAt }, { onSuccess: onDone });
  }

  return (
    <form
      className="coop-inline-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`${t('console.leave')} ${member.headName}`}
    >
      <FormError message={leave.isError ? errorMessage(leave.error) : null} />
      <Field
        name={`leftAt-${member.id}`}
        type="date"
        label={t('console.leftAt')}
        value={leftAt}
        min={member.joinedAt}
        max={chinaToday()}
        onValueChange={setLeftAt}
        error={error}
      />
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={leave.isPending}>
          {t('console.confirmLeave')}
        </button>
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t('console.cancel')}
        </button>
      </div>
    </form>
  );
}

function LinkMemberForm({ coopId, onLinked }: { coopId: string; onLinked: (msg: string) => void }) {
  const { t } = useTranslation('coop');
  const { t: tApp } = useTranslation();
  const { link } = useMemberActions(coopId);
  const errorMessage = useCoopErrorMessage();
  const [idNumber, setIdNumber] = useState('');
  const [shares, setShares] = useState('0');
  const [land, setLand] = useState('0');
  const [labour, setLabour] = useState<LabourRole>('grower');
  const [joinedAt, setJoinedAt] = useState(chinaToday());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const serverField =
    (link.error as { body?: { errors?: { field: string; message: string }[] } } | null)?.body?.errors ?? [];

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    link.reset();
    const shareUnits = parseWhole(shares);
    const landMuHundredths = parseLandMu(land);
    const found: Record<string, string> = {};
    if (!idNumber.trim()) found['idNumber'] = tApp('validation.required');
    else if (!/^\s*\d{17}[\dXx]\s*$/.test(idNumber)) found['idNumber'] = t('validation.idNumber');
    if (shareUnits === null) found['shareUnits'] = t('validation.wholeNumber');
    if (landMuHundredths === null) found['landMu'] = t('validation.land');
    const parsed = linkMemberSchema.safeParse({ idNumber, shareUnits, landMuHundredths, labourRole: labour, joinedAt });
    if (!parsed.success && parsed.error.issues.some((i) => i.path[0] === 'joinedAt'))
      found['joinedAt'] = t('validation.date');
    setErrors(found);
    if (Object.keys(found).length > 0 || !parsed.success) return;
    link.mutate(parsed.data, {
      onSuccess: (m) => {
        setIdNumber(''); // the ID number is not kept on screen once it has done its job
        onLinked(t('console.linked', { name: m.headName, status: t(`registryStatus.${m.registryStatus}`) }));
      },
    });
  }

  const fieldError = (f: string) => errors[f] ?? serverField.find((x) => x.field === f)?.message;

  return (
    <form className="form card coop-link-form" onSubmit={onSubmit} noValidate aria-labelledby="link-heading">
      <h2 id="link-heading" className="card__heading">
        {t('console.linkHeading')}
      </h2>
      <p className="muted">{t('console.oneCooperativeRule')}</p>
      <FormError message={link.isError ? errorMessage(link.error) : null} />
      <Field
        name="idNumber"
        label={t('console.idNumber')}
        hint={t('console.idNumberHint')}
        value={idNumber}
        onValueChange={setIdNumber}
        error={fieldError('idNumber')}
        autoComplete="off"
        spellCheck={false}
        inputMode="text"
        maxLength={20}
        className="coop-mono"
        required
      />
      <div className="coop-grid-2">
        <Field
          name="shareUnits"
          label={t('console.shareUnits')}
          inputMode="numeric"
          value={shares}
          onValueChange={setShares}
          error={fieldError('shareUnits')}
        />
        <Field
          name="landMu"
          label={t('console.land')}
          inputMode="decimal"
          value={land}
          onValueChange={setLand}
          error={fieldError('landMu') ?? fieldError('landMuHundredths')}
        />
        <LabourSelect name="labourRole" value={labour} onChange={setLabour} />
        <Field
          name="joinedAt"
          type="date"
          label={t('console.joinedAt')}
          value={joinedAt}
          max={chinaToday()}
          onValueChange={setJoinedAt}
          error={fieldError('joinedAt')}
        />
      </div>
      <button type="submit" className="button button--primary" disabled={link.isPending} aria-busy={link.isPending}>
        {t('console.link')}
      </button>
    </form>
  );
}
