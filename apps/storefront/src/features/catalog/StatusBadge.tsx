import type { RegistryStatus } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';

/** Registry status of a household as a small badge (建档立卡 / 防返贫监测 / 已脱贫 / 一般农户). */
export function StatusBadge({ status }: { status: RegistryStatus }) {
  const { t } = useTranslation('catalog');
  return <span className={`status-badge status-badge--${status}`}>{t(`status.${status}`)}</span>;
}
