import { idNumberCheckChar, maskIdNumber, maskName, maskPhone, normaliseIdNumber } from './privacy';

describe('privacy', () => {
  it('masks names the way Chinese public notices do', () => {
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('李梅')).toBe('李*');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('王')).toBe('*');
  });

  it('masks phone numbers to the first three and last four digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
    expect(maskPhone('1234')).toBe('****');
  });

  it('masks ID numbers to the first and last four', () => {
    expect(maskIdNumber('610102199001011234')).toBe('6101**********1234');
  });

  it('validates resident ID numbers (format, birth date, checksum)', () => {
    const first17 = '61010219900101123';
    const valid = first17 + idNumberCheckChar(first17);
    expect(normaliseIdNumber(` ${valid.toLowerCase()} `)).toEqual({ ok: true, value: valid });
    const wrongCheck = first17 + (idNumberCheckChar(first17) === '0' ? '1' : '0');
    expect(normaliseIdNumber(wrongCheck)).toEqual({ ok: false, reason: 'checksum' });
    expect(normaliseIdNumber('61010219901301123X')).toEqual({ ok: false, reason: 'birth_date' });
    expect(normaliseIdNumber('1234')).toEqual({ ok: false, reason: 'format' });
  });
});
