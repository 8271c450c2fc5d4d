import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import zhCN from './locales/zh-CN.json';

type OrderErrorCode = keyof typeof zhCN.errors;

function isOrderErrorCode(code: string): code is OrderErrorCode {
  return Object.prototype.hasOwnProperty.call(zhCN.errors, code);
}

/**
 * What to tell the buyer or the cooperative when an orders/payments call failed: this feature's translation
 * of the error code first, then the app-wide ones, then the server's own message.
 */
export function orderErrorMessage(t: TFunction<'orders'>, tc: TFunction, error: unknown): string {
  if (isApiError(error) && isOrderErrorCode(error.code)) return t(`errors.${error.code}`);
  return apiErrorMessage(tc, error);
}

/** The refused line of a 409 from POST /api/orders, if the error is one. */
export interface LineRefusal {
  productId: string;
  code: 'SOLD_OUT' | 'LIMIT_REACHED' | 'PRODUCT_UNAVAILABLE';
  available?: number;
  limit?: number;
}

export function lineRefusal(error: unknown): LineRefusal | null {
  if (!isApiError(error) || error.status !== 409) return null;
  const code = error.code;
  if (code !== 'SOLD_OUT' && code !== 'LIMIT_REACHED' && code !== 'PRODUCT_UNAVAILABLE') return null;
  const d = error.body.details ?? {};
  const productId = typeof d['productId'] === 'string' ? d['productId'] : null;
  if (!productId) return null;
  return {
    productId,
    code,
    available: typeof d['available'] === 'number' ? d['available'] : undefined,
    limit: typeof d['limit'] === 'number' ? d['limit'] : undefined,
  };
}
