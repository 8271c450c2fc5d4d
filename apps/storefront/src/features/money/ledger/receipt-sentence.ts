import type { ImpactReceiptDto } from '@xiangbo/contracts';
import { formatFen } from '../../../format';

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * All that was paid went back to the buyer: nothing is left with the cooperative or its households (before
 * settlement nothing waits in clearing; after it, the reversals took back every part the settlement credited).
 */
export function fullyRefunded(r: ImpactReceiptDto): boolean {
  if (r.state === 'unpaid' || r.refundedFen < r.totalFen || r.pendingFen !== 0) return false;
  if (r.state === 'pending') return true;
  const d = r.destinations;
  // (a processing fee the provider kept is not money left with the cooperative or its households)
  const kept = d.purchaseFen + d.dividendPoolFen + d.wagesFen + d.retainedFen + d.platformFeeFen;
  return kept === 0;
}

/** How many masked names the sentence lists before "…". */
const NAMES_SHOWN = 2;

/**
 * The impact receipt in one sentence, from the ledger's figures: "¥59.00 中有 ¥36.97 作为收购款到达 3 户脱贫户
 * （王*明、李*梅、…），¥4.55 进入分红池，…". `t` is the money namespace's translator (keys under ledger.receipt).
 */
export function impactSentence(r: ImpactReceiptDto, t: T, language: string): string {
  const f = (fen: number) => formatFen(fen, language);
  if (r.state === 'unpaid') return t('ledger.receipt.unpaid');
  // refunded in full before settlement: nothing will be shared (never "will be shared with households")
  if (fullyRefunded(r) && r.state === 'pending') return t('ledger.receipt.fullyRefunded', { total: f(r.totalFen) });
  // refunded in full after settlement: every part it was split into was taken back (the reversal rule)
  if (fullyRefunded(r)) return t('ledger.receipt.fullyRefundedSettled', { total: f(r.totalFen) });
  if (r.state === 'pending') {
    const s = t('ledger.receipt.pending', { total: f(r.totalFen), pending: f(r.pendingFen) });
    return r.refundedFen > 0 ? s + t('ledger.receipt.refunded', { amount: f(r.refundedFen) }) : s;
  }
  const d = r.destinations;
  const parts: string[] = [];
  if (d.purchaseFen > 0 && r.householdCount > 0) {
    const shown = r.households.slice(0, NAMES_SHOWN).map((h) => h.maskedName);
    const names =
      shown.join(t('ledger.receipt.nameSeparator')) +
      (r.households.length > NAMES_SHOWN ? t('ledger.receipt.more') : '');
    const allRegistered = r.registeredCount === r.householdCount;
    if (allRegistered)
      parts.push(t('ledger.receipt.purchaseRegistered', { amount: f(d.purchaseFen), count: r.householdCount, names }));
    else {
      const detail = [
        r.registeredCount ? t('ledger.receipt.registeredCount', { count: r.registeredCount }) : null,
        r.monitoredCount ? t('ledger.receipt.monitoredCount', { count: r.monitoredCount }) : null,
      ].filter(Boolean);
      parts.push(
        t('ledger.receipt.purchase', { amount: f(d.purchaseFen), count: r.householdCount, names }) +
          (detail.length
            ? t('ledger.receipt.ofWhich', { detail: detail.join(t('ledger.receipt.nameSeparator')) })
            : ''),
      );
    }
  }
  if (d.dividendPoolFen > 0) parts.push(t('ledger.receipt.dividend', { amount: f(d.dividendPoolFen) }));
  if (d.wagesFen > 0) parts.push(t('ledger.receipt.wages', { amount: f(d.wagesFen) }));
  if (d.retainedFen > 0) parts.push(t('ledger.receipt.retained', { amount: f(d.retainedFen) }));
  const fees = d.processingFeeFen + d.platformFeeFen;
  if (fees > 0) parts.push(t('ledger.receipt.fees', { amount: f(fees) }));
  let s =
    t('ledger.receipt.lead', { total: f(r.totalFen) }) +
    parts.join(t('ledger.receipt.separator')) +
    t('ledger.receipt.end');
  if (r.refundedFen > 0) s += t('ledger.receipt.refunded', { amount: f(r.refundedFen) });
  return s;
}
