import { AppException } from '../common/app.exception';

export enum SmsErrorCode {
  /** The SMS stand-in's messages are readable only when the stand-in is the provider (never in production). */
  SMS_SINK_OFF = 'SMS_SINK_OFF',
}

const STATUS: Record<SmsErrorCode, number> = { SMS_SINK_OFF: 404 };

export class SmsException extends AppException {
  constructor(code: SmsErrorCode, message: string) {
    super(code, STATUS[code], message);
  }
}
