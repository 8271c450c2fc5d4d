import type { LedgerHeadHistoryItem, TransparencyDto } from '@xiangbo/contracts';
import { formatMonth, formatFen } from '../../../format';

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * What one chart of the transparency page shows, and the table beside it shows the same: the chart (ECharts, a lazy
 * chunk) and the table are both drawn from this, so they cannot disagree. `null` is a figure not shown on its own
 * (fewer than minGroup households): a gap in the chart, the "不足 3 户" text in the table.
 */
export interface ChartSpec {
  kind: 'bar' | 'line';
  unit: 'fen' | 'count';
  categories: string[];
  series: { key: string; name: string; color: string; data: (number | null)[] }[];
  /** A value as the table and the tooltip write it. */
  format: (v: number) => string;
  /** A value on the axis (short). */
  axisFormat: (v: number) => string;
  hiddenText: string;
}

const COLORS = { sales: '#c2410c', refunds: '#64748b', fees: '#a16207', households: '#15803d', made: '#1d4ed8' };

const money = (lang: string) => ({
  unit: 'fen' as const,
  format: (v: number) => formatFen(v, lang),
  axisFormat: (v: number) => `¥${Math.round(v / 100).toLocaleString(lang.startsWith('en') ? 'en-US' : 'zh-CN')}`,
});

/** The last 12 months: sales, refunds, and fees (processing + platform). Never about households. */
export function salesChart(d: TransparencyDto, t: T, lang: string): ChartSpec {
  const months = d.months.slice(-12);
  return {
    kind: 'bar',
    ...money(lang),
    categories: months.map((m) => formatMonth(m.month, lang)),
    series: [
      { key: 'sales', name: t('ledger.transparency.sales'), color: COLORS.sales, data: months.map((m) => m.salesFen) },
      {
        key: 'refunds',
        name: t('ledger.transparency.refunds'),
        color: COLORS.refunds,
        data: months.map((m) => m.refundsFen),
      },
      {
        key: 'fees',
        name: t('ledger.transparency.fees'),
        color: COLORS.fees,
        data: months.map((m) => m.processingFeesFen + m.platformFeesFen),
      },
    ],
    hiddenText: t('ledger.transparency.hidden', { min: d.minGroup }),
  };
}

/**
 * The last 12 months: what reached households, and what was paid out to them — each only where at least minGroup
 * households are behind the figure (the same rule as the month rows, the headline and the CSV).
 */
export function householdsChart(d: TransparencyDto, t: T, lang: string): ChartSpec {
  const months = d.months.slice(-12);
  return {
    kind: 'bar',
    ...money(lang),
    categories: months.map((m) => formatMonth(m.month, lang)),
    series: [
      {
        key: 'households',
        name: t('ledger.transparency.toHouseholds'),
        color: COLORS.households,
        data: months.map((m) => m.toHouseholds.all?.amountFen ?? null),
      },
      {
        key: 'made',
        name: t('ledger.transparency.payoutsMade'),
        color: COLORS.made,
        data: months.map((m) => m.payouts?.madeFen ?? null),
      },
    ],
    hiddenText: t('ledger.transparency.hidden', { min: d.minGroup }),
  };
}

/** The published heads, oldest first: how far the chain had grown (seq) at each signed head. */
export function headsChart(heads: LedgerHeadHistoryItem[], t: T, lang: string, formatAt: (iso: string) => string) {
  const ordered = [...heads].reverse();
  const spec: ChartSpec = {
    kind: 'line',
    unit: 'count',
    categories: ordered.map((h) => formatAt(h.at)),
    series: [{ key: 'seq', name: t('ledger.heads.seq'), color: COLORS.made, data: ordered.map((h) => h.seq) }],
    format: (v) => v.toLocaleString(lang.startsWith('en') ? 'en-US' : 'zh-CN'),
    axisFormat: (v) => String(v),
    hiddenText: '',
  };
  return spec;
}
