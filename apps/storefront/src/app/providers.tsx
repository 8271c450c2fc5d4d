import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { apiClient, type ApiClient } from '../api/client';
import { AuthProvider } from '../auth/auth-context';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** Everything the pages need around them, except the router (the browser and tests pick their own). */
export function Providers({
  client = apiClient,
  queryClient,
  children,
}: {
  client?: ApiClient;
  queryClient?: QueryClient;
  children: ReactNode;
}) {
  const [fallbackQueryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient ?? fallbackQueryClient}>
      <AuthProvider client={client}>{children}</AuthProvider>
    </QueryClientProvider>
  );
}
