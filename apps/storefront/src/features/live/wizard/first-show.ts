import { createShowSchema, LIVE_LIMITS, type CreateShowRequest } from '@xiangbo/contracts';

/** The three steps of the first-show wizard, in order. */
export const WIZARD_STEPS = ['products', 'when', 'camera'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export interface FirstShowDraft {
  productIds: string[];
  title: string;
  /** An <input type="datetime-local"> value, in the phone's local time. */
  start: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const localInput = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/**
 * Times a first show is usually put on, as datetime-local values: tonight at 20:00 (while that is still an hour
 * away), tomorrow at 19:30, and the coming Saturday at 10:00 (never today). The first is the default.
 */
export function suggestedStarts(now: Date = new Date()): { key: 'tonight' | 'tomorrow' | 'saturday'; value: string }[] {
  const out: { key: 'tonight' | 'tomorrow' | 'saturday'; value: string }[] = [];
  const tonight = new Date(now);
  tonight.setHours(20, 0, 0, 0);
  if (tonight.getTime() - now.getTime() >= 3_600_000) out.push({ key: 'tonight', value: localInput(tonight) });
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(19, 30, 0, 0);
  out.push({ key: 'tomorrow', value: localInput(tomorrow) });
  const saturday = new Date(now);
  saturday.setDate(saturday.getDate() + ((6 - saturday.getDay() + 7) % 7 || 7));
  saturday.setHours(10, 0, 0, 0);
  if (saturday.getDate() !== tomorrow.getDate() || saturday.getMonth() !== tomorrow.getMonth())
    out.push({ key: 'saturday', value: localInput(saturday) });
  return out;
}

/** A title the admin can keep: "<first product>产地直播" (within the 60-character limit). */
export function suggestedTitle(productNames: string[]): string {
  const first = productNames[0]?.trim();
  if (!first) return '';
  const suffix = productNames.length > 1 ? '等好物产地直播' : '产地直播';
  return `${first.slice(0, 60 - suffix.length)}${suffix}`;
}

export type DraftProblem = 'products' | 'tooMany' | 'title' | 'start' | 'past';

/** What keeps a step from going on; null when it may. The last step checks the whole request. */
export function stepProblem(step: WizardStep, d: FirstShowDraft, now: Date = new Date()): DraftProblem | null {
  if (step === 'products') {
    if (!d.productIds.length) return 'products';
    if (d.productIds.length > LIVE_LIMITS.maxShowProducts) return 'tooMany';
    return null;
  }
  if (step === 'when') {
    if (!d.title.trim() || d.title.trim().length > 60) return 'title';
    const at = new Date(d.start);
    if (!d.start || Number.isNaN(at.getTime())) return 'start';
    if (at.getTime() <= now.getTime()) return 'past';
    return null;
  }
  return stepProblem('products', d, now) ?? stepProblem('when', d, now);
}

/** The create request the existing API takes (POST /api/console/cooperatives/:coopId/shows). */
export function showRequestFrom(d: FirstShowDraft): CreateShowRequest | null {
  const at = new Date(d.start);
  if (Number.isNaN(at.getTime())) return null;
  const parsed = createShowSchema.safeParse({
    title: d.title.trim(),
    scheduledAt: at.toISOString(),
    productIds: d.productIds,
  });
  return parsed.success ? parsed.data : null;
}
