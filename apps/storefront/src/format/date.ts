/**
 * Calendar days and months. A "YYYY-MM-DD" is a day as written (no time-zone drift); an ISO instant is taken as its
 * day in China (UTC+8, no daylight saving). Chinese is written by hand, exactly as Intl writes it (pinned by
 * date.spec.ts): the page's first Intl call costs a phone ~25 ms of locale data while it hydrates (issue #14).
 */

const CHINA_OFFSET_MS = 8 * 3600_000;
const isEn = (language: string) => language.startsWith('en');
const pad2 = (n: number) => String(n).padStart(2, '0');

type Day = { y: number; m: number; d: number };

function dayOf(value: string): Day | null {
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (ymd) {
    const [y, m, d] = ymd.slice(1).map(Number);
    return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? { y, m, d } : null;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) return null;
  const c = new Date(t + CHINA_OFFSET_MS);
  return { y: c.getUTCFullYear(), m: c.getUTCMonth() + 1, d: c.getUTCDate() };
}

/**
 * A day: "2025年9月12日" / "12 Sep 2025" (`medium`), "12 September 2025" in English when `long`, "2025/09/12" /
 * "12/09/2025" when `numeric` (tables). Empty for no date; what it was given when it is not a date.
 */
export function formatDate(
  value: string | null | undefined,
  language: string,
  style: 'medium' | 'long' | 'numeric' = 'medium',
): string {
  if (!value) return '';
  const day = dayOf(value);
  if (!day) return value;
  const { y, m, d } = day;
  if (!isEn(language)) return style === 'numeric' ? `${y}/${pad2(m)}/${pad2(d)}` : `${y}年${m}月${d}日`;
  return new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: style === 'numeric' ? '2-digit' : style === 'long' ? 'long' : 'short',
    day: style === 'numeric' ? '2-digit' : 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** 2027-06-01 → "6月1日" / "Jun 1" (a day without its year, as a pre-sale's window is written). */
export function formatDay(isoDate: string, language: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(isEn(language) ? 'en' : 'zh-CN', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** "2026年3月" / "Mar 2026" from YYYY-MM. */
export function formatMonth(month: string, language: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(isEn(language) ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: isEn(language) ? 'short' : 'long',
    timeZone: 'UTC',
  }).format(d);
}

/** Today's date in China (UTC+8), YYYY-MM-DD: the default for date inputs. */
export function chinaToday(now: number = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The previous calendar month in China, YYYY-MM (the usual dividend period). */
export function previousMonth(now: number = Date.now()): string {
  const d = new Date(now + CHINA_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/** An <input type="datetime-local"> value (local time) → ISO with the browser's offset. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
