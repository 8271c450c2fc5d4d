import type { ParcelEventDto } from '@xiangbo/contracts';
import type { LogisticsProvider, ParcelAnswer, ParcelQuery } from './logistics-provider';

/**
 * The demo carrier (outside production only): every parcel moves 揽收 → 运输中 → 派送中 → 签收, one step every
 * `stepMinutes` after it was shipped, in words like a real carrier's. Deterministic: the same parcel read at the
 * same moment always has the same steps, so polling it twice records nothing twice.
 */
export class DemoLogisticsProvider implements LogisticsProvider {
  readonly name = 'demo' as const;
  readonly local = true;

  constructor(private readonly stepMinutes: number) {}

  async query(q: ParcelQuery, now: Date): Promise<ParcelAnswer> {
    const step = this.stepMinutes * 60_000;
    // 揽收 when the cooperative hands the parcel over (it ships with the number), then one step every `stepMinutes`
    const at = (n: number) => new Date(q.shippedAt.getTime() + n * step);
    const all: ParcelEventDto[] = [
      { at: at(0).toISOString(), status: 'collected', text: `【${q.fromPlace}】${q.carrier} 已揽收` },
      { at: at(1).toISOString(), status: 'in_transit', text: `快件已从【${q.fromPlace}】发出，发往【${q.toPlace}】` },
      { at: at(2).toISOString(), status: 'delivering', text: `【${q.toPlace}】快递员正在派送，请保持电话畅通` },
      { at: at(3).toISOString(), status: 'delivered', text: `【${q.toPlace}】已签收，感谢使用${q.carrier}` },
    ];
    const events = all.filter((e) => Date.parse(e.at) <= now.getTime());
    return events.length ? { kind: 'events', events } : { kind: 'unknown', reason: 'not collected yet' };
  }
}
