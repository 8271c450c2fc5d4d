import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { CONFIRM_TOKEN_PATTERN } from '@xiangbo/contracts';

/**
 * The household's one-time confirmation secrets. The link token is 32 random bytes (base64url) of which only
 * the SHA-256 is stored; the 6-digit code is stored as an HMAC over the payout id and the code with the
 * server's personal-data key, so a copy of the database alone cannot be searched for codes.
 */
export function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashConfirmToken(token) };
}

export function hashConfirmToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isConfirmTokenShape(token: string): boolean {
  return CONFIRM_TOKEN_PATTERN.test(token);
}

export function newConfirmCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashConfirmCode(key: string, payoutId: string, code: string): string {
  return createHmac('sha256', key).update(`payout-code:${payoutId}:${code}`, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
