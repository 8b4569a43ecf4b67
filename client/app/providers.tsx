import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { sessionQueryKey } from '../features/auth/api/get-session';
import { ApiProblem } from '../lib/api-client';

function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    // Data read as staff answers 401 once the session has ended (expired, signed out elsewhere):
    // the session is asked again, and the staff pages' guard then offers the sign-in page.
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiProblem && error.status === 401 && query.queryKey[0] !== sessionQueryKey[0]) {
          void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
        }
      },
    }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        // A 4xx answer will not change by asking again; network and 5xx errors get two retries.
        retry: (failureCount, error) =>
          !(error instanceof ApiProblem && error.status < 500) && failureCount < 2,
      },
    },
  });
  return queryClient;
}

export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
