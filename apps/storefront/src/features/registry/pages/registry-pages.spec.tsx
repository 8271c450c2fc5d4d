import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { HouseholdDetail, HouseholdSummary, Page, RegistryImportReport } from '@xiangbo/contracts';
import { apiError, fakeApi, json, renderApp, resetLanguage, session, user } from '../../../test/helpers';

const admin = user({ displayName: '平台管理员 小周', roles: [{ role: 'platform_admin', cooperativeId: null }] });
const signedInAdmin = () => json(200, session(admin));

const wang: HouseholdSummary = {
  id: 'h-1',
  headName: '王小明',
  idNumberMasked: '6110**********0011',
  province: '陕西省',
  city: '商洛市',
  county: '柞水县',
  township: '小岭镇',
  village: '金米村',
  householdSize: 4,
  povertyCauses: ['illness'],
  status: 'monitored',
  phoneMasked: '138****1234',
  createdAt: '2024-01-05T02:00:00.000Z',
  updatedAt: '2024-06-01T02:00:00.000Z',
};

beforeEach(async () => {
  await resetLanguage();
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});
afterEach(() => vi.unstubAllGlobals());

describe('registry search page', () => {
  it('searches with the terms in a POST body and lists households with masked ID numbers and status badges', async () => {
    const bodies: unknown[] = [];
    const api = fakeApi({
      'POST /api/auth/refresh': signedInAdmin,
      'POST /api/admin/households/search': (init) => {
        bodies.push(JSON.parse(String(init.body)));
        return json(200, { items: [wang], total: 1, page: 1, pageSize: 20 } satisfies Page<HouseholdSummary>);
      },
    });
    renderApp('/admin/registry', api.fetch);

    const row = await screen.findByTestId('household-row');
    expect(within(row).getByRole('link', { name: '查看 王小明 的档案' }).getAttribute('href')).toBe(
      '/admin/registry/h-1',
    );
    expect(within(row).getByText('6110**********0011')).toBeTruthy();
    expect(within(row).getByText('防返贫监测')).toBeTruthy();
    expect(screen.getByText('共 1 户')).toBeTruthy();

    const id = '61102619500101001X';
    fireEvent.change(screen.getByLabelText('姓名或身份证号'), { target: { value: id } });
    fireEvent.change(screen.getByLabelText('状态'), { target: { value: 'monitored' } });
    fireEvent.click(screen.getByRole('button', { name: '搜索' }));
    await waitFor(() => expect(bodies).toContainEqual({ q: id, status: 'monitored', page: 1, pageSize: 20 }));
    // Never in a URL: the only calls are POSTs with the number in the body.
    expect(api.calls.some((c) => c.url.includes(id))).toBe(false);
  });

  it('says plainly when nothing matches', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedInAdmin,
      'POST /api/admin/households/search': () => json(200, { items: [], total: 0, page: 1, pageSize: 20 }),
    });
    renderApp('/admin/registry', api.fetch);
    expect(await screen.findByText('没有找到符合条件的农户')).toBeTruthy();
  });

  it('shows a 403 page to a coop admin', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': () =>
        json(200, session(user({ roles: [{ role: 'coop_admin', cooperativeId: 'c-1' }] }))),
    });
    renderApp('/admin/registry', api.fetch);
    expect(await screen.findByTestId('forbidden')).toBeTruthy();
    expect(api.count('POST /api/admin/households/search')).toBe(0);
  });
});

describe('household detail page', () => {
  const detail: HouseholdDetail = {
    ...wang,
    status: 'lifted',
    history: [
      {
        id: 'e1',
        status: 'registered',
        effectiveDate: '2016-03-01',
        reason: '识别为建档立卡户',
        recordedBy: { id: 'u-1', displayName: '平台管理员 小周' },
        recordedAt: '2024-01-05T02:00:00.000Z',
      },
      {
        id: 'e2',
        status: 'lifted',
        effectiveDate: '2020-12-01',
        reason: '脱贫验收通过',
        recordedBy: { id: 'u-1', displayName: '平台管理员 小周' },
        recordedAt: '2024-02-01T02:00:00.000Z',
      },
    ],
    membership: { cooperativeId: 'c-1', cooperativeName: '金米村木耳专业合作社', joinedAt: '2020-05-01' },
  };

  it('shows the particulars, the membership and the timeline, and records a status change with its reason', async () => {
    const sent: unknown[] = [];
    const api = fakeApi({
      'POST /api/auth/refresh': signedInAdmin,
      'GET /api/admin/households/h-1': () => json(200, detail),
      'POST /api/admin/households/h-1/status-events': (init) => {
        sent.push(JSON.parse(String(init.body)));
        return json(201, {
          ...detail,
          status: 'monitored',
          history: [
            ...detail.history,
            {
              id: 'e3',
              status: 'monitored',
              effectiveDate: '2023-07-10',
              reason: '因病存在返贫风险',
              recordedBy: { id: 'u-1', displayName: '平台管理员 小周' },
              recordedAt: '2024-07-01T02:00:00.000Z',
            },
          ],
        });
      },
    });
    renderApp('/admin/registry/h-1', api.fetch);

    expect(await screen.findByRole('heading', { level: 2, name: '王小明' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '金米村木耳专业合作社' })).toBeTruthy();
    const timeline = screen.getByRole('list', { name: '状态记录，最新在前' });
    expect(within(timeline).getAllByRole('listitem')).toHaveLength(2);

    // The reason is required.
    fireEvent.change(screen.getByLabelText('状态'), { target: { value: 'monitored' } });
    fireEvent.change(screen.getByLabelText('生效日期'), { target: { value: '2023-07-10' } });
    fireEvent.click(screen.getByRole('button', { name: '登记状态变化' }));
    expect(await screen.findByText('请填写此项')).toBeTruthy();
    expect(sent).toEqual([]);

    fireEvent.change(screen.getByLabelText('原因'), { target: { value: '因病存在返贫风险' } });
    fireEvent.click(screen.getByRole('button', { name: '登记状态变化' }));
    await waitFor(() =>
      expect(sent).toEqual([{ status: 'monitored', effectiveDate: '2023-07-10', reason: '因病存在返贫风险' }]),
    );
    expect(await screen.findByText('已登记状态变化')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: '状态记录，最新在前' })).getAllByRole('listitem')).toHaveLength(3);
  });

  it('the phone payout codes go to: masked, shown in full only on request, changed and removed by the platform', async () => {
    const puts: unknown[] = [];
    let phoneMasked: string | null = '138****1234';
    const api = fakeApi({
      'POST /api/auth/refresh': signedInAdmin,
      'GET /api/admin/households/h-1': () => json(200, { ...detail, phoneMasked }),
      'GET /api/admin/households/h-1/phone': () =>
        json(200, { householdId: 'h-1', phone: '13812341234', phoneMasked: '138****1234' }),
      'PUT /api/admin/households/h-1/phone': (init) => {
        const body = JSON.parse(String(init.body)) as { phone: string | null };
        puts.push(body);
        phoneMasked = body.phone ? `${body.phone.slice(0, 3)}****${body.phone.slice(-4)}` : null;
        return json(200, { ...detail, phoneMasked });
      },
    });
    renderApp('/admin/registry/h-1', api.fetch);
    const phone = await screen.findByTestId('registry-phone');
    expect(phone.textContent).toContain('138****1234');
    expect(api.count('GET /api/admin/households/h-1/phone')).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: '显示完整号码' }));
    await waitFor(() => expect(screen.getByTestId('registry-phone').textContent).toContain('13812341234'));
    expect(screen.getByText('（本次查看已记入个人信息访问日志）')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '更换手机' }));
    fireEvent.change(screen.getByLabelText('手机号码'), { target: { value: '12345' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('请填写 11 位大陆手机号（1 开头）')).toBeTruthy();
    expect(puts).toEqual([]);
    fireEvent.change(screen.getByLabelText('手机号码'), { target: { value: '139 8765 4321' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(puts).toEqual([{ phone: '13987654321' }]));
    expect(await screen.findByText('手机号已更新')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('registry-phone').textContent).toContain('139****4321'));

    fireEvent.click(screen.getByRole('button', { name: '删除手机' }));
    await waitFor(() => expect(puts).toEqual([{ phone: '13987654321' }, { phone: null }]));
    expect(await screen.findByText('未登记手机：兑付需由监督员现场确认')).toBeTruthy();
  });

  it('says when the household does not exist', async () => {
    const api = fakeApi({
      'POST /api/auth/refresh': signedInAdmin,
      'GET /api/admin/households/nope': () => apiError(404, 'HOUSEHOLD_NOT_FOUND'),
    });
    renderApp('/admin/registry/nope', api.fetch);
    expect(await screen.findByText('找不到这户农户')).toBeTruthy();
  });
});

/** A stand-in for the browser's XHR so the upload's progress events can be played by the test. */
class FakeXhr {
  static last: FakeXhr | null = null;
  upload: { onprogress?: (e: ProgressEvent) => void; onload?: () => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  status = 0;
  responseText = '';
  withCredentials = false;
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  send(body: FormData) {
    this.body = body;
    FakeXhr.last = this;
  }
  abort() {
    this.onabort?.();
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('CSV import page', () => {
  beforeEach(() => {
    FakeXhr.last = null;
  });

  it('uploads with a progress bar, dry-runs by default, shows the report and can then import for real', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = fakeApi({ 'POST /api/auth/refresh': signedInAdmin });
    renderApp('/admin/registry/import', api.fetch);

    const file = new File(['户主姓名\n'], '名单.csv', { type: 'text/csv' });
    fireEvent.change(await screen.findByLabelText('CSV 文件'), { target: { files: [file] } });
    expect(screen.getByRole('checkbox', { name: /只检查，不导入/ })).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: '上传并检查' }));

    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    const xhr = FakeXhr.last as FakeXhr;
    expect(xhr.url).toBe('/api/admin/households/import?dryRun=true');
    expect(xhr.headers['Authorization']).toBe('Bearer token-1');
    expect((xhr.body?.get('file') as File).name).toBe('名单.csv');

    act(() => xhr.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true } as ProgressEvent));
    expect(screen.getByText('正在上传… 50%')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: '上传进度' }).getAttribute('value')).toBe('50');
    act(() => xhr.upload.onload?.());
    expect(screen.getByText('上传完成，正在逐行检查…')).toBeTruthy();

    const report: RegistryImportReport = {
      dryRun: true,
      encoding: 'utf-8',
      total: 2,
      imported: 1,
      refused: 1,
      rows: [
        { row: 2, status: 'imported', headName: '王小明' },
        {
          row: 3,
          status: 'refused',
          headName: '李梅',
          reason: { code: 'UNKNOWN_STATUS', message: '无法识别的状态“小康”', fields: ['status'] },
        },
      ],
    };
    act(() => xhr.respond(200, report));
    expect(await screen.findByRole('heading', { name: '检查报告（尚未导入）' })).toBeTruthy();
    expect(screen.queryByTestId('upload-progress')).toBeNull();
    expect(screen.getByText('无法识别的状态“小康”')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '确认导入 1 行' }));
    await waitFor(() => expect(FakeXhr.last).not.toBe(xhr));
    expect(FakeXhr.last?.url).toBe('/api/admin/households/import');
  });

  it('names the missing headers when the server refuses the file', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const api = fakeApi({ 'POST /api/auth/refresh': signedInAdmin });
    renderApp('/admin/registry/import', api.fetch);
    fireEvent.change(await screen.findByLabelText('CSV 文件'), { target: { files: [new File(['x'], 'x.csv')] } });
    fireEvent.click(screen.getByRole('button', { name: '上传并检查' }));
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    act(() =>
      (FakeXhr.last as FakeXhr).respond(400, {
        statusCode: 400,
        code: 'MISSING_HEADERS',
        message: 'the header row lacks 乡镇',
        details: { missing: ['乡镇', '状态日期'] },
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('表头缺少：乡镇、状态日期。');
  });

  it('asks for a file before uploading', async () => {
    const api = fakeApi({ 'POST /api/auth/refresh': signedInAdmin });
    renderApp('/admin/registry/import', api.fetch);
    fireEvent.click(await screen.findByRole('button', { name: '上传并检查' }));
    expect(screen.getByText('请选择一个 CSV 文件')).toBeTruthy();
  });
});
