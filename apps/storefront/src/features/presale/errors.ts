import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import zhCN from './locales/zh-CN.json';

type PresaleErrorCode = keyof typeof zhCN.errors;

function isPresaleErrorCode(code: string): code is PresaleErrorCode {
  return Object.prototype.hasOwnProperty.call(zhCN.errors, code);
}

/** A failed pre-sale call in the reader's language: this feature's words for its codes, then the app-wide ones. */
export function presaleErrorMessage(t: TFunction<'presale'>, tc: TFunction, error: unknown): string {
  if (isApiError(error) && isPresaleErrorCode(error.code)) return t(`errors.${error.code}`);
  return apiErrorMessage(tc, error);
}

/** 2027-06-01 → 6月1日 / Jun 1 (calendar days, as the pre-sale's window is written). */
export function formatDay(isoDate: string, language: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(language.startsWith('en') ? 'en' : 'zh-CN', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}
