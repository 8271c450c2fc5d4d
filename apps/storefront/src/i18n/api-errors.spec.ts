import { ApiError } from '../api/client';
import { apiErrorMessage, apiFieldErrors } from './api-errors';
import i18n from './i18n';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

const err = (code: string, message = 'server says so', errors?: { field: string; message: string }[]) =>
  new ApiError({ statusCode: 400, code, message, errors });

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('API error messages', () => {
  afterEach(() => i18n.changeLanguage('zh-CN'));

  it('translates known error codes in the chosen language', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(apiErrorMessage(i18n.t, err('INVALID_CREDENTIALS'))).toBe('账号或密码不正确。');
    expect(apiErrorMessage(i18n.t, err('RATE_LIMITED'))).toBe('尝试次数太多，请稍后再试。');
    await i18n.changeLanguage('en');
    expect(apiErrorMessage(i18n.t, err('INVALID_CREDENTIALS'))).toBe('The account or password is incorrect.');
    expect(apiErrorMessage(i18n.t, err('IDENTIFIER_TAKEN'))).toMatch(/already registered/);
  });

  it("falls back to the server's message for codes it does not know", () => {
    expect(apiErrorMessage(i18n.t, err('SHOW_ALREADY_ENDED', 'The show has ended'))).toBe('The show has ended');
  });

  it('says something generic when the failure is not an API error at all', () => {
    expect(apiErrorMessage(i18n.t, new Error('boom'))).toBe('出了点问题，请稍后再试。');
    expect(apiErrorMessage(i18n.t, err('heading', ''))).toBe('出了点问题，请稍后再试。');
  });

  it("collects the server's field errors by field name", () => {
    const fields = apiFieldErrors(
      err('VALIDATION_FAILED', 'Invalid', [
        { field: 'email', message: 'must be an e-mail address' },
        { field: 'body.password', message: 'too short' },
        { field: 'email', message: 'second message is ignored' },
      ]),
    );
    expect(fields).toEqual({ email: 'must be an e-mail address', password: 'too short' });
  });

  it('has the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('uses the same accessible name for the language switch in both languages', () => {
    expect(en.language.label).toBe('语言 / Language');
    expect(zhCN.language.label).toBe('语言 / Language');
  });
});
