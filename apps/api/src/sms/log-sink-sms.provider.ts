import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { maskPhone } from '@xiangbo/domain';
import { SmsCodeMessage, SmsProvider, SmsSendResult, smsText } from './sms-provider';

export interface SinkMessage {
  id: string;
  key: string;
  to: string;
  code: string;
  text: string;
  at: string;
}

/**
 * The stand-in outside production (refused there by the config): writes each message to the log and keeps it in
 * memory, one per idempotency key, where tests (and a platform admin of a demo, GET /api/admin/sms-sink) read it.
 */
export class LogSinkSmsProvider implements SmsProvider {
  readonly name = 'log' as const;
  private readonly logger = new Logger('SmsLogSink');
  private readonly messages: SinkMessage[] = [];

  async sendCode(m: SmsCodeMessage): Promise<SmsSendResult> {
    const existing = this.messages.find((x) => x.key === m.key);
    if (existing) return { provider: 'log', messageId: existing.id };
    const msg: SinkMessage = {
      id: `log-${randomUUID()}`,
      key: m.key,
      to: m.to,
      code: m.code,
      text: smsText(m),
      at: new Date().toISOString(),
    };
    this.messages.push(msg);
    if (this.messages.length > 1000) this.messages.shift();
    this.logger.log({ to: maskPhone(m.to), key: m.key }, `SMS (log stand-in, not sent) to ${m.to}: ${msg.text}`);
    return { provider: 'log', messageId: msg.id };
  }

  /** Newest first; optionally only those to one number. */
  list(to?: string): SinkMessage[] {
    return this.messages.filter((x) => !to || x.to === to).reverse();
  }

  /** The last message sent to a number (tests). */
  lastTo(to: string): SinkMessage | undefined {
    return this.list(to)[0];
  }
}
