import type { TFunction } from 'i18next';
import { isApiError } from '../../../api/client';
import { apiErrorMessage } from '../../../i18n/api-errors';
import zhCN from '../locales/zh-CN.json';

type LedgerErrorCode = keyof typeof zhCN.ledger.errors;

function isLedgerErrorCode(code: string): code is LedgerErrorCode {
  return Object.prototype.hasOwnProperty.call(zhCN.ledger.errors, code);
}

/** This feature's translation of the error code first, then the app-wide ones, then the server's message. */
export function ledgerErrorMessage(t: TFunction<'money'>, tc: TFunction, error: unknown): string {
  if (isApiError(error) && isLedgerErrorCode(error.code)) return t(`ledger.errors.${error.code}`);
  return apiErrorMessage(tc, error);
}
