import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      {t('common.loading')}
    </p>
  );
}

/** "Nothing here yet", said plainly: no fake data. */
export function EmptyState({
  icon,
  title,
  hint,
  children,
  headingLevel = 2,
}: {
  icon?: ReactNode;
  title: string;
  hint?: string;
  children?: ReactNode;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="empty-state">
      {icon && <div className="empty-state__icon">{icon}</div>}
      <Heading className="empty-state__title">{title}</Heading>
      {hint && <p className="empty-state__hint">{hint}</p>}
      {children}
    </div>
  );
}
