import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditorView, Me, Page } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiClient } from '../../../auth/auth-context';
import { Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { AdminShell } from '../../console/ConsoleShell';
import { formatDateTime } from '../../../format';
import { auditErrorMessage } from './errors';

const id = encodeURIComponent;

/** Platform console: assign auditors (村务监督委员会, inspectors) to a cooperative, or take the assignment back. */
export function AdminAuditorsPage() {
  const { t, i18n } = useTranslation('money');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('auditAdmin.title'));
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [coop, setCoop] = useState<{ id: string; name: string } | null>(null);
  const coopId = coop?.id ?? '';
  const [coopQuery, setCoopQuery] = useState('');
  const [search, setSearch] = useState('');
  const [error, setError] = useState<string | null>(null);

  // Cooperatives by name (the API's search, 20 at a time), never the whole list: there can be thousands.
  const coops = useQuery({
    queryKey: ['admin', 'auditors', 'coops', coopQuery.trim()],
    queryFn: ({ signal }) =>
      client.request<Page<{ id: string; name: string }>>(
        `/api/cooperatives?pageSize=20${coopQuery.trim() ? `&q=${id(coopQuery.trim())}` : ''}`,
        { signal },
      ),
  });
  const auditors = useQuery({
    queryKey: ['admin', 'auditors', coopId],
    enabled: Boolean(coopId),
    queryFn: ({ signal }) =>
      client.request<AuditorView[]>(`/api/admin/cooperatives/${id(coopId)}/auditors`, { signal }),
  });
  const found = useQuery({
    queryKey: ['admin', 'users', search],
    enabled: search.trim().length >= 2,
    queryFn: ({ signal }) =>
      client.request<Page<Me>>(`/api/admin/users?q=${id(search.trim())}&pageSize=10`, { signal }),
  });
  const change = useMutation({
    mutationFn: ({ userId, revoke }: { userId: string; revoke?: boolean }) =>
      revoke
        ? client.request(`/api/admin/cooperatives/${id(coopId)}/auditors/${id(userId)}`, { method: 'DELETE' })
        : client.request(`/api/admin/cooperatives/${id(coopId)}/auditors`, { method: 'POST', body: { userId } }),
    onSuccess: () => {
      setError(null);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'auditors', coopId] });
    },
    onError: (e) => setError(auditErrorMessage(t, tc, e)),
  });

  const onSearch = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSearch(String(new FormData(e.currentTarget).get('q') ?? ''));
  };

  return (
    <AdminShell section="auditors" title={t('auditAdmin.title')}>
      <p>{t('auditAdmin.intro')}</p>
      <label className="field">
        <span className="field__label">{t('auditAdmin.cooperative')}</span>
        <input
          className="field__input"
          type="search"
          autoComplete="off"
          placeholder={t('auditAdmin.pick')}
          value={coopQuery}
          onChange={(e) => setCoopQuery(e.target.value)}
          data-testid="auditor-coop-search"
        />
      </label>
      {coops.isError ? (
        <p role="alert" className="form-error">
          {auditErrorMessage(t, tc, coops.error)}
        </p>
      ) : (
        <ul className="card-list" aria-label={t('auditAdmin.cooperative')} data-testid="auditor-coops">
          {coops.data?.items.map((c) => (
            <li key={c.id} className={`card${c.id === coopId ? ' card--selected' : ''}`}>
              <button
                type="button"
                className={`button ${c.id === coopId ? 'button--primary' : 'button--secondary'}`}
                aria-pressed={c.id === coopId}
                onClick={() => setCoop(c)}
              >
                {c.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {coop && (
        <>
          <h2>
            {t('auditAdmin.assigned')} · {coop.name}
          </h2>
          {auditors.isLoading ? (
            <Loading />
          ) : auditors.isError ? (
            <p role="alert" className="form-error">
              {auditErrorMessage(t, tc, auditors.error)}
            </p>
          ) : auditors.data?.length ? (
            <ul className="card-list">
              {auditors.data.map((a) => (
                <li key={a.userId} className="card">
                  <strong>{a.displayName}</strong> <span>{a.email ?? a.mobile}</span>{' '}
                  <span className="muted">
                    {t('auditAdmin.since', { date: formatDateTime(a.assignedAt, i18n.language) })}
                  </span>{' '}
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => change.mutate({ userId: a.userId, revoke: true })}
                  >
                    {t('auditAdmin.revoke')}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('auditAdmin.none')}</p>
          )}
          <h2>{t('auditAdmin.add')}</h2>
          <form onSubmit={onSearch} className="button-row">
            <label className="field">
              <span className="field__label">{t('auditAdmin.searchLabel')}</span>
              <input className="field__input" name="q" type="search" autoComplete="off" />
            </label>
            <button type="submit" className="button button--secondary">
              {t('auditAdmin.search')}
            </button>
          </form>
          {found.isError && (
            <p role="alert" className="form-error">
              {auditErrorMessage(t, tc, found.error)}
            </p>
          )}
          <ul className="card-list">
            {found.data?.items.map((u) => (
              <li key={u.id} className="card">
                <strong>{u.displayName}</strong> <span>{u.email ?? u.mobile}</span>{' '}
                <button type="button" className="button" onClick={() => change.mutate({ userId: u.id })}>
                  {t('auditAdmin.assign')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </AdminShell>
  );
}
