import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fenToYuanString, type VerifyResult } from '@xiangbo/domain';
import { plainBreak } from './break-messages';
import type { VerifyMessage, VerifyRequest } from './verify-protocol';
import './verify.css';

const HEAD = /^\d{1,15}:[0-9a-f]{64}$/;

type State =
  | { phase: 'idle' }
  | { phase: 'checking'; percent: number }
  | { phase: 'done'; result: VerifyResult }
  | { phase: 'failed'; message: string };

/**
 * /verify: a village committee checks a ledger export on a phone, offline. The file is read by a Web Worker running
 * the same domain code as `verify-ledger` (nothing is uploaded); the verdict, the head to compare with the published
 * one, and each break in plain words.
 */
export function VerifyPage() {
  const { t } = useTranslation('verify');
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [head, setHead] = useState('');
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  const headInvalid = head.trim() !== '' && !HEAD.test(head.trim());

  function check(file: File | undefined) {
    if (!file || headInvalid) return;
    worker.current?.terminate();
    const w = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setState({ phase: 'checking', percent: 0 });
    w.onmessage = (event: MessageEvent<VerifyMessage>) => {
      const m = event.data;
      if (m.type === 'progress')
        setState({ phase: 'checking', percent: m.total ? Math.floor((100 * m.read) / m.total) : 100 });
      else if (m.type === 'result') setState({ phase: 'done', result: m.result });
      else setState({ phase: 'failed', message: m.message });
      if (m.type !== 'progress') w.terminate();
    };
    w.onerror = (e) => setState({ phase: 'failed', message: e.message });
    const request: VerifyRequest = { file, heads: head.trim() ? [head.trim()] : [] };
    w.postMessage(request);
  }

  return (
    <section className="verify-page">
      <h1>{t('title')}</h1>
      <p className="verify-intro">{t('intro')}</p>
      <label className="verify-field">
        <span>{t('headLabel')}</span>
        <input
          type="text"
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          value={head}
          onChange={(e) => setHead(e.target.value)}
          aria-invalid={headInvalid}
          data-testid="verify-head"
          placeholder="120:9f2c…"
        />
        <small className={headInvalid ? 'verify-error' : undefined}>
          {headInvalid ? t('headInvalid') : t('headHint')}
        </small>
      </label>
      <label className="verify-field verify-file">
        <span>{t('fileLabel')}</span>
        <input
          type="file"
          accept=".jsonl,.json,.txt,application/x-ndjson"
          data-testid="verify-file"
          onChange={(e) => check(e.target.files?.[0])}
        />
      </label>
      <p className="verify-private">{t('private')}</p>

      {state.phase === 'checking' && (
        <div className="verify-progress" role="status">
          <progress max={100} value={state.percent} />
          <span>{t('checking', { percent: state.percent })}</span>
        </div>
      )}
      {state.phase === 'failed' && (
        <div className="verify-result broken" data-testid="verify-result" data-verdict="broken" role="alert">
          {t('failed', { message: state.message })}
        </div>
      )}
      {state.phase === 'done' && <ResultView result={state.result} />}
    </section>
  );
}

function ResultView({ result }: { result: VerifyResult }) {
  const { t } = useTranslation('verify');
  const owed = Object.entries(result.balances)
    .filter(([a]) => /:household:.+:payable$/.test(a))
    .reduce((s, [, v]) => s - v, 0);
  return (
    <div
      className={`verify-result ${result.ok ? 'ok' : 'broken'}`}
      data-testid="verify-result"
      data-verdict={result.ok ? 'ok' : 'broken'}
      role={result.ok ? 'status' : 'alert'}
    >
      <h2>
        {result.ok
          ? t('ok', { count: result.transactions })
          : t(result.truncated ? 'brokenMore' : 'broken', { count: result.breaks.length })}
      </h2>
      <dl>
        <dt>{t('transactions')}</dt>
        <dd>{result.transactions}</dd>
        <dt>{t('head')}</dt>
        <dd className="verify-hash" data-testid="verify-own-head">
          {result.transactions}:{result.lastHash}
        </dd>
      </dl>
      <p>{t('owed', { amount: `¥${fenToYuanString(owed)}` })}</p>
      {result.ok && <RegistryTable result={result} />}
      {result.breaks.length > 0 && (
        <ol className="verify-breaks" data-testid="verify-breaks">
          {result.breaks.map((b, i) => {
            const plain = plainBreak(b);
            return (
              <li key={i} data-line={b.line}>
                <strong>
                  {b.seq !== undefined ? t('whereTx', { line: b.line, seq: b.seq }) : t('where', { line: b.line })}
                </strong>
                <span>{t(`breaks.${plain.key}`, plain.values)}</span>
                <details>
                  <summary>{t('original')}</summary>
                  <code>
                    {b.idempotencyKey ? `${b.idempotencyKey}: ` : ''}
                    {b.message}
                  </code>
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

/**
 * What reached households of each registry status (建档立卡, 监测…) at the time of each credit, what reversals took
 * back and what was paid out (first in, first out), from the export alone; a status with nothing is left out.
 */
export function RegistryTable({ result }: { result: VerifyResult }) {
  const { t } = useTranslation('verify');
  const yuan = (fen: number) => `¥${fenToYuanString(fen)}`;
  const rows = result.registry.rows.filter((r) => r.creditedFen || r.reversedFen || r.paidOutFen);
  return (
    <section className="verify-registry" data-testid="verify-registry">
      <h3>{t('registryTitle')}</h3>
      <p>{t('registryIntro')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('registryStatus')}</th>
            <th scope="col">{t('registryCredited')}</th>
            <th scope="col">{t('registryReversed')}</th>
            <th scope="col">{t('registryPaidOut')}</th>
            <th scope="col">{t('registryOwed')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.status} data-status={r.status}>
              <th scope="row">{t(`registryStatuses.${r.status}`)}</th>
              <td>{yuan(r.creditedFen)}</td>
              <td>{yuan(r.reversedFen)}</td>
              <td>{yuan(r.paidOutFen)}</td>
              <td>{yuan(r.owedFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="verify-note">{t('registryConfirmations')}</p>
    </section>
  );
}
