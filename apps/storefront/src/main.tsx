import i18n, { DEFAULT_LANGUAGE } from './i18n/i18n';
import { hydrate } from '@tanstack/react-query';
import { startTransition, type ReactNode } from 'react';
import * as ReactDOM from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { readFirstScreen } from './app/first-screen';
import { createQueryClient } from './app/providers';
import { Root, ROUTER_FUTURE } from './app/root';
import './styles.css';

const container = document.getElementById('root') as HTMLElement;
const queryClient = createQueryClient();
// The page the server rendered (home, a product) came with its data: the first render uses it, no fetch.
const firstScreen = readFirstScreen();
if (firstScreen) hydrate(queryClient, firstScreen);

function Router({ children }: { children: ReactNode }) {
  return <BrowserRouter future={ROUTER_FUTURE}>{children}</BrowserRouter>;
}
const tree = <Root router={Router} queryClient={queryClient} />;

// In a transition, the first render is time-sliced: long tasks are broken up so the phone stays responsive.
// The server rendered the page in Chinese for this path (data-ssr); a visitor who chose English renders afresh.
startTransition(() => {
  if (firstScreen && container.dataset['ssr'] === window.location.pathname && i18n.language === DEFAULT_LANGUAGE) {
    ReactDOM.hydrateRoot(container, tree);
  } else {
    ReactDOM.createRoot(container).render(tree);
  }
});
