import { useQuery } from '@tanstack/react-query';
import type {
  LedgerHeadHistoryItem,
  TransparencyConfirmations,
  TransparencyDto,
  TransparencyGroup,
} from '@xiangbo/contracts';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { useApiClient } from '../../../auth/auth-context';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { ledgerApi, ledgerKeys } from './api';
import { ledgerErrorMessage } from './errors';
import { formatDateTime, formatMonth, formatFen } from '../../../format';
import { type ChartSpec, headsChart, householdsChart, salesChart } from './transparency-charts';
import { transparencyCsv } from './transparency-csv';
import './ledger.css';
import { PublicPresales } from '../../presale/PublicPresales';

// Apache ECharts (through echarts/core, only the parts used) is its own chunk, fetched once the page has figures.
const TransparencyChart = lazy(() => import('./TransparencyChart'));

/** /cooperatives/:id/transparency (收益公示): public, no sign-in. Monthly figures and charts, masked names, a CSV. */
export function TransparencyPage() {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const { id = '' } = useParams();
  const client = useApiClient();
  const page = useQuery({
    queryKey: ledgerKeys.transparency(id),
    queryFn: ({ signal }) => ledgerApi.transparency(client, id, signal),
    retry: false,
  });
  useDocumentTitle(
    page.data ? t('ledger.transparency.titleOf', { name: page.data.cooperative.name }) : t('ledger.transparency.title'),
  );
  if (page.isPending) return <Loading />;
  if (page.isError) {
    const missing = isApiError(page.error) && page.error.status === 404;
    return (
      <div className="page page--narrow">
        <EmptyState title={missing ? t('ledger.transparency.notFound') : ledgerErrorMessage(t, tc, page.error)} />
      </div>
    );
  }
  return <Transparency d={page.data} />;
}

function Transparency({ d }: { d: TransparencyDto }) {
  const { t, i18n } = useTranslation('money');
  const lang = i18n.language;
  const x = d.totals;
  const hidden = t('ledger.transparency.hidden', { min: d.minGroup });
  const g = (v: TransparencyGroup | null) =>
    v ? t('ledger.transparency.group', { amount: formatFen(v.amountFen, lang), count: v.households }) : hidden;
  const download = () => {
    const csv = transparencyCsv(d, {
      columns: [
        t('ledger.transparency.month'),
        t('ledger.transparency.sales'),
        t('ledger.transparency.orders'),
        t('ledger.transparency.refunds'),
        t('ledger.transparency.csvRegisteredCount'),
        t('ledger.transparency.csvRegistered'),
        t('ledger.transparency.csvMonitoredCount'),
        t('ledger.transparency.csvMonitored'),
        t('ledger.transparency.csvAllCount'),
        t('ledger.transparency.csvAll'),
        t('ledger.transparency.payoutsMade'),
        t('ledger.transparency.payoutsConfirmed'),
        t('ledger.transparency.fees'),
      ],
      total: t('ledger.transparency.total'),
      households: [
        t('ledger.transparency.household'),
        t('ledger.transparency.status'),
        t('ledger.transparency.received'),
        t('ledger.transparency.paidOut'),
      ],
      hidden,
    });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `transparency-${d.cooperative.id}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="page ledger transparency">
      <p className="transparency__eyebrow">{t('ledger.transparency.eyebrow')}</p>
      <h1 className="page__heading">{t('ledger.transparency.titleOf', { name: d.cooperative.name })}</h1>
      <p className="muted ledger__intro">{t('ledger.transparency.intro', { min: d.minGroup })}</p>
      <div className="button-row">
        <button type="button" className="button button--secondary" onClick={download}>
          {t('ledger.transparency.download')}
        </button>
        <Link className="button button--secondary" to={`/cooperatives/${d.cooperative.id}`}>
          {t('ledger.transparency.toCooperative')}
        </Link>
      </div>

      <div className="ledger-stats">
        <Stat
          label={t('ledger.transparency.sales')}
          value={formatFen(x.salesFen, lang)}
          sub={t('ledger.transparency.ordersCount', { count: x.orders })}
        />
        <GroupStat
          label={t('ledger.transparency.toHouseholds')}
          group={
            x.toHouseholdsFen === null || x.householdsReached === null
              ? null
              : { amountFen: x.toHouseholdsFen, households: x.householdsReached }
          }
          hidden={hidden}
        />
        <GroupStat label={t('ledger.transparency.toRegistered')} group={x.toRegistered} hidden={hidden} />
        <GroupStat label={t('ledger.transparency.toMonitored')} group={x.toMonitored} hidden={hidden} />
        <Stat
          label={t('ledger.transparency.payoutsMade')}
          value={formatFen(x.payoutsMadeFen, lang)}
          sub={t('ledger.transparency.confirmedOf', { amount: formatFen(x.payoutsConfirmedFen, lang) })}
        />
        <Stat label={t('ledger.transparency.fees')} value={formatFen(x.processingFeesFen + x.platformFeesFen, lang)} />
      </div>

      <Confirmations c={d.confirmations} lang={lang} />

      {d.months.length === 0 ? (
        <EmptyState title={t('ledger.transparency.empty')} hint={t('ledger.transparency.emptyHint')} />
      ) : (
        <>
          <h2 className="section__heading">{t('ledger.transparency.byMonth')}</h2>
          <MonthlyCharts d={d} />
          <div className="ledger-table-wrap" tabIndex={0} role="region" aria-label={t('ledger.transparency.byMonth')}>
            <table className="ledger-table ledger-table--wide">
              <thead>
                <tr>
                  <th scope="col">{t('ledger.transparency.month')}</th>
                  <th scope="col">{t('ledger.transparency.sales')}</th>
                  <th scope="col">{t('ledger.transparency.refunds')}</th>
                  <th scope="col">{t('ledger.transparency.toRegistered')}</th>
                  <th scope="col">{t('ledger.transparency.toMonitored')}</th>
                  <th scope="col">{t('ledger.transparency.toHouseholds')}</th>
                  <th scope="col">{t('ledger.transparency.payoutsMade')}</th>
                  <th scope="col">{t('ledger.transparency.payoutsConfirmed')}</th>
                  <th scope="col">{t('ledger.transparency.fees')}</th>
                </tr>
              </thead>
              <tbody>
                {d.months.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{formatMonth(m.month, lang)}</th>
                    <td>{formatFen(m.salesFen, lang)}</td>
                    <td>{formatFen(m.refundsFen, lang)}</td>
                    <td>{g(m.toHouseholds.registered)}</td>
                    <td>{g(m.toHouseholds.monitored)}</td>
                    <td>{g(m.toHouseholds.all)}</td>
                    <td>{m.payouts ? formatFen(m.payouts.madeFen, lang) : hidden}</td>
                    <td>
                      {m.payouts && m.payouts.confirmedFen !== null ? formatFen(m.payouts.confirmedFen, lang) : hidden}
                    </td>
                    <td>{formatFen(m.processingFeesFen + m.platformFeesFen, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h2 className="section__heading">{t('ledger.transparency.households')}</h2>
      {d.households.length === 0 ? (
        <p className="muted">{t('ledger.transparency.householdsHidden', { min: d.minGroup })}</p>
      ) : (
        <div className="ledger-table-wrap" tabIndex={0} role="region" aria-label={t('ledger.transparency.households')}>
          <table className="ledger-table ledger-table--compact">
            <thead>
              <tr>
                <th scope="col">{t('ledger.transparency.household')}</th>
                <th scope="col">{t('ledger.transparency.status')}</th>
                <th scope="col">{t('ledger.transparency.received')}</th>
                <th scope="col">{t('ledger.transparency.paidOut')}</th>
              </tr>
            </thead>
            <tbody>
              {d.households.map((h, i) => (
                <tr key={`${h.maskedName}-${i}`}>
                  <th scope="row">{h.maskedName}</th>
                  <td>{t(`ledger.status.${h.status}`)}</td>
                  <td>{formatFen(h.receivedFen, lang)}</td>
                  <td>{formatFen(h.paidOutFen, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PublicPresales cooperativeId={d.cooperative.id} />
      <HeadHistory coopId={d.cooperative.id} />
      <p className="muted transparency__footer">
        {t('ledger.transparency.footer', { at: formatDateTime(d.generatedAt, lang) })}
      </p>
    </div>
  );
}

function GroupStat({ label, group, hidden }: { label: string; group: TransparencyGroup | null; hidden: string }) {
  const { t, i18n } = useTranslation('money');
  return group ? (
    <Stat
      label={label}
      value={formatFen(group.amountFen, i18n.language)}
      sub={t('ledger.transparency.householdsCount', { count: group.households })}
    />
  ) : (
    <Stat label={label} value="—" sub={hidden} />
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

/** Two ECharts charts of the last 12 months, each with a table of exactly what it draws beside it. */
function MonthlyCharts({ d }: { d: TransparencyDto }) {
  const { t, i18n } = useTranslation('money');
  const lang = i18n.language;
  const tt = t as unknown as Parameters<typeof salesChart>[1];
  const sales = useMemo(() => salesChart(d, tt, lang), [d, tt, lang]);
  const households = useMemo(() => householdsChart(d, tt, lang), [d, tt, lang]);
  return (
    <div className="transparency-charts">
      <ChartWithTable spec={sales} title={t('ledger.transparency.chartSales')} testId="chart-sales" />
      <ChartWithTable spec={households} title={t('ledger.transparency.chartHouseholds')} testId="chart-households" />
    </div>
  );
}

/** A chart (lazy) and, beside it, the same figures as a table: the table is what screen readers and print use. */
function ChartWithTable({
  spec,
  title,
  testId,
  table = true,
}: {
  spec: ChartSpec;
  title: string;
  testId: string;
  table?: boolean;
}) {
  const { t } = useTranslation('money');
  return (
    <figure className="transparency-chart" data-testid={testId}>
      <figcaption className="transparency-chart__title">{title}</figcaption>
      <div className="transparency-chart__body">
        <Suspense fallback={<div className="transparency-chart__canvas" aria-hidden="true" />}>
          <TransparencyChart spec={spec} label={title} />
        </Suspense>
        {table && (
          <div className="ledger-table-wrap transparency-chart__table" tabIndex={0} role="region" aria-label={title}>
            <table className="ledger-table ledger-table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('ledger.transparency.month')}</th>
                  {spec.series.map((s) => (
                    <th scope="col" key={s.key}>
                      {s.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {spec.categories.map((c, i) => (
                  <tr key={c}>
                    <th scope="row">{c}</th>
                    {spec.series.map((s) => {
                      const v = s.data[i];
                      return <td key={s.key}>{v === null ? spec.hiddenText : spec.format(v)}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </figure>
  );
}

const HEADS_SHOWN = 10;

/**
 * The published chain heads (daily and at each settlement), each signed with the platform's Ed25519 key: anyone who
 * keeps a copy can later prove what the ledger held, and check an export against it (verify-ledger --head, /verify).
 */
function HeadHistory({ coopId }: { coopId: string }) {
  const { t, i18n } = useTranslation('money');
  const lang = i18n.language;
  const client = useApiClient();
  const [all, setAll] = useState(false);
  const heads = useQuery({
    queryKey: ledgerKeys.heads(coopId),
    queryFn: ({ signal }) => ledgerApi.heads(client, coopId, signal),
    retry: false,
  });
  const key = useQuery({
    queryKey: ledgerKeys.publicKey(),
    queryFn: ({ signal }) => ledgerApi.publicKey(client, signal),
    retry: false,
    staleTime: Infinity,
  });
  const tt = t as unknown as Parameters<typeof headsChart>[1];
  const chart = useMemo(
    () => headsChart(heads.data?.heads ?? [], tt, lang, (iso) => formatDateTime(iso, lang)),
    [heads.data, tt, lang],
  );
  const list = heads.data?.heads ?? [];
  const shown = all ? list : list.slice(0, HEADS_SHOWN);
  return (
    <section className="section transparency-heads" aria-labelledby="transparency-heads" data-testid="head-history">
      <h2 id="transparency-heads" className="section__heading">
        {t('ledger.heads.title')}
      </h2>
      <p className="muted">{t('ledger.heads.intro')}</p>
      {heads.isPending ? (
        <Loading />
      ) : heads.isError ? (
        <p className="muted">{t('ledger.heads.unavailable')}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t('ledger.heads.none')}</p>
      ) : (
        <>
          {list.length > 1 && (
            <ChartWithTable spec={chart} title={t('ledger.heads.chart')} testId="chart-heads" table={false} />
          )}
          <div className="ledger-table-wrap" tabIndex={0} role="region" aria-label={t('ledger.heads.title')}>
            <table className="ledger-table ledger-table--compact transparency-heads__table">
              <thead>
                <tr>
                  <th scope="col">{t('ledger.heads.at')}</th>
                  <th scope="col">{t('ledger.heads.reason')}</th>
                  <th scope="col">{t('ledger.heads.seq')}</th>
                  <th scope="col">{t('ledger.heads.hash')}</th>
                  <th scope="col">{t('ledger.heads.signature')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((h) => (
                  <HeadRow key={`${h.at}-${h.seq}-${h.reason}`} h={h} lang={lang} />
                ))}
              </tbody>
            </table>
          </div>
          {list.length > HEADS_SHOWN && (
            <button type="button" className="button button--secondary" onClick={() => setAll((v) => !v)}>
              {all ? t('ledger.heads.fewer') : t('ledger.heads.all', { count: list.length })}
            </button>
          )}
        </>
      )}
      <div className="transparency-heads__hint" data-testid="head-verify-hint">
        <p>{t('ledger.heads.howTo')}</p>
        <p>
          {t('ledger.heads.signedPayload')} <code>{SIGNED_PAYLOAD}</code>
        </p>
        <p>
          {key.data
            ? t('ledger.heads.publicKey', { keyId: key.data.keyId, algorithm: key.data.algorithm })
            : t('ledger.heads.publicKeyAt')}{' '}
          {key.data && <code className="transparency-heads__key">{key.data.publicKey}</code>}{' '}
          <a href="/api/ledger/public-key">/api/ledger/public-key</a>
        </p>
        <p>
          <Link to="/verify">{t('ledger.heads.toVerify')}</Link>
        </p>
      </div>
    </section>
  );
}

const SIGNED_PAYLOAD = '{"at","cooperativeId","format":"xiangbo-ledger-head/1","hash","keyId","seq"}';

function HeadRow({ h, lang }: { h: LedgerHeadHistoryItem; lang: string }) {
  const { t } = useTranslation('money');
  return (
    <tr>
      <th scope="row">{formatDateTime(h.at, lang)}</th>
      <td>{t(`ledger.heads.reason_${h.reason}`)}</td>
      <td>{h.seq}</td>
      <td>
        <code className="transparency-heads__hash" title={h.hash}>
          {h.hash.slice(0, 12)}…
        </code>
      </td>
      <td>
        <details className="transparency-heads__sig">
          <summary>{t('ledger.heads.check', { keyId: h.keyId })}</summary>
          <p>
            {t('ledger.heads.signatureLabel')} <code>{h.signature}</code>
          </p>
          <p>
            {t('ledger.heads.command')} <code>{`verify-ledger ledger.jsonl --head ${h.seq}:${h.hash}`}</code>
          </p>
        </details>
      </td>
    </tr>
  );
}

/** 兑付确认方式 and 回访抽查: counts and amounts only, never a household. */
function Confirmations({ c, lang }: { c: TransparencyConfirmations; lang: string }) {
  const { t } = useTranslation('money');
  const cb = c.callbacks;
  const countAmount = (x: { count: number; amountFen: number }) =>
    t('ledger.transparency.countAmount', { count: x.count, amount: formatFen(x.amountFen, lang) });
  return (
    <section className="section transparency-confirm" aria-labelledby="transparency-confirm">
      <h2 id="transparency-confirm" className="section__heading">
        {t('ledger.transparency.confirmTitle')}
      </h2>
      <p className="muted">{t('ledger.transparency.confirmIntro')}</p>
      <div className="ledger-stats" data-testid="transparency-confirmations">
        <Stat label={t('ledger.transparency.bySms')} value={countAmount(c.sms)} />
        <Stat label={t('ledger.transparency.byAttest')} value={countAmount(c.attested)} />
        {c.legacy.count > 0 && <Stat label={t('ledger.transparency.byLegacy')} value={countAmount(c.legacy)} />}
        <Stat label={t('ledger.transparency.pending')} value={countAmount(c.pending)} />
      </div>
      <h3 className="transparency-confirm__sub">{t('ledger.transparency.callbackTitle')}</h3>
      <p className="muted">{t('ledger.transparency.callbackIntro')}</p>
      {cb.sampled === 0 ? (
        <p className="muted">{t('ledger.transparency.callbackNone')}</p>
      ) : (
        <p className="transparency-confirm__callbacks" data-testid="transparency-callbacks">
          {[
            t('ledger.transparency.sampled', { count: cb.sampled }),
            t('ledger.transparency.cbConfirmed', { count: cb.confirmed }),
            t('ledger.transparency.cbDisputed', { count: cb.disputed }),
            t('ledger.transparency.cbUnreachable', { count: cb.unreachable }),
          ].join(' · ')}
        </p>
      )}
    </section>
  );
}
