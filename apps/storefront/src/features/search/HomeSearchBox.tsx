import { lazy, Suspense, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

// The suggestions (their fetching, list, keys and strings) load when the box is first focused: home's first load
// carries only this form.
const SearchSuggest = lazy(() => import('./SearchSuggest'));

export const SUGGEST_LIST_ID = 'home-suggest';

/** What the suggestions tell the box, for its combobox attributes. */
export interface SuggestState {
  expanded: boolean;
  activeId?: string;
}

/**
 * The search box on top of home: a combobox whose suggestions appear as the buyer types (pinyin, initials,
 * Chinese); Enter or the button opens the product list with the query, a suggestion opens its product.
 */
export function HomeSearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [armed, setArmed] = useState(false);
  const [state, setState] = useState<SuggestState>({ expanded: false });
  const keys = useRef<((e: KeyboardEvent<HTMLInputElement>) => void) | null>(null);
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const query = q.trim();
    navigate(query ? `/products?q=${encodeURIComponent(query)}` : '/products');
  }
  return (
    <form role="search" className="home-search" onSubmit={onSubmit}>
      <label htmlFor="home-search" className="visually-hidden">
        {t('home.searchLabel')}
      </label>
      <input
        id="home-search"
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-controls={SUGGEST_LIST_ID}
        aria-expanded={state.expanded}
        aria-activedescendant={state.activeId}
        autoComplete="off"
        enterKeyHint="search"
        className="home-search__input"
        placeholder={t('home.searchPlaceholder')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onFocus={() => setArmed(true)}
        onKeyDown={(e) => keys.current?.(e)}
      />
      <button type="submit" className="button button--buy home-search__button">
        {t('home.searchButton')}
      </button>
      {armed && (
        <Suspense fallback={null}>
          <SearchSuggest q={q} keys={keys} onState={setState} />
        </Suspense>
      )}
    </form>
  );
}
