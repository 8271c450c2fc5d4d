import { REGISTRY_IMPORT_MAX_BYTES, type RegistryImportReport } from '@xiangbo/contracts';
import { registryCsvTemplate } from '@xiangbo/domain';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../../forms/FormError';
import { apiErrorMessage } from '../../../i18n/api-errors';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { AdminShell } from '../../console/ConsoleShell';
import { useRegistryImport, type UploadProgress } from '../api';
import { ImportReportTable } from '../components/ImportReportTable';
import { registryErrorMessage } from '../errors';

/** Offers the CSV template as a download, made here from the same headers the server reads. */
function downloadTemplate(fileName: string) {
  const url = URL.createObjectURL(new Blob([registryCsvTemplate()], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** /admin/registry/import: upload a CSV (with progress), check it first if wished, read the per-row report. */
export function RegistryImportPage() {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('import.title'));
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [report, setReport] = useState<RegistryImportReport | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const upload = useRegistryImport(setProgress);

  function start(dry: boolean) {
    if (!file) {
      setFileError(t('import.chooseFile'));
      input.current?.focus();
      return;
    }
    if (file.size > REGISTRY_IMPORT_MAX_BYTES) {
      setFileError(t('import.tooLarge'));
      input.current?.focus();
      return;
    }
    setFileError(null);
    setReport(null);
    setProgress({ loaded: 0, total: file.size, processing: false });
    upload.mutate({ file, dryRun: dry }, { onSuccess: (r) => setReport(r), onSettled: () => setProgress(null) });
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    start(dryRun);
  }

  const percent =
    progress && progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;

  return (
    <AdminShell section="import" title={t('import.title')}>
      <section className="card">
        <p>{t('import.intro')}</p>
        <p className="muted">{t('import.headers')}</p>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => downloadTemplate(t('import.templateFile'))}
        >
          {t('import.template')}
        </button>
      </section>

      <form className="card form" onSubmit={onSubmit} noValidate aria-label={t('import.title')}>
        <FormError
          message={upload.isError ? (registryErrorMessage(t, upload.error) ?? apiErrorMessage(tc, upload.error)) : null}
        />
        <div className={fileError ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor="registry-file">
            {t('import.file')}
          </label>
          <input
            ref={input}
            id="registry-file"
            name="file"
            type="file"
            accept=".csv,.txt,text/csv"
            className="field__input registry-file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(null);
              setReport(null);
              upload.reset();
            }}
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'registry-file-error' : 'registry-file-hint'}
          />
          {fileError ? (
            <p className="field__error" id="registry-file-error">
              {fileError}
            </p>
          ) : (
            <p className="field__hint" id="registry-file-hint">
              {t('import.fileHint')}
            </p>
          )}
        </div>
        <label className="registry-check registry-check--block">
          <input type="checkbox" name="dryRun" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
          <span>
            {t('import.dryRun')}
            <span className="field__hint registry-check__hint">{t('import.dryRunHint')}</span>
          </span>
        </label>

        {progress && (
          <div className="registry-progress" data-testid="upload-progress">
            <progress
              className="registry-progress__bar"
              aria-label={t('import.progressLabel')}
              max={100}
              value={progress.processing ? undefined : percent}
            />
            <p role="status" className="registry-progress__text">
              {progress.processing ? t('import.processing') : t('import.uploading', { percent })}
            </p>
          </div>
        )}

        <button
          type="submit"
          className="button button--primary"
          disabled={upload.isPending}
          aria-busy={upload.isPending}
        >
          {dryRun ? t('import.submitDryRun') : t('import.submit')}
        </button>
      </form>

      {report && (
        <>
          {report.dryRun && report.imported > 0 && (
            <div className="registry-confirm">
              <button
                type="button"
                className="button button--primary"
                onClick={() => start(false)}
                disabled={upload.isPending}
              >
                {t('import.confirm', { count: report.imported })}
              </button>
            </div>
          )}
          <ImportReportTable report={report} />
        </>
      )}
    </AdminShell>
  );
}
