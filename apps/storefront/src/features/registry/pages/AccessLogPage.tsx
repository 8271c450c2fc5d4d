import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { FormError } from '../../../forms/FormError';
import { apiErrorMessage } from '../../../i18n/api-errors';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { AdminShell } from '../../console/ConsoleShell';
import { ACCESS_LOG_PAGE_SIZE, useAccessLog, type AccessLogSearch } from '../api';
import { Pager } from '../components/Pager';
import { formatDateTime } from '../../../format';

const KNOWN_ACTIONS = [
  'household.search',
  'household.read',
  'household.create',
  'household.update',
  'household.status',
  'registry.import',
] as const;
const FILTERS = ['action', 'householdId', 'actorId', 'from', 'to'] as const;

/** /admin/access-log: who read which household's personal data, when, and what they asked. */
export function AccessLogPage() {
  const { t } = useTranslation('registry');
  useDocumentTitle(t('accessLog.title'));
  return (
    <AdminShell section="accessLog" title={t('accessLog.title')}>
      <AccessLog />
    </AdminShell>
  );
}

function AccessLog() {
  const { t, i18n } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search: AccessLogSearch = {
    actorId: params.get('actorId') ?? '',
    householdId: params.get('householdId') ?? '',
    action: params.get('action') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    page: Math.max(1, Number(params.get('page')) || 1),
  };
  const [draft, setDraft] = useState(search);
  const log = useAccessLog(search);

  function apply(next: Partial<AccessLogSearch>) {
    const s = { ...search, ...next };
    const p = new URLSearchParams();
    for (const k of FILTERS) if (s[k].trim()) p.set(k, s[k].trim());
    if (s.page > 1) p.set('page', String(s.page));
    setParams(p);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    apply({ ...draft, page: 1 });
  }

  const actionLabel = (a: string) =>
    (KNOWN_ACTIONS as readonly string[]).includes(a)
      ? t(`accessLog.actions.${a as (typeof KNOWN_ACTIONS)[number]}`)
      : a;

  return (
    <>
      <p className="muted">{t('accessLog.intro')}</p>
      <form
        className="card registry-filters registry-filters--log"
        onSubmit={onSubmit}
        aria-label={t('accessLog.title')}
      >
        <div className="field">
          <label className="field__label" htmlFor="log-action">
            {t('accessLog.action')}
          </label>
          <select
            id="log-action"
            className="field__input"
            value={draft.action}
            onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}
          >
            <option value="">{t('accessLog.anyAction')}</option>
            {KNOWN_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </div>
        {(['householdId', 'actorId'] as const).map((f) => (
          <div className="field" key={f}>
            <label className="field__label" htmlFor={`log-${f}`}>
              {t(`accessLog.${f}`)}
            </label>
            <input
              id={`log-${f}`}
              className="field__input registry-mono"
              value={draft[f]}
              onChange={(e) => setDraft((d) => ({ ...d, [f]: e.target.value }))}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
        ))}
        {(['from', 'to'] as const).map((f) => (
          <div className="field" key={f}>
            <label className="field__label" htmlFor={`log-${f}`}>
              {t(`accessLog.${f}`)}
            </label>
            <input
              id={`log-${f}`}
              type="date"
              className="field__input"
              value={draft[f]}
              onChange={(e) => setDraft((d) => ({ ...d, [f]: e.target.value }))}
            />
          </div>
        ))}
        <div className="button-row registry-filters__buttons">
          <button type="submit" className="button button--primary">
            {t('accessLog.submit')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              const empty = { actorId: '', householdId: '', action: '', from: '', to: '', page: 1 };
              setDraft(empty);
              apply(empty);
            }}
          >
            {t('accessLog.clear')}
          </button>
        </div>
      </form>

      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <FormError message={apiErrorMessage(tc, log.error)} />
      ) : log.data.items.length === 0 ? (
        <EmptyState title={t('accessLog.empty')} />
      ) : (
        <>
          <p className="registry-count" role="status">
            {t('accessLog.results', { count: log.data.total })}
          </p>
          <div className="registry-table-wrap">
            <table className="registry-table registry-table--log">
              <thead>
                <tr>
                  <th scope="col">{t('accessLog.at')}</th>
                  <th scope="col">{t('accessLog.actor')}</th>
                  <th scope="col">{t('accessLog.action')}</th>
                  <th scope="col">{t('accessLog.household')}</th>
                  <th scope="col">{t('accessLog.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {log.data.items.map((e) => (
                  <tr key={e.id} data-testid="access-log-row">
                    <td data-label={t('accessLog.at')}>
                      <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>
                    </td>
                    <td data-label={t('accessLog.actor')}>
                      <span>
                        <button
                          type="button"
                          className="registry-linkish"
                          onClick={() => {
                            setDraft((d) => ({ ...d, actorId: e.actorId }));
                            apply({ actorId: e.actorId, page: 1 });
                          }}
                        >
                          {e.actorName ?? e.actorId}
                        </button>
                        <span className="muted registry-role">
                          {' '}
                          · {tc(`role.${e.actorRole as 'platform_admin'}`, e.actorRole)}
                        </span>
                      </span>
                    </td>
                    <td data-label={t('accessLog.action')}>{actionLabel(e.action)}</td>
                    <td data-label={t('accessLog.household')}>
                      {e.householdId ? (
                        <span>
                          <Link to={`/admin/registry/${e.householdId}`}>{e.householdNameMasked ?? e.householdId}</Link>{' '}
                          {search.householdId !== e.householdId && (
                            <button
                              type="button"
                              className="registry-linkish registry-linkish--small"
                              onClick={() => {
                                setDraft((d) => ({ ...d, householdId: e.householdId ?? '' }));
                                apply({ householdId: e.householdId ?? '', page: 1 });
                              }}
                            >
                              {t('accessLog.filteredHousehold')}
                            </button>
                          )}
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td data-label={t('accessLog.detail')} className="registry-log__detail">
                      {e.detail || <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={search.page}
            pageSize={ACCESS_LOG_PAGE_SIZE}
            total={log.data.total}
            onPage={(page) => apply({ page })}
          />
        </>
      )}
    </>
  );
}
