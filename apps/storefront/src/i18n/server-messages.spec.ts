import { afterEach, describe, expect, it } from 'vitest';
import i18n from './i18n';
import { translateServerText } from './server-messages';

describe('server sentences on a Chinese screen', () => {
  afterEach(() => void i18n.changeLanguage('zh-CN'));

  it('shows the sentences the issue found in English in Chinese, numbers kept', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(translateServerText('is required')).toBe('必填');
    expect(translateServerText('choose at least one product')).toBe('请至少选择一件商品');
    expect(translateServerText('the deal price must be below the normal price')).toBe('秒杀价必须低于原价');
    expect(translateServerText('the check character does not match: a digit is mistyped')).toBe(
      '校验位不对：有一位数字或字母填错了',
    );
    expect(translateServerText('must be at most 60 characters')).toBe('最多 60 个字');
    expect(translateServerText('must be an 11-digit mainland mobile number')).toBe('请填 11 位手机号');
  });

  it('never leaves English on a Chinese screen, and leaves Chinese and English screens alone', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(translateServerText('a sentence nobody wrote a rule for')).toBe('填写有误，请检查');
    expect(translateServerText('something else', '出错了')).toBe('出错了');
    expect(translateServerText('已经是中文')).toBe('已经是中文');
    await i18n.changeLanguage('en');
    expect(translateServerText('is required')).toBe('is required');
  });
});
