import fc from 'fast-check';
import {
  generateUscc,
  isValidUscc,
  normaliseUscc,
  organisationCodeCheckChar,
  USCC_ALPHABET,
  usccCheckChar,
} from './uscc';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts codes of real, publicly registered organisations', () => {
    // Published on business licences and company websites.
    for (const code of ['91350100M000100Y43', '9144030071526726XG', '91330100716105852F']) {
      expect(normaliseUscc(code)).toEqual({ ok: true, value: code });
    }
  });

  it('normalises spaces and lower case before checking', () => {
    expect(normaliseUscc(' 9144 0300 7152 6726 xg ')).toEqual({ ok: true, value: '9144030071526726XG' });
  });

  it('says "format" for the wrong length, forbidden letters (I O S V Z) or letters in the area code', () => {
    expect(normaliseUscc('')).toEqual({ ok: false, reason: 'format' });
    expect(normaliseUscc('9144030071526726X')).toEqual({ ok: false, reason: 'format' });
    expect(normaliseUscc('9144030071526726XGG')).toEqual({ ok: false, reason: 'format' });
    expect(normaliseUscc('91440300715267260I')).toEqual({ ok: false, reason: 'format' });
    expect(normaliseUscc('91440300715267260O')).toEqual({ ok: false, reason: 'format' });
    expect(normaliseUscc('9144A30071526726XG')).toEqual({ ok: false, reason: 'format' });
  });

  it('says "checksum" when one character is mistyped', () => {
    expect(normaliseUscc('9144030071526726XH')).toEqual({ ok: false, reason: 'checksum' });
    expect(normaliseUscc('9144030071526727XG')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('generates valid farmers-cooperative codes, the same for the same seed', () => {
    const a = generateUscc(42, { division: '611022' });
    expect(a).toMatch(/^93611022/);
    expect(isValidUscc(a)).toBe(true);
    expect(generateUscc(42, { division: '611022' })).toBe(a);
    expect(generateUscc(43, { division: '611022' })).not.toBe(a);
    // The embedded organisation code carries its own GB 11714 check character.
    expect(organisationCodeCheckChar(a.slice(8, 16))).toBe(a[16]);
  });

  it('every generated code is valid (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.stringMatching(/^\d{6}$/), (seed, division) =>
        isValidUscc(generateUscc(seed, { division })),
      ),
    );
  });

  it('catches every single-character substitution (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 30 }),
        (seed, position, shift) => {
          const code = generateUscc(seed);
          const old = code[position];
          // Stay inside the characters the position allows, so only the checksum can object.
          const replacement =
            position >= 2 && position <= 7
              ? String((Number(old) + (shift % 9) + 1) % 10)
              : USCC_ALPHABET[(USCC_ALPHABET.indexOf(old) + shift) % 31];
          const changed = code.slice(0, position) + replacement + code.slice(position + 1);
          return normaliseUscc(changed).ok === false;
        },
      ),
    );
  });

  it('refuses to compute a check character over characters outside the alphabet', () => {
    expect(() => usccCheckChar('9144030071526726I')).toThrow(RangeError);
  });
});
