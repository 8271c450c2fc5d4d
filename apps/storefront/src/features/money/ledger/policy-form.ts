import type { SharingPolicyDto, SharingPolicyInput } from '@xiangbo/contracts';
import { parseYuan, splitLine, validatePolicy, type LineSplit, type SharingPolicy } from '@xiangbo/domain';
import { bpToPercent, percentToBp } from '../../../format';

/** The policy editor's fields, as typed: percentages in %, the guaranteed price in yuan. */
export interface PolicyForm {
  platformFeePct: string;
  purchaseKind: 'percent' | 'per_unit';
  purchasePct: string;
  purchaseYuanPerUnit: string;
  dividendPct: string;
  wagesPct: string;
  weightRegistered: string;
  weightMonitored: string;
  weightLifted: string;
  weightNone: string;
  /** datetime-local value (Beijing time), '' = now. */
  effectiveFrom: string;
  note: string;
}

export type PolicyFormField = keyof PolicyForm;
/** Problem keys, under money:ledger.policy.errors. */
export type PolicyFormErrors = Partial<
  Record<PolicyFormField, 'percent' | 'yuan' | 'weight' | 'tooMuch' | 'platformMax' | 'date'>
>;

export const EMPTY_FORM: PolicyForm = {
  platformFeePct: '3',
  purchaseKind: 'percent',
  purchasePct: '65',
  purchaseYuanPerUnit: '30.00',
  dividendPct: '8',
  wagesPct: '10',
  weightRegistered: '150',
  weightMonitored: '120',
  weightLifted: '100',
  weightNone: '100',
  effectiveFrom: '',
  note: '',
};

/** The form pre-filled from a version (to change one thing and save a new version). */
export function formFromPolicy(p: SharingPolicyDto): PolicyForm {
  return {
    platformFeePct: bpToPercent(p.platformFeeBp),
    purchaseKind: p.purchase.kind,
    purchasePct: p.purchase.kind === 'percent' ? bpToPercent(p.purchase.bp) : EMPTY_FORM.purchasePct,
    purchaseYuanPerUnit:
      p.purchase.kind === 'per_unit' ? (p.purchase.fenPerUnit / 100).toFixed(2) : EMPTY_FORM.purchaseYuanPerUnit,
    dividendPct: bpToPercent(p.dividendBp),
    wagesPct: bpToPercent(p.wagesBp),
    weightRegistered: String(p.dividendWeights.registered),
    weightMonitored: String(p.dividendWeights.monitored),
    weightLifted: String(p.dividendWeights.lifted),
    weightNone: String(p.dividendWeights.none),
    effectiveFrom: '',
    note: '',
  };
}

/** "2026-03-05T14:30" typed in Beijing time → ISO instant. */
export function beijingLocalToIso(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) - 8 * 3600_000;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Reads the form: the request body, or the problems field by field (the same rules the server applies). */
export function readPolicyForm(f: PolicyForm): { input: SharingPolicyInput | null; errors: PolicyFormErrors } {
  const errors: PolicyFormErrors = {};
  const pct = (field: PolicyFormField, value: string, max = 10000) => {
    const bp = percentToBp(value);
    if (bp === null || bp > max) {
      errors[field] = 'percent';
      return 0;
    }
    return bp;
  };
  const weight = (field: PolicyFormField, value: string) => {
    if (!/^\s*\d{1,4}\s*$/.test(value) || Number(value) > 1000) {
      errors[field] = 'weight';
      return 0;
    }
    return Number(value);
  };
  const platformFeeBp = pct('platformFeePct', f.platformFeePct);
  if (!errors.platformFeePct && platformFeeBp > 2000) errors.platformFeePct = 'platformMax';
  let purchase: SharingPolicy['purchase'];
  if (f.purchaseKind === 'percent') purchase = { kind: 'percent', bp: pct('purchasePct', f.purchasePct) };
  else {
    const fen = parseYuan(f.purchaseYuanPerUnit);
    if (fen === null || fen < 0) errors.purchaseYuanPerUnit = 'yuan';
    purchase = { kind: 'per_unit', fenPerUnit: fen ?? 0 };
  }
  const dividendBp = pct('dividendPct', f.dividendPct);
  const wagesBp = pct('wagesPct', f.wagesPct);
  const dividendWeights = {
    registered: weight('weightRegistered', f.weightRegistered),
    monitored: weight('weightMonitored', f.weightMonitored),
    lifted: weight('weightLifted', f.weightLifted),
    none: weight('weightNone', f.weightNone),
  };
  const parts = { platformFeeBp, purchase, dividendBp, wagesBp, dividendWeights };
  if (!Object.keys(errors).length && validatePolicy(parts).some((p) => p.field === 'purchase')) {
    errors[f.purchaseKind === 'percent' ? 'purchasePct' : 'dividendPct'] = 'tooMuch';
  }
  let effectiveFrom: string | undefined;
  if (f.effectiveFrom) {
    const iso = beijingLocalToIso(f.effectiveFrom);
    if (!iso || Date.parse(iso) < Date.now() - 60_000) errors.effectiveFrom = 'date';
    else effectiveFrom = iso;
  }
  if (Object.keys(errors).length) return { input: null, errors };
  return { input: { ...parts, ...(effectiveFrom ? { effectiveFrom } : {}), note: f.note.trim() }, errors };
}

/** The worked example shown while typing: ¥59.00 (1 unit), 0.6 % processing fee, three households supplying 50/30/20. */
export const EXAMPLE = { grossFen: 5900, feeFen: 35, supplies: [50, 30, 20] };

export function exampleSplit(f: PolicyForm): LineSplit | null {
  const { input } = readPolicyForm({ ...f, effectiveFrom: '' });
  if (!input) return null;
  return splitLine(
    {
      grossFen: EXAMPLE.grossFen,
      processingFeeFen: EXAMPLE.feeFen,
      quantity: 1,
      supplies: EXAMPLE.supplies.map((quantity, i) => ({ householdId: `h${i + 1}`, quantity })),
    },
    { version: 0, ...input } as SharingPolicy,
  );
}

/** What the cooperative sends: its own shares; the platform's fee is applied by the server (set by the platform). */
export function withoutPlatformFee(input: SharingPolicyInput): SharingPolicyInput {
  const body = { ...input };
  delete body.platformFeeBp;
  return body;
}
