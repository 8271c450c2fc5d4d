import { createHash, createHmac } from 'node:crypto';
import { SmsCodeMessage, SmsProvider, SmsSendError, SmsSendResult } from './sms-provider';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
  region: string;
  /** Default https://sms.tencentcloudapi.com/ (tests point it at a local stand-in). */
  endpoint?: string;
  timeoutMs?: number;
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/**
 * Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 over a JSON POST with the signed headers content-type;host.
 * https://www.tencentcloud.com/document/api/382/40686 (its CVM example is the unit test's vector).
 */
export function tc3Sign(o: {
  secretKey: string;
  service: string;
  host: string;
  timestamp: number;
  payload: string;
  contentType?: string;
}): { signature: string; credentialScope: string; signedHeaders: string } {
  const contentType = o.contentType ?? 'application/json; charset=utf-8';
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${contentType}\nhost:${o.host}\n`,
    signedHeaders,
    sha256Hex(o.payload),
  ].join('\n');
  const credentialScope = `${date}/${o.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(o.timestamp), credentialScope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const secretSigning = hmac(hmac(hmac(`TC3${o.secretKey}`, date), o.service), 'tc3_request');
  return { signature: hmac(secretSigning, stringToSign).toString('hex'), credentialScope, signedHeaders };
}

/** Tencent Cloud SMS (SendSms, 2021-01-11). */
export class TencentSmsProvider implements SmsProvider {
  readonly name = 'tencent' as const;
  constructor(
    private readonly o: TencentSmsOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sendCode(m: SmsCodeMessage): Promise<SmsSendResult> {
    const url = new URL(this.o.endpoint ?? 'https://sms.tencentcloudapi.com/');
    const payload = JSON.stringify({
      PhoneNumberSet: [`+86${m.to}`],
      SmsSdkAppId: this.o.sdkAppId,
      SignName: this.o.signName,
      TemplateId: this.o.templateId,
      TemplateParamSet: [m.code, m.params.amount, m.params.coop, m.params.link],
      SessionContext: m.key,
    });
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const contentType = 'application/json; charset=utf-8';
    const s = tc3Sign({ secretKey: this.o.secretKey, service: 'sms', host: url.host, timestamp, payload, contentType });
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `TC3-HMAC-SHA256 Credential=${this.o.secretId}/${s.credentialScope}, SignedHeaders=${s.signedHeaders}, Signature=${s.signature}`,
          'Content-Type': contentType,
          Host: url.host,
          'X-TC-Action': 'SendSms',
          'X-TC-Version': '2021-01-11',
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': this.o.region,
        },
        body: payload,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new SmsSendError('tencent', 'NETWORK', (e as Error).message, true);
    }
    const text = await res.text();
    type Reply = {
      Response?: {
        Error?: { Code: string; Message: string };
        SendStatusSet?: { SerialNo: string; Code: string; Message: string }[];
      };
    };
    let json: Reply;
    try {
      json = JSON.parse(text) as Reply;
    } catch {
      throw new SmsSendError('tencent', `HTTP_${res.status}`, text.slice(0, 200), res.status >= 500);
    }
    const err = json.Response?.Error;
    if (err) {
      const retryable = /InternalError|RequestLimitExceeded|ServiceUnavailable/.test(err.Code);
      throw new SmsSendError('tencent', err.Code, err.Message, retryable);
    }
    const status = json.Response?.SendStatusSet?.[0];
    if (!status || status.Code !== 'Ok') {
      const code = status?.Code ?? `HTTP_${res.status}`;
      throw new SmsSendError('tencent', code, status?.Message ?? 'no send status', /LimitExceeded/.test(code));
    }
    return { provider: 'tencent', messageId: status.SerialNo };
  }
}
