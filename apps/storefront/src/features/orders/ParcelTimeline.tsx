import type { ParcelEventDto } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';

/**
 * 物流跟踪: the parcel's steps as the carrier reported them, newest on top (as buyers read it on Taobao), each with
 * its state (已揽收, 运输中, 派送中, 已签收 …), the carrier's words and the time.
 */
export function ParcelTimeline({ events }: { events: readonly ParcelEventDto[] }) {
  const { t, i18n } = useTranslation('orders');
  if (!events.length) return <p className="parcel__empty">{t('parcel.none')}</p>;
  const newestFirst = [...events].reverse();
  return (
    <ol className="order-timeline parcel" aria-label={t('parcel.heading')} data-testid="parcel-timeline">
      {newestFirst.map((e, i) => (
        <li
          key={`${e.at}-${e.status}-${i}`}
          className={`order-timeline__item${i === 0 ? ' order-timeline__item--latest' : ''}`}
        >
          <span className="order-timeline__dot" aria-hidden="true" />
          <div className="order-timeline__body">
            <strong className="order-timeline__what">{t(`parcel.status.${e.status}`)}</strong>
            <span className="order-timeline__detail">{e.text}</span>
            <span className="order-timeline__meta">
              <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}
