import { useTranslation } from 'react-i18next';
import { translateServerText } from '../i18n/server-messages';

/** The form-level error (wrong password, rate limited, server down); role="alert" announces it when it appears. */
export function FormError({ message }: { message: string | null }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <div role="alert" className="form-error" data-testid="form-error">
      <strong className="form-error__title">{t('errors.heading')}</strong>
      <span>{translateServerText(message, t('errors.UNKNOWN'))}</span>
    </div>
  );
}
