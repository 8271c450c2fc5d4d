/**
 * Sending a one-time code to a phone. One interface, three adapters: Aliyun SMS, Tencent Cloud SMS and, outside
 * production, a log sink. `key` makes a send idempotent: the outbox sends a key at most once per successful
 * attempt, the adapters pass it to the provider (Aliyun OutId, Tencent SessionContext) and the log sink keeps
 * one message per key.
 */
export interface SmsCodeMessage {
  /** 11-digit mainland mobile number. */
  to: string;
  /** The one-time code. */
  code: string;
  /** Template parameters besides the code: amount (yuan), coop (name), link (the household's page). */
  params: { amount: string; coop: string; link: string };
  /** Idempotency key, e.g. `payout-confirm:<payout id>`. */
  key: string;
}

export interface SmsSendResult {
  provider: SmsProviderName;
  /** The provider's id for the message (Aliyun BizId, Tencent SerialNo, the sink's own). */
  messageId: string;
}

export type SmsProviderName = 'log' | 'aliyun' | 'tencent';

export interface SmsProvider {
  readonly name: SmsProviderName;
  sendCode(message: SmsCodeMessage): Promise<SmsSendResult>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

/** A send the provider refused or that did not reach it; `retryable` says whether trying again can help. */
export class SmsSendError extends Error {
  constructor(
    readonly provider: SmsProviderName,
    readonly providerCode: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(`${provider}: ${providerCode}: ${message}`);
    this.name = 'SmsSendError';
  }
}

/** The text the log sink writes and the templates registered with the providers say (zh-CN). */
export function smsText(m: SmsCodeMessage): string {
  return `【乡播】${m.params.coop}已向您兑付${m.params.amount}元。确认收到请打开 ${m.params.link} 输入验证码 ${m.code}。未收到请勿确认，勿把验证码告诉任何人（包括合作社）。`;
}
