import type { TransparencyDto, TransparencyGroup } from '@xiangbo/contracts';
import { fenToYuanString } from '@xiangbo/domain';

const cell = (v: string | number) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const fen = (v: number) => fenToYuanString(v);
const group = (g: TransparencyGroup | null, hidden: string) =>
  g ? [g.households, fen(g.amountFen)] : [hidden, hidden];

/**
 * The public page as CSV (UTF-8 with BOM so Excel opens the Chinese): one row per month, then the totals, then the
 * masked households (only when the page lists them: minGroup households or more). Every figure the page hides
 * (fewer than minGroup households behind it) is `labels.hidden` here too. `labels` are the translated column headings (same order as the columns).
 */
export function transparencyCsv(
  d: TransparencyDto,
  labels: { columns: string[]; total: string; households: string[]; hidden: string },
): string {
  const rows: (string | number)[][] = [labels.columns];
  for (const m of d.months) {
    rows.push([
      m.month,
      fen(m.salesFen),
      m.orders,
      fen(m.refundsFen),
      ...group(m.toHouseholds.registered, labels.hidden),
      ...group(m.toHouseholds.monitored, labels.hidden),
      ...group(m.toHouseholds.all, labels.hidden),
      m.payouts ? fen(m.payouts.madeFen) : labels.hidden,
      m.payouts && m.payouts.confirmedFen !== null ? fen(m.payouts.confirmedFen) : labels.hidden,
      fen(m.processingFeesFen + m.platformFeesFen),
    ]);
  }
  const x = d.totals;
  rows.push([
    labels.total,
    fen(x.salesFen),
    x.orders,
    fen(x.refundsFen),
    ...group(x.toRegistered, labels.hidden),
    ...group(x.toMonitored, labels.hidden),
    // the same rule as the month rows and the page's headline: fewer than minGroup households → not on its own
    ...(x.toHouseholdsFen === null || x.householdsReached === null
      ? [labels.hidden, labels.hidden]
      : [x.householdsReached, fen(x.toHouseholdsFen)]),
    fen(x.payoutsMadeFen),
    fen(x.payoutsConfirmedFen),
    fen(x.processingFeesFen + x.platformFeesFen),
  ]);
  if (d.households.length) {
    rows.push([]);
    rows.push(labels.households);
    for (const h of d.households) rows.push([h.maskedName, h.status, fen(h.receivedFen), fen(h.paidOutFen)]);
  }
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
