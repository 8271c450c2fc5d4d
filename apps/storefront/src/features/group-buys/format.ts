import type { TFunction } from 'i18next';
import { countdown } from '@xiangbo/domain';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import zhCN from './locales/zh-CN.json';

type GroupErrorCode = keyof typeof zhCN.errors;

function isGroupErrorCode(code: string): code is GroupErrorCode {
  return Object.prototype.hasOwnProperty.call(zhCN.errors, code);
}

/** A failed group-buy call in the reader's language: this feature's words for its codes, then the app-wide ones. */
export function groupErrorMessage(t: TFunction<'groupBuys'>, tc: TFunction, error: unknown): string {
  if (isApiError(error) && isGroupErrorCode(error.code)) return t(`errors.${error.code}`);
  return apiErrorMessage(tc, error);
}

/** "23:59:08" until `endsAt` (hours may pass 24); null once it is over. */
export function timeLeft(t: TFunction<'groupBuys'>, endsAt: string, now: number): string | null {
  const c = countdown(Date.parse(endsAt), now);
  if (c.totalSeconds === 0) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return t('time.hms', { h: Math.floor(c.minutes / 60), mm: pad(c.minutes % 60), ss: pad(c.seconds) });
}

/** Seats still to fill before the group forms. */
export const seatsShort = (g: { size: number; joined: number }) => Math.max(0, g.size - g.joined);
