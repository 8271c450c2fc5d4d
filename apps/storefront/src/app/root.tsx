import type { QueryClient } from '@tanstack/react-query';
import { StrictMode, Suspense, type ComponentType, type ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import { App } from './app';
import { Providers } from './providers';

export const ROUTER_FUTURE = { v7_startTransition: true, v7_relativeSplatPath: true } as const;

/**
 * The whole app around a router: the browser's (main.tsx) or the server's for one URL (entry-server.tsx). Both
 * render this same tree, so the browser can hydrate what the server sent.
 */
export function Root({
  router: Router,
  queryClient,
  client,
}: {
  router: ComponentType<{ children: ReactNode }>;
  queryClient: QueryClient;
  client?: ApiClient;
}) {
  return (
    <StrictMode>
      <Providers queryClient={queryClient} client={client}>
        <Router>
          {/* Only when English was chosen before does the first render wait (for its strings); Chinese is bundled. */}
          <Suspense fallback={null}>
            <App />
          </Suspense>
        </Router>
      </Providers>
    </StrictMode>
  );
}
