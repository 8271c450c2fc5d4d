import { REGISTRY_STATUSES, type RegistryStatus } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { FormError } from '../../../forms/FormError';
import { apiErrorMessage } from '../../../i18n/api-errors';
import { EmptyState, Loading } from '../../../layout/common';
import { useDocumentTitle } from '../../../layout/useDocumentTitle';
import { AdminShell } from '../../console/ConsoleShell';
import { REGISTRY_PAGE_SIZE, useHouseholdSearch, type RegistrySearch } from '../api';
import { Pager } from '../components/Pager';
import { StatusBadge } from '../components/StatusBadge';
import { formatDate } from '../../../format';

/** A whole ID number: searched for, but never put into the page's URL (history, referrers). */
const ID_NUMBER_LIKE = /^\s*\d{17}[\dXx]\s*$/;

function isStatus(v: string | null): v is RegistryStatus {
  return (REGISTRY_STATUSES as readonly string[]).includes(v ?? '');
}

/** /admin/registry: find households by name or ID number, village and status; cards on phones, a table on laptops. */
export function RegistrySearchPage() {
  const { t } = useTranslation('registry');
  useDocumentTitle(t('search.title'));
  return (
    <AdminShell section="registry" title={t('search.title')}>
      <RegistrySearch />
    </AdminShell>
  );
}

/** Inside the shell's role check, so nothing is asked of the API for someone who may not see it. */
function RegistrySearch() {
  const { t, i18n } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  // An ID number typed into the box lives only in this page's memory.
  const [idQuery, setIdQuery] = useState('');
  const status = params.get('status');
  const search: RegistrySearch = {
    q: idQuery || (params.get('q') ?? ''),
    village: params.get('village') ?? '',
    status: isStatus(status) ? status : '',
    page: Math.max(1, Number(params.get('page')) || 1),
  };
  const [draft, setDraft] = useState({ q: search.q, village: search.village, status: search.status });
  const result = useHouseholdSearch(search);

  function apply(next: Partial<RegistrySearch>) {
    const s = { ...search, ...next };
    const isId = ID_NUMBER_LIKE.test(s.q);
    setIdQuery(isId ? s.q.trim() : '');
    const p = new URLSearchParams();
    if (s.q && !isId) p.set('q', s.q.trim());
    if (s.village) p.set('village', s.village.trim());
    if (s.status) p.set('status', s.status);
    if (s.page > 1) p.set('page', String(s.page));
    setParams(p);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    apply({ ...draft, page: 1 });
  }

  function onClear() {
    setDraft({ q: '', village: '', status: '' });
    setIdQuery('');
    setParams(new URLSearchParams());
  }

  return (
    <>
      <div className="registry-actions">
        <Link to="/admin/registry/new" className="button button--primary">
          {t('search.new')}
        </Link>
        <Link to="/admin/registry/import" className="button button--secondary">
          {t('search.import')}
        </Link>
      </div>

      <form className="card registry-filters" onSubmit={onSubmit} role="search" aria-label={t('search.title')}>
        <div className="field registry-filters__q">
          <label className="field__label" htmlFor="registry-q">
            {t('search.q')}
          </label>
          <input
            id="registry-q"
            name="q"
            type="search"
            className="field__input"
            value={draft.q}
            onChange={(e) => setDraft((d) => ({ ...d, q: e.target.value }))}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="registry-q-hint"
          />
          <p className="field__hint" id="registry-q-hint">
            {t('search.qHint')}
          </p>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="registry-village">
            {t('search.village')}
          </label>
          <input
            id="registry-village"
            name="village"
            className="field__input"
            value={draft.village}
            onChange={(e) => setDraft((d) => ({ ...d, village: e.target.value }))}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="registry-status">
            {t('search.status')}
          </label>
          <select
            id="registry-status"
            name="status"
            className="field__input"
            value={draft.status}
            onChange={(e) => setDraft((d) => ({ ...d, status: e.target.value as RegistryStatus | '' }))}
          >
            <option value="">{t('search.anyStatus')}</option>
            {REGISTRY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="button-row registry-filters__buttons">
          <button type="submit" className="button button--primary">
            {t('search.submit')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClear}>
            {t('search.clear')}
          </button>
        </div>
        <p className="form__note">{t('search.privacyNote')}</p>
      </form>

      <section aria-labelledby="registry-results-heading" aria-busy={result.isFetching}>
        <h2 id="registry-results-heading" className="visually-hidden">
          {t('search.resultsHeading')}
        </h2>
        {result.isPending ? (
          <Loading />
        ) : result.isError ? (
          <FormError message={apiErrorMessage(tc, result.error)} />
        ) : result.data.items.length === 0 ? (
          <EmptyState title={t('search.empty')} hint={t('search.emptyHint')} />
        ) : (
          <>
            <p className="registry-count" role="status">
              {t('search.results', { count: result.data.total })}
            </p>
            <div className="registry-table-wrap">
              <table className="registry-table registry-table--households">
                <thead>
                  <tr>
                    <th scope="col">{t('field.headName')}</th>
                    <th scope="col">{t('field.idNumberMasked')}</th>
                    <th scope="col">{t('field.village')}</th>
                    <th scope="col">{t('field.householdSize')}</th>
                    <th scope="col">{t('field.status')}</th>
                    <th scope="col">{t('field.updatedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.data.items.map((h) => (
                    <tr key={h.id} data-testid="household-row">
                      <th scope="row" className="registry-table__name">
                        <Link to={`/admin/registry/${h.id}`} aria-label={t('search.open', { name: h.headName })}>
                          {h.headName}
                        </Link>
                      </th>
                      <td data-label={t('field.idNumberMasked')} className="registry-mono">
                        {h.idNumberMasked}
                      </td>
                      <td data-label={t('field.village')}>
                        {h.township} · {h.village}
                      </td>
                      <td data-label={t('field.householdSize')}>{t('search.people', { count: h.householdSize })}</td>
                      <td data-label={t('field.status')}>
                        <StatusBadge status={h.status} />
                      </td>
                      <td data-label={t('field.updatedAt')}>{formatDate(h.updatedAt, i18n.language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={search.page}
              pageSize={REGISTRY_PAGE_SIZE}
              total={result.data.total}
              onPage={(page) => apply({ page })}
            />
          </>
        )}
      </section>
    </>
  );
}
