import { formatMoney, money } from '@xiangbo/domain';

const zh = (language: string) => !language.startsWith('en');

/** "¥59.00" from fen (never through a float). */
export function formatFen(fen: number, language: string): string {
  return formatMoney(money(fen), zh(language) ? 'zh-CN' : 'en');
}

/** "5月1日 周五 19:30" / "Fri 1 May, 19:30", in China time (shows are scheduled in Beijing time). */
export function formatShowTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(zh(language) ? 'zh-CN' : 'en-GB', {
    month: zh(language) ? 'long' : 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));
}

/** Yuan typed by a host ("29.9") → fen (2990); null when it is not a positive amount with at most 2 decimals. */
export function yuanToFen(input: string): number | null {
  const m = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

/** An <input type="datetime-local"> value (local time) → ISO with the browser's offset. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function percent(ratio: number, language: string): string {
  return new Intl.NumberFormat(zh(language) ? 'zh-CN' : 'en', { style: 'percent', maximumFractionDigits: 1 }).format(
    ratio,
  );
}
