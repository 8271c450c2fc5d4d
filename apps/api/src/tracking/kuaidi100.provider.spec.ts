import { createHash } from 'node:crypto';
import { standIn } from '../sms/sms-stand-in.testing';
import { Kuaidi100Provider, kuaidi100Status } from './kuaidi100.provider';
import { kuaidi100Code, LogisticsQueryError, type ParcelQuery } from './logistics-provider';

const KEY = 'stand-in-key';
const CUSTOMER = 'CUSTOMER-1';

/** The stand-in's own reading of Kuaidi100's rule (from its published document): MD5(param + key + customer), upper case. */
const expectedSign = (param: string) =>
  createHash('md5')
    .update(param + KEY + CUSTOMER)
    .digest('hex')
    .toUpperCase();

const parcel: ParcelQuery = {
  carrier: '顺丰速运',
  trackingNumber: 'SF1234567890',
  recipientMobile: '13812345678',
  shippedAt: new Date('2026-12-05T02:00:00Z'),
  fromPlace: '柞水县金米村',
  toPlace: '杭州市西湖区',
};

/** A real-shaped answer (resultv2=1): newest first, Beijing time, each step with its state in words and its code. */
const ANSWER = {
  message: 'ok',
  nu: 'SF1234567890',
  ischeck: '1',
  com: 'shunfeng',
  status: '200',
  state: '3',
  data: [
    { time: '2026-12-07 10:05:00', context: '【杭州市】已签收，签收人：本人', status: '签收', statusCode: '301' },
    {
      time: '2026-12-07 08:30:00',
      context: '【杭州市】快件交给张师傅，正在派送途中',
      status: '派件',
      statusCode: '501',
    },
    { time: '2026-12-06 20:12:00', context: '快件到达【杭州转运中心】', status: '在途', statusCode: '0' },
    { time: '2026-12-05 10:15:00', context: '顺丰速运 已收取快件', status: '揽收', statusCode: '1' },
  ],
};

describe('Kuaidi100 adapter (against an offline stand-in)', () => {
  it('sends a signed form with the carrier code, number and phone, and returns the steps oldest first', async () => {
    const s = await standIn((r) => {
      const form = new URLSearchParams(r.body);
      const param = form.get('param') ?? '';
      if (form.get('customer') !== CUSTOMER || form.get('sign') !== expectedSign(param))
        return { status: 200, json: { result: false, returnCode: '601', message: 'key 已过期或签名错误' } };
      return { status: 200, json: ANSWER };
    });
    try {
      const provider = new Kuaidi100Provider({ customer: CUSTOMER, key: KEY, endpoint: s.url });
      const answer = await provider.query(parcel);
      expect(s.received).toHaveLength(1);
      expect(s.received[0].method).toBe('POST');
      expect(s.received[0].headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(JSON.parse(new URLSearchParams(s.received[0].body).get('param') ?? '')).toMatchObject({
        com: 'shunfeng',
        num: 'SF1234567890',
        phone: '13812345678',
        resultv2: '1',
      });
      expect(answer).toEqual({
        kind: 'events',
        events: [
          { at: '2026-12-05T02:15:00.000Z', status: 'collected', text: '顺丰速运 已收取快件' },
          { at: '2026-12-06T12:12:00.000Z', status: 'in_transit', text: '快件到达【杭州转运中心】' },
          { at: '2026-12-07T00:30:00.000Z', status: 'delivering', text: '【杭州市】快件交给张师傅，正在派送途中' },
          { at: '2026-12-07T02:05:00.000Z', status: 'delivered', text: '【杭州市】已签收，签收人：本人' },
        ],
      });
    } finally {
      await s.close();
    }
  });

  it('a wrong key is a refusal (thrown, so the poller notes it and asks again); "no result yet" is not an error', async () => {
    const s = await standIn((r) => {
      const form = new URLSearchParams(r.body);
      if (form.get('sign') !== expectedSign(form.get('param') ?? ''))
        return { status: 200, json: { result: false, returnCode: '601', message: 'key 已过期或签名错误' } };
      return { status: 200, json: { result: false, returnCode: '500', message: '查询无结果，请隔段时间再查' } };
    });
    try {
      const wrong = new Kuaidi100Provider({ customer: CUSTOMER, key: 'not-the-key', endpoint: s.url });
      await expect(wrong.query(parcel)).rejects.toThrow(LogisticsQueryError);
      await expect(wrong.query(parcel)).rejects.toThrow(/601/);
      const right = new Kuaidi100Provider({ customer: CUSTOMER, key: KEY, endpoint: s.url });
      await expect(right.query(parcel)).resolves.toEqual({ kind: 'unknown', reason: '查询无结果，请隔段时间再查' });
    } finally {
      await s.close();
    }
  });

  it('an unreachable or failing service throws; an unknown carrier is not sent at all', async () => {
    const s = await standIn(() => ({ status: 502, json: { message: 'bad gateway' } }));
    try {
      const provider = new Kuaidi100Provider({ customer: CUSTOMER, key: KEY, endpoint: s.url });
      await expect(provider.query(parcel)).rejects.toThrow(/502/);
      await expect(provider.query({ ...parcel, carrier: '村口王师傅' })).resolves.toMatchObject({ kind: 'unknown' });
      expect(s.received).toHaveLength(1);
    } finally {
      await s.close();
    }
    const gone = new Kuaidi100Provider({
      customer: CUSTOMER,
      key: KEY,
      endpoint: 'http://127.0.0.1:9/',
      timeoutMs: 2000,
    });
    await expect(gone.query(parcel)).rejects.toThrow(LogisticsQueryError);
  });

  it('steps without words take their state from the code, or from their place in the journey', async () => {
    expect(kuaidi100Status(undefined, '101')).toBe('collected');
    expect(kuaidi100Status(undefined, '501')).toBe('delivering');
    expect(kuaidi100Status(undefined, '14')).toBe('problem');
    expect(kuaidi100Status('拒签', '3')).toBe('problem');
    expect(kuaidi100Status(undefined, undefined)).toBeNull();
    const s = await standIn(() => ({
      status: 200,
      json: {
        message: 'ok',
        state: '5',
        data: [
          { time: '2026-12-07 08:30', context: 'c' },
          { time: '2026-12-06 20:12:00', context: 'b' },
          { time: '2026-12-05 10:15:00', context: 'a' },
          { time: 'not a time', context: 'dropped' },
        ],
      },
    }));
    try {
      const provider = new Kuaidi100Provider({ customer: CUSTOMER, key: KEY, endpoint: s.url });
      const answer = await provider.query(parcel);
      expect(answer.kind === 'events' && answer.events.map((e) => [e.text, e.status])).toEqual([
        ['a', 'collected'],
        ['b', 'in_transit'],
        ['c', 'delivering'],
      ]);
    } finally {
      await s.close();
    }
  });

  it('knows the carriers cooperatives type', () => {
    expect(kuaidi100Code('顺丰速运')).toBe('shunfeng');
    expect(kuaidi100Code('中通快递')).toBe('zhongtong');
    expect(kuaidi100Code('EMS')).toBe('ems');
    expect(kuaidi100Code('邮政快递包裹')).toBe('youzhengguonei');
    expect(kuaidi100Code('极兔速递')).toBe('jtexpress');
    expect(kuaidi100Code('村口王师傅')).toBeNull();
  });
});
