import type { RegistryStatus } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';

/** 建档立卡 / 防返贫监测 / 已脱贫 / 一般户, each with its own colour (and always its words: colour is never alone). */
export function StatusBadge({ status }: { status: RegistryStatus }) {
  const { t } = useTranslation('registry');
  return (
    <span className={`registry-badge registry-badge--${status}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
