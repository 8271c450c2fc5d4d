import { describe, expect, it } from 'vitest';

/**
 * Every refusal code the API can answer has a Chinese sentence in the storefront (the app-wide `errors` or a
 * feature's own), read from the API's exception sources: a code added without one would reach a Chinese screen as
 * the server's English sentence or a generic apology.
 */
const exceptionSources = import.meta.glob('../../../api/src/**/*.exception.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;
const locales = import.meta.glob('../**/zh-CN.json', { import: 'default', eager: true }) as Record<string, unknown>;

/** Codes no person is shown: machine-to-machine (webhooks, token refresh, the test SMS sink). */
const MACHINE_ONLY = new Set([
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_REUSED',
  'SMS_SINK_OFF',
  'WEBHOOK_PAYLOAD_INVALID',
  'WEBHOOK_SIGNATURE_INVALID',
  'WEBHOOK_SIGNATURE_MISSING',
  'WEBHOOK_STALE',
  'WEBHOOK_TIMESTAMP_IN_FUTURE',
]);

const codes = [
  ...new Set(
    Object.values(exceptionSources).flatMap((text) =>
      [...text.matchAll(/^\s+[A-Z][A-Z_]+ = '([A-Z][A-Z_]+)',?$/gm)].map((m) => m[1]),
    ),
  ),
].sort();

function keysOf(value: unknown, into: Set<string>): Set<string> {
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && /[\u4e00-\u9fff]/.test(v)) into.add(k);
      keysOf(v, into);
    }
  return into;
}

describe('API refusal codes on a Chinese screen', () => {
  it('reads the API’s codes (the scan itself works)', () => {
    expect(codes).toEqual(expect.arrayContaining(['SOLD_OUT', 'INVALID_CREDENTIALS', 'SHOW_NOT_FOUND']));
    expect(codes.length).toBeGreaterThan(100);
  });

  it('has a Chinese sentence for every code a person can meet', () => {
    const translated = new Set<string>();
    for (const json of Object.values(locales)) keysOf(json, translated);
    expect(codes.filter((c) => !MACHINE_ONLY.has(c) && !translated.has(c))).toEqual([]);
  });
});
