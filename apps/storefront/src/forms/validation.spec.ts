import { registerRequestSchema, signInRequestSchema } from '@xiangbo/contracts';
import { fieldProblems } from './validation';

describe('fieldProblems', () => {
  it('gives one translatable problem per field of a bad registration', () => {
    const r = registerRequestSchema.safeParse({ email: 'nope', mobile: '12345', password: 'short', displayName: '' });
    expect(r.success).toBe(false);
    expect(fieldProblems(r.error?.issues ?? [])).toEqual({
      email: { key: 'email' },
      mobile: { key: 'mobile' },
      password: { key: 'tooShort', values: { min: 8 } },
      displayName: { key: 'required' },
    });
  });

  it('asks for an e-mail or a mobile number when both are missing', () => {
    const r = registerRequestSchema.safeParse({ password: 'longenough', displayName: '李梅' });
    expect(fieldProblems(r.error?.issues ?? [])).toEqual({ email: { key: 'emailOrMobile' } });
  });

  it('reports too-long values with their limit', () => {
    const r = registerRequestSchema.safeParse({ email: 'a@b.cn', password: 'longenough', displayName: 'x'.repeat(41) });
    expect(fieldProblems(r.error?.issues ?? [])).toEqual({ displayName: { key: 'tooLong', values: { max: 40 } } });
  });

  it('marks empty sign-in fields as required', () => {
    const r = signInRequestSchema.safeParse({ identifier: ' ', password: '' });
    expect(fieldProblems(r.error?.issues ?? [])).toEqual({
      identifier: { key: 'required' },
      password: { key: 'required' },
    });
  });
});
