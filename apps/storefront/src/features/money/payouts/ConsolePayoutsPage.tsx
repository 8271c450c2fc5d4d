import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  hasRole,
  type ExportEncoding,
  type PayoutBatchSummary,
  type PayoutView,
  type RecordPayoutRequest,
  type RecordPayoutResponse,
} from '@xiangbo/contracts';
import { parseYuan } from '@xiangbo/domain';
import { Fragment, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useApiClient, useAuth } from '../../../auth/auth-context';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { ConsoleShell } from '../../console/ConsoleShell';
import { MoneySheets } from '../audit/MoneySheets';
import { downloadBankExport, payoutsApi } from './api';
import { payoutErrorMessage } from './errors';
import { formatDate, formatDateTime, formatFen } from '../../../format';
import { ConfirmationNotice, confirmationLabel } from './ConfirmationNotice';
import { RecordPayoutForm } from './RecordPayoutForm';
import { StatementView } from './StatementView';
import './payouts.css';

const keys = {
  all: (coopId: string) => ['payouts', coopId] as const,
  batches: (coopId: string) => ['payouts', coopId, 'batches'] as const,
  batch: (coopId: string, batchId: string) => ['payouts', coopId, 'batch', batchId] as const,
  unconfirmed: (coopId: string) => ['payouts', coopId, 'unconfirmed'] as const,
};

/** /console/:coopId/payouts (兑付): batches, the bank file, recording payments, unconfirmed flags. */
export function ConsolePayoutsPage() {
  const { t } = useTranslation('money');
  useDocumentTitle(t('payouts.console.title'));
  return (
    <ConsoleShell section="payouts" title={t('payouts.console.title')}>
      <ConsolePayouts />
    </ConsoleShell>
  );
}

function ConsolePayouts() {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const { coopId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { user } = useAuth();
  const canManage = hasRole(user, 'coop_admin', coopId);
  const client = useApiClient();
  const batches = useQuery({
    queryKey: keys.batches(coopId),
    queryFn: ({ signal }) => payoutsApi.batches(client, coopId, signal),
  });
  const selected = params.get('batch') ?? batches.data?.items[0]?.id ?? null;
  const select = (id: string) => setParams({ batch: id }, { replace: true });

  if (batches.isPending) return <Loading />;
  if (batches.isError) {
    return (
      <div role="alert" className="form-error">
        <strong className="form-error__title">{t('payouts.console.loadFailed')}</strong>
        <span>{payoutErrorMessage(t, tc, batches.error)}</span>
      </div>
    );
  }
  const list = batches.data;
  return (
    <div className="payouts">
      <p className="muted payouts__intro">{t('payouts.console.intro')}</p>
      {!canManage && <p className="payouts__notice">{t('payouts.console.readOnly')}</p>}
      {list.unconfirmedFlagged > 0 && (
        <UnconfirmedPanel coopId={coopId} count={list.unconfirmedFlagged} days={list.confirmDays} />
      )}
      {canManage && <NewBatchForm coopId={coopId} onCreated={select} />}
      {canManage && <MoneySheets coopId={coopId} />}
      {list.items.length === 0 ? (
        <EmptyState title={t('payouts.console.noBatches')} hint={t('payouts.console.noBatchesHint')} />
      ) : (
        <>
          <h2 className="section__heading">{t('payouts.console.batches')}</h2>
          <div className="payout-table-wrap">
            <table className="payout-table payout-table--batches">
              <thead>
                <tr>
                  <th scope="col">{t('payouts.console.createdAt')}</th>
                  <th scope="col">{t('payouts.console.threshold')}</th>
                  <th scope="col">{t('payouts.console.households')}</th>
                  <th scope="col">{t('payouts.console.total')}</th>
                  <th scope="col">{t('payouts.console.progress')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('payouts.console.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((b) => (
                  <tr key={b.id} className={b.id === selected ? 'payout-table__row--selected' : undefined}>
                    <th scope="row" data-label={t('payouts.console.createdAt')}>
                      {formatDateTime(b.createdAt, i18n.language)}
                    </th>
                    <td data-label={t('payouts.console.threshold')}>{formatFen(b.thresholdFen, i18n.language)}</td>
                    <td data-label={t('payouts.console.households')}>{b.payouts}</td>
                    <td data-label={t('payouts.console.total')}>{formatFen(b.totalFen, i18n.language)}</td>
                    <td data-label={t('payouts.console.progress')}>
                      <BatchProgress batch={b} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button--secondary payout-table__action"
                        onClick={() => select(b.id)}
                        aria-pressed={b.id === selected}
                      >
                        {t('payouts.console.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {selected && <BatchDetail key={selected} coopId={coopId} batchId={selected} canManage={canManage} />}
        </>
      )}
    </div>
  );
}

function BatchProgress({ batch }: { batch: PayoutBatchSummary }) {
  const { t } = useTranslation('money');
  return (
    <span className="batch-progress">
      {t('payouts.console.progressText', { planned: batch.planned, paid: batch.paid, confirmed: batch.confirmed })}
      {batch.unconfirmedFlagged > 0 && (
        <span className="payout-flag">{t('payouts.console.flagged', { count: batch.unconfirmedFlagged })}</span>
      )}
    </span>
  );
}

function NewBatchForm({ coopId, onCreated }: { coopId: string; onCreated: (id: string) => void }) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [yuan, setYuan] = useState('100');
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (thresholdFen: number) => payoutsApi.createBatch(client, coopId, { thresholdFen }),
    onSuccess: (batch) => {
      void queryClient.invalidateQueries({ queryKey: keys.all(coopId) });
      onCreated(batch.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fen = parseYuan(yuan);
    if (fen === null || fen < 1) {
      setError(t('payouts.console.thresholdInvalid'));
      return;
    }
    setError(null);
    create.mutate(fen);
  };
  const message = error ?? (create.isError ? payoutErrorMessage(t, tc, create.error) : null);
  return (
    <form className="card payouts__new" onSubmit={submit} noValidate>
      <h2 className="card__heading">{t('payouts.console.newBatch')}</h2>
      <div className={`field${message ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor="payout-threshold">
          {t('payouts.console.thresholdLabel')}
        </label>
        <div className="payouts__threshold">
          <span aria-hidden="true">¥</span>
          <input
            id="payout-threshold"
            className="field__input"
            inputMode="decimal"
            value={yuan}
            onChange={(e) => setYuan(e.target.value)}
            aria-describedby="payout-threshold-hint"
            aria-invalid={Boolean(message)}
          />
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {create.isPending ? t('payouts.console.creating') : t('payouts.console.create')}
          </button>
        </div>
        <p id="payout-threshold-hint" className="field__hint">
          {t('payouts.console.thresholdHint')}
        </p>
        {message && (
          <p role="alert" className="field__error">
            {message}
          </p>
        )}
      </div>
    </form>
  );
}

function BatchDetail({ coopId, batchId, canManage }: { coopId: string; batchId: string; canManage: boolean }) {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const batch = useQuery({
    queryKey: keys.batch(coopId, batchId),
    queryFn: ({ signal }) => payoutsApi.batch(client, coopId, batchId, signal),
  });
  const [recording, setRecording] = useState<string | null>(null);
  const [shown, setShown] = useState<RecordPayoutResponse | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<ExportEncoding | 'xlsx' | null>(null);
  const record = useMutation({
    mutationFn: ({ id, body }: { id: string; body: RecordPayoutRequest }) => payoutsApi.record(client, id, body),
    onSuccess: (r) => {
      setShown(r);
      setRecording(null);
      void queryClient.invalidateQueries({ queryKey: keys.all(coopId) });
    },
  });

  if (batch.isPending) return <Loading />;
  if (batch.isError) {
    return (
      <p role="alert" className="form-error">
        {payoutErrorMessage(t, tc, batch.error)}
      </p>
    );
  }
  const b = batch.data;
  const download = async (encoding: ExportEncoding | 'xlsx') => {
    setDownloading(encoding);
    setDownloadError(null);
    try {
      await downloadBankExport(client, coopId, batchId, encoding);
    } catch (e) {
      setDownloadError(payoutErrorMessage(t, tc, e));
    } finally {
      setDownloading(null);
    }
  };
  return (
    <section className="batch-detail" aria-labelledby="batch-detail-title">
      <h2 id="batch-detail-title" className="section__heading">
        {t('payouts.console.batchTitle', {
          date: formatDateTime(b.createdAt, i18n.language),
          total: formatFen(b.totalFen, i18n.language),
        })}
      </h2>
      {canManage && (
        <div className="batch-detail__export">
          <div className="button-row">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void download('utf8')}
              disabled={downloading !== null || b.planned === 0}
            >
              {downloading === 'utf8' ? t('payouts.console.downloading') : t('payouts.console.exportUtf8')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void download('gbk')}
              disabled={downloading !== null || b.planned === 0}
            >
              {downloading === 'gbk' ? t('payouts.console.downloading') : t('payouts.console.exportGbk')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void download('xlsx')}
              disabled={downloading !== null || b.planned === 0}
            >
              {downloading === 'xlsx' ? t('payouts.console.downloading') : t('payouts.console.exportXlsx')}
            </button>
          </div>
          <p className="field__hint">{t('payouts.console.exportHint')}</p>
          {downloadError && (
            <p role="alert" className="field__error">
              {downloadError}
            </p>
          )}
        </div>
      )}
      {shown && <ConfirmationNotice result={shown} onDone={() => setShown(null)} />}
      <PayoutTable
        coopId={coopId}
        items={b.items}
        canManage={canManage}
        recording={recording}
        onRecord={(id) => {
          record.reset();
          setShown(null);
          setRecording(id);
        }}
        renderForm={(p) => (
          <RecordPayoutForm
            payout={p}
            pending={record.isPending}
            serverError={
              record.isError ? { message: payoutErrorMessage(t, tc, record.error), error: record.error } : null
            }
            onSubmit={(body) => record.mutate({ id: p.id, body })}
            onCancel={() => setRecording(null)}
          />
        )}
      />
    </section>
  );
}

function PayoutStatus({ p }: { p: PayoutView }) {
  const { t, i18n } = useTranslation('money');
  const how = confirmationLabel(t, p);
  return (
    <span className="payout-status">
      <span className={`payout-badge payout-badge--${p.status}`}>{t(`payouts.status.${p.status}`)}</span>
      {p.confirmedAt && <span className="muted"> {formatDateTime(p.confirmedAt, i18n.language)}</span>}
      {how && <span className="payout-status__how">{how}</span>}
      {p.unconfirmedFlag && <span className="payout-flag">{t('payouts.console.unconfirmedFlag')}</span>}
    </span>
  );
}

function PayoutTable({
  coopId,
  items,
  canManage,
  recording,
  onRecord,
  renderForm,
}: {
  coopId: string;
  items: PayoutView[];
  canManage: boolean;
  recording?: string | null;
  onRecord?: (id: string) => void;
  renderForm?: (p: PayoutView) => ReactNode;
}) {
  const { t, i18n } = useTranslation('money');
  return (
    <div className="payout-table-wrap">
      <table className="payout-table">
        <thead>
          <tr>
            <th scope="col">{t('payouts.console.household')}</th>
            <th scope="col">{t('payouts.console.village')}</th>
            <th scope="col">{t('payouts.console.amount')}</th>
            <th scope="col">{t('payouts.console.status')}</th>
            <th scope="col">{t('payouts.console.payment')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('payouts.console.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <Fragment key={p.id}>
              <tr
                className={p.unconfirmedFlag ? 'payout-table__row--flagged' : undefined}
                data-testid={`payout-${p.id}`}
              >
                <th scope="row" data-label={t('payouts.console.household')}>
                  {canManage ? (
                    <Link to={`/console/${coopId}/payouts/households/${p.householdId}`}>{p.householdNameMasked}</Link>
                  ) : (
                    p.householdNameMasked
                  )}
                </th>
                <td data-label={t('payouts.console.village')}>{p.village}</td>
                <td data-label={t('payouts.console.amount')} className="payout-table__amount">
                  {formatFen(p.amountFen, i18n.language)}
                </td>
                <td data-label={t('payouts.console.status')}>
                  <PayoutStatus p={p} />
                </td>
                <td data-label={t('payouts.console.payment')}>
                  {p.channel ? (
                    <>
                      {t(`payouts.channels.${p.channel}`)} · {p.reference}
                      {p.paidOn && <span className="muted"> · {formatDate(p.paidOn, i18n.language)}</span>}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {canManage && onRecord && p.status === 'planned' && recording !== p.id && (
                    <button
                      type="button"
                      className="button button--primary payout-table__action"
                      onClick={() => onRecord(p.id)}
                    >
                      {t('payouts.console.record')}
                    </button>
                  )}
                </td>
              </tr>
              {recording === p.id && renderForm && (
                <tr className="payout-table__form-row">
                  <td colSpan={6} className="payout-table__form">
                    {renderForm(p)}
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

function UnconfirmedPanel({ coopId, count, days }: { coopId: string; count: number; days: number }) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    queryKey: keys.unconfirmed(coopId),
    queryFn: ({ signal }) => payoutsApi.unconfirmed(client, coopId, signal),
    enabled: open,
  });
  return (
    <section className="payouts__unconfirmed" aria-labelledby="unconfirmed-title">
      <h2 id="unconfirmed-title" className="payouts__unconfirmed-title">
        {t('payouts.console.unconfirmedTitle', { count, days })}
      </h2>
      <p className="payouts__unconfirmed-hint">{t('payouts.console.unconfirmedHint')}</p>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
      >
        {open ? t('payouts.console.hideUnconfirmed') : t('payouts.console.showUnconfirmed')}
      </button>
      {open &&
        (list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <p role="alert" className="field__error">
            {payoutErrorMessage(t, tc, list.error)}
          </p>
        ) : (
          <PayoutTable coopId={coopId} items={list.data.items} canManage={false} />
        ))}
    </section>
  );
}

/** /console/:coopId/payouts/households/:householdId — a household's statement (coop_admin; the read is logged). */
export function ConsoleStatementPage() {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const { coopId = '', householdId = '' } = useParams();
  const client = useApiClient();
  useDocumentTitle(t('payouts.statement.title'));
  const statement = useQuery({
    queryKey: ['payouts', coopId, 'statement', householdId],
    queryFn: ({ signal }) => payoutsApi.statement(client, coopId, householdId, signal),
    retry: false,
  });
  return (
    <ConsoleShell section="payouts" title={t('payouts.statement.title')}>
      <p>
        <Link to={`/console/${coopId}/payouts`}>{t('payouts.statement.back')}</Link>
      </p>
      {statement.isPending ? (
        <Loading />
      ) : statement.isError ? (
        <p role="alert" className="form-error">
          {payoutErrorMessage(t, tc, statement.error)}
        </p>
      ) : (
        <>
          <h2 className="section__heading">
            {statement.data.householdName ?? statement.data.householdNameMasked}
            <span className="muted statement__logged"> {t('payouts.statement.logged')}</span>
          </h2>
          <StatementView statement={statement.data} />
        </>
      )}
    </ConsoleShell>
  );
}
