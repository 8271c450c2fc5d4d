import iconv from 'iconv-lite';
import { decodeCsvBytes, parseCsvTable } from './registry-csv-file';

const HEADER = '户主姓名,身份证号,省,市,县,乡镇,村,家庭人口,致贫原因,状态,状态日期,原因';

describe('registry CSV file (bytes → rows)', () => {
  it('takes valid UTF-8 as UTF-8, with or without a BOM', () => {
    expect(decodeCsvBytes(Buffer.from('王小明', 'utf8'))).toEqual({ text: '王小明', encoding: 'utf-8' });
    expect(decodeCsvBytes(Buffer.from('\uFEFF王小明', 'utf8'))).toEqual({ text: '王小明', encoding: 'utf-8' });
  });

  it('falls back to GBK when the bytes are not UTF-8', () => {
    expect(decodeCsvBytes(iconv.encode('户主姓名,欧阳秀英', 'gbk'))).toEqual({
      text: '户主姓名,欧阳秀英',
      encoding: 'gbk',
    });
  });

  it('plain ASCII is UTF-8 (both would do)', () => {
    expect(decodeCsvBytes(Buffer.from('a,b')).encoding).toBe('utf-8');
  });

  it('refuses workbooks and binary data with NOT_CSV', () => {
    expect(() => decodeCsvBytes(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toThrow(
      expect.objectContaining({ code: 'NOT_CSV', status: 400 }),
    );
    expect(() => decodeCsvBytes(Buffer.from([0x41, 0x00, 0x42]))).toThrow(expect.objectContaining({ code: 'NOT_CSV' }));
    expect(() => decodeCsvBytes(Buffer.from('a\u0007b'))).toThrow(expect.objectContaining({ code: 'NOT_CSV' }));
  });

  it('numbers rows by their first line in the file, skipping blank and comma-only lines', () => {
    const text = [HEADER, 'a,1', '', ',,,', '"b\nb",2', 'c,3'].join('\r\n');
    const table = parseCsvTable(text);
    expect(table.rows.map((r) => [r.line, r.cells['户主姓名']])).toEqual([
      [2, 'a'],
      [5, 'b\nb'],
      [7, 'c'],
    ]);
  });

  it('reads header cells with spaces and a BOM, and names the missing ones', () => {
    expect(parseCsvTable('\uFEFF' + HEADER.replace('户主姓名', ' 户主 姓名 ')).headers[0]).toBe('户主姓名');
    expect(() => parseCsvTable('户主姓名,身份证号\r\n')).toThrow(
      expect.objectContaining({
        code: 'MISSING_HEADERS',
        details: { missing: ['省', '市', '县', '乡镇', '村', '家庭人口', '致贫原因', '状态', '状态日期'] },
      }),
    );
  });

  it('says where the CSV breaks', () => {
    expect(() => parseCsvTable(`${HEADER}\r\na,1\r\n"b,2\r\n`)).toThrow(
      expect.objectContaining({ code: 'MALFORMED_CSV', status: 400 }),
    );
  });
});
