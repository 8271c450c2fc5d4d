import { createHash, createHmac } from 'node:crypto';
import { SmsSendError } from './sms-provider';
import { standIn } from './sms-stand-in.testing';
import { tc3Sign, TencentSmsProvider } from './tencent-sms.provider';

const SECRET_ID = 'AKIDstandin';
const SECRET_KEY = 'stand-in-secret-key';

/**
 * The stand-in's own check of a TC3-HMAC-SHA256 request, from Tencent Cloud's published steps (not the adapter's
 * code): canonical request over content-type and host, string to sign with the UTC date scope, derived key.
 */
function verify(r: { headers: Record<string, string | string[] | undefined>; body: string }): string | null {
  const auth = String(r.headers['authorization'] ?? '');
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return 'AuthFailure.InvalidAuthorization';
  if (m[1] !== SECRET_ID) return 'AuthFailure.SecretIdNotFound';
  const ts = Number(r.headers['x-tc-timestamp']);
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  if (date !== m[2]) return 'AuthFailure.SignatureFailure';
  const h = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = `POST\n/\n\ncontent-type:${r.headers['content-type']}\nhost:${r.headers['host']}\n\ncontent-type;host\n${h(r.body)}`;
  const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/sms/tc3_request\n${h(canonical)}`;
  let k: Buffer = createHmac('sha256', `TC3${SECRET_KEY}`).update(date).digest();
  k = createHmac('sha256', k).update('sms').digest();
  k = createHmac('sha256', k).update('tc3_request').digest();
  return createHmac('sha256', k).update(toSign).digest('hex') === m[3] ? null : 'AuthFailure.SignatureFailure';
}

const message = {
  to: '13812341234',
  code: '042917',
  params: { amount: '50.00', coop: '金米村木耳合作社', link: 'https://xiangbo.example/h/abc' },
  key: 'payout-confirm:7d3c1f4e-0000-4000-8000-000000000001',
};

describe('Tencent Cloud SMS adapter', () => {
  it("signs exactly like Tencent Cloud's published CVM example", () => {
    const s = tc3Sign({
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1551113065,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(s.credentialScope).toBe('2019-02-25/cvm/tc3_request');
    expect(s.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
  });

  it('sends SendSms to the stand-in, signed, with the +86 number, template parameters and the key as SessionContext', async () => {
    const s = await standIn((r) => {
      const problem = verify(r);
      if (problem)
        return { status: 200, json: { Response: { Error: { Code: problem, Message: 'no' }, RequestId: 'r' } } };
      return {
        status: 200,
        json: {
          Response: {
            SendStatusSet: [
              { SerialNo: 'serial-1', PhoneNumber: '+8613812341234', Code: 'Ok', Message: 'send success' },
            ],
            RequestId: 'r',
          },
        },
      };
    });
    try {
      const sms = new TencentSmsProvider(
        {
          secretId: SECRET_ID,
          secretKey: SECRET_KEY,
          sdkAppId: '1400000000',
          signName: '乡播',
          templateId: '449739',
          region: 'ap-guangzhou',
          endpoint: s.url,
        },
        () => new Date('2026-12-07T23:59:59Z'),
      );
      await expect(sms.sendCode(message)).resolves.toEqual({ provider: 'tencent', messageId: 'serial-1' });
      const r = s.received[0];
      expect(r.headers['x-tc-action']).toBe('SendSms');
      expect(r.headers['x-tc-version']).toBe('2021-01-11');
      expect(r.headers['x-tc-region']).toBe('ap-guangzhou');
      expect(r.headers['x-tc-timestamp']).toBe(String(Date.parse('2026-12-07T23:59:59Z') / 1000));
      expect(JSON.parse(r.body)).toEqual({
        PhoneNumberSet: ['+8613812341234'],
        SmsSdkAppId: '1400000000',
        SignName: '乡播',
        TemplateId: '449739',
        TemplateParamSet: ['042917', '50.00', '金米村木耳合作社', 'https://xiangbo.example/h/abc'],
        SessionContext: message.key,
      });
    } finally {
      await s.close();
    }
  });

  it('a wrong key is refused by the stand-in (not retryable); a per-number refusal names its code', async () => {
    const s = await standIn((r) => {
      const problem = verify(r);
      if (problem) return { status: 200, json: { Response: { Error: { Code: problem, Message: 'no' } } } };
      return {
        status: 200,
        json: {
          Response: {
            SendStatusSet: [{ SerialNo: '', Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'bad' }],
          },
        },
      };
    });
    try {
      const base = {
        secretId: SECRET_ID,
        sdkAppId: '1',
        signName: '乡播',
        templateId: '1',
        region: 'ap-guangzhou',
        endpoint: s.url,
      };
      const wrong = await new TencentSmsProvider({ ...base, secretKey: 'wrong' })
        .sendCode(message)
        .catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(SmsSendError);
      expect(wrong).toMatchObject({ providerCode: 'AuthFailure.SignatureFailure', retryable: false });
      await expect(new TencentSmsProvider({ ...base, secretKey: SECRET_KEY }).sendCode(message)).rejects.toMatchObject({
        providerCode: 'InvalidParameterValue.IncorrectPhoneNumber',
        retryable: false,
      });
    } finally {
      await s.close();
    }
  });
});
