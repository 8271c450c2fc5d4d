import type { OrderEventDto } from '@xiangbo/contracts';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { describeEvent } from './timeline';

/** The order's history, oldest first: what happened, who did it (买家/合作社/系统/支付机构) and when. */
export function OrderTimeline({ events }: { events: OrderEventDto[] }) {
  const { t, i18n } = useTranslation('orders');
  return (
    <ol className="order-timeline" aria-label={t('detail.timelineLabel')}>
      {events.map((e, i) => {
        const { kind, detail } = describeEvent(e);
        const latest = i === events.length - 1;
        return (
          <li key={`${e.at}-${i}`} className={`order-timeline__item${latest ? ' order-timeline__item--latest' : ''}`}>
            <span className="order-timeline__dot" aria-hidden="true" />
            <div className="order-timeline__body">
              <strong className="order-timeline__what">{t(`event.${kind}`)}</strong>
              {detail && <span className="order-timeline__detail">{detail}</span>}
              <span className="order-timeline__meta">
                {t(`actor.${e.actorKind}`)} · <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
              </span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
