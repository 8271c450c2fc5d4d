import type { FieldError } from '@xiangbo/contracts';
import { AppException } from '../common/app.exception';

export enum MessagesErrorCode {
  /** Not the caller's conversation (another buyer's, another cooperative's), or none: indistinguishable on purpose. */
  CONVERSATION_NOT_FOUND = 'CONVERSATION_NOT_FOUND',
  /** The product, order or cooperative asked about is not there (or the order is another buyer's). */
  CONVERSATION_SUBJECT_NOT_FOUND = 'CONVERSATION_SUBJECT_NOT_FOUND',
  /** A cooperative's own staff do not open a buyer conversation with it. */
  CONVERSATION_OWN_COOPERATIVE = 'CONVERSATION_OWN_COOPERATIVE',
  MESSAGE_RATE_LIMITED = 'MESSAGE_RATE_LIMITED',
  /** The socket handshake carried no valid access token. */
  MESSAGES_NOT_SIGNED_IN = 'MESSAGES_NOT_SIGNED_IN',
}

const STATUS: Record<MessagesErrorCode, number> = {
  CONVERSATION_NOT_FOUND: 404,
  CONVERSATION_SUBJECT_NOT_FOUND: 404,
  CONVERSATION_OWN_COOPERATIVE: 400,
  MESSAGE_RATE_LIMITED: 429,
  MESSAGES_NOT_SIGNED_IN: 401,
};

export class MessagesException extends AppException {
  constructor(
    code: MessagesErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    errors?: FieldError[],
  ) {
    super(
      code,
      STATUS[code],
      message,
      errors,
      retryAfterMs ? { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) } : undefined,
    );
  }
}
