import type { BulkLinkMembersResponse, BulkMemberRow } from '@xiangbo/contracts';
import { formatLandMu } from '@xiangbo/contracts';
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../forms/Field';
import { FormError } from '../../forms/FormError';
import { apiFieldErrors } from '../../i18n/api-errors';
import { useBulkLinkMembers } from './api';
import { chinaToday } from '../../format';
import { useCoopErrorMessage } from './shared';

/** A CSV saved by Excel on a Chinese Windows is GBK; anything else is UTF-8. */
export async function readCsvText(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

const GOOD = new Set(['ok', 'linked']);

/**
 * 批量关联: the ID numbers a cooperative keeps in a spreadsheet, pasted (or its CSV chosen) at once, optionally with
 * shares and land; the preview shows a verdict per line (the ID masked), and one tap links every good line.
 */
export function BulkLinkMembers({ coopId, onLinked }: { coopId: string; onLinked: (msg: string) => void }) {
  const { t } = useTranslation('coop');
  const errorMessage = useCoopErrorMessage();
  const textId = useId();
  const [text, setText] = useState('');
  const [joinedAt, setJoinedAt] = useState(chinaToday());
  const [report, setReport] = useState<BulkLinkMembersResponse | null>(null);
  const send = useBulkLinkMembers(coopId, {
    onSuccess: (r) => {
      setReport(r);
      if (r.committed) onLinked(t('console.bulk.done', { n: r.linked }));
    },
  });
  const fieldErrors = apiFieldErrors(send.error);

  const preview = (e: FormEvent) => {
    e.preventDefault();
    send.mutate({ text, joinedAt, commit: false });
  };
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setText(await readCsvText(file));
    setReport(null);
  };

  return (
    <form className="form card coop-link-form" onSubmit={preview} noValidate aria-labelledby="bulk-heading">
      <h2 id="bulk-heading" className="card__heading">
        {t('console.bulk.heading')}
      </h2>
      <p className="muted">{t('console.bulk.lead')}</p>
      <FormError message={send.isError && !Object.keys(fieldErrors).length ? errorMessage(send.error) : null} />
      <div className={fieldErrors.text ? 'field field--invalid' : 'field'}>
        <label className="field__label" htmlFor={textId}>
          {t('console.bulk.text')}
        </label>
        <textarea
          id={textId}
          name="text"
          className="field__input coop-mono coop-bulk__text"
          rows={6}
          value={text}
          placeholder={'611022197001011234,2,1.5\n611022197101021235'}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={fieldErrors.text ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setReport(null);
          }}
        />
        {fieldErrors.text && <p className="field__error">{fieldErrors.text}</p>}
      </div>
      <label className="coop-bulk__file">
        {t('console.bulk.file')}
        <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => void onFile(e)} />
      </label>
      <Field
        name="bulkJoinedAt"
        type="date"
        label={t('console.bulk.joinedAt')}
        value={joinedAt}
        max={chinaToday()}
        onValueChange={setJoinedAt}
        error={fieldErrors.joinedAt}
      />
      <div className="button-row">
        <button type="submit" className="button button--secondary" disabled={send.isPending || !text.trim()}>
          {t('console.bulk.preview')}
        </button>
        {report && !report.committed && report.linkable > 0 && (
          <button
            type="button"
            className="button button--primary"
            data-testid="bulk-commit"
            disabled={send.isPending}
            aria-busy={send.isPending}
            onClick={() => send.mutate({ text, joinedAt, commit: true })}
          >
            {t('console.bulk.commit', { n: report.linkable })}
          </button>
        )}
      </div>
      {report && <BulkReport report={report} />}
    </form>
  );
}

function BulkReport({ report }: { report: BulkLinkMembersResponse }) {
  const { t } = useTranslation('coop');
  const bad = report.rows.filter((r) => !GOOD.has(r.status));
  return (
    <div className="coop-bulk__report" data-testid="bulk-report" aria-live="polite">
      <p>
        <strong>
          {report.committed
            ? t('console.bulk.summaryDone', { linked: report.linked, bad: bad.length })
            : t('console.bulk.summary', { ok: report.linkable, bad: bad.length })}
        </strong>
      </p>
      <div className="coop-table-wrap">
        <table className="coop-table">
          <thead>
            <tr>
              <th scope="col">{t('console.bulk.line')}</th>
              <th scope="col">{t('console.idNumber')}</th>
              <th scope="col">{t('console.bulk.head')}</th>
              <th scope="col">{t('console.bulk.verdict')}</th>
            </tr>
          </thead>
          <tbody>
            {[...bad, ...report.rows.filter((r) => GOOD.has(r.status))].map((r) => (
              <tr key={r.line} className={GOOD.has(r.status) ? undefined : 'coop-bulk__bad'}>
                <td className="coop-num">{r.line}</td>
                <td className="coop-mono">{r.idMasked}</td>
                <td>{r.headMasked ?? '—'}</td>
                <td>{verdict(t, r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function verdict(t: ReturnType<typeof useTranslation<'coop'>>['t'], r: BulkMemberRow): string {
  const values = t('console.bulk.values', { shares: r.shareUnits, land: formatLandMu(r.landMuHundredths) });
  switch (r.status) {
    case 'ok':
    case 'linked':
      return `${t(`console.bulk.status.${r.status}`)}（${values}）`;
    case 'invalid_id':
      return t(`console.bulk.idProblem.${(r.reason ?? 'format') as 'format' | 'birth_date' | 'checksum'}`);
    case 'member_elsewhere':
      return t('console.bulk.status.member_elsewhere', { name: r.reason ?? '' });
    case 'invalid_values':
      return r.reason?.startsWith('joined_before_left:')
        ? t('console.bulk.joinedBeforeLeft', { date: r.reason.slice('joined_before_left:'.length) })
        : t('console.bulk.status.invalid_values');
    default:
      return t(`console.bulk.status.${r.status}`);
  }
}
