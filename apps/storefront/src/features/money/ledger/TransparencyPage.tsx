import { useQuery } from '@tanstack/react-query';
import type { TransparencyDto, TransparencyGroup } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { useApiClient } from '../../../auth/auth-context';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { ledgerApi, ledgerKeys } from './api';
import { ledgerErrorMessage } from './errors';
import { formatDateTime, formatMonth, yuan } from './format';
import { transparencyCsv } from './transparency-csv';
import './ledger.css';

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
    v ? t('ledger.transparency.group', { amount: yuan(v.amountFen, lang), count: v.households }) : hidden;
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
          value={yuan(x.salesFen, lang)}
          sub={t('ledger.transparency.ordersCount', { count: x.orders })}
        />
        <Stat
          label={t('ledger.transparency.toHouseholds')}
          value={yuan(x.toHouseholdsFen, lang)}
          sub={t('ledger.transparency.householdsCount', { count: x.householdsReached })}
        />
        <GroupStat label={t('ledger.transparency.toRegistered')} group={x.toRegistered} hidden={hidden} />
        <GroupStat label={t('ledger.transparency.toMonitored')} group={x.toMonitored} hidden={hidden} />
        <Stat
          label={t('ledger.transparency.payoutsMade')}
          value={yuan(x.payoutsMadeFen, lang)}
          sub={t('ledger.transparency.confirmedOf', { amount: yuan(x.payoutsConfirmedFen, lang) })}
        />
        <Stat label={t('ledger.transparency.fees')} value={yuan(x.processingFeesFen + x.platformFeesFen, lang)} />
      </div>

      {d.months.length === 0 ? (
        <EmptyState title={t('ledger.transparency.empty')} hint={t('ledger.transparency.emptyHint')} />
      ) : (
        <>
          <h2 className="section__heading">{t('ledger.transparency.byMonth')}</h2>
          <MonthlyChart d={d} />
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
                    <td>{yuan(m.salesFen, lang)}</td>
                    <td>{yuan(m.refundsFen, lang)}</td>
                    <td>{g(m.toHouseholds.registered)}</td>
                    <td>{g(m.toHouseholds.monitored)}</td>
                    <td>{g(m.toHouseholds.all)}</td>
                    <td>{yuan(m.payouts.madeFen, lang)}</td>
                    <td>{yuan(m.payouts.confirmedFen, lang)}</td>
                    <td>{yuan(m.processingFeesFen + m.platformFeesFen, lang)}</td>
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
                  <td>{yuan(h.receivedFen, lang)}</td>
                  <td>{yuan(h.paidOutFen, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
      value={yuan(group.amountFen, i18n.language)}
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

/** Grouped SVG bars per month: sales, reaching households, paid out. The table above/below has the exact figures. */
function MonthlyChart({ d }: { d: TransparencyDto }) {
  const { t: tm } = useTranslation('money');
  const series = [
    {
      key: 'sales',
      label: tm('ledger.transparency.sales'),
      value: (m: TransparencyDto['months'][number]) => m.salesFen,
    },
    {
      key: 'households',
      label: tm('ledger.transparency.toHouseholds'),
      value: (m: TransparencyDto['months'][number]) => m.toHouseholds.all?.amountFen ?? 0,
    },
    {
      key: 'payouts',
      label: tm('ledger.transparency.payoutsMade'),
      value: (m: TransparencyDto['months'][number]) => m.payouts.madeFen,
    },
  ];
  const months = d.months.slice(-12);
  const max = Math.max(1, ...months.flatMap((m) => series.map((s) => s.value(m))));
  const groupW = 36;
  const barW = 10;
  const h = 140;
  // at least six slots wide, so one month does not become one giant bar
  const width = Math.max(months.length, 6) * groupW + 8;
  return (
    <figure className="month-chart">
      <svg
        viewBox={`0 0 ${width} ${h + 24}`}
        role="img"
        aria-label={tm('ledger.transparency.chartLabel')}
        preserveAspectRatio="xMinYMin meet"
      >
        {months.map((m, i) => (
          <g key={m.month} transform={`translate(${4 + i * groupW},0)`}>
            {series.map((s, j) => {
              const v = s.value(m);
              const bh = Math.max(v > 0 ? 1 : 0, (v / max) * h);
              return (
                <rect
                  key={s.key}
                  className={`month-chart__bar month-chart__bar--${s.key}`}
                  x={2 + j * barW}
                  y={h - bh}
                  width={barW - 2}
                  height={bh}
                />
              );
            })}
            <text x={groupW / 2} y={h + 16} textAnchor="middle" className="month-chart__label">
              {m.month.slice(2).replace('-', '/')}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="split-bar__legend">
          {series.map((s) => (
            <li key={s.key}>
              <span className={`split-bar__dot month-chart__bar--${s.key}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
