import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES } from '../i18n/i18n';

/**
 * The language picker. Its accessible name is "语言 / Language" in both languages so people (and
 * tests) can find it whichever language is showing. The choice is saved in localStorage.
 */
export function LanguageSwitch({ className, testId }: { className?: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
  return (
    <select
      className={className ? `language-switch ${className}` : 'language-switch'}
      aria-label={t('language.label')}
      value={current}
      onChange={(e) => void i18n.changeLanguage(e.target.value)}
      data-testid={testId}
    >
      {LANGUAGES.map((lng) => (
        <option key={lng} value={lng} lang={lng}>
          {t(`language.${lng}`)}
        </option>
      ))}
    </select>
  );
}
