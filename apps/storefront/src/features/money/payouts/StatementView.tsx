import type { HouseholdStatement } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { formatFen, formatMonth } from '../../../format';

/**
 * A household's statement with one cooperative — earned, paid out, still owed; by channel and by month —
 * computed by the server from the ledger postings of the household's payable account alone.
 */
export function StatementView({ statement, large = false }: { statement: HouseholdStatement; large?: boolean }) {
  const { t, i18n } = useTranslation('money');
  const fen = (v: number) => formatFen(v, i18n.language);
  return (
    <div className={`statement${large ? ' statement--large' : ''}`}>
      <dl className="statement__totals">
        <div className="statement__total">
          <dt>{t('payouts.statement.earned')}</dt>
          <dd data-testid="statement-earned">{fen(statement.earnedFen)}</dd>
        </div>
        <div className="statement__total">
          <dt>{t('payouts.statement.paidOut')}</dt>
          <dd data-testid="statement-paid">{fen(statement.paidOutFen)}</dd>
        </div>
        <div className={`statement__total${statement.owedFen > 0 ? ' statement__total--owed' : ''}`}>
          <dt>{t('payouts.statement.owed')}</dt>
          <dd data-testid="statement-owed">{fen(statement.owedFen)}</dd>
        </div>
      </dl>
      <p className="statement__parts">
        {t('payouts.statement.parts', {
          purchase: fen(statement.purchaseFen),
          dividend: fen(statement.dividendFen),
        })}
        {statement.adjustmentsFen !== 0 &&
          ` ${t('payouts.statement.adjustments', { amount: fen(statement.adjustmentsFen) })}`}
      </p>
      {statement.byChannel.length > 0 && (
        <>
          <h3 className="statement__heading">{t('payouts.statement.byChannel')}</h3>
          <ul className="statement__channels">
            {statement.byChannel.map((c) => (
              <li key={c.channel}>
                <span>{t(`payouts.channels.${c.channel}`)}</span>
                <span>
                  {fen(c.paidOutFen)} <span className="muted">{t('payouts.statement.times', { count: c.count })}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {statement.byMonth.length > 0 ? (
        <>
          <h3 className="statement__heading">{t('payouts.statement.byMonth')}</h3>
          <div className="payout-table-wrap">
            <table className="statement__months">
              <thead>
                <tr>
                  <th scope="col">{t('payouts.statement.month')}</th>
                  <th scope="col">{t('payouts.statement.earned')}</th>
                  <th scope="col">{t('payouts.statement.paidOut')}</th>
                </tr>
              </thead>
              <tbody>
                {statement.byMonth.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{formatMonth(m.month, i18n.language)}</th>
                    <td>{fen(m.earnedFen)}</td>
                    <td>{fen(m.paidOutFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="muted">{t('payouts.statement.empty')}</p>
      )}
      <p className="statement__source muted">{t('payouts.statement.source')}</p>
    </div>
  );
}
