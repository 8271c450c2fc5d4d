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

  it("falls back to the server's message for codes it does not know, never English on a Chinese screen", async () => {
    await i18n.changeLanguage('zh-CN');
    expect(apiErrorMessage(i18n.t, err('SHOW_ALREADY_ENDED', 'choose at least one product'))).toBe(
      '请至少选择一件商品',
    );
    expect(apiErrorMessage(i18n.t, err('SHOW_ALREADY_ENDED', 'The show has ended'))).toBe('出了点问题，请稍后再试。');
    await i18n.changeLanguage('en');
    expect(apiErrorMessage(i18n.t, err('SHOW_ALREADY_ENDED', 'The show has ended'))).toBe('The show has ended');
    await i18n.changeLanguage('zh-CN');
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
    // In the reader's language: a sentence without a rule becomes a generic Chinese one, never English.
    expect(fields).toEqual({ email: '请填有效的邮箱地址', password: '填写有误，请检查' });
  });

  it('tells the reader in their language that a field holds control characters (the global rule of the API)', async () => {
    const refused = err('CONTROL_CHARACTERS', 'displayName: must not contain control characters (such as NUL)', [
      { field: 'displayName', message: 'must not contain control characters (such as NUL)' },
    ]);
    await i18n.changeLanguage('zh-CN');
    expect(apiErrorMessage(i18n.t, refused)).toBe('提交的内容里有无法识别的控制字符（例如 NUL），请删除后重试。');
    expect(apiFieldErrors(refused)).toEqual({ displayName: '不能包含控制字符（例如 NUL）' });
    await i18n.changeLanguage('en');
    expect(apiErrorMessage(i18n.t, refused)).toMatch(/control characters \(such as NUL\)/);
    expect(apiFieldErrors(refused)).toEqual({ displayName: 'Must not contain control characters (such as NUL)' });
  });

  it('has the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('uses the same accessible name for the language switch in both languages', () => {
    expect(en.language.label).toBe('语言 / Language');
    expect(zhCN.language.label).toBe('语言 / Language');
  });
});
