import type { TFunction } from 'i18next';
import { isApiError } from '../api/client';
import i18n from './i18n';
import zhCN from './locales/zh-CN.json';
import { translateServerText } from './server-messages';

type ErrorCode = Exclude<keyof typeof zhCN.errors, 'heading'>;

function isTranslatedCode(code: string): code is ErrorCode {
  return code !== 'heading' && Object.prototype.hasOwnProperty.call(zhCN.errors, code);
}

/**
 * What to tell a person when a call failed: the translation of the API's error code when we have
 * one, otherwise the server's own message in the reader's language (server-messages.ts), otherwise a generic
 * apology.
 */
export function apiErrorMessage(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    if (isTranslatedCode(error.code)) return t(`errors.${error.code}`);
    if (error.body.message) return translateServerText(error.body.message, t('errors.UNKNOWN'));
  }
  return t('errors.UNKNOWN');
}

/**
 * The server's field errors keyed by field name ("body.email" and "email" both become "email"), each in the
 * reader's language (server-messages.ts); a field refused for control characters (the API's one global rule) too.
 */
export function apiFieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isApiError(error)) return out;
  for (const { field, message } of error.body.errors ?? []) {
    const name = field.split('.').pop() ?? field;
    if (!(name in out))
      out[name] =
        error.code === 'CONTROL_CHARACTERS' ? i18n.t('validation.controlCharacters') : translateServerText(message);
  }
  return out;
}
