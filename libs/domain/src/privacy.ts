/**
 * Personal data shown to the public, buyers or anyone without a need to know is masked here, in one place.
 * Names: 王明 → 王*, 王小明 → 王*明, 欧阳小明 → 欧**明. ID numbers: 610102199001011234 → 6101**********1234.
 * Phones: 13812341234 → 138****1234.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export function maskIdNumber(id: string): string {
  const s = id.trim().toUpperCase();
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/** Phone numbers keep the first three and last four digits: 13812341234 → 138****1234. */
export function maskPhone(phone: string): string {
  const s = phone.replace(/\D/g, '');
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}${'*'.repeat(s.length - 7)}${s.slice(-4)}`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Normalises (trim, upper-case X) and validates an 18-digit resident ID number (GB 11643-1999 checksum and birth date). */
export function normaliseIdNumber(
  raw: string,
): { ok: true; value: string } | { ok: false; reason: 'format' | 'birth_date' | 'checksum' } {
  const s = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, reason: 'format' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getTime() > Date.now()
  ) {
    return { ok: false, reason: 'birth_date' };
  }
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  if (ID_CHECK[sum % 11] !== s[17]) return { ok: false, reason: 'checksum' };
  return { ok: true, value: s };
}

/** Computes the check character for the first 17 digits (for generating valid test and demo numbers). */
export function idNumberCheckChar(first17: string): string {
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return ID_CHECK[sum % 11];
}
