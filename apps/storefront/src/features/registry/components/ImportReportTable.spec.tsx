import { fireEvent, render, screen, within } from '@testing-library/react';
import type { RegistryImportReport } from '@xiangbo/contracts';
import { MemoryRouter } from 'react-router-dom';
import i18n, { DEFAULT_LANGUAGE } from '../../../i18n/i18n';
import { ImportReportTable } from './ImportReportTable';

const mixed: RegistryImportReport = {
  dryRun: false,
  encoding: 'gbk',
  total: 4,
  imported: 2,
  refused: 2,
  rows: [
    { row: 2, status: 'imported', headName: '王小明', householdId: 'h-1' },
    {
      row: 3,
      status: 'refused',
      headName: '李梅',
      reason: { code: 'INVALID_ID_NUMBER', message: '身份证号校验位不正确，请核对', fields: ['idNumber'] },
    },
    { row: 5, status: 'imported', headName: '张建国', householdId: 'h-2' },
    {
      row: 6,
      status: 'refused',
      headName: '赵丽',
      reason: {
        code: 'DUPLICATE_ID_NUMBER',
        message: '身份证号已在农户档案中',
        fields: ['idNumber'],
        existingHouseholdId: 'h-old',
      },
    },
  ],
};

function renderReport(report: RegistryImportReport) {
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <ImportReportTable report={report} />
    </MemoryRouter>,
  );
}

const rowNumbers = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0].textContent);

// Rendered alone (not through the whole app), in Chinese unless a test switches.
beforeEach(() => i18n.changeLanguage(DEFAULT_LANGUAGE));

describe('ImportReportTable', () => {
  it('summarises the import and opens on the refused rows, each with its line number and reason', () => {
    renderReport(mixed);
    expect(screen.getByRole('heading', { name: '导入报告' })).toBeTruthy();
    expect(screen.getByTestId('import-summary').textContent).toBe('共 4 行：已导入 2 行，未导入 2 行。');
    expect(screen.getByText('文件编码：GBK')).toBeTruthy();
    expect(screen.getByRole('radio', { name: '仅未导入（2）' })).toHaveProperty('checked', true);
    expect(rowNumbers()).toEqual(['3', '6']);

    const bad = within(screen.getByTestId('report-row-3'));
    expect(bad.getByText('李梅')).toBeTruthy();
    expect(bad.getByText('未导入')).toBeTruthy();
    expect(bad.getByText('身份证号无效')).toBeTruthy();
    expect(bad.getByText('身份证号校验位不正确，请核对')).toBeTruthy();

    const dup = within(screen.getByTestId('report-row-6'));
    expect(dup.getByText('身份证号重复')).toBeTruthy();
    expect(dup.getByRole('link', { name: '查看已有档案' }).getAttribute('href')).toBe('/admin/registry/h-old');
  });

  it('shows every row with links to the imported households when "all" is chosen', () => {
    renderReport(mixed);
    fireEvent.click(screen.getByRole('radio', { name: '全部（4）' }));
    expect(rowNumbers()).toEqual(['2', '3', '5', '6']);
    const ok = within(screen.getByTestId('report-row-2'));
    expect(ok.getByText('已导入')).toBeTruthy();
    expect(ok.getByRole('link', { name: '查看档案' }).getAttribute('href')).toBe('/admin/registry/h-1');
  });

  it('says so when nothing was refused, and labels a dry run as not written', () => {
    renderReport({
      dryRun: true,
      encoding: 'utf-8',
      total: 1,
      imported: 1,
      refused: 0,
      rows: [{ row: 2, status: 'imported', headName: '王小明' }],
    });
    expect(screen.getByRole('heading', { name: '检查报告（尚未导入）' })).toBeTruthy();
    expect(screen.getByTestId('import-summary').textContent).toContain('未写入任何数据');
    expect(screen.getByRole('radio', { name: '全部（1）' })).toHaveProperty('checked', true);
    expect(within(screen.getByTestId('report-row-2')).getByText('可导入')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '仅未导入（0）' }));
    expect(screen.getByText('没有未导入的行。')).toBeTruthy();
  });

  it('speaks English when chosen', async () => {
    await i18n.changeLanguage('en');
    renderReport(mixed);
    expect(screen.getByTestId('import-summary').textContent).toBe('4 rows: 2 imported, 2 refused.');
    expect(within(screen.getByTestId('report-row-3')).getByText('Invalid ID number')).toBeTruthy();
  });
});
