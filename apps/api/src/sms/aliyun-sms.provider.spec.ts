import { createHmac } from 'node:crypto';
import { AliyunSmsProvider, aliyunSignRpc } from './aliyun-sms.provider';
import { SmsSendError } from './sms-provider';
import { standIn } from './sms-stand-in.testing';

const SECRET = 'stand-in-secret';

/**
 * The stand-in's own reading of Aliyun's RPC signature rules (written from the published document, not from the
 * adapter): RFC 3986 encoding, parameters sorted by name, "POST&%2F&" + encoded query, HMAC-SHA1 with secret + "&".
 */
function expectedSignature(params: URLSearchParams): string {
  const enc = (s: string) =>
    encodeURIComponent(s)
      .replace(/!/g, '%21')
      .replace(/'/g, '%27')
      .replace(/\(/g, '%28')
      .replace(/\)/g, '%29')
      .replace(/\*/g, '%2A');
  const pairs = [...params.entries()].filter(([k]) => k !== 'Signature').sort(([a], [b]) => (a < b ? -1 : 1));
  const query = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return createHmac('sha1', `${SECRET}&`)
    .update(`POST&${enc('/')}&${enc(query)}`)
    .digest('base64');
}

const message = {
  to: '13812341234',
  code: '042917',
  params: { amount: '50.00', coop: '金米村木耳合作社', link: 'https://xiangbo.example/h/abc' },
  key: 'payout-confirm:7d3c1f4e-0000-4000-8000-000000000001',
};

describe('Aliyun SMS adapter', () => {
  it("signs exactly like Aliyun's published DescribeRegions example (GET)", () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    expect(aliyunSignRpc('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('sends SendSms to the stand-in with a valid signature, the number, template and code, and the key as OutId', async () => {
    const s = await standIn((r) => {
      const p = new URLSearchParams(r.body);
      if (p.get('Signature') !== expectedSignature(p)) {
        return { status: 400, json: { Code: 'SignatureDoesNotMatch', Message: 'bad signature' } };
      }
      return { status: 200, json: { Code: 'OK', Message: 'OK', BizId: 'biz-1', RequestId: 'r-1' } };
    });
    try {
      const sms = new AliyunSmsProvider(
        { accessKeyId: 'AKID', accessKeySecret: SECRET, signName: '乡播', templateCode: 'SMS_123', endpoint: s.url },
        () => new Date('2026-12-07T08:00:00.123Z'),
      );
      await expect(sms.sendCode(message)).resolves.toEqual({ provider: 'aliyun', messageId: 'biz-1' });
      expect(s.received).toHaveLength(1);
      const r = s.received[0];
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      const p = new URLSearchParams(r.body);
      expect(
        Object.fromEntries([...p.entries()].filter(([k]) => !['Signature', 'SignatureNonce'].includes(k))),
      ).toEqual({
        AccessKeyId: 'AKID',
        Action: 'SendSms',
        Format: 'JSON',
        RegionId: 'cn-hangzhou',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        Timestamp: '2026-12-07T08:00:00Z',
        Version: '2017-05-25',
        PhoneNumbers: '13812341234',
        SignName: '乡播',
        TemplateCode: 'SMS_123',
        TemplateParam: JSON.stringify({
          code: '042917',
          amount: '50.00',
          coop: '金米村木耳合作社',
          link: 'https://xiangbo.example/h/abc',
        }),
        OutId: message.key,
      });
      expect(p.get('SignatureNonce')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await s.close();
    }
  });

  it('a wrong secret is refused by the stand-in, and the refusal is not retryable', async () => {
    const s = await standIn((r) => {
      const p = new URLSearchParams(r.body);
      return p.get('Signature') === expectedSignature(p)
        ? { status: 200, json: { Code: 'OK', BizId: 'x' } }
        : { status: 400, json: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' } };
    });
    try {
      const sms = new AliyunSmsProvider({
        accessKeyId: 'AKID',
        accessKeySecret: 'not-the-secret',
        signName: '乡播',
        templateCode: 'SMS_123',
        endpoint: s.url,
      });
      const err = await sms.sendCode(message).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmsSendError);
      expect(err).toMatchObject({ provider: 'aliyun', providerCode: 'SignatureDoesNotMatch', retryable: false });
    } finally {
      await s.close();
    }
  });

  it('throttling is retryable; an unreachable endpoint too', async () => {
    const s = await standIn(() => ({ status: 200, json: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: 'limit' } }));
    const t = await standIn(() => ({ status: 503, json: { Code: 'ServiceUnavailable', Message: 'busy' } }));
    try {
      const opts = { accessKeyId: 'A', accessKeySecret: SECRET, signName: '乡播', templateCode: 'T' };
      await expect(new AliyunSmsProvider({ ...opts, endpoint: s.url }).sendCode(message)).rejects.toMatchObject({
        providerCode: 'isv.BUSINESS_LIMIT_CONTROL',
        retryable: false,
      });
      await expect(new AliyunSmsProvider({ ...opts, endpoint: t.url }).sendCode(message)).rejects.toMatchObject({
        retryable: true,
      });
      await expect(
        new AliyunSmsProvider({ ...opts, endpoint: 'http://127.0.0.1:1/', timeoutMs: 2000 }).sendCode(message),
      ).rejects.toMatchObject({ providerCode: 'NETWORK', retryable: true });
    } finally {
      await s.close();
      await t.close();
    }
  });
});
