import { createHash } from 'node:crypto';
import type { ParcelEventDto, ParcelStatus } from '@xiangbo/contracts';
import {
  kuaidi100Code,
  LogisticsQueryError,
  type LogisticsProvider,
  type ParcelAnswer,
  type ParcelQuery,
} from './logistics-provider';

export interface Kuaidi100Options {
  customer: string;
  key: string;
  /** https://poll.kuaidi100.com/poll/query.do (a local stand-in in tests). */
  endpoint: string;
  timeoutMs?: number;
}

interface Kuaidi100Item {
  time?: string;
  ftime?: string;
  context?: string;
  /** With resultv2=1: the step's state in words (在途, 揽收, 派件, 签收, 疑难, 退回 …) and its code. */
  status?: string;
  statusCode?: string;
}

interface Kuaidi100Answer {
  message?: string;
  state?: string;
  status?: string;
  result?: boolean;
  returnCode?: string;
  data?: Kuaidi100Item[];
}

/** Kuaidi100's `sign`: MD5 of param + key + customer, 32 upper-case hex digits. */
export function kuaidi100Sign(param: string, key: string, customer: string): string {
  return createHash('md5')
    .update(param + key + customer, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** A step's state from its words, else from its (main) state code; null when neither says. */
export function kuaidi100Status(words: string | undefined, code: string | undefined): ParcelStatus | null {
  const w = words ?? '';
  if (/签收/.test(w) && !/拒签|退签/.test(w)) return 'delivered';
  if (/拒签|退签|疑难|问题/.test(w)) return 'problem';
  if (/退回/.test(w)) return 'returned';
  if (/派件|派送|投柜|驿站|待取/.test(w)) return 'delivering';
  if (/揽收/.test(w)) return 'collected';
  if (/在途|转投|转单|清关/.test(w)) return 'in_transit';
  // the main states 0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签, 5 派件, 6 退回, 7 转投, 8 清关, 14 拒签; sub-codes start with them
  const main = code && code.length >= 3 && code !== '14' ? code.slice(0, code.length - 2) : code;
  switch (main) {
    case '1':
      return 'collected';
    case '0':
    case '7':
    case '8':
    case '10':
      return 'in_transit';
    case '5':
      return 'delivering';
    case '3':
      return 'delivered';
    case '2':
    case '4':
    case '14':
      return 'problem';
    case '6':
      return 'returned';
    default:
      return null;
  }
}

/** "2026-12-07 16:33:19" (Beijing time, as Kuaidi100 writes it) → ISO 8601. */
function beijing(time: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(time.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2].length === 5 ? `${m[2]}:00` : m[2]}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * Kuaidi100's real-time query (实时快递查询, poll/query.do): a form POST of customer, sign and param (com, num,
 * phone, resultv2=1 for each step's state). Steps come newest first and are returned oldest first; a step whose
 * state is not written is 揽收 when it is the first, the parcel's overall state when it is the latest, 运输中 between.
 */
export class Kuaidi100Provider implements LogisticsProvider {
  readonly name = 'kuaidi100' as const;
  readonly local = false;

  constructor(private readonly o: Kuaidi100Options) {}

  async query(q: ParcelQuery): Promise<ParcelAnswer> {
    const com = kuaidi100Code(q.carrier);
    if (!com) return { kind: 'unknown', reason: `no Kuaidi100 code for the carrier ${q.carrier}` };
    const param = JSON.stringify({
      com,
      num: q.trackingNumber,
      phone: q.recipientMobile,
      resultv2: '1',
      order: 'desc',
    });
    const body = new URLSearchParams({
      customer: this.o.customer,
      sign: kuaidi100Sign(param, this.o.key, this.o.customer),
      param,
    });
    let res: Response;
    try {
      res = await fetch(this.o.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new LogisticsQueryError(`Kuaidi100 unreachable: ${(e as Error).message}`);
    }
    let answer: Kuaidi100Answer;
    try {
      answer = (await res.json()) as Kuaidi100Answer;
    } catch {
      throw new LogisticsQueryError(`Kuaidi100 answered ${res.status} without JSON`);
    }
    if (!res.ok) throw new LogisticsQueryError(`Kuaidi100 answered ${res.status}: ${answer.message ?? ''}`);
    if (answer.result === false || !Array.isArray(answer.data)) {
      // 500 查询无结果 (nothing scanned yet) is not an error: the parcel is simply not known yet
      if (answer.returnCode === '500') return { kind: 'unknown', reason: answer.message ?? 'no result yet' };
      throw new LogisticsQueryError(`Kuaidi100 refused: ${answer.returnCode ?? ''} ${answer.message ?? ''}`.trim());
    }
    const items = answer.data
      .map((it) => ({ it, at: beijing(it.time ?? it.ftime ?? '') }))
      .filter((x): x is { it: Kuaidi100Item; at: string } => x.at !== null)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const overall = kuaidi100Status(undefined, answer.state);
    const events: ParcelEventDto[] = items.map(({ it, at }, i) => ({
      at,
      status:
        kuaidi100Status(it.status, it.statusCode) ??
        (i === items.length - 1 && overall ? overall : i === 0 ? 'collected' : 'in_transit'),
      text: (it.context ?? '').trim().slice(0, 500),
    }));
    return events.length ? { kind: 'events', events } : { kind: 'unknown', reason: 'no steps yet' };
  }
}
