import type { TFunction } from 'i18next';
import { HOUSEHOLD_ERROR_CODES, type HouseholdErrorCode } from '@xiangbo/contracts';
import { isApiError } from '../../api/client';

/** The registry's own error codes in the reader's language (null: not one of ours, use the app-wide message). */
export function registryErrorMessage(t: TFunction<'registry'>, error: unknown): string | null {
  if (!isApiError(error)) return null;
  const code = error.code as HouseholdErrorCode | 'PAYLOAD_TOO_LARGE';
  if (code === 'PAYLOAD_TOO_LARGE') return t('errors.PAYLOAD_TOO_LARGE');
  if (!(HOUSEHOLD_ERROR_CODES as readonly string[]).includes(code)) return null;
  if (code === 'MISSING_HEADERS') {
    const missing = error.body.details?.['missing'];
    return t('errors.MISSING_HEADERS', { missing: Array.isArray(missing) ? missing.join('、') : '' });
  }
  return t(`errors.${code}`);
}
