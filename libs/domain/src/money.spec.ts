import fc from 'fast-check';
import { add, fenToYuanString, formatMoney, money, MoneyError, parseYuan, subtract, sum } from './money';

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

  it('formats fen as yuan with two decimals, without floats', () => {
    expect(fenToYuanString(5900)).toBe('59.00');
    expect(fenToYuanString(3820)).toBe('38.20');
    expect(fenToYuanString(5)).toBe('0.05');
    expect(fenToYuanString(-105)).toBe('-1.05');
    expect(formatMoney(money(123456789))).toBe('¥1,234,567.89');
    expect(formatMoney(money(-5))).toBe('-¥0.05');
  });

  it('parses what a person types and round-trips', () => {
    expect(parseYuan('59')).toBe(5900);
    expect(parseYuan('38.2')).toBe(3820);
    expect(parseYuan('0.05')).toBe(5);
    expect(parseYuan('1.005')).toBeNull();
    expect(parseYuan('-1')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
    fc.assert(fc.property(fc.nat({ max: 1e12 }), (fen) => expect(parseYuan(fenToYuanString(fen))).toBe(fen)));
  });
});
