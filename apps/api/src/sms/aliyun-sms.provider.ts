import { createHmac, randomUUID } from 'node:crypto';
import { SmsCodeMessage, SmsProvider, SmsSendError, SmsSendResult } from './sms-provider';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** Default https://dysmsapi.aliyuncs.com/ (tests point it at a local stand-in). */
  endpoint?: string;
  timeoutMs?: number;
}

/** RFC 3986 percent-encoding as Aliyun's RPC signature wants it (encodeURIComponent leaves !'()* alone). */
export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Aliyun RPC signature v1 (HMAC-SHA1): StringToSign = METHOD & %2F & encode(sorted, encoded query); key = secret + '&'.
 * https://help.aliyun.com/document_detail/315526.html (the DescribeRegions example is the unit test's vector).
 */
export function aliyunSignRpc(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Aliyun SMS (dysmsapi 2017-05-25, SendSms), signed RPC over HTTPS POST. */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun' as const;
  constructor(
    private readonly o: AliyunSmsOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sendCode(m: SmsCodeMessage): Promise<SmsSendResult> {
    const params: Record<string, string> = {
      AccessKeyId: this.o.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      PhoneNumbers: m.to,
      SignName: this.o.signName,
      TemplateCode: this.o.templateCode,
      TemplateParam: JSON.stringify({
        code: m.code,
        amount: m.params.amount,
        coop: m.params.coop,
        link: m.params.link,
      }),
      OutId: m.key,
    };
    params['Signature'] = aliyunSignRpc('POST', params, this.o.accessKeySecret);
    const body = Object.entries(params)
      .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
      .join('&');
    let res: Response;
    try {
      res = await fetch(this.o.endpoint ?? 'https://dysmsapi.aliyuncs.com/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new SmsSendError('aliyun', 'NETWORK', (e as Error).message, true);
    }
    const text = await res.text();
    let json: { Code?: string; Message?: string; BizId?: string } = {};
    try {
      json = JSON.parse(text);
    } catch {
      throw new SmsSendError('aliyun', `HTTP_${res.status}`, text.slice(0, 200), res.status >= 500);
    }
    if (json.Code !== 'OK') {
      const code = json.Code ?? `HTTP_${res.status}`;
      // Throttling and server faults can pass; a bad signature, template or number will not.
      const retryable = res.status >= 500 || /Throttling|ServiceUnavailable|InternalError/.test(code);
      throw new SmsSendError('aliyun', code, json.Message ?? '', retryable);
    }
    return { provider: 'aliyun', messageId: json.BizId ?? '' };
  }
}
