import { parseMemberLines } from './member-lines';

describe('parseMemberLines', () => {
  it('reads a spreadsheet paste: header skipped, tabs, commas, Chinese commas and spaces, optional columns', () => {
    const text = [
      '身份证号\t份额\t土地(亩)',
      '110101199003074514\t10\t2.5',
      '11010119900307451X, 3',
      '110101199003076036，0，1.25',
      '',
      '  110101199003071512  ',
      '"110101199003079312";5;0.5',
    ].join('\r\n');
    const { lines, skipped } = parseMemberLines(`\uFEFF${text}`);
    expect(skipped).toBe(1);
    expect(lines).toEqual([
      { line: 2, idNumber: '110101199003074514', shareUnits: 10, landMuHundredths: 250, invalidValues: false },
      { line: 3, idNumber: '11010119900307451X', shareUnits: 3, landMuHundredths: 0, invalidValues: false },
      { line: 4, idNumber: '110101199003076036', shareUnits: 0, landMuHundredths: 125, invalidValues: false },
      { line: 6, idNumber: '110101199003071512', shareUnits: 0, landMuHundredths: 0, invalidValues: false },
      { line: 7, idNumber: '110101199003079312', shareUnits: 5, landMuHundredths: 50, invalidValues: false },
    ]);
  });

  it('marks shares or land it cannot read instead of guessing', () => {
    const { lines } = parseMemberLines('110101199003074514,2.5\n110101199003074514,1,1.234\n110101199003074514,-1');
    expect(lines.map((l) => l.invalidValues)).toEqual([true, true, true]);
  });
});
