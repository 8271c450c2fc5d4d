import type { GroupBuyStatus } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';

/** One badge for a group's status: 拼团中 / 已成团 / 拼团失败. */
export function GroupStatusBadge({ status }: { status: GroupBuyStatus }) {
  const { t } = useTranslation('groupBuys');
  return <span className={`gb-status gb-status--${status}`}>{t(`group.status.${status}`)}</span>;
}
