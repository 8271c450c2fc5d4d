import { registerRequestSchema, signInRequestSchema } from './auth';

describe('auth contracts', () => {
  it('accepts an e-mail or a mobile number and normalises the e-mail', () => {
    const r = registerRequestSchema.parse({ email: ' Li@Example.COM ', password: 'longenough', displayName: '李梅' });
    expect(r.email).toBe('li@example.com');
    expect(
      registerRequestSchema.safeParse({ mobile: '13800138000', password: 'longenough', displayName: 'x' }).success,
    ).toBe(true);
  });

  it('names the field that is wrong', () => {
    const r = registerRequestSchema.safeParse({ email: 'nope', password: 'short', displayName: '' });
    expect(r.success).toBe(false);
    const fields = r.error?.issues.map((i) => i.path.join('.')).sort();
    expect(fields).toEqual(['displayName', 'email', 'password']);
    const none = registerRequestSchema.safeParse({ password: 'longenough', displayName: 'x' });
    expect(none.error?.issues[0].path).toEqual(['email']);
    expect(registerRequestSchema.safeParse({ mobile: '12345', password: 'longenough', displayName: 'x' }).success).toBe(
      false,
    );
  });

  it('requires both sign-in fields', () => {
    expect(signInRequestSchema.safeParse({ identifier: '', password: '' }).success).toBe(false);
  });
});
