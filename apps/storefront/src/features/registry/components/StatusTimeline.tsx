import type { HouseholdStatusEventView } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../../format';
import { StatusBadge } from './StatusBadge';

/**
 * A household's status history, newest effective date first. The first entry is the current status; an entry
 * recorded after a later-dated one was a back-dated correction (补录) and is marked so.
 */
export function StatusTimeline({ events }: { events: readonly HouseholdStatusEventView[] }) {
  const { t, i18n } = useTranslation('registry');
  if (events.length === 0) return <p className="muted">{t('timeline.empty')}</p>;
  // The API lists oldest first (effective date, then recording time); the last is the current status.
  const newestFirst = [...events].reverse();
  return (
    <ol className="registry-timeline" aria-label={t('timeline.label')}>
      {newestFirst.map((e, i) => {
        const backdated = newestFirst.slice(0, i).some((later) => later.recordedAt < e.recordedAt);
        return (
          <li key={e.id} className={`registry-timeline__item${i === 0 ? ' registry-timeline__item--current' : ''}`}>
            <div className="registry-timeline__head">
              <time dateTime={e.effectiveDate} className="registry-timeline__date">
                {formatDate(e.effectiveDate, i18n.language)}
              </time>
              <StatusBadge status={e.status} />
              {i === 0 && <span className="registry-tag registry-tag--current">{t('timeline.current')}</span>}
              {backdated && <span className="registry-tag">{t('timeline.backdated')}</span>}
            </div>
            <p className="registry-timeline__reason">{e.reason}</p>
            <p className="registry-timeline__meta">
              {t('timeline.recordedBy', {
                name: e.recordedBy.displayName ?? t('timeline.unknownUser'),
                date: formatDateTime(e.recordedAt, i18n.language),
              })}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
