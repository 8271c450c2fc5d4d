import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ProductSuggestion, ProductSuggestResponse } from '@xiangbo/contracts';
import { useEffect, useState, type KeyboardEvent, type MutableRefObject, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useApiClient } from '../../auth/auth-context';
import { formatFen } from '../../format/money';
import { SUGGEST_LIST_ID, type SuggestState } from './HomeSearchBox';
import en from './locales/en.json';
import zh from './locales/zh-CN.json';
import './search.css';

/** Typing pauses this long before the box asks: a word typed quickly is one request, not one per letter. */
export const DEBOUNCE_MS = 150;

type Option = { kind: 'product'; item: ProductSuggestion } | { kind: 'search' };

/** This chunk's few strings, in the chosen language ({{name}} filled in). */
function say(language: string, key: keyof typeof zh, values: Record<string, string | number> = {}): string {
  const text = (language.startsWith('en') ? en : zh)[key];
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ''));
}

export const suggestKeys = {
  all: ['products', 'suggest'] as const,
  query: (q: string) => ['products', 'suggest', q] as const,
};

/**
 * The suggestion list under the home search box (the ARIA combobox pattern, list autocomplete): as the buyer types,
 * the best matching products with what matched in bold, then 搜索“…” for the full results. Up and down move through
 * them (the input keeps focus, aria-activedescendant names the option), Enter or a tap opens one, Escape closes.
 */
export default function SearchSuggest({
  q,
  keys,
  onState,
}: {
  q: string;
  keys: MutableRefObject<((e: KeyboardEvent<HTMLInputElement>) => void) | null>;
  onState: (s: SuggestState) => void;
}) {
  const client = useApiClient();
  const navigate = useNavigate();
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const query = q.trim();
  const [debounced, setDebounced] = useState(query);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(query), DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [query]);
  const res = useQuery({
    queryKey: suggestKeys.query(debounced),
    queryFn: ({ signal }) =>
      client.request<ProductSuggestResponse>(`/api/products/suggest?q=${encodeURIComponent(debounced)}`, { signal }),
    enabled: debounced.length > 0,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const items = query && debounced ? (res.data?.items ?? []) : [];
  const options: Option[] = items.length
    ? [...items.map((item) => ({ kind: 'product' as const, item })), { kind: 'search' as const }]
    : [];

  const [focused, setFocused] = useState(true); // mounted by the box's first focus
  const [dismissed, setDismissed] = useState(false);
  const [active, setActive] = useState(-1);
  useEffect(() => {
    setActive(-1);
    setDismissed(false);
  }, [query]);
  useEffect(() => {
    const input = document.getElementById('home-search');
    if (!input) return;
    const on = () => setFocused(true);
    const off = () => setFocused(false);
    input.addEventListener('focus', on);
    input.addEventListener('blur', off);
    return () => {
      input.removeEventListener('focus', on);
      input.removeEventListener('blur', off);
    };
  }, []);

  const open = focused && !dismissed && options.length > 0;
  const current = open && active >= 0 && active < options.length ? active : -1;
  useEffect(() => {
    onState({ expanded: open, activeId: current >= 0 ? `${SUGGEST_LIST_ID}-${current}` : undefined });
  }, [open, current, onState]);
  useEffect(() => () => onState({ expanded: false }), [onState]);

  function pick(o: Option) {
    setDismissed(true);
    navigate(o.kind === 'product' ? `/products/${o.item.id}` : `/products?q=${encodeURIComponent(query)}`);
  }

  keys.current = (e) => {
    const n = options.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!n) return;
      e.preventDefault();
      if (!open) {
        setDismissed(false);
        setActive(e.key === 'ArrowDown' ? 0 : n - 1);
        return;
      }
      setActive(e.key === 'ArrowDown' ? (current + 1) % n : current <= 0 ? n - 1 : current - 1);
    } else if (e.key === 'Enter' && current >= 0) {
      e.preventDefault();
      pick(options[current]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setDismissed(true);
      setActive(-1);
    }
  };

  return (
    <>
      <ul
        id={SUGGEST_LIST_ID}
        role="listbox"
        aria-label={say(lang, 'listLabel')}
        className="search-suggest"
        hidden={!open}
      >
        {open &&
          options.map((o, i) => (
            <li
              key={o.kind === 'product' ? o.item.id : 'search'}
              id={`${SUGGEST_LIST_ID}-${i}`}
              role="option"
              aria-selected={i === current}
              className={`search-suggest__option${i === current ? ' search-suggest__option--active' : ''}`}
              // Keep the focus in the box: a tap must not blur it (and close the list) before the click lands.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(o)}
            >
              {o.kind === 'product' ? (
                <>
                  {o.item.coverThumbUrl ? (
                    <img className="search-suggest__thumb" src={o.item.coverThumbUrl} alt="" width={36} height={36} />
                  ) : (
                    <span className="search-suggest__thumb" aria-hidden="true" />
                  )}
                  <span className="search-suggest__name">
                    <Marked text={o.item.nameZh} ranges={o.item.highlight} />
                  </span>
                  <span className="search-suggest__price">{formatFen(o.item.priceFen, lang)}</span>
                </>
              ) : (
                <span className="search-suggest__all">{say(lang, 'searchFor', { q: query })}</span>
              )}
            </li>
          ))}
      </ul>
      <span role="status" className="visually-hidden">
        {query && debounced === query && res.isFetched && !res.isFetching
          ? items.length
            ? say(lang, 'count', { count: items.length })
            : say(lang, 'none')
          : ''}
      </span>
    </>
  );
}

/** The name with the characters that matched in <mark> (ranges in code points, as the API gives them). */
export function Marked({ text, ranges }: { text: string; ranges: [number, number][] }) {
  const chars = [...text];
  const out: ReactNode[] = [];
  let at = 0;
  for (const [a, b] of ranges) {
    const start = Math.max(at, Math.min(a, chars.length));
    const end = Math.max(start, Math.min(b, chars.length));
    if (end === start) continue;
    if (start > at) out.push(chars.slice(at, start).join(''));
    out.push(<mark key={start}>{chars.slice(start, end).join('')}</mark>);
    at = end;
  }
  if (at < chars.length) out.push(chars.slice(at).join(''));
  return <>{out}</>;
}
