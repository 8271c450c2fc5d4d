import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hasRole, type DividendPreviewDto, type SettlementRunDto } from '@xiangbo/contracts';
import { parseYuan } from '@xiangbo/domain';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useApiClient, useAuth } from '../../../auth/auth-context';
import { Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { ConsoleShell } from '../../console/ConsoleShell';
import { ledgerApi, ledgerKeys } from './api';
import { ledgerErrorMessage } from './errors';
import { formatDateTime, previousMonth, formatFen } from '../../../format';
import './ledger.css';

const ACTIVE = ['queued', 'running'];

/** /console/:coopId/settlement (结算): start a run, watch its progress, see what it settled; the dividend panel. */
export function SettlementPage() {
  const { t } = useTranslation('money');
  useDocumentTitle(t('ledger.settlement.title'));
  return (
    <ConsoleShell section="settlement" title={t('ledger.settlement.title')}>
      <Settlement />
    </ConsoleShell>
  );
}

function Settlement() {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const { user } = useAuth();
  const canManage = hasRole(user, 'coop_admin', coopId);
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const overview = useQuery({
    queryKey: ledgerKeys.settlement(coopId),
    queryFn: ({ signal }) => ledgerApi.settlement(client, coopId, signal),
  });
  const latestId = runId ?? overview.data?.runs[0]?.id ?? null;
  const run = useQuery({
    queryKey: ledgerKeys.run(coopId, latestId ?? ''),
    queryFn: ({ signal }) => ledgerApi.run(client, coopId, latestId as string, signal),
    enabled: Boolean(latestId),
    // Poll while the job works; stop when it is done or failed.
    refetchInterval: (q) => (q.state.data && ACTIVE.includes(q.state.data.status) ? 1000 : false),
  });
  const wasActive = run.data && ACTIVE.includes(run.data.status);
  const start = useMutation({
    mutationFn: () => ledgerApi.startRun(client, coopId),
    onSuccess: (r) => {
      setRunId(r.id);
      queryClient.setQueryData(ledgerKeys.run(coopId, r.id), r);
    },
  });
  const runStatus = run.data?.status;
  useEffect(() => {
    // A run that just finished changed the balances and the history: read them again.
    if (runStatus && !ACTIVE.includes(runStatus))
      void queryClient.invalidateQueries({ queryKey: ledgerKeys.settlement(coopId) });
  }, [runStatus, coopId, queryClient]);

  if (overview.isPending) return <Loading />;
  if (overview.isError) {
    return (
      <div role="alert" className="form-error">
        <strong className="form-error__title">{t('ledger.settlement.loadFailed')}</strong>
        <span>{ledgerErrorMessage(t, tc, overview.error)}</span>
      </div>
    );
  }
  const o = overview.data;
  const lang = i18n.language;
  return (
    <div className="ledger">
      <p className="muted ledger__intro">{t('ledger.settlement.intro')}</p>
      <div className="ledger-stats">
        <Stat
          label={t('ledger.settlement.unsettled')}
          value={t('ledger.settlement.ordersCount', { count: o.unsettledOrders })}
          sub={formatFen(o.unsettledFen, lang)}
        />
        <Stat label={t('ledger.settlement.owed')} value={formatFen(o.balances.householdsOwedFen, lang)} />
        <Stat label={t('ledger.settlement.pool')} value={formatFen(o.balances.dividendPoolFen, lang)} />
        <Stat label={t('ledger.settlement.wages')} value={formatFen(o.balances.wagesPayableFen, lang)} />
        <Stat label={t('ledger.settlement.retained')} value={formatFen(o.balances.retainedFen, lang)} />
      </div>
      {canManage && (
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            onClick={() => start.mutate()}
            disabled={start.isPending || Boolean(wasActive)}
          >
            {wasActive ? t('ledger.settlement.running') : t('ledger.settlement.start')}
          </button>
          <Link className="button button--secondary" to={`/console/${coopId}/policy`}>
            {t('ledger.settlement.toPolicy')}
          </Link>
        </div>
      )}
      {start.isError && (
        <p role="alert" className="form-error">
          {ledgerErrorMessage(t, tc, start.error)}
        </p>
      )}
      {run.data && <RunCard run={run.data} />}
      {o.runs.length > 1 && (
        <>
          <h2 className="section__heading">{t('ledger.settlement.history')}</h2>
          <div className="ledger-table-wrap">
            <table className="ledger-table">
              <thead>
                <tr>
                  <th scope="col">{t('ledger.settlement.startedAt')}</th>
                  <th scope="col">{t('ledger.settlement.status')}</th>
                  <th scope="col">{t('ledger.settlement.settledOrders')}</th>
                  <th scope="col">{t('ledger.settlement.amount')}</th>
                  <th scope="col">{t('ledger.settlement.skippedCount')}</th>
                </tr>
              </thead>
              <tbody>
                {o.runs.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{formatDateTime(r.createdAt, lang)}</th>
                    <td>{t(`ledger.runStatus.${r.status}`)}</td>
                    <td>{r.settledOrders}</td>
                    <td>{formatFen(r.settledFen, lang)}</td>
                    <td>{r.skipped.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {canManage && <DividendPanel coopId={coopId} />}
    </div>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="ledger-stat">
      <span className="ledger-stat__label">{label}</span>
      <strong className="ledger-stat__value">{value}</strong>
      {sub && <span className="ledger-stat__sub">{sub}</span>}
    </div>
  );
}

function RunCard({ run }: { run: SettlementRunDto }) {
  const { t, i18n } = useTranslation('money');
  const pct = run.total ? Math.round((run.done * 100) / run.total) : run.status === 'done' ? 100 : 0;
  return (
    <section className="card run-card" aria-labelledby="run-heading">
      <h2 id="run-heading" className="card__heading">
        {t('ledger.settlement.runHeading', { at: formatDateTime(run.createdAt, i18n.language) })}
      </h2>
      <p>
        <span className={`ledger-badge ledger-badge--${run.status}`}>{t(`ledger.runStatus.${run.status}`)}</span>{' '}
        {t('ledger.settlement.progressText', { done: run.done, total: run.total })}
      </p>
      <progress
        className="run-card__bar"
        max={Math.max(run.total, 1)}
        value={run.total ? run.done : run.status === 'done' ? 1 : 0}
        aria-label={t('ledger.settlement.progress')}
      >
        {pct}%
      </progress>
      {run.status === 'done' && (
        <p role="status">
          {t('ledger.settlement.result', {
            count: run.settledOrders,
            amount: formatFen(run.settledFen, i18n.language),
          })}
        </p>
      )}
      {run.status === 'failed' && (
        <p role="alert" className="form-error">
          {t('ledger.settlement.failed', { error: run.error ?? '' })}
        </p>
      )}
      {run.skipped.length > 0 && (
        <details className="run-card__skipped" open>
          <summary>{t('ledger.settlement.skipped', { count: run.skipped.length })}</summary>
          <ul>
            {run.skipped.map((s) => (
              <li key={s.orderId}>
                <strong>{s.orderNumber}</strong>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function DividendPanel({ coopId }: { coopId: string }) {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState(previousMonth());
  const [amount, setAmount] = useState('');
  const [preview, setPreview] = useState<DividendPreviewDto | null>(null);
  const amountFen = amount.trim() ? parseYuan(amount) : undefined;
  const amountBad = amountFen === null || amountFen === 0;
  const body = () => ({ period, ...(amountFen ? { amountFen } : {}) });
  const ask = useMutation({
    mutationFn: () => ledgerApi.previewDividend(client, coopId, body()),
    onSuccess: setPreview,
  });
  const post = useMutation({
    mutationFn: () => ledgerApi.postDividend(client, coopId, body()),
    onSuccess: (p) => {
      setPreview(p);
      void queryClient.invalidateQueries({ queryKey: ledgerKeys.settlement(coopId) });
    },
  });
  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    setPreview(null);
    post.reset();
    if (!amountBad) ask.mutate();
  };
  const lang = i18n.language;
  return (
    <section className="card dividend-panel" aria-labelledby="dividend-heading">
      <h2 id="dividend-heading" className="card__heading">
        {t('ledger.dividend.heading')}
      </h2>
      <p className="muted">{t('ledger.dividend.intro')}</p>
      <form className="dividend-panel__form" onSubmit={onPreview} noValidate>
        <div className="field">
          <label className="field__label" htmlFor="dividend-period">
            {t('ledger.dividend.period')}
          </label>
          <input
            id="dividend-period"
            type="month"
            className="field__input"
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
            required
          />
        </div>
        <div className={`field${amountBad ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor="dividend-amount">
            {t('ledger.dividend.amount')}
          </label>
          <input
            id="dividend-amount"
            className="field__input"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder={t('ledger.dividend.amountPlaceholder')}
          />
          {amountBad && <span className="field__error">{t('ledger.policy.errors.yuan')}</span>}
        </div>
        <button type="submit" className="button button--secondary" disabled={ask.isPending}>
          {t('ledger.dividend.preview')}
        </button>
      </form>
      {(ask.isError || post.isError) && (
        <p role="alert" className="form-error">
          {ledgerErrorMessage(t, tc, ask.error ?? post.error)}
        </p>
      )}
      {preview && (
        <div className="dividend-panel__preview">
          <p>
            {t('ledger.dividend.summary', {
              amount: formatFen(preview.amountFen, lang),
              pool: formatFen(preview.poolBalanceFen, lang),
              count: preview.members.filter((m) => m.amountFen > 0).length,
              version: preview.policyVersion,
            })}
          </p>
          <div className="ledger-table-wrap">
            <table className="ledger-table ledger-table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('ledger.dividend.household')}</th>
                  <th scope="col">{t('ledger.dividend.status')}</th>
                  <th scope="col">{t('ledger.dividend.shares')}</th>
                  <th scope="col">{t('ledger.dividend.share')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.members.map((m) => (
                  <tr key={m.householdId}>
                    <th scope="row">{m.maskedName}</th>
                    <td>{t(`ledger.status.${m.status}`)}</td>
                    <td>{m.shareUnits}</td>
                    <td>{formatFen(m.amountFen, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.alreadyPosted ? (
            <p role="status" className="ledger__notice ledger__notice--ok">
              {t('ledger.dividend.posted', { period: preview.period, seq: preview.seq ?? '' })}
            </p>
          ) : (
            <div className="button-row">
              <button
                type="button"
                className="button button--primary"
                onClick={() => post.mutate()}
                disabled={post.isPending}
              >
                {t('ledger.dividend.post', { amount: formatFen(preview.amountFen, lang) })}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
