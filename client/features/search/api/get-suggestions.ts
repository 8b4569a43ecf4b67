import { queryOptions, useQuery } from '@tanstack/react-query';
import type { GeocodeFeatureCollection } from '../../../../server/geocoding/geocoding.schema';
import { getJson } from '../../../lib/api-client';

export type { GeocodeFeature, GeocodeFeatureCollection } from '../../../../server/geocoding/geocoding.schema';

export function getSuggestions(text: string, signal?: AbortSignal): Promise<GeocodeFeatureCollection> {
  return getJson<GeocodeFeatureCollection>(`/api/geocode/suggest?${new URLSearchParams({ q: text, limit: '8' }).toString()}`, { signal });
}

export function getGeocode(text: string, signal?: AbortSignal): Promise<GeocodeFeatureCollection> {
  return getJson<GeocodeFeatureCollection>(`/api/geocode?${new URLSearchParams({ q: text, limit: '1' }).toString()}`, { signal });
}

/** Suggestions need two characters with a letter, as the server does. */
export function canSuggest(text: string): boolean {
  return text.trim().length >= 2 && /\p{L}/u.test(text);
}

export function suggestionsQueryOptions(text: string) {
  const trimmed = text.trim();
  return queryOptions({
    queryKey: ['geocode-suggest', trimmed.toLowerCase()],
    queryFn: ({ signal }) => getSuggestions(trimmed, signal),
    staleTime: 10 * 60 * 1000,
    enabled: canSuggest(trimmed),
  });
}

export function useSuggestions(text: string) {
  return useQuery(suggestionsQueryOptions(text));
}
