import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import zh from './locales/zh-CN.json';

type CouponErrorCode = keyof typeof zh.errors;
const isCouponErrorCode = (code: string): code is CouponErrorCode =>
  Object.prototype.hasOwnProperty.call(zh.errors, code);

/** A refusal in the reader's language: the feature's own sentence for its codes, else the app's. */
export function couponErrorMessage(t: TFunction<'coupons'>, tc: TFunction, error: unknown): string {
  if (isApiError(error) && isCouponErrorCode(error.code)) return t(`errors.${error.code}`);
  return apiErrorMessage(tc, error);
}
