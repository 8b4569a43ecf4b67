import { queryOptions, useQuery } from '@tanstack/react-query';
import type { GeocodeFeature, GeocodeFeatureCollection } from '../../../../server/geocoding/geocoding.schema';
import { getJson } from '../../../lib/api-client';

export type { GeocodeFeature, GeocodeFeatureCollection } from '../../../../server/geocoding/geocoding.schema';

export function getSuggestions(text: string, signal?: AbortSignal): Promise<GeocodeFeatureCollection> {
  return getJson<GeocodeFeatureCollection>(`/api/geocode/suggest?${new URLSearchParams({ q: text, limit: '8' }).toString()}`, { signal });
}

export function getGeocode(text: string, options: { limit?: number; signal?: AbortSignal } = {}): Promise<GeocodeFeatureCollection> {
  const query = new URLSearchParams({ q: text, limit: String(options.limit ?? 1) });
  return getJson<GeocodeFeatureCollection>(`/api/geocode?${query.toString()}`, { signal: options.signal });
}

/**
 * The places a typed address may mean: every best-scored answer with the same label in another
 * Stadtteil ("Neusser Straße 5" in Eil and in Neustadt/Nord). One entry when the address is clear.
 */
export function equallyGoodAnswers(features: readonly GeocodeFeature[]): GeocodeFeature[] {
  const [best] = features;
  if (!best) return [];
  return features.filter(
    (feature, index) =>
      index === 0 ||
      (feature.properties.score === best.properties.score &&
        feature.properties.label === best.properties.label &&
        feature.properties.context !== best.properties.context),
  );
}

/** Whether the point is only near the address: the number is outside every known range, or the street has no numbers. */
export function isApproximate(feature: GeocodeFeature): boolean {
  const { precision, houseNumber } = feature.properties;
  return precision === 'nearest_house_number' || (precision === 'street' && houseNumber !== null);
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
