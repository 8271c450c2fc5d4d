import iconv from 'iconv-lite';
import type { RegistryImportReport } from '@xiangbo/contracts';
import { registryCsvTemplate } from '@xiangbo/domain';
import { createTestApp, insertCooperative, registerUser, TestApp, userWithRoles } from '../../test/test-app';
import { householdBody, testIdNumber, withWrongChecksum } from './households.test-helpers';

type Session = Awaited<ReturnType<typeof registerUser>>;

const HEADER = '户主姓名,身份证号,省,市,县,乡镇,村,家庭人口,致贫原因,状态,状态日期,原因';

function row(
  fields: Partial<{
    name: string;
    id: string;
    size: string;
    causes: string;
    status: string;
    date: string;
    reason: string;
    village: string;
  }> = {},
) {
  const f = {
    name: '王小明',
    id: testIdNumber(),
    size: '4',
    causes: '因病、缺技术',
    status: '建档立卡',
    date: '2016-03-01',
    reason: '',
    village: '金米村',
    ...fields,
  };
  return [
    f.name,
    f.id,
    '陕西省',
    '商洛市',
    '柞水县',
    '小岭镇',
    f.village,
    f.size,
    f.causes,
    f.status,
    f.date,
    f.reason,
  ].join(',');
}

const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

describe('registry CSV import (real Nest app, real PostgreSQL)', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await userWithRoles(t, [{ role: 'platform_admin' }]);
  });
  afterAll(() => t.close());

  const upload = (bytes: Buffer | string, opts: { dryRun?: boolean; name?: string; token?: string } = {}) =>
    t.http
      .post(`/api/admin/households/import${opts.dryRun ? '?dryRun=true' : ''}`)
      .set('Authorization', `Bearer ${opts.token ?? admin.token}`)
      .attach('file', typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, opts.name ?? '名单.csv');
  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('imports a good UTF-8 file: every row, each with its first status event, in Chinese vocabulary', async () => {
    const ids = [testIdNumber(), testIdNumber(), testIdNumber()];
    const file = csv(
      row({ name: '王小明', id: ids[0], causes: '因病、缺技术', status: '建档立卡', reason: '识别为建档立卡户' }),
      row({ name: '李梅', id: ids[1], causes: '缺劳力;因残', status: '防返贫监测', date: '2023-07-10' }),
      row({ name: '张建国', id: ids[2], causes: '', status: '已脱贫', date: '2020/12/1' }),
    );
    const res = await upload(file).expect(200);
    const report = res.body as RegistryImportReport;
    expect(report).toMatchObject({ dryRun: false, encoding: 'utf-8', total: 3, imported: 3, refused: 0 });
    expect(report.rows.map((r) => [r.row, r.status, r.headName])).toEqual([
      [2, 'imported', '王小明'],
      [3, 'imported', '李梅'],
      [4, 'imported', '张建国'],
    ]);
    expect(JSON.stringify(report)).not.toContain(ids[0]);

    const rows = await t.db.query(
      `SELECT h.head_name, h.status, h.poverty_causes, h.id_number_masked, to_char(e.effective_date, 'YYYY-MM-DD') AS d, e.reason, e.recorded_by
         FROM households h JOIN household_status_events e ON e.household_id = h.id
        WHERE h.id = ANY($1) ORDER BY h.head_name`,
      [report.rows.map((r) => r.householdId)],
    );
    expect(rows).toEqual([
      {
        head_name: '张建国',
        status: 'lifted',
        poverty_causes: [],
        id_number_masked: `${ids[2].slice(0, 4)}**********${ids[2].slice(-4)}`,
        d: '2020-12-01',
        reason: '批量导入',
        recorded_by: admin.user.id,
      },
      {
        head_name: '李梅',
        status: 'monitored',
        poverty_causes: ['lack_of_labour', 'disability'],
        id_number_masked: expect.any(String),
        d: '2023-07-10',
        reason: '批量导入',
        recorded_by: admin.user.id,
      },
      {
        head_name: '王小明',
        status: 'registered',
        poverty_causes: ['illness', 'lack_of_skills'],
        id_number_masked: expect.any(String),
        d: '2016-03-01',
        reason: '识别为建档立卡户',
        recorded_by: admin.user.id,
      },
    ]);
    const [{ dump }] = await t.db.query(`SELECT string_agg(row_to_json(h)::text, '') AS dump FROM households h`);
    for (const id of ids) expect(dump).not.toContain(id);
  });

  it('reads UTF-8 with a BOM (Excel "CSV UTF-8") and the downloadable template', async () => {
    const res = await upload('\uFEFF' + csv(row({ name: '赵丽' }))).expect(200);
    expect(res.body).toMatchObject({ encoding: 'utf-8', imported: 1, refused: 0 });
    expect(res.body.rows[0].headName).toBe('赵丽');

    const template = await upload(registryCsvTemplate(), { dryRun: true }).expect(200);
    expect(template.body).toMatchObject({ total: 2, imported: 2, refused: 0 });
  });

  it('reads GBK (plain "CSV" from Chinese Excel/WPS), names and labels intact', async () => {
    const id = testIdNumber();
    const bytes = iconv.encode(
      csv(row({ name: '欧阳秀英', id, causes: '因灾、缺技术', status: '防返贫监测', village: '巩堰村' })),
      'gbk',
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // really not UTF-8
    const res = await upload(bytes, { name: 'gbk.csv' }).expect(200);
    expect(res.body).toMatchObject({ encoding: 'gbk', imported: 1, refused: 0 });
    const [h] = await t.db.query('SELECT head_name, village, status, poverty_causes FROM households WHERE id = $1', [
      res.body.rows[0].householdId,
    ]);
    expect(h).toEqual({
      head_name: '欧阳秀英',
      village: '巩堰村',
      status: 'monitored',
      poverty_causes: ['disaster', 'lack_of_skills'],
    });
  });

  it('reads GBK with a rare-character name (GB18030) and a tab-delimited export', async () => {
    const tsv = csv(row({ name: '李䶮' })).replace(/,/g, '\t');
    const res = await upload(iconv.encode(tsv, 'gb18030')).expect(200);
    expect(res.body).toMatchObject({ encoding: 'gbk', imported: 1 });
    expect(res.body.rows[0].headName).toBe('李䶮');
  });

  it('mixed file: refuses the bad rows with their line number and reason, imports the valid ones', async () => {
    const before = await count('households');
    const goodA = testIdNumber();
    const file = csv(
      row({ name: '好一', id: goodA }),
      row({ name: '坏身份证', id: withWrongChecksum(testIdNumber()) }),
      '',
      row({ name: '坏人口', size: '0' }),
      row({ name: '坏状态', status: '小康' }),
      row({ name: '坏原因', causes: '因病、懒' }),
      row({ name: '坏日期', date: '2021-02-30' }),
      row({ name: '', id: 'abc' }),
      row({ name: '好二' }),
      ',,,,,,,,,,,',
    );
    const res = await upload(file).expect(200);
    const report = res.body as RegistryImportReport;
    expect(report).toMatchObject({ total: 8, imported: 2, refused: 6 });
    const byRow = Object.fromEntries(report.rows.map((r) => [r.row, r]));
    expect(byRow[2]).toMatchObject({ status: 'imported', headName: '好一' });
    expect(byRow[3]).toMatchObject({
      status: 'refused',
      reason: { code: 'INVALID_ID_NUMBER', fields: ['idNumber'], message: expect.stringContaining('校验位') },
    });
    // line 4 is blank: numbering follows the file
    expect(byRow[5]).toMatchObject({
      status: 'refused',
      reason: { code: 'INVALID_HOUSEHOLD_SIZE', fields: ['householdSize'] },
    });
    expect(byRow[6]).toMatchObject({
      status: 'refused',
      reason: { code: 'UNKNOWN_STATUS', message: expect.stringContaining('小康') },
    });
    expect(byRow[7]).toMatchObject({
      status: 'refused',
      reason: { code: 'UNKNOWN_POVERTY_CAUSE', message: expect.stringContaining('懒') },
    });
    expect(byRow[8]).toMatchObject({ status: 'refused', reason: { code: 'INVALID_DATE', fields: ['statusDate'] } });
    expect(byRow[9]).toMatchObject({
      status: 'refused',
      reason: { code: 'MISSING_VALUE', fields: ['headName', 'idNumber'] },
    });
    expect(byRow[10]).toMatchObject({ status: 'imported', headName: '好二' });
    expect(await count('households')).toBe(before + 2);
  });

  it('a bad file (every row refused) imports nothing and still answers 200 with the report', async () => {
    const before = await count('households');
    const res = await upload(csv(row({ size: 'x' }), row({ status: '' }))).expect(200);
    expect(res.body).toMatchObject({ total: 2, imported: 0, refused: 2 });
    expect(await count('households')).toBe(before);
  });

  it('refuses duplicates within the file (keeping the first) and against the registry', async () => {
    const registered = testIdNumber();
    const created = await t.http
      .post('/api/admin/households')
      .set('Authorization', `Bearer ${admin.token}`)
      .send(householdBody({ idNumber: registered }))
      .expect(201);
    const registeredHouseholdId = created.body.id as string;

    const twice = testIdNumber();
    const res = await upload(
      csv(
        row({ name: '甲', id: twice }),
        row({ name: '乙', id: registered }),
        row({ name: '丙', id: twice.toLowerCase() }),
      ),
    ).expect(200);
    const report = res.body as RegistryImportReport;
    expect(report).toMatchObject({ total: 3, imported: 1, refused: 2 });
    expect(report.rows).toEqual([
      expect.objectContaining({ row: 2, status: 'imported', headName: '甲' }),
      expect.objectContaining({
        row: 3,
        status: 'refused',
        reason: expect.objectContaining({ code: 'DUPLICATE_ID_NUMBER', existingHouseholdId: registeredHouseholdId }),
      }),
      expect.objectContaining({
        row: 4,
        status: 'refused',
        reason: expect.objectContaining({
          code: 'DUPLICATE_ID_NUMBER',
          duplicateOfRow: 2,
          message: expect.stringContaining('第 2 行'),
        }),
      }),
    ]);

    // Importing the same file again: everything is already there.
    const again = await upload(csv(row({ name: '甲', id: twice }))).expect(200);
    expect(again.body.rows[0]).toMatchObject({ status: 'refused', reason: { code: 'DUPLICATE_ID_NUMBER' } });
  });

  it('dryRun validates and reports without writing anything (but logs the read)', async () => {
    const before = { h: await count('households'), e: await count('household_status_events') };
    const res = await upload(csv(row({ name: '试一' }), row({ name: '试二', size: '99' })), { dryRun: true }).expect(
      200,
    );
    expect(res.body).toMatchObject({ dryRun: true, total: 2, imported: 1, refused: 1 });
    expect(res.body.rows[0].householdId).toBeUndefined();
    expect(await count('households')).toBe(before.h);
    expect(await count('household_status_events')).toBe(before.e);
    const [log] = await t.db.query(`SELECT action, detail FROM personal_data_access_log ORDER BY at DESC LIMIT 1`);
    expect(log.action).toBe('registry.import');
    expect(log.detail).toContain('dryRun');
  });

  it('logs one registry.import access row per import, with the file name and counts, searchable by action', async () => {
    await upload(csv(row()), { name: '柞水县名单.csv' }).expect(200);
    const res = await t.http
      .get('/api/admin/access-log')
      .query({ action: 'registry.import', actorId: admin.user.id })
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(res.body.items[0]).toMatchObject({
      action: 'registry.import',
      householdId: null,
      actorName: admin.user.displayName,
    });
    expect(res.body.items[0].detail).toMatch(/^file=柞水县名单\.csv; encoding=utf-8; rows=1; imported=1; refused=0$/);
  });

  it('answers 400 naming the missing headers, and writes nothing', async () => {
    const before = await count('households');
    const res = await upload(
      '户主姓名,身份证号,省,市,县,村,家庭人口,状态\r\n' + '王小明,x,陕西省,商洛市,柞水县,金米村,3,建档立卡\r\n',
    ).expect(400);
    expect(res.body.code).toBe('MISSING_HEADERS');
    expect(res.body.details.missing).toEqual(['乡镇', '致贫原因', '状态日期']);
    expect(res.body.message).toContain('乡镇');
    expect(await count('households')).toBe(before);
  });

  it.each([
    ['an Excel workbook', 'NOT_CSV', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])],
    ['a PNG image', 'NOT_CSV', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
    ['random binary', 'NOT_CSV', Buffer.from([0x01, 0x02, 0x00, 0xff, 0xfe, 0x10])],
    ['UTF-16 text', 'UNSUPPORTED_ENCODING', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')])],
    ['an empty file', 'EMPTY_FILE', Buffer.alloc(0)],
    ['a BOM and blank lines', 'EMPTY_FILE', Buffer.from('\uFEFF\r\n\r\n', 'utf8')],
    ['an unclosed quote', 'MALFORMED_CSV', Buffer.from(`${HEADER}\r\n"王小明,1\r\n`, 'utf8')],
    ['plain prose', 'MISSING_HEADERS', Buffer.from('这不是表格，只是一段话。', 'utf8')],
  ] as const)('answers %s with 400 %s, never a 500', async (_what, code, bytes) => {
    const res = await upload(bytes);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  it('answers no file with 400 FILE_REQUIRED, and a file over 5 MB with 413', async () => {
    const none = await t.http
      .post('/api/admin/households/import')
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(400);
    expect(none.body.code).toBe('FILE_REQUIRED');
    const json = await t.http
      .post('/api/admin/households/import')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ file: 'x' })
      .expect(400);
    expect(json.body.code).toBe('FILE_REQUIRED');
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x41);
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a coop_admin cannot import (403) and nothing is read from the file', async () => {
    const coop = await insertCooperative(t);
    const coopAdmin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const before = await count('households');
    await upload(csv(row()), { token: coopAdmin.token }).expect(403);
    expect(await count('households')).toBe(before);
  });

  it('handles a quoted cell spanning lines and keeps the line numbers of the file', async () => {
    const file = csv(
      row({ name: '甲' }),
      row({ name: '乙', reason: '"第一行\n第二行"' }),
      row({ name: '丙', size: '0' }),
    );
    const res = await upload(file).expect(200);
    expect(res.body.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [2, 'imported'],
      [3, 'imported'],
      [5, 'refused'],
    ]);
  });
});
