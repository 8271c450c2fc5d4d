import type { TFunction } from 'i18next';
import { isApiError } from '../../../api/client';
import { apiErrorMessage } from '../../../i18n/api-errors';
import zhCN from '../locales/zh-CN.json';

type PayoutErrorCode = keyof typeof zhCN.payouts.errors;

function isPayoutErrorCode(code: string): code is PayoutErrorCode {
  return Object.prototype.hasOwnProperty.call(zhCN.payouts.errors, code);
}

/** This feature's translation of the error code first, then the app-wide ones, then the server's message. */
export function payoutErrorMessage(t: TFunction<'money'>, tc: TFunction, error: unknown): string {
  if (isApiError(error) && isPayoutErrorCode(error.code)) return t(`payouts.errors.${error.code}`);
  return apiErrorMessage(tc, error);
}
