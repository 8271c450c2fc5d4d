/**
 * Pasted lines or a CSV of member households, as a cooperative has them in a spreadsheet: an ID number first, then
 * optionally share units and land in mu (separated by a comma, a Chinese comma, a tab, a semicolon or spaces).
 * Blank lines are passed over; a header (a first cell without a digit) is skipped and counted. Values are parsed, not trusted: a share
 * count that is not a whole number or land that is not a number with at most two decimals makes the line invalid.
 */
export interface MemberLine {
  /** 1-based line number in the text. */
  line: number;
  idNumber: string;
  shareUnits: number;
  landMuHundredths: number;
  /** The shares or land column could not be read. */
  invalidValues: boolean;
}

export function parseMemberLines(text: string): { lines: MemberLine[]; skipped: number } {
  const lines: MemberLine[] = [];
  let skipped = 0;
  const all = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  all.forEach((raw, i) => {
    const cells = raw
      .split(/[,，\t;；]|\s{1,}/)
      .map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
      .filter((c) => c !== '');
    if (!cells.length) return; // a blank line
    if (!/\d/.test(cells[0])) {
      skipped++;
      return;
    }
    const [idNumber, shares, land] = cells;
    const shareUnits = shares === undefined ? 0 : /^\d{1,7}$/.test(shares) ? Number(shares) : NaN;
    const landMuHundredths =
      land === undefined ? 0 : /^\d{1,6}(\.\d{1,2})?$/.test(land) ? Math.round(Number(land) * 100) : NaN;
    lines.push({
      line: i + 1,
      idNumber,
      shareUnits: Number.isNaN(shareUnits) ? 0 : shareUnits,
      landMuHundredths: Number.isNaN(landMuHundredths) ? 0 : landMuHundredths,
      invalidValues: Number.isNaN(shareUnits) || Number.isNaN(landMuHundredths),
    });
  });
  return { lines, skipped };
}
