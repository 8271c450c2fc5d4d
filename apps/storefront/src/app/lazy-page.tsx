import { lazy, type ComponentType } from 'react';
import i18n, { type Namespace } from '../i18n/i18n';

type Loader = () => Promise<unknown>;
const loaders: Loader[] = [];

/**
 * A page in its own chunk, loaded the first time its route is shown (under the layout's Suspense boundary).
 * Once loaded it renders without suspending again; `preload()` fetches the chunk ahead (e.g. on a link's hover
 * or when the browser is idle), and preloadPages() loads every page (the unit tests render synchronously).
 *
 * `namespaces`: translations outside the first bundle that the page needs, fetched together with its chunk (not
 * one after the other).
 *
 *   const ProductPage = lazyPage(() => import('./ProductPage'), (m) => m.ProductPage, ['orders']);
 */
export function lazyPage<M, P extends object = object>(
  load: () => Promise<M>,
  pick: (module: M) => ComponentType<P>,
  namespaces: readonly Namespace[] = [],
) {
  let Loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const preload = (): Promise<ComponentType<P>> =>
    (pending ??= Promise.all([load(), namespaces.length ? i18n.loadNamespaces([...namespaces]) : null]).then(
      ([m]) => (Loaded = pick(m)),
      (e: unknown) => {
        pending = undefined; // a failed download (flaky network) is tried again on the next visit
        throw e;
      },
    ));
  loaders.push(preload);
  const Lazy = lazy(async () => ({ default: await preload() }));
  function Page(props: P) {
    return Loaded ? <Loaded {...props} /> : <Lazy {...props} />;
  }
  Page.preload = preload;
  return Page;
}

/** Loads every page registered so far. */
export function preloadPages(): Promise<unknown> {
  return Promise.all(loaders.map((l) => l()));
}
