import type { ParcelEventDto } from '@xiangbo/contracts';

/** What a provider is asked about one parcel. */
export interface ParcelQuery {
  /** The carrier as the cooperative typed it when shipping (顺丰速运, 中通, EMS …). */
  carrier: string;
  trackingNumber: string;
  /** The recipient's mobile: 顺丰 answers only with its last four digits. */
  recipientMobile: string;
  shippedAt: Date;
  /** Where the parcel goes from and to (the demo provider's words; real carriers report their own). */
  fromPlace: string;
  toPlace: string;
}

/** A provider's answer: the parcel's steps so far, oldest first; `unknown` when the carrier has nothing yet. */
export type ParcelAnswer = { kind: 'events'; events: ParcelEventDto[] } | { kind: 'unknown'; reason: string };

export interface LogisticsProvider {
  readonly name: 'demo' | 'kuaidi100';
  /** Cheap and local (the demo): asked again whenever an order is read, not only by the poller. */
  readonly local: boolean;
  query(q: ParcelQuery, now: Date): Promise<ParcelAnswer>;
}

export class LogisticsQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogisticsQueryError';
  }
}

export const LOGISTICS_PROVIDER = Symbol('LOGISTICS_PROVIDER');

/** Kuaidi100's company codes for the carriers cooperatives ship with, by the names they type. */
const CARRIERS: [RegExp, string][] = [
  [/顺丰|^sf/i, 'shunfeng'],
  [/中通|^zto/i, 'zhongtong'],
  [/圆通|^yto/i, 'yuantong'],
  [/韵达|^yunda/i, 'yunda'],
  [/申通|^sto/i, 'shentong'],
  [/极兔|^j&?t/i, 'jtexpress'],
  [/京东|^jd/i, 'jd'],
  [/德邦|^deppon/i, 'debangkuaidi'],
  [/邮政快递包裹|邮政包裹/, 'youzhengguonei'],
  [/ems|邮政/i, 'ems'],
];

/** The Kuaidi100 company code of a carrier name, or null when we do not know the carrier. */
export function kuaidi100Code(carrier: string): string | null {
  const name = carrier.trim();
  for (const [re, code] of CARRIERS) if (re.test(name)) return code;
  return null;
}
