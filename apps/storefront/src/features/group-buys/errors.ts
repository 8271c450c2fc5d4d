import type { TFunction } from 'i18next';
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
