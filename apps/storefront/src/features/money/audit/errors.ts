import type { TFunction } from 'i18next';
import { isApiError } from '../../../api/client';
import { apiErrorMessage } from '../../../i18n/api-errors';
import zhCN from '../locales/zh-CN.json';

type AuditErrorCode = keyof typeof zhCN.audit.errors;

function isAuditErrorCode(code: string): code is AuditErrorCode {
  return Object.prototype.hasOwnProperty.call(zhCN.audit.errors, code);
}

export function auditErrorMessage(t: TFunction<'money'>, tc: TFunction, error: unknown): string {
  if (isApiError(error) && isAuditErrorCode(error.code)) return t(`audit.errors.${error.code}`);
  return apiErrorMessage(tc, error);
}
