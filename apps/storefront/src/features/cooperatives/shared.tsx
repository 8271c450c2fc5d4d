import type { CooperativeStatus, Region, RegistryStatus } from '@xiangbo/contracts';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { apiErrorMessage } from '../../i18n/api-errors';
import zhCN from './locales/zh-CN.json';

type CoopErrorCode = keyof typeof zhCN.errors;

function isCoopCode(code: string): code is CoopErrorCode {
  return Object.prototype.hasOwnProperty.call(zhCN.errors, code);
}

/** The feature's own error codes in the reader's language; anything else as the app translates it. */
export function useCoopErrorMessage(): (error: unknown) => string | null {
  const { t } = useTranslation('coop');
  const { t: tApp } = useTranslation();
  return (error: unknown) => {
    if (!error) return null;
    if (isApiError(error) && isCoopCode(error.code)) {
      const name =
        typeof error.body.details?.['cooperativeName'] === 'string' ? error.body.details['cooperativeName'] : '';
      return t(`errors.${error.code}`, { name });
    }
    return apiErrorMessage(tApp as TFunction, error);
  };
}

export function regionText(r: Region, withVillage = true): string {
  return [r.province, r.city, r.county, r.township, withVillage ? r.village : null].filter(Boolean).join(' ');
}

export function ApplicationStatusBadge({ status }: { status: CooperativeStatus }) {
  const { t } = useTranslation('coop');
  return <span className={`coop-badge coop-badge--${status}`}>{t(`status.${status}`)}</span>;
}

export function RegistryBadge({ status }: { status: RegistryStatus }) {
  const { t } = useTranslation('coop');
  return <span className={`coop-badge coop-badge--registry-${status}`}>{t(`registryStatus.${status}`)}</span>;
}

/** The logo, or the first character of the name on a tinted square when there is none. */
export function CoopLogo({ name, url, size = 64 }: { name: string; url: string | null; size?: number }) {
  return url ? (
    <img className="coop-logo" src={url} alt="" width={size} height={size} loading="lazy" />
  ) : (
    <span
      className="coop-logo coop-logo--empty"
      style={{ width: size, height: size, fontSize: size * 0.42 }}
      aria-hidden="true"
    >
      {[...name][0] ?? '社'}
    </span>
  );
}

/** A short success line that screen readers announce. */
export function Notice({ children }: { children: React.ReactNode }) {
  if (!children) return null;
  return (
    <p role="status" className="coop-notice">
      {children}
    </p>
  );
}
