import fc from 'fast-check';
import { idNumberCheckChar } from './privacy';
import {
  isCalendarDate,
  missingRegistryHeaders,
  normaliseCsvDate,
  parsePovertyCauses,
  parseRegistryRow,
  parseRegistryStatus,
  REGISTRY_CSV_COLUMNS,
  REGISTRY_CSV_REQUIRED_HEADERS,
  registryCsvTemplate,
  todayInChina,
} from './registry-csv';

const validId = (first17 = '61102619800101001') => first17 + idNumberCheckChar(first17);

const good: Record<string, string> = {
  户主姓名: '王小明',
  身份证号: validId(),
  省: '陕西省',
  市: '商洛市',
  县: '柞水县',
  乡镇: '小岭镇',
  村: '金米村',
  家庭人口: '4',
  致贫原因: '因病、缺技术',
  状态: '建档立卡',
  状态日期: '2016-03-01',
  原因: '识别为建档立卡户',
};

describe('registry CSV headers', () => {
  it('names every missing required header, ignoring BOMs and stray spaces, and does not require 原因', () => {
    expect(
      missingRegistryHeaders([
        '\uFEFF户主姓名',
        ' 身份证号 ',
        '省',
        '市',
        '县',
        '乡镇',
        '村',
        '家庭人口',
        '致贫原因',
        '状态',
        '状态日期',
      ]),
    ).toEqual([]);
    expect(missingRegistryHeaders(['户主姓名', '省'])).toEqual(
      REGISTRY_CSV_REQUIRED_HEADERS.filter((h) => h !== '户主姓名' && h !== '省'),
    );
    expect(REGISTRY_CSV_REQUIRED_HEADERS).not.toContain('原因');
  });
});

describe('parseRegistryRow', () => {
  const today = '2025-06-01';

  it('reads a good row into registry codes', () => {
    const r = parseRegistryRow(good, today);
    expect(r).toEqual({
      ok: true,
      row: {
        headName: '王小明',
        idNumber: validId(),
        province: '陕西省',
        city: '商洛市',
        county: '柞水县',
        township: '小岭镇',
        village: '金米村',
        householdSize: 4,
        povertyCauses: ['illness', 'lack_of_skills'],
        status: 'registered',
        statusDate: '2016-03-01',
        reason: '识别为建档立卡户',
      },
    });
  });

  it('upper-cases a trailing x and accepts an empty cause list and reason', () => {
    const first17 = '11010519491231002';
    const check = idNumberCheckChar(first17);
    const r = parseRegistryRow(
      { ...good, 身份证号: (first17 + check).toLowerCase(), 致贫原因: '', 原因: '', 状态: '一般户' },
      today,
    );
    expect(r.ok && r.row.idNumber).toBe(first17 + check);
    expect(r.ok && r.row.povertyCauses).toEqual([]);
    expect(r.ok && r.row.status).toBe('none');
  });

  it.each([
    ['身份证号', '1234', 'INVALID_ID_NUMBER', 'idNumber', '18 位'],
    ['身份证号', validId('61102619801301001'), 'INVALID_ID_NUMBER', 'idNumber', '出生日期'],
    [
      '身份证号',
      '61102619800101001' + (idNumberCheckChar('61102619800101001') === '1' ? '2' : '1'),
      'INVALID_ID_NUMBER',
      'idNumber',
      '校验位',
    ],
    ['家庭人口', '0', 'INVALID_HOUSEHOLD_SIZE', 'householdSize', '家庭人口'],
    ['家庭人口', '3.5', 'INVALID_HOUSEHOLD_SIZE', 'householdSize', '家庭人口'],
    ['家庭人口', '31', 'INVALID_HOUSEHOLD_SIZE', 'householdSize', '家庭人口'],
    ['致贫原因', '因病、懒惰', 'UNKNOWN_POVERTY_CAUSE', 'povertyCauses', '懒惰'],
    ['状态', '小康', 'UNKNOWN_STATUS', 'status', '小康'],
    ['状态日期', '2016-02-30', 'INVALID_DATE', 'statusDate', '状态日期'],
    ['状态日期', '去年', 'INVALID_DATE', 'statusDate', '状态日期'],
    ['状态日期', '2025-06-02', 'FUTURE_DATE', 'statusDate', '晚于今天'],
    ['户主姓名', '', 'MISSING_VALUE', 'headName', '户主姓名'],
    ['村', '', 'MISSING_VALUE', 'village', '村'],
    ['户主姓名', '王'.repeat(41), 'TOO_LONG', 'headName', '40'],
  ])('refuses %s = %j with %s naming the column', (header, value, code, field, inMessage) => {
    const r = parseRegistryRow({ ...good, [header]: value }, today);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code, field });
    expect(r.problems[0].message).toContain(inMessage);
  });

  it('reports every problem of a row at once', () => {
    const r = parseRegistryRow({ ...good, 身份证号: '', 状态: '?', 家庭人口: '0' }, today);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(['idNumber', 'householdSize', 'status']);
  });

  it('never puts the ID number into a problem message', () => {
    const bad = validId().slice(0, 17) + (validId().endsWith('1') ? '2' : '1');
    const r = parseRegistryRow({ ...good, 身份证号: bad }, today);
    expect(JSON.stringify(r)).not.toContain(bad);
  });
});

describe('vocabulary', () => {
  it('reads statuses by Chinese label, common aliases and code', () => {
    expect(parseRegistryStatus('建档立卡')).toBe('registered');
    expect(parseRegistryStatus(' 防返贫监测 ')).toBe('monitored');
    expect(parseRegistryStatus('已脱贫')).toBe('lifted');
    expect(parseRegistryStatus('一般户')).toBe('none');
    expect(parseRegistryStatus('脱贫户')).toBe('lifted');
    expect(parseRegistryStatus('monitored')).toBe('monitored');
    expect(parseRegistryStatus('富裕')).toBeNull();
  });

  it('splits causes on 、 ; ； and commas, dropping repeats', () => {
    expect(parsePovertyCauses('因病;因残；因学、因灾,缺劳力，缺技术 其他 因病')).toEqual({
      causes: ['illness', 'disability', 'schooling', 'disaster', 'lack_of_labour', 'lack_of_skills', 'other'],
      unknown: [],
    });
    expect(parsePovertyCauses('因病、天灾')).toEqual({ causes: ['illness'], unknown: ['天灾'] });
  });

  it('normalises spreadsheet date spellings and validates calendar dates', () => {
    expect(normaliseCsvDate('2024/3/5')).toBe('2024-03-05');
    expect(normaliseCsvDate('2024.03.05')).toBe('2024-03-05');
    expect(normaliseCsvDate('2024年3月5日')).toBe('2024-03-05');
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-3-5')).toBe(false);
  });

  it('counts today in China time', () => {
    expect(todayInChina(new Date('2025-01-01T16:30:00Z'))).toBe('2025-01-02');
    expect(todayInChina(new Date('2025-01-01T15:59:00Z'))).toBe('2025-01-01');
  });

  it('accepts every real date and refuses impossible ones (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) =>
        isCalendarDate(d.toISOString().slice(0, 10)),
      ),
    );
    fc.assert(fc.property(fc.integer({ min: 32, max: 99 }), (day) => !isCalendarDate(`2024-01-${day}`)));
  });
});

describe('registryCsvTemplate', () => {
  it('has the headers in order and example rows that parse', () => {
    const text = registryCsvTemplate();
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = text.slice(1).trim().split('\r\n');
    expect(header.split(',')).toEqual(Object.values(REGISTRY_CSV_COLUMNS));
    for (const line of rows) {
      const cells = line.split(',');
      const record = Object.fromEntries(header.split(',').map((h, i) => [h, cells[i]]));
      expect(parseRegistryRow(record).ok).toBe(true);
    }
  });
});
