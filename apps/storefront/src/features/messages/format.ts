import { formatDateTime } from '../orders/format';

const SHANGHAI = 'Asia/Shanghai';
const dayOf = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/**
 * A message's time as chat apps show it, in Beijing time: "14:07" today, "昨天 14:07" / "Yesterday 14:07", else the
 * full date and time.
 */
export function formatChatTime(iso: string, language: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: SHANGHAI,
  }).format(d);
  if (dayOf(d) === dayOf(now)) return time;
  if (dayOf(d) === dayOf(new Date(now.getTime() - 86_400_000)))
    return language.startsWith('en') ? `Yesterday ${time}` : `昨天 ${time}`;
  return formatDateTime(iso, language);
}
