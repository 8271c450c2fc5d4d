import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { LANGUAGE_STORAGE_KEY } from '../i18n/i18n';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, signedOutRefresh, user } from '../test/helpers';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

/** What GET /api/console/cooperatives/:id answers (the console's profile page loads it). */
function consoleCooperative(id: string, canManage: boolean) {
  return {
    id,
    name: '柞水县金米村木耳专业合作社',
    uscc: '93611022MA6YK1A11X',
    status: 'approved',
    province: '陕西省',
    city: '商洛市',
    county: '柞水县',
    township: '小岭镇',
    village: '金米村',
    story: '',
    contactName: '张建国',
    contactPhone: '13800138000',
    logoUrl: null,
    approvedAt: '2025-03-01T00:00:00.000Z',
    canManage,
  };
}

function typeInto(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('shell and language', () => {
  it('shows the home page in Chinese by default, with the tab bar and a title', async () => {
    const api = fakeApi({ 'POST /api/auth/refresh': signedOutRefresh });
    renderApp('/', api.fetch);

    expect(screen.getByRole('heading', { level: 2, name: '从田间地头，直播到你家' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: '主导航' });
    for (const name of ['首页', '直播', '购物车', '我的']) expect(within(nav).getByRole('link', { name })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(document.title).toBe('合作社直播带货 · 乡播 Xiangbo');
    // Placeholders say there is nothing yet instead of showing made-up produce.
    expect(await screen.findByText('还没有上架的农产品。合作社上架后会显示在这里。')).toBeTruthy();
    await waitFor(() => expect(api.count('POST /api/auth/refresh')).toBe(1));
  });

  it('switches to English, remembers the choice and updates <html lang>', async () => {
    const api = fakeApi({ 'POST /api/auth/refresh': signedOutRefresh });
    renderApp('/', api.fetch);

    const select = screen.getByRole('combobox', { name: '语言 / Language' });
    fireEvent.change(select, { target: { value: 'en' } });

    expect(await screen.findByRole('heading', { level: 2, name: 'From the field, live to your door' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Cart' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: '语言 / Language' })).toHaveProperty('value', 'en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(document.title).toBe('Live selling for cooperatives · 乡播 Xiangbo');

    fireEvent.change(screen.getByRole('combobox', { name: '语言 / Language' }), { target: { value: 'zh-CN' } });
    expect(await screen.findByRole('link', { name: '购物车' })).toBeTruthy();
  });

  it('stays usable, signed out, when the API cannot be reached', async () => {
    renderApp('/me', () => Promise.reject(new TypeError('Failed to fetch')));

    expect(await screen.findByRole('link', { name: '登录' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '注册' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '退出登录' })).toBeNull();
  });

  it('shows a 404 page for unknown addresses', async () => {
    renderApp('/no-such-page', fakeApi({ 'POST /api/auth/refresh': signedOutRefresh }).fetch);
    expect(screen.getByRole('heading', { level: 1, name: '页面不存在' })).toBeTruthy();
    expect(document.title).toBe('页面不存在 · 乡播 Xiangbo');
  });
});

describe('sign in', () => {
  it('checks the fields before calling the API and says which one is missing', async () => {
    const api = fakeApi({ 'POST /api/auth/refresh': signedOutRefresh });
    renderApp('/sign-in', api.fetch);
    await waitFor(() => expect(api.count('POST /api/auth/refresh')).toBe(1));

    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    const identifier = screen.getByLabelText('邮箱或手机号');
    expect(identifier.getAttribute('aria-invalid')).toBe('true');
    expect(identifier.getAttribute('autocomplete')).toBe('username');
    expect(screen.getAllByText('请填写此项')).toHaveLength(2);
    expect(api.count('POST /api/auth/sign-in')).toBe(0);
  });

  it('shows wrong credentials as a translated message', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'POST /api/auth/sign-in': () => apiError(401, 'INVALID_CREDENTIALS', 'Invalid credentials'),
    });
    renderApp('/sign-in', api.fetch);

    typeInto('邮箱或手机号', 'li.mei@example.com');
    typeInto('密码', 'wrong-password');
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByText('账号或密码不正确。')).toBeTruthy();
    expect(api.count('POST /api/auth/refresh')).toBe(1); // only the start-up one: a 401 here is an answer
  });

  it('goes to the redirect target after signing in', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'POST /api/auth/sign-in': () => json(200, session(user({ roles: [{ role: 'host', cooperativeId: 'coop-7' }] }))),
      'GET /api/console/cooperatives/coop-7': () => json(200, consoleCooperative('coop-7', false)),
    });
    renderApp('/sign-in?redirect=%2Fconsole', api.fetch);

    typeInto('邮箱或手机号', '13800138000');
    typeInto('密码', 'longenough');
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    // /console sends a host to the profile of the cooperative they work for.
    expect(await screen.findByRole('heading', { level: 1, name: '合作社资料' })).toBeTruthy();
    expect(await screen.findByText('柞水县金米村木耳专业合作社')).toBeTruthy();
    expect(api.count('GET /api/console/cooperatives/coop-7')).toBe(1);
  });
});

describe('sign up', () => {
  it('shows client-side problems next to each field', async () => {
    const api = fakeApi({ 'POST /api/auth/refresh': signedOutRefresh });
    renderApp('/sign-up', api.fetch);

    typeInto('邮箱', 'not-an-email');
    typeInto('密码', 'short');
    fireEvent.click(screen.getByRole('button', { name: '注册' }));

    const email = screen.getByLabelText('邮箱');
    const emailError = document.getElementById(email.getAttribute('aria-describedby')?.split(' ')[0] ?? '');
    expect(emailError?.textContent).toBe('请输入有效的邮箱地址');
    expect(screen.getByText('至少需要 8 个字符')).toBeTruthy();
    expect(screen.getByText('请填写此项')).toBeTruthy();
    expect(document.activeElement).toBe(email);
    expect(api.count('POST /api/auth/register')).toBe(0);
  });

  it('explains when the e-mail is already registered', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'POST /api/auth/register': () => apiError(409, 'IDENTIFIER_TAKEN', 'E-mail already registered'),
    });
    renderApp('/sign-up', api.fetch);

    typeInto('邮箱', 'li.mei@example.com');
    typeInto('密码', 'longenough');
    typeInto('昵称', '李梅');
    fireEvent.click(screen.getByRole('button', { name: '注册' }));

    expect(await screen.findByText('这个邮箱或手机号已经注册过了，请直接登录。')).toBeTruthy();
  });

  it("shows the server's field errors next to the field", async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'POST /api/auth/register': () =>
        apiError(400, 'VALIDATION_FAILED', 'Validation failed', [
          { field: 'displayName', message: 'contains a banned word' },
        ]),
    });
    renderApp('/sign-up', api.fetch);

    typeInto('手机号', '13800138000');
    typeInto('密码', 'longenough');
    typeInto('昵称', 'spam');
    fireEvent.click(screen.getByRole('button', { name: '注册' }));

    // In Chinese: a server sentence without a translation becomes a generic Chinese one, never English.
    expect(await screen.findByText('填写有误，请检查')).toBeTruthy();
    expect(screen.getByLabelText('昵称').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('请检查标出的内容。')).toBeTruthy();
  });

  it('signs the new user in and shows their account', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'POST /api/auth/register': (init) => {
        const body = JSON.parse(String(init.body)) as { email: string; displayName: string };
        return json(201, session(user({ email: body.email, displayName: body.displayName })));
      },
    });
    renderApp('/sign-up', api.fetch);

    typeInto('邮箱', ' Li.Mei@Example.com ');
    typeInto('密码', 'longenough');
    typeInto('昵称', '李梅');
    fireEvent.click(screen.getByRole('button', { name: '注册' }));

    expect(await screen.findByText('李梅')).toBeTruthy();
    expect(screen.getByText('li.mei@example.com')).toBeTruthy();
    expect(screen.getByRole('button', { name: '退出登录' })).toBeTruthy();
  });
});

describe('account and roles', () => {
  it('restores the session on start and lists roles in Chinese with their cooperative', async () => {
    const me = user({
      displayName: '王芳',
      mobile: '13800138000',
      roles: [
        { role: 'buyer', cooperativeId: null },
        { role: 'host', cooperativeId: 'coop-7' },
      ],
    });
    const api = fakeApi({ 'POST /api/auth/refresh': () => json(200, session(me)) });
    renderApp('/me', api.fetch);

    expect(await screen.findByText('王芳')).toBeTruthy();
    const roles = screen.getByTestId('account-roles');
    expect(within(roles).getByText('买家')).toBeTruthy();
    expect(within(roles).getByText('主播')).toBeTruthy();
    expect(within(roles).getByText('合作社 coop-7')).toBeTruthy();
    expect(screen.getByRole('link', { name: '合作社后台' }).getAttribute('href')).toBe('/console');
    expect(screen.queryByRole('link', { name: '审计' })).toBeNull();
    expect(screen.queryByRole('link', { name: '平台管理' })).toBeNull();
  });

  it('shows each back-office link only to the roles that may use it', async () => {
    const me = user({
      roles: [
        { role: 'auditor', cooperativeId: 'coop-1' },
        { role: 'platform_admin', cooperativeId: null },
      ],
    });
    renderApp('/me', fakeApi({ 'POST /api/auth/refresh': () => json(200, session(me)) }).fetch);

    expect(await screen.findByRole('link', { name: '审计' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '平台管理' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: '合作社后台' })).toBeNull();
    expect(screen.getByText('审计员')).toBeTruthy();
    expect(screen.getByText('平台管理员')).toBeTruthy();
  });

  it('signs out', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session()),
      'POST /api/auth/sign-out': () => new Response(null, { status: 204 }),
    });
    const { client } = renderApp('/me', api.fetch);

    fireEvent.click(await screen.findByRole('button', { name: '退出登录' }));

    expect(await screen.findByRole('link', { name: '登录' })).toBeTruthy();
    expect(client.getAccessToken()).toBeNull();
    expect(api.count('POST /api/auth/sign-out')).toBe(1);
  });
});

describe('back-office placeholders', () => {
  it('send signed-out visitors to sign in, and back afterwards', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedOutRefresh,
      'POST /api/auth/sign-in': () =>
        json(200, session(user({ roles: [{ role: 'auditor', cooperativeId: 'coop-1' }] }))),
      'GET /api/audit/cooperatives': () => json(200, []),
    });
    renderApp('/audit', api.fetch);

    expect(await screen.findByRole('heading', { level: 1, name: '登录' })).toBeTruthy();
    typeInto('邮箱或手机号', 'auditor@example.com');
    typeInto('密码', 'longenough');
    fireEvent.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByText('您还没有被指派审计任何合作社')).toBeTruthy();
  });

  it('tell a signed-in user without the role that access is denied', async () => {
    renderApp('/admin', fakeApi({ 'POST /api/auth/refresh': () => json(200, session()) }).fetch);

    expect(await screen.findByRole('heading', { level: 1, name: '无权访问' })).toBeTruthy();
    expect(screen.getByText('你的账号没有访问“平台管理”的权限。如需开通，请联系合作社或平台管理员。')).toBeTruthy();
  });

  it('let a cooperative admin into the cooperative console (its first cooperative, profile section)', async () => {
    const me = user({ roles: [{ role: 'coop_admin', cooperativeId: 'coop-2' }] });
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session(me)),
      'GET /api/console/cooperatives/coop-2': () => json(200, consoleCooperative('coop-2', true)),
    });
    renderApp('/console', api.fetch);

    expect(await screen.findByRole('heading', { level: 1, name: '合作社资料' })).toBeTruthy();
    const tabs = screen.getByRole('navigation', { name: '栏目' });
    expect(within(tabs).getByRole('link', { name: '社员' }).getAttribute('href')).toBe('/console/coop-2/members');
    expect(await screen.findByRole('button', { name: '保存' })).toBeTruthy();
    expect(document.title).toBe('合作社资料 · 乡播 Xiangbo');
  });

  it('send a platform admin from /admin to the applications waiting for review', async () => {
    const me = user({ roles: [{ role: 'platform_admin', cooperativeId: null }] });
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session(me)),
      'GET /api/admin/cooperatives?status=pending&pageSize=50': () =>
        json(200, { items: [], total: 0, page: 1, pageSize: 50 }),
    });
    renderApp('/admin', api.fetch);

    expect(await screen.findByRole('heading', { level: 1, name: '入驻申请' })).toBeTruthy();
    expect(await screen.findByText('没有审核中的申请。')).toBeTruthy();
  });
});
