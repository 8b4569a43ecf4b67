import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { OrganizationList } from '../../../../server/organizations/organizations.schema';
import { getJson } from '../../../lib/api-client';

export const organizationsQueryKey = ['organizations'] as const;

export const organizationSearchLimit = 10;

export function searchOrganizations(text: string, signal?: AbortSignal): Promise<OrganizationList> {
  const search = new URLSearchParams({ q: text, limit: String(organizationSearchLimit) });
  return getJson<OrganizationList>(`/api/organizations?${search.toString()}`, { signal });
}

export function organizationSearchQueryOptions(text: string) {
  return queryOptions({
    queryKey: [...organizationsQueryKey, 'search', text],
    queryFn: ({ signal }) => searchOrganizations(text, signal),
    staleTime: 60 * 1000,
    // The list keeps its entries while the next letters are looked up.
    placeholderData: keepPreviousData,
  });
}

// Searches once the text has two characters (null: the list is closed, nothing to look up).
export function useOrganizationSearch(text: string | null) {
  const trimmed = text?.trim() ?? '';
  return useQuery({ ...organizationSearchQueryOptions(trimmed), enabled: text !== null && trimmed.length >= 2 });
}
