/** The room's refusal codes (LiveErrorCode) as translation keys; anything unknown reads as INTERNAL. */
const REFUSALS = [
  'SOLD_OUT',
  'CAP_REACHED',
  'DEAL_CLOSED',
  'NO_ADDRESS',
  'NOT_SIGNED_IN',
  'NOT_JOINED',
  'NOT_FOUND',
  'FORBIDDEN',
  'INVALID',
  'RATE_LIMITED',
  'SLOW_MODE',
  'MUTED',
  'BANNED',
  'SHOW_NOT_LIVE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type RefusalCode = (typeof REFUSALS)[number];
export const refusalCode = (code: string): RefusalCode =>
  (REFUSALS as readonly string[]).includes(code) ? (code as RefusalCode) : 'INTERNAL';
