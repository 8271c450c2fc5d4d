import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  FINDING_SUBJECT_TYPES,
  createFindingSchema,
  type AuditOverview,
  type FindingSubjectType,
} from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { RequireRoles } from '../../../auth/RequireRoles';
import { useApiClient } from '../../../auth/auth-context';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { formatDateTime, formatFen } from '../../../format';
import { auditApi, downloadLedgerExport, type LedgerExportFormat } from './api';
import { auditErrorMessage } from './errors';
import { FindingCard } from './FindingCard';
import { MoneySheets } from './MoneySheets';
import { AttestPayouts, CallbackChecks } from './PayoutChecks';
import '../payouts/payouts.css';
import './audit.css';

function AuditFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <RequireRoles roles={['auditor']} areaName={t('consoleArea.audit')}>
      <div className="page console audit">
        <h1 className="page__heading">{title}</h1>
        {children}
      </div>
    </RequireRoles>
  );
}

/** /audit — the cooperatives this auditor is assigned to. */
export function AuditHomePage() {
  const { t } = useTranslation('money');
  useDocumentTitle(t('audit.home.title'));
  return (
    <AuditFrame title={t('audit.home.title')}>
      <AuditCooperatives />
    </AuditFrame>
  );
}

function AuditCooperatives() {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const list = useQuery({
    queryKey: ['audit', 'cooperatives'],
    queryFn: ({ signal }) => auditApi.cooperatives(client, signal),
  });
  if (list.isPending) return <Loading />;
  if (list.isError) {
    return (
      <p role="alert" className="form-error">
        {auditErrorMessage(t, tc, list.error)}
      </p>
    );
  }
  if (!list.data.length) return <EmptyState title={t('audit.home.empty')} hint={t('audit.home.emptyHint')} />;
  return (
    <ul className="audit-coops">
      {list.data.map((c) => (
        <li key={c.id} className="card audit-coops__item">
          <h2 className="card__heading">
            <Link to={`/audit/${c.id}`}>{c.name}</Link>
          </h2>
          <p className="muted">
            {c.county} · {c.village}
          </p>
          <p>
            {t('audit.home.openFindings', { count: c.openFindings })}
            <span className="muted">
              {' '}
              · {t('audit.home.assignedAt', { at: formatDateTime(c.assignedAt, i18n.language) })}
            </span>
          </p>
        </li>
      ))}
    </ul>
  );
}

/** /audit/:coopId — everything of one cooperative (access-logged), the ledger export, findings. */
export function AuditCoopPage() {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const client = useApiClient();
  const overview = useQuery({
    queryKey: ['audit', 'overview', coopId],
    queryFn: ({ signal }) => auditApi.overview(client, coopId, signal),
    retry: false,
  });
  useDocumentTitle(overview.data?.cooperative.name ?? t('audit.home.title'));
  return (
    <AuditFrame title={overview.data?.cooperative.name ?? t('audit.home.title')}>
      <p>
        <Link to="/audit">{t('audit.coop.back')}</Link>
      </p>
      {overview.isPending ? (
        <Loading />
      ) : overview.isError ? (
        <p role="alert" className="form-error">
          {auditErrorMessage(t, tc, overview.error)}
        </p>
      ) : (
        <>
          <LedgerExport coopId={coopId} />
          <MoneySheets coopId={coopId} />
          <Overview o={overview.data} />
          <AttestPayouts coopId={coopId} />
          <CallbackChecks coopId={coopId} />
          <AuditFindings coopId={coopId} />
        </>
      )}
    </AuditFrame>
  );
}

function LedgerExport({ coopId }: { coopId: string }) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const [busy, setBusy] = useState<LedgerExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (format: LedgerExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      await downloadLedgerExport(client, coopId, format);
    } catch (e) {
      setError(auditErrorMessage(t, tc, e));
    } finally {
      setBusy(null);
    }
  };
  const sheet = (format: LedgerExportFormat, label: string) => (
    <button
      type="button"
      className="button button--secondary"
      onClick={() => void download(format)}
      disabled={busy !== null}
    >
      {busy === format ? t('audit.export.downloading') : label}
    </button>
  );
  return (
    <section className="card audit-export" aria-labelledby="audit-export-title">
      <h2 id="audit-export-title" className="card__heading">
        {t('audit.export.title')}
      </h2>
      <p>{t('audit.export.body')}</p>
      <button
        type="button"
        className="button button--primary"
        onClick={() => void download('jsonl')}
        disabled={busy !== null}
      >
        {busy === 'jsonl' ? t('audit.export.downloading') : t('audit.export.download')}
      </button>
      <p className="muted">{t('audit.export.sheets')}</p>
      <div className="button-row">
        {sheet('xlsx', t('audit.export.xlsx'))}
        {sheet('csv', t('audit.export.csv'))}
        {sheet('csv-gbk', t('audit.export.csvGbk'))}
      </div>
      {error && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
      <h3 className="audit-export__how">{t('audit.export.howTitle')}</h3>
      <ol className="audit-export__steps">
        <li>{t('audit.export.step1')}</li>
        <li>
          {t('audit.export.step2')}
          <pre className="audit-export__cmd">
            <code>{'node verify-ledger.cjs ledger-….jsonl'}</code>
          </pre>
          {t('audit.export.step2Repo')}
          <pre className="audit-export__cmd">
            <code>{'npm run verify-ledger -- ledger-….jsonl'}</code>
          </pre>
        </li>
        <li>{t('audit.export.step3')}</li>
      </ol>
    </section>
  );
}

function Overview({ o }: { o: AuditOverview }) {
  const { t, i18n } = useTranslation('money');
  const fen = (v: number) => formatFen(v, i18n.language);
  return (
    <>
      <section className="section" aria-labelledby="audit-orders">
        <h2 id="audit-orders" className="section__heading">
          {t('audit.coop.orders')}
        </h2>
        {o.orders.byStatus.length === 0 ? (
          <p className="muted">{t('audit.coop.none')}</p>
        ) : (
          <ul className="audit-figures">
            {o.orders.byStatus.map((s) => (
              <li key={s.status}>
                <span>{t(`audit.orderStatus.${s.status}`, { defaultValue: s.status })}</span>
                <strong>{t('audit.coop.countAmount', { count: s.count, amount: fen(s.totalFen) })}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="section" aria-labelledby="audit-ledger">
        <h2 id="audit-ledger" className="section__heading">
          {t('audit.coop.ledger')}
        </h2>
        <p>
          {t('audit.coop.chain', { seq: o.settlements.lastSeq })}
          {o.settlements.lastHash && <code className="audit-hash">{o.settlements.lastHash}</code>}
        </p>
        <ul className="audit-figures">
          {o.settlements.transactions.map((k) => (
            <li key={k.kind}>
              <span>{t(`audit.kind.${k.kind}`, { defaultValue: k.kind })}</span>
              <strong>{k.count}</strong>
            </li>
          ))}
        </ul>
        {o.settlements.runs.length > 0 && (
          <p className="muted">
            {t('audit.coop.runs', {
              count: o.settlements.runs.length,
              last: formatDateTime(o.settlements.runs[0].createdAt, i18n.language),
            })}
          </p>
        )}
        <details className="audit-balances">
          <summary>{t('audit.coop.balances', { count: o.settlements.balances.length })}</summary>
          <div className="payout-table-wrap">
            <table className="payout-table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.coop.account')}</th>
                  <th scope="col">{t('audit.coop.balance')}</th>
                </tr>
              </thead>
              <tbody>
                {o.settlements.balances.map((b) => (
                  <tr key={b.account}>
                    <th scope="row">
                      <code>{b.account}</code>
                    </th>
                    <td className="payout-table__amount">{fen(b.balanceFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>
      <section className="section" aria-labelledby="audit-payouts">
        <h2 id="audit-payouts" className="section__heading">
          {t('audit.coop.payouts')}
        </h2>
        <ul className="audit-figures">
          {o.payouts.byStatus.map((s) => (
            <li key={s.status}>
              <span>{t(`payouts.status.${s.status as 'planned' | 'paid' | 'confirmed'}`)}</span>
              <strong>{t('audit.coop.countAmount', { count: s.count, amount: fen(s.totalFen) })}</strong>
            </li>
          ))}
          <li>
            <span>{t('audit.coop.unconfirmed', { days: o.payouts.confirmDays })}</span>
            <strong className={o.payouts.unconfirmedFlagged ? 'audit-figures__warn' : undefined}>
              {o.payouts.unconfirmedFlagged}
            </strong>
          </li>
        </ul>
      </section>
      <section className="section" aria-labelledby="audit-members">
        <h2 id="audit-members" className="section__heading">
          {t('audit.coop.members', { count: o.members.length })}
        </h2>
        <p className="muted">{t('audit.coop.membersLogged')}</p>
        <div className="payout-table-wrap">
          <table className="payout-table">
            <thead>
              <tr>
                <th scope="col">{t('audit.coop.headName')}</th>
                <th scope="col">{t('payouts.console.village')}</th>
                <th scope="col">{t('audit.coop.registry')}</th>
                <th scope="col">{t('audit.coop.shares')}</th>
                <th scope="col">{t('audit.coop.owed')}</th>
              </tr>
            </thead>
            <tbody>
              {o.members.map((m) => (
                <tr key={m.householdId}>
                  <th scope="row" data-label={t('audit.coop.headName')}>
                    {m.headName}
                    {m.leftAt && <span className="muted"> {t('audit.coop.left', { date: m.leftAt })}</span>}
                  </th>
                  <td data-label={t('payouts.console.village')}>{m.village}</td>
                  <td data-label={t('audit.coop.registry')}>{t(`audit.registry.${m.registryStatus}`)}</td>
                  <td data-label={t('audit.coop.shares')}>{m.shareUnits}</td>
                  <td data-label={t('audit.coop.owed')} className="payout-table__amount">
                    {fen(m.owedFen)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function AuditFindings({ coopId }: { coopId: string }) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const key = ['audit', 'findings', coopId];
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => auditApi.findings(client, coopId, signal) });
  const [active, setActive] = useState<string | null>(null);
  const close = useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) => auditApi.close(client, id, { note }),
    onMutate: ({ id }) => setActive(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'cooperatives'] });
    },
  });
  return (
    <section className="section" aria-labelledby="audit-findings">
      <h2 id="audit-findings" className="section__heading">
        {t('audit.findings.title')}
      </h2>
      <RaiseFinding coopId={coopId} onRaised={() => void queryClient.invalidateQueries({ queryKey: key })} />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <p role="alert" className="form-error">
          {auditErrorMessage(t, tc, list.error)}
        </p>
      ) : list.data.length === 0 ? (
        <p className="muted">{t('audit.findings.none')}</p>
      ) : (
        list.data.map((f) => (
          <FindingCard
            key={f.id}
            finding={f}
            action="close"
            pending={close.isPending && active === f.id}
            error={close.isError && active === f.id ? auditErrorMessage(t, tc, close.error) : null}
            onSubmit={(note) => close.mutate({ id: f.id, note })}
          />
        ))
      )}
    </section>
  );
}

function RaiseFinding({ coopId, onRaised }: { coopId: string; onRaised: () => void }) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [type, setType] = useState<FindingSubjectType>('ledger_transaction');
  const [ref, setRef] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const raise = useMutation({
    mutationFn: () => auditApi.raise(client, coopId, { title, body, subject: { type, ref } }),
    onSuccess: () => {
      setTitle('');
      setBody('');
      setRef('');
      onRaised();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = createFindingSchema.safeParse({ title, body, subject: { type, ref } });
    if (!parsed.success) {
      setInvalid(String(parsed.error.issues[0]?.path[0] ?? 'title'));
      return;
    }
    setInvalid(null);
    raise.mutate();
  };
  return (
    <details className="card audit-raise">
      <summary className="audit-raise__summary">{t('audit.findings.raise')}</summary>
      <form className="form" onSubmit={submit} noValidate>
        <label className={`field${invalid === 'title' ? ' field--invalid' : ''}`}>
          <span className="field__label">{t('audit.findings.titleLabel')}</span>
          <input className="field__input" value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className={`field${invalid === 'body' ? ' field--invalid' : ''}`}>
          <span className="field__label">{t('audit.findings.bodyLabel')}</span>
          <textarea
            className="field__input"
            rows={4}
            value={body}
            maxLength={5000}
            onChange={(e) => setBody(e.target.value)}
          />
        </label>
        <div className="audit-raise__subject">
          <label className="field">
            <span className="field__label">{t('audit.findings.subjectLabel')}</span>
            <select
              className="field__input"
              value={type}
              onChange={(e) => setType(e.target.value as FindingSubjectType)}
            >
              {FINDING_SUBJECT_TYPES.map((s) => (
                <option key={s} value={s}>
                  {t(`audit.subject.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">{t('audit.findings.refLabel')}</span>
            <input className="field__input" value={ref} maxLength={100} onChange={(e) => setRef(e.target.value)} />
          </label>
        </div>
        {(invalid || raise.isError) && (
          <p role="alert" className="field__error">
            {invalid ? t('audit.findings.required') : auditErrorMessage(t, tc, raise.error)}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={raise.isPending}>
            {t('audit.findings.submitRaise')}
          </button>
        </div>
      </form>
    </details>
  );
}
