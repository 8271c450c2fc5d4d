import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import zh from './locales/zh-CN.json';
import { plainBreak } from './break-messages';

/** The committed test vectors (docs/ledger-vectors): every break the verifier reports there, with its message. */
const vectors = JSON.parse(
  readFileSync(resolve(__dirname, '../../../../../docs/ledger-vectors/expected.json'), 'utf8'),
) as { file: string; breaks: { line: number; message: string }[] }[];

const at = (message: string) => ({ line: 1, message }) as Parameters<typeof plainBreak>[0];

describe('a break in plain Chinese on /verify', () => {
  it('has its own words for every break of the committed test vectors (none falls back to “other”)', () => {
    const breaks = vectors.flatMap((v) => v.breaks.map((b) => ({ file: v.file, ...b })));
    expect(breaks.length).toBeGreaterThan(5);
    for (const b of breaks) {
      const { key } = plainBreak(at(b.message));
      expect({ file: b.file, key }).not.toEqual({ file: b.file, key: 'other' });
      expect(zh.breaks[key]).toBeTruthy();
    }
  });

  it('words the refunded-order fee and the payout reference, with the amounts', () => {
    expect(
      plainBreak(
        at('the fee of order o-4 booked as refunded before settlement, but only ¥10.00 of ¥30.00 was refunded'),
      ),
    ).toEqual({ key: 'refundFeeNotRefunded', values: { a: '¥10.00', b: '¥30.00' } });
    expect(
      plainBreak(
        at(
          'the fee of order o-4 booked as refunded before settlement, but it was settled (#7): the settlement carries its fee',
        ),
      ).key,
    ).toBe('refundFeeSettled');
    expect(plainBreak(at('the fee of order o-4 (¥40.00) is above what was paid (¥30.00)')).key).toBe(
      'refundFeeAbovePaid',
    );
    expect(
      plainBreak(
        at("a payout's paymentReference, when present, is the reference typed in: a text of 1 to 100 characters"),
      ).key,
    ).toBe('paymentReference');
    expect(plainBreak(at('something nobody foresaw')).key).toBe('other');
  });

  it('words the dividend inputs and registry statuses (issue 16), with the household and the amount', () => {
    expect(
      plainBreak(
        at(
          'dividend split does not follow its inputs: household a1111111-0000-4000-8000-000000000001 receives 449 fen, share units × weight of policy v1 give 439',
        ),
      ),
    ).toEqual({ key: 'dividendSplit', values: { a: 'a1111111-0000-4000-8000-000000000001', b: '449' } });
    expect(plainBreak(at('household h1 is twice in reference.members')).key).toBe('dividendInputs');
    expect(plainBreak(at("member h1's shareUnits must be a whole number, 0 or more")).key).toBe('dividendInputs');
    expect(plainBreak(at('dividend names policy version 7, which is not in the export')).key).toBe('dividendInputs');
    expect(plainBreak(at('it credits household h2, whose registry status reference.statuses does not give')).key).toBe(
      'registryStatus',
    );
    for (const key of ['dividendSplit', 'dividendInputs', 'registryStatus'] as const)
      expect(zh.breaks[key]).toBeTruthy();
  });
});
