import type { RegistryImportReport, RegistryImportRowReport } from '@xiangbo/contracts';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

type Filter = 'all' | 'refused';

/**
 * The per-row report of a CSV import: line number (as in the file), head of household, result and, for a refused
 * row, why. A table on laptops, a stack of cards on phones (registry.css), filterable to the refused rows.
 */
export function ImportReportTable({ report }: { report: RegistryImportReport }) {
  const { t } = useTranslation('registry');
  const [filter, setFilter] = useState<Filter>(report.refused > 0 ? 'refused' : 'all');
  const name = useId();
  const rows = filter === 'refused' ? report.rows.filter((r) => r.status === 'refused') : report.rows;

  return (
    <section className="card registry-report" aria-labelledby={`${name}-heading`} data-testid="import-report">
      <h2 id={`${name}-heading`} className="card__heading">
        {report.dryRun ? t('report.dryRunHeading') : t('report.heading')}
      </h2>
      <p className="registry-report__summary" data-testid="import-summary">
        {t(report.dryRun ? 'report.dryRunSummary' : 'report.summary', {
          total: report.total,
          imported: report.imported,
          refused: report.refused,
        })}
      </p>
      <p className="muted registry-report__encoding">
        {t('report.encoding', { encoding: report.encoding === 'gbk' ? 'GBK' : 'UTF-8' })}
      </p>

      <fieldset className="registry-segmented">
        <legend className="visually-hidden">{t('report.filter')}</legend>
        {(['all', 'refused'] as const).map((f) => (
          <label
            key={f}
            className={`registry-segmented__option${filter === f ? ' registry-segmented__option--on' : ''}`}
          >
            <input
              type="radio"
              name={`${name}-filter`}
              value={f}
              checked={filter === f}
              onChange={() => setFilter(f)}
              className="visually-hidden"
            />
            {f === 'all'
              ? t('report.all', { count: report.total })
              : t('report.refusedOnly', { count: report.refused })}
          </label>
        ))}
      </fieldset>

      {rows.length === 0 ? (
        <p className="muted">{t('report.noRefused')}</p>
      ) : (
        <div className="registry-table-wrap">
          <table className="registry-table registry-table--report">
            <caption className="visually-hidden">{t('report.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('report.row')}</th>
                <th scope="col">{t('report.headName')}</th>
                <th scope="col">{t('report.result')}</th>
                <th scope="col">{t('report.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <ReportRow key={r.row} row={r} dryRun={report.dryRun} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ReportRow({ row, dryRun }: { row: RegistryImportRowReport; dryRun: boolean }) {
  const { t } = useTranslation('registry');
  const refused = row.status === 'refused';
  return (
    <tr className={refused ? 'registry-report__row--refused' : undefined} data-testid={`report-row-${row.row}`}>
      <td data-label={t('report.row')}>{row.row}</td>
      <td data-label={t('report.headName')}>{row.headName ?? '—'}</td>
      <td data-label={t('report.result')}>
        <span className={`registry-result registry-result--${row.status}`}>
          {refused ? t('report.refused') : dryRun ? t('report.valid') : t('report.imported')}
        </span>
      </td>
      <td data-label={t('report.reason')}>
        {row.reason ? (
          <>
            <strong className="registry-report__code">{t(`refusal.${row.reason.code}`)}</strong>
            <span className="registry-report__message">{row.reason.message}</span>
            {row.reason.existingHouseholdId && (
              <Link to={`/admin/registry/${row.reason.existingHouseholdId}`}>{t('report.openExisting')}</Link>
            )}
          </>
        ) : row.householdId ? (
          <Link to={`/admin/registry/${row.householdId}`}>{t('report.open')}</Link>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}
