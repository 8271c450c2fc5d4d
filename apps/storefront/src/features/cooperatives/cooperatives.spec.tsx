import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { MemberView, MyCooperativeApplication } from '@xiangbo/contracts';
import { generateUscc } from '@xiangbo/domain';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, user } from '../../test/helpers';

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const errorOf = (label: string) => {
  const input = screen.getByLabelText(label);
  const id = input.getAttribute('aria-describedby')?.split(' ')[0] ?? '';
  return document.getElementById(id)?.textContent;
};

function application(overrides: Partial<MyCooperativeApplication> = {}): MyCooperativeApplication {
  return {
    id: 'app-1',
    name: '巩堰村辣椒专业合作社',
    uscc: generateUscc(3),
    province: '安徽省',
    city: '阜阳市',
    county: '阜南县',
    township: '公桥乡',
    village: '巩堰村',
    status: 'rejected',
    reviewReason: '营业执照照片不清楚，请重新提交',
    logoUrl: null,
    createdAt: '2025-03-01T02:00:00.000Z',
    reviewedAt: '2025-03-02T02:00:00.000Z',
    ...overrides,
  };
}

describe('/apply: the application form', () => {
  function renderApply(extra: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session(user())),
      'GET /api/cooperatives/mine/applications': () => json(200, [application()]),
      ...extra,
    });
    renderApp('/apply', api.fetch);
    return api;
  }

  it('says what is missing or wrong next to each field before calling the API', async () => {
    const api = renderApply();
    await screen.findByRole('heading', { level: 1, name: '申请开设合作社店铺' });

    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    for (const label of ['合作社名称', '统一社会信用代码', '市', '县（区）', '乡镇', '村', '联系人', '联系电话']) {
      expect([label, errorOf(label)]).toEqual([label, '请填写此项']);
    }
    expect(errorOf('省份')).toBe('请填写此项');
    expect(document.activeElement).toBe(screen.getByLabelText('合作社名称'));

    // A mistyped last character fails the GB 32100 check; letters that never occur fail the format.
    const valid = generateUscc(11);
    type('统一社会信用代码', valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1'));
    type('联系电话', '12345');
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(errorOf('统一社会信用代码')).toBe('统一社会信用代码校验位不对，请对照营业执照检查是否有输错的字符');
    expect(errorOf('联系电话')).toBe('请填写手机号，或带区号的座机号（如 0914-4321567）');
    type('统一社会信用代码', 'IOSVZ');
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(errorOf('统一社会信用代码')).toBe('统一社会信用代码是 18 位数字和大写字母（不含 I、O、S、V、Z）');
    expect(api.count('POST /api/cooperatives')).toBe(0);
  });

  it('sends a valid application (code normalised) and shows it under "my applications"', async () => {
    const uscc = generateUscc(12);
    let sent: Record<string, unknown> | null = null;
    const api = renderApply({
      'POST /api/cooperatives': (init) => {
        sent = JSON.parse(String(init.body));
        return json(201, application({ id: 'app-2', status: 'pending', reviewReason: null, reviewedAt: null }));
      },
    });
    await screen.findByRole('heading', { level: 1, name: '申请开设合作社店铺' });
    type('合作社名称', '巩堰村辣椒专业合作社');
    type('统一社会信用代码', ` ${uscc.slice(0, 9).toLowerCase()} ${uscc.slice(9)} `);
    fireEvent.change(screen.getByLabelText('省份'), { target: { value: '安徽省' } });
    type('市', '阜阳市');
    type('县（区）', '阜南县');
    type('乡镇', '公桥乡');
    type('村', '巩堰村');
    type('联系人', '刘芳');
    type('联系电话', '0558-6123456');
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));

    expect(await screen.findByText('申请已提交，平台审核后会在下面显示结果。')).toBeTruthy();
    expect(api.count('POST /api/cooperatives')).toBe(1);
    expect(sent).toMatchObject({ uscc, province: '安徽省', contactPhone: '0558-6123456', story: '' });
    await waitFor(() => expect(api.count('GET /api/cooperatives/mine/applications')).toBe(2));
  });

  it('shows a rejection with its reason, and a taken code as a translated error', async () => {
    renderApply({
      'POST /api/cooperatives': () => apiError(409, 'USCC_TAKEN', 'taken'),
    });
    const mine = await screen.findByTestId('my-applications');
    expect(await within(mine).findByText('未通过')).toBeTruthy();
    expect(within(mine).getByText('营业执照照片不清楚，请重新提交')).toBeTruthy();

    fireEvent.click(within(mine).getByRole('button', { name: '修改后重新提交' }));
    expect((screen.getByLabelText('合作社名称') as HTMLInputElement).value).toBe('巩堰村辣椒专业合作社');
    type('联系人', '刘芳');
    type('联系电话', '13900001111');
    fireEvent.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByText('这个统一社会信用代码已经有合作社在平台上或正在审核。')).toBeTruthy();
  });

  it('sends signed-out visitors to sign in first', async () => {
    const api = fakeApi({ 'POST /api/auth/refresh': () => apiError(401, 'UNAUTHENTICATED') });
    renderApp('/apply', api.fetch);
    expect(await screen.findByRole('heading', { level: 1, name: '登录' })).toBeTruthy();
  });
});

describe('/console/:coopId/members', () => {
  const members: MemberView[] = [
    {
      id: 'm-1',
      householdId: 'h-1',
      headName: '王*明',
      idNumberMasked: '6110**********1234',
      village: '金米村',
      registryStatus: 'registered',
      shareUnits: 3,
      landMuHundredths: 125,
      landMu: '1.25',
      labourRole: 'grower',
      joinedAt: '2024-03-01',
      leftAt: null,
    },
    {
      id: 'm-2',
      householdId: 'h-2',
      headName: '欧**花',
      idNumberMasked: '6110**********567X',
      village: '金米村',
      registryStatus: 'monitored',
      shareUnits: 1,
      landMuHundredths: 0,
      landMu: '0',
      labourRole: 'worker',
      joinedAt: '2024-05-01',
      leftAt: null,
    },
  ];

  function renderMembers(roles = [{ role: 'coop_admin' as const, cooperativeId: 'coop-1' }], extra = {}) {
    const api = fakeApi({
      'POST /api/auth/refresh': () => json(200, session(user({ roles }))),
      'GET /api/console/cooperatives/coop-1/members?state=active&page=1&pageSize=50': () =>
        json(200, { items: members, total: 2, page: 1, pageSize: 50 }),
      'GET /api/cooperatives/coop-1': () => json(200, { memberCount: 2, registeredOrMonitoredMemberCount: 2 }),
      ...extra,
    });
    renderApp('/console/coop-1/members', api.fetch);
    return api;
  }

  it('lists households with masked names, masked ID numbers and registry status badges', async () => {
    renderMembers();
    const table = await screen.findByTestId('members-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('rowheader').textContent).toBe('王*明');
    expect(within(rows[0]).getByText('6110**********1234')).toBeTruthy();
    expect(within(rows[0]).getByText('建档立卡')).toBeTruthy();
    expect(within(rows[0]).getByText('1.25')).toBeTruthy();
    expect(within(rows[1]).getByRole('rowheader').textContent).toBe('欧**花');
    expect(within(rows[1]).getByText('防返贫监测')).toBeTruthy();
    // Every name on the page is masked: a surname followed by asterisks.
    for (const cell of within(table).getAllByRole('rowheader'))
      expect(cell.textContent).toMatch(/^\p{Script=Han}\*+\p{Script=Han}?$/u);
    expect(screen.getByRole('heading', { name: '关联社员农户' })).toBeTruthy();
  });

  it('hosts see the list but no actions and no link form', async () => {
    renderMembers([{ role: 'host' as never, cooperativeId: 'coop-1' }]);
    await screen.findByTestId('members-table');
    expect(screen.queryByRole('button', { name: /修改/ })).toBeNull();
    expect(screen.queryByRole('heading', { name: '关联社员农户' })).toBeNull();
    expect(screen.getByText('你是本社主播，可以查看，修改需要管理员。')).toBeTruthy();
  });

  it('explains a household that belongs to another cooperative, and clears nothing until it worked', async () => {
    const api = renderMembers(undefined, {
      'POST /api/console/cooperatives/coop-1/members': () =>
        json(409, {
          statusCode: 409,
          code: 'ALREADY_MEMBER_ELSEWHERE',
          message: 'member elsewhere',
          details: { cooperativeName: '老坞村菌菇专业合作社' },
        }),
    });
    await screen.findByTestId('members-table');
    type('户主身份证号', '12345');
    fireEvent.click(screen.getByRole('button', { name: '关联' }));
    expect(errorOf('户主身份证号')).toBe('请填写 18 位身份证号');
    expect(api.count('POST /api/console/cooperatives/coop-1/members')).toBe(0);

    type('户主身份证号', '61102219800101123X');
    fireEvent.click(screen.getByRole('button', { name: '关联' }));
    expect(
      await screen.findByText(
        '这户现在是「老坞村菌菇专业合作社」的社员。一户同一时间只能加入一个合作社，需先在原合作社办理退社。',
      ),
    ).toBeTruthy();
  });
});

describe('/console/:coopId/members: linking in bulk', () => {
  it('previews a verdict per pasted line, then links the good ones with one tap', async () => {
    const rows = [
      {
        line: 2,
        idMasked: '6110**********1234',
        status: 'ok',
        headMasked: '王*明',
        shareUnits: 2,
        landMuHundredths: 150,
      },
      {
        line: 3,
        idMasked: '6110**********567X',
        status: 'member_elsewhere',
        reason: '老坞村菌菇专业合作社',
        headMasked: '李*',
        shareUnits: 0,
        landMuHundredths: 0,
      },
      {
        line: 4,
        idMasked: '1101**********4515',
        status: 'invalid_id',
        reason: 'checksum',
        shareUnits: 0,
        landMuHundredths: 0,
      },
    ];
    const bodies: { commit?: boolean; text?: string }[] = [];
    const api = fakeApi({
      'POST /api/auth/refresh': () =>
        json(200, session(user({ roles: [{ role: 'coop_admin', cooperativeId: 'coop-1' }] }))),
      'GET /api/console/cooperatives/coop-1/members?state=active&page=1&pageSize=50': () =>
        json(200, { items: [], total: 0, page: 1, pageSize: 50 }),
      'GET /api/cooperatives/coop-1': () => json(200, { memberCount: 0, registeredOrMonitoredMemberCount: 0 }),
      'POST /api/console/cooperatives/coop-1/members/bulk': (init) => {
        const body = JSON.parse(String(init?.body)) as { commit?: boolean; text?: string };
        bodies.push(body);
        return body.commit
          ? json(200, {
              committed: true,
              linkable: 1,
              linked: 1,
              skipped: 1,
              rows: [{ ...rows[0], status: 'linked' }, rows[1], rows[2]],
            })
          : json(200, { committed: false, linkable: 1, linked: 0, skipped: 1, rows });
      },
    });
    renderApp('/console/coop-1/members', api.fetch);
    const form = await screen.findByRole('form', { name: '批量关联成员户' });
    fireEvent.change(within(form).getByLabelText(/身份证号（每行一个/), {
      target: { value: '身份证号,份额,亩数\n611022197001011234,2,1.5\n61102219800101567X\n110101199003074515' },
    });
    fireEvent.click(within(form).getByRole('button', { name: '预览' }));
    const report = await within(form).findByTestId('bulk-report');
    expect(report.textContent).toContain('可以关联 1 户，2 行有问题');
    expect(report.textContent).toContain('已是“老坞村菌菇专业合作社”的成员');
    expect(report.textContent).toContain('校验位不对');
    expect(report.textContent).toContain('可以关联（份额 2，土地 1.5 亩）');
    expect(bodies[0]).toMatchObject({ commit: false });

    fireEvent.click(within(form).getByRole('button', { name: '确认关联 1 户' }));
    await waitFor(() =>
      expect(within(form).getByTestId('bulk-report').textContent).toContain('已关联 1 户，2 行未关联'),
    );
    expect(bodies[1]).toMatchObject({ commit: true, text: bodies[0].text });
    expect(await screen.findByText('已批量关联 1 户')).toBeTruthy();
  });
});
