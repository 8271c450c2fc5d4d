import type { TFunction } from 'i18next';
import { countdown } from '@xiangbo/domain';

/** "23:59:08" until `endsAt` (hours may pass 24); null once it is over. */
export function timeLeft(t: TFunction<'groupBuys'>, endsAt: string, now: number): string | null {
  const c = countdown(Date.parse(endsAt), now);
  if (c.totalSeconds === 0) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return t('time.hms', { h: Math.floor(c.minutes / 60), mm: pad(c.minutes % 60), ss: pad(c.seconds) });
}

/** Seats still to fill before the group forms. */
export const seatsShort = (g: { size: number; joined: number }) => Math.max(0, g.size - g.joined);
