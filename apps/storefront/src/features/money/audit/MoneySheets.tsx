import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiClient } from '../../../auth/auth-context';
import { downloadMoneySheet, type MoneySheet, type SheetFormat } from './api';
import { auditErrorMessage } from './errors';
import '../payouts/payouts.css';

const SHEETS: MoneySheet[] = ['statements', 'payouts'];
const FORMATS: SheetFormat[] = ['xlsx', 'csv', 'csv-gbk'];

/**
 * Household statements (农户对账单) and payouts (兑付记录) for a spreadsheet, each as XLSX, CSV (UTF-8) or CSV (GBK,
 * older Excel), for the cooperative's admins and its assigned auditors. Names are masked unless the box is ticked;
 * then each household's name read is written to the access log (the box says so).
 */
export function MoneySheets({ coopId }: { coopId: string }) {
  const { t } = useTranslation('money');
  const { t: tc } = useTranslation();
  const client = useApiClient();
  const [clearNames, setClearNames] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (sheet: MoneySheet, format: SheetFormat) => {
    setBusy(`${sheet}:${format}`);
    setError(null);
    try {
      await downloadMoneySheet(client, coopId, sheet, format, clearNames);
    } catch (e) {
      setError(auditErrorMessage(t, tc, e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card money-sheets" aria-labelledby="money-sheets-title" data-testid="money-sheets">
      <h2 id="money-sheets-title" className="card__heading">
        {t('audit.sheets.title')}
      </h2>
      <p className="muted">{t('audit.sheets.body')}</p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={clearNames}
          onChange={(e) => setClearNames(e.target.checked)}
          data-testid="money-sheets-clear-names"
        />{' '}
        {t('audit.sheets.clearNames')}
      </label>
      {SHEETS.map((sheet) => (
        <div key={sheet} className="money-sheets__row">
          <h3 className="money-sheets__name">{t(`audit.sheets.${sheet}`)}</h3>
          <div className="button-row" role="group" aria-label={t(`audit.sheets.${sheet}`)}>
            {FORMATS.map((format) => (
              <button
                key={format}
                type="button"
                className="button button--secondary"
                onClick={() => void download(sheet, format)}
                disabled={busy !== null}
                data-testid={`money-sheets-${sheet}-${format}`}
              >
                {busy === `${sheet}:${format}` ? t('audit.export.downloading') : t(`audit.sheets.format.${format}`)}
              </button>
            ))}
          </div>
        </div>
      ))}
      {error && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
    </section>
  );
}
