import { fenToYuanString } from '@xiangbo/domain';
import type { ProductSummary } from '@xiangbo/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useAuth } from '../../auth/auth-context';
import { FormError } from '../../forms/FormError';
import { EmptyState, Loading } from '../../layout/common';
import { useDocumentTitle } from '../../layout/useDocumentTitle';
import { useCooperativeProducts, usePublicCooperative, usePublicCooperatives } from './api';
import { formatDate } from '../../format';
import { CoopLogo, regionText, useCoopErrorMessage } from './shared';

/** /cooperatives: approved cooperatives as cards, searchable by name or place. */
export function CooperativesListPage() {
  const { t } = useTranslation('coop');
  const { status } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draft, setDraft] = useState(q);
  const list = usePublicCooperatives(q, page);
  const errorMessage = useCoopErrorMessage();
  useDocumentTitle(t('list.title'));

  function onSearch(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    if (draft.trim()) next.set('q', draft.trim());
    setParams(next);
  }
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;
  const goTo = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    setParams(next);
  };

  return (
    <div className="page coop-directory">
      <h1 className="page__heading">{t('list.heading')}</h1>
      <p className="muted">{t('list.lead')}</p>
      <form className="coop-search" role="search" onSubmit={onSearch}>
        <label htmlFor="coop-search" className="visually-hidden">
          {t('list.search')}
        </label>
        <input
          id="coop-search"
          type="search"
          className="field__input"
          placeholder={t('list.search')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          maxLength={50}
        />
        <button type="submit" className="button button--primary">
          {t('list.searchButton')}
        </button>
      </form>
      {list.isPending && <Loading />}
      {list.isError && <FormError message={errorMessage(list.error)} />}
      {list.data?.items.length === 0 && (
        <EmptyState title={t('list.empty')} hint={q ? t('list.emptyHint') : undefined} />
      )}
      <ul className="coop-cards">
        {list.data?.items.map((c) => (
          <li key={c.id}>
            <Link to={`/cooperatives/${c.id}`} className="coop-card">
              <CoopLogo name={c.name} url={c.logoUrl} size={56} />
              <span className="coop-card__body">
                <span className="coop-card__name">{c.name}</span>
                <span className="coop-card__region">{regionText(c)}</span>
                {c.storySnippet && <span className="coop-card__story">{c.storySnippet}</span>}
                <span className="coop-card__count">{t('list.productCount', { count: c.productCount })}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <nav className="coop-pager" aria-label={t('list.pageOf', { page, pages })}>
          <button
            type="button"
            className="button button--secondary"
            disabled={page <= 1}
            onClick={() => goTo(page - 1)}
          >
            {t('list.previous')}
          </button>
          <span>{t('list.pageOf', { page, pages })}</span>
          <button
            type="button"
            className="button button--secondary"
            disabled={page >= pages}
            onClick={() => goTo(page + 1)}
          >
            {t('list.next')}
          </button>
        </nav>
      )}
      {status !== 'loading' && (
        <p className="coop-apply-link">
          <Link to="/apply">{t('list.apply')}</Link>
        </p>
      )}
    </div>
  );
}

/** /cooperatives/:id: the public page of one approved cooperative. */
export function CooperativePage() {
  const { t, i18n } = useTranslation('coop');
  const { id = '' } = useParams();
  const coop = usePublicCooperative(id);
  const errorMessage = useCoopErrorMessage();
  useDocumentTitle(coop.data?.name ?? t('list.title'));

  if (coop.isPending) return <Loading />;
  if (coop.isError) {
    if (isApiError(coop.error) && coop.error.status === 404) {
      return (
        <div className="page page--narrow">
          <EmptyState title={t('page.notFound')} hint={t('page.notFoundBody')} headingLevel={2}>
            <Link to="/cooperatives" className="button button--secondary">
              {t('page.backToList')}
            </Link>
          </EmptyState>
        </div>
      );
    }
    return <FormError message={errorMessage(coop.error)} />;
  }
  const c = coop.data;
  return (
    <article className="page coop-public">
      <header className="coop-hero">
        <CoopLogo name={c.name} url={c.logoUrl} size={88} />
        <div>
          <h1 className="page__heading coop-hero__name">{c.name}</h1>
          <p className="coop-hero__region">{regionText(c)}</p>
          {c.approvedAt && (
            <p className="coop-meta">{t('page.since', { date: formatDate(c.approvedAt, i18n.language, 'long') })}</p>
          )}
        </div>
      </header>

      <dl className="coop-facts">
        <div className="coop-facts__item">
          <dt>{t('page.members')}</dt>
          <dd data-testid="member-count">{c.memberCount}</dd>
        </div>
        <div className="coop-facts__item">
          <dt>{t('page.poorMembers')}</dt>
          <dd>{c.registeredOrMonitoredMemberCount}</dd>
        </div>
        <div className="coop-facts__item">
          <dt>{t('page.products')}</dt>
          <dd>{c.productCount}</dd>
        </div>
      </dl>
      <p className="coop-meta">{t('page.privacyNote')}</p>
      <p>
        <Link to={`/cooperatives/${c.id}/transparency`} className="button button--secondary">
          {t('page.transparency')}
        </Link>
      </p>

      <div className="coop-public__columns">
        <section className="card" aria-labelledby="story-heading">
          <h2 id="story-heading" className="card__heading">
            {t('page.story')}
          </h2>
          {c.story ? <p className="coop-story">{c.story}</p> : <p className="muted">{t('page.noStory')}</p>}
        </section>
        <section className="card" aria-labelledby="contact-heading">
          <h2 id="contact-heading" className="card__heading">
            {t('page.contact')}
          </h2>
          <dl className="details">
            <div className="details__row">
              <dt>{t('page.contactName')}</dt>
              <dd>{c.contactName}</dd>
            </div>
            <div className="details__row">
              <dt>{t('page.contactPhone')}</dt>
              <dd>
                <a href={`tel:${c.contactPhone}`}>{c.contactPhone}</a>
              </dd>
            </div>
          </dl>
        </section>
      </div>

      <CooperativeProducts id={c.id} />
    </article>
  );
}

function CooperativeProducts({ id }: { id: string }) {
  const { t } = useTranslation('coop');
  const products = useCooperativeProducts(id);
  const items = products.data?.items ?? [];
  return (
    <section className="section" aria-labelledby="products-heading">
      <h2 id="products-heading" className="section__heading">
        {t('page.productsHeading')}
      </h2>
      {products.isPending && <Loading />}
      {!products.isPending && items.length === 0 && <p className="placeholder">{t('page.noProducts')}</p>}
      {items.length > 0 && (
        <ul className="coop-products">
          {items.map((p) => (
            <ProductCard key={p.id} product={p} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ProductCard({ product: p }: { product: ProductSummary }) {
  const { t } = useTranslation('coop');
  return (
    <li>
      <Link to={`/products/${p.id}`} className="coop-product">
        {p.coverThumbUrl ? (
          <img className="coop-product__photo" src={p.coverThumbUrl} alt="" loading="lazy" />
        ) : (
          <span className="coop-product__photo coop-product__photo--empty" aria-hidden="true" />
        )}
        <span className="coop-product__name">{p.nameZh}</span>
        <span className="coop-product__price">
          ¥{fenToYuanString(p.priceFen)}
          <small>{t('page.perUnit', { unit: t(`unit.${p.unit}`) })}</small>
        </span>
        <span className="coop-product__sold">{t('page.sold', { count: p.soldCount })}</span>
      </Link>
    </li>
  );
}
