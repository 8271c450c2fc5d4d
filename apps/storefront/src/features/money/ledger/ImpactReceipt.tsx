import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApiClient } from '../../../auth/auth-context';
import { ledgerApi, ledgerKeys } from './api';
import { formatFen } from '../../../format';
import { fullyRefunded, impactSentence } from './receipt-sentence';
import { SplitBar } from './SplitBar';
import './ledger.css';

type Translate = Parameters<typeof impactSentence>[1];

/**
 * The impact receipt on the order page: where each fen of this order went, from the ledger alone. Renders
 * nothing for an unpaid order or when the receipt cannot be read (the order page must never break for it).
 */
export function ImpactReceipt({ orderId, orderStatus }: { orderId: string; orderStatus?: string }) {
  const { t, i18n } = useTranslation('money');
  const client = useApiClient();
  const receipt = useQuery({
    queryKey: [...ledgerKeys.impact(orderId), orderStatus ?? ''],
    queryFn: ({ signal }) => ledgerApi.impact(client, orderId, signal),
    retry: false,
    enabled: orderStatus !== 'pending_payment' && orderStatus !== 'cancelled',
  });
  const r = receipt.data;
  if (!r || r.state === 'unpaid') return null;
  const d = r.destinations;
  const lang = i18n.language;
  return (
    <section className="card impact-receipt" aria-labelledby="impact-heading" data-testid="impact-receipt">
      <h2 id="impact-heading" className="card__heading">
        {t('ledger.receipt.heading')}
      </h2>
      <p className="impact-receipt__sentence">{impactSentence(r, t as unknown as Translate, lang)}</p>
      {fullyRefunded(r) ? null : r.state === 'settled' ? (
        <SplitBar
          parts={[
            { key: 'purchase', fen: d.purchaseFen, label: t('ledger.parts.purchase') },
            { key: 'dividend', fen: d.dividendPoolFen, label: t('ledger.parts.dividend') },
            { key: 'wages', fen: d.wagesFen, label: t('ledger.parts.wages') },
            { key: 'retained', fen: d.retainedFen, label: t('ledger.parts.retained') },
            { key: 'fees', fen: d.processingFeeFen + d.platformFeeFen, label: t('ledger.parts.fees') },
            { key: 'refunded', fen: r.refundedFen, label: t('ledger.parts.refunded') },
          ]}
        />
      ) : (
        <p className="ledger__notice">{t('ledger.receipt.pendingNote')}</p>
      )}
      {r.households.length > 0 && (
        <ul className="impact-receipt__households" aria-label={t('ledger.receipt.householdsLabel')}>
          {r.households.map((h, i) => (
            <li key={`${h.maskedName}-${i}`}>
              <span className="impact-receipt__name">{h.maskedName}</span>
              <span className={`ledger-badge ledger-badge--${h.status}`}>{t(`ledger.status.${h.status}`)}</span>
              <strong>{formatFen(h.amountFen, lang)}</strong>
            </li>
          ))}
        </ul>
      )}
      {r.state === 'settled' && r.policyVersion !== null && !fullyRefunded(r) && (
        <p className="muted">{t('ledger.receipt.footnote', { version: r.policyVersion })}</p>
      )}
    </section>
  );
}
