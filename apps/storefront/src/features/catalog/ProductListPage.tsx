import { PRODUCT_CATEGORIES, PRODUCT_SORTS, PROVINCES, type ProductSort } from '@xiangbo/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { apiErrorMessage } from '../../i18n/api-errors';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { type ProductFilters } from './api';
import { useFacets, useProducts } from './hooks';
import { ProductGrid } from './ProductCard';
import './catalog.css';

const PAGE_SIZE = 20;

/** /products: Chinese search, category chips, province and sort selects, "load more". State lives in the URL. */
export function ProductListPage() {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  useDocumentTitle(t('list.title'));

  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const region = params.get('region') ?? '';
  const sortParam = params.get('sort') ?? '';
  const sort = (PRODUCT_SORTS as readonly string[]).includes(sortParam) ? (sortParam as ProductSort) : undefined;
  const filters: ProductFilters = { q, category, region, sort, pageSize: PAGE_SIZE };

  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const facets = useFacets();
  const products = useProducts(filters);

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  function onSearch(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    update({ q: draft.trim() });
  }

  const items = products.data?.pages.flatMap((p) => p.items) ?? [];
  const total = products.data?.pages[0]?.total ?? 0;
  const provinces = facets.data?.provinces.length
    ? facets.data.provinces.map((p) => p.province)
    : PROVINCES.map((p) => p[0]);
  const hasFilters = Boolean(q || category || region);

  return (
    <div className="page catalog">
      <h1 className="page__heading">{q ? t('list.resultsFor', { q }) : t('list.heading')}</h1>

      <form role="search" className="catalog-search" onSubmit={onSearch}>
        <label htmlFor="catalog-q" className="visually-hidden">
          {t('list.searchLabel')}
        </label>
        <input
          id="catalog-q"
          type="search"
          name="q"
          className="field__input catalog-search__input"
          placeholder={t('list.searchPlaceholder')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          enterKeyHint="search"
          maxLength={100}
        />
        <button type="submit" className="button button--primary catalog-search__button">
          {t('list.search')}
        </button>
      </form>

      <div className="chips" role="group" aria-label={t('list.categoryLabel')}>
        <button type="button" className="chip" aria-pressed={!category} onClick={() => update({ category: '' })}>
          {t('list.allCategories')}
        </button>
        {PRODUCT_CATEGORIES.map((c) => (
          <button
            key={c}
            type="button"
            className="chip"
            aria-pressed={category === c}
            onClick={() => update({ category: c })}
          >
            {t(`category.${c}`)}
          </button>
        ))}
      </div>

      <div className="catalog-filters">
        <div className="field">
          <label className="field__label" htmlFor="catalog-region">
            {t('list.regionLabel')}
          </label>
          <select
            id="catalog-region"
            className="field__input"
            value={region}
            onChange={(e) => update({ region: e.target.value })}
          >
            <option value="">{t('list.allRegions')}</option>
            {provinces.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="catalog-sort">
            {t('list.sortLabel')}
          </label>
          <select
            id="catalog-sort"
            className="field__input"
            value={sort ?? ''}
            onChange={(e) => update({ sort: e.target.value })}
          >
            <option value="">{q ? t('sort.relevance') : t('sort.newest')}</option>
            {PRODUCT_SORTS.filter((s) => q || s !== 'newest').map((s) => (
              <option key={s} value={s}>
                {t(`sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>

      {products.isPending ? (
        <Loading />
      ) : products.isError && !items.length ? (
        <div role="alert" className="form-error">
          <strong className="form-error__title">{t('list.loadFailed')}</strong>
          <span>{apiErrorMessage(tc, products.error)}</span>
          <button type="button" className="button button--secondary" onClick={() => void products.refetch()}>
            {t('list.retry')}
          </button>
        </div>
      ) : items.length === 0 ? (
        <EmptyState title={t('list.empty')} hint={t('list.emptyHint')}>
          {hasFilters && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
            >
              {t('list.clear')}
            </button>
          )}
        </EmptyState>
      ) : (
        <>
          <p className="catalog__total" aria-live="polite">
            {t('list.total', { n: total })}
          </p>
          <ProductGrid products={items} />
          <div className="catalog__more">
            {products.hasNextPage ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void products.fetchNextPage()}
                disabled={products.isFetchingNextPage}
                aria-busy={products.isFetchingNextPage}
              >
                {products.isFetchingNextPage ? tc('common.loading') : t('list.loadMore')}
              </button>
            ) : (
              <p className="muted">{t('list.end')}</p>
            )}
          </div>
        </>
      )}
    </div>
  );
}
