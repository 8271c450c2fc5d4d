/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters.
 *
 *   position 1     registration authority (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他 …)
 *   position 2     organisation type (with authority 9: 1 企业, 2 个体工商户, 3 农民专业合作社)
 *   positions 3–8  administrative division code (6 digits)
 *   positions 9–17 organisation code (GB 11714)
 *   position 18    check character over the first 17, modulo 31
 *
 * The alphabet is the digits and the capital letters without I, O, Z, S and V (31 characters).
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** Registration authority 9 (market regulation) + type 3: a farmers' specialised cooperative (农民专业合作社). */
export const USCC_FARMERS_COOPERATIVE_PREFIX = '93';

export type UsccProblem = 'format' | 'checksum';

/** The check character for the first 17 characters (which must already be in the alphabet). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new RangeError(`"${first17[i]}" is not a USCC character`);
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Normalises (trim, upper case, inner spaces removed) and validates format and checksum. */
export function normaliseUscc(raw: string): { ok: true; value: string } | { ok: false; reason: UsccProblem } {
  const s = raw.replace(/\s+/g, '').toUpperCase();
  if (!USCC_PATTERN.test(s)) return { ok: false, reason: 'format' };
  if (usccCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'checksum' };
  return { ok: true, value: s };
}

export function isValidUscc(raw: string): boolean {
  return normaliseUscc(raw).ok;
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_BODY = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // characters allowed in a generated organisation code body

/** The GB 11714 check character of an 8-character organisation code body (digits and capitals). */
export function organisationCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i];
    const value = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A = 10 … Z = 35
    sum += value * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * A valid, made-up code for tests and demo data. `seed` makes it reproducible (same seed, same code);
 * `prefix` is the authority + type (default: a farmers' cooperative), `division` a 6-digit area code.
 */
export function generateUscc(
  seed: number,
  { prefix = USCC_FARMERS_COOPERATIVE_PREFIX, division = '610000' }: { prefix?: string; division?: string } = {},
): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}$/.test(prefix)) throw new RangeError('prefix must be two USCC characters');
  if (!/^\d{6}$/.test(division)) throw new RangeError('division must be 6 digits');
  // A small deterministic PRNG (mulberry32) so the same seed gives the same organisation code.
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let body = '';
  for (let i = 0; i < 8; i++) body += ORG_BODY[Math.floor(next() * ORG_BODY.length)];
  const first17 = prefix + division + body + organisationCodeCheckChar(body);
  return first17 + usccCheckChar(first17);
}
