/**
 * Times as a cooperative in China reads them (Asia/Shanghai, UTC+8 all year: China has no daylight saving), for
 * files people open in a spreadsheet (packing lists …). The pages format with Intl in the reader's language.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The China day of an instant: "2026-12-07". */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The China date and time of an instant to the minute: "2026-12-07 21:05". */
export function chinaDateTime(at: Date): string {
  const s = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}
