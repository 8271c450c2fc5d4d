import fc from 'fast-check';
import {
  add,
  type Currency,
  fenToYuanString,
  formatMoney,
  money,
  MoneyError,
  multiply,
  parseYuan,
  subtract,
  sum,
  zero,
} from './money';

describe('Money', () => {
  it('keeps amounts as whole fen and refuses fractions', () => {
    expect(money(5900)).toEqual({ amount: 5900, currency: 'CNY' });
    expect(() => money(59.5)).toThrow(MoneyError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 2)).toThrow(MoneyError);
  });

  it('adds and subtracts exactly', () => {
    expect(add(money(10), money(20)).amount).toBe(30);
    expect(subtract(money(10), money(20)).amount).toBe(-10);
    expect(sum([money(1), money(2), money(3)]).amount).toBe(6);
  });

  it('multiplies by whole numbers only, refuses mixing currencies and results beyond safe integers', () => {
    expect(multiply(money(5900), 3)).toEqual({ amount: 17700, currency: 'CNY' });
    expect(() => multiply(money(5900), 1.5)).toThrow(/factor must be a whole number, got 1.5/);
    expect(() => multiply(money(Number.MAX_SAFE_INTEGER), 2)).toThrow(/whole number of minor units/);
    expect(() => add(money(Number.MAX_SAFE_INTEGER), money(1))).toThrow(MoneyError);
    // data from outside the type system (an export, a request) in another currency is refused, not added
    const usd = { amount: 1, currency: 'USD' as Currency };
    expect(() => add(money(1), usd)).toThrow(/cannot combine CNY with USD/);
    expect(() => subtract(usd, money(1))).toThrow(/cannot combine USD with CNY/);
    expect(zero()).toEqual({ amount: 0, currency: 'CNY' });
    expect(sum([])).toEqual({ amount: 0, currency: 'CNY' });
    const err = new MoneyError('x');
    expect(err.name).toBe('MoneyError');
    expect(err).toBeInstanceOf(Error);
  });

  it('formats fen as yuan with two decimals, without floats', () => {
    expect(fenToYuanString(5900)).toBe('59.00');
    expect(fenToYuanString(3820)).toBe('38.20');
    expect(fenToYuanString(5)).toBe('0.05');
    expect(fenToYuanString(-105)).toBe('-1.05');
    expect(formatMoney(money(123456789))).toBe('¥1,234,567.89');
    expect(formatMoney(money(-5))).toBe('-¥0.05');
    expect(formatMoney(money(123456789), 'en')).toBe('¥1,234,567.89');
    expect(formatMoney(money(-100000))).toBe('-¥1,000.00');
    expect(formatMoney(money(0))).toBe('¥0.00'); // never "-¥0.00"
    expect(() => money(0.5)).toThrow('amount must be a whole number of minor units (fen), got 0.5');
    expect(formatMoney({ amount: 100, currency: 'USD' as Currency })).toBe('USD 1.00');
    // Chinese and English are grouped by hand: the same as Intl's, for every number of digits.
    for (const locale of ['zh-CN', 'en', 'en-US']) {
      for (const yuan of [0, 7, 42, 999, 1000, 12345, 999999, 1000000, 98765432, 123456789012]) {
        const intl = yuan.toLocaleString(locale === 'en' ? 'en-US' : locale, { useGrouping: true });
        expect(formatMoney(money(yuan * 100 + 7), locale)).toBe(`¥${intl}.07`);
      }
    }
    expect(formatMoney(money(123456789), 'de-DE')).toBe('¥1.234.567.89'); // other locales: Intl's grouping
    expect(fenToYuanString(0)).toBe('0.00');
    expect(fenToYuanString(-5)).toBe('-0.05');
    expect(fenToYuanString(100)).toBe('1.00');
    expect(() => fenToYuanString(0.5)).toThrow(MoneyError);
  });

  it('parses what a person types and round-trips', () => {
    expect(parseYuan('59')).toBe(5900);
    expect(parseYuan('38.2')).toBe(3820);
    expect(parseYuan('0.05')).toBe(5);
    expect(parseYuan('1.005')).toBeNull();
    expect(parseYuan('-1')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
    expect(parseYuan(' 59.5 ')).toBe(5950); // spaces around, as typed
    expect(parseYuan('59.')).toBeNull();
    expect(parseYuan('.5')).toBeNull();
    expect(parseYuan('5 9')).toBeNull();
    expect(parseYuan('x59')).toBeNull();
    expect(parseYuan('59x')).toBeNull();
    expect(parseYuan('')).toBeNull();
    expect(parseYuan('9999999999999.99')).toBe(999999999999999); // 13 digits of yuan
    expect(parseYuan('10000000000000')).toBeNull(); // 14 digits
    expect(parseYuan('007')).toBe(700);
    fc.assert(fc.property(fc.nat({ max: 1e12 }), (fen) => expect(parseYuan(fenToYuanString(fen))).toBe(fen)));
  });
});
