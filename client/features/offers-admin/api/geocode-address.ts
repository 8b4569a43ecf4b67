import { queryOptions, useQuery } from '@tanstack/react-query';
import type { GeocodeFeature, GeocodeFeatureCollection } from '../../../../server/geocoding/geocoding.schema';
import { ApiProblem, getJson } from '../../../lib/api-client';

export type { GeocodeFeature } from '../../../../server/geocoding/geocoding.schema';

export type AddressResults =
  | { available: true; features: GeocodeFeature[] }
  // The local geocoder is optional (a city without street data, or a server without it): the
  // form then works with the map and the coordinates alone.
  | { available: false; features: [] };

export async function geocodeAddress(query: string, signal?: AbortSignal): Promise<AddressResults> {
  const search = new URLSearchParams({ q: query, limit: '6' });
  try {
    const collection = await getJson<GeocodeFeatureCollection>(`/api/geocode?${search.toString()}`, { signal });
    return { available: true, features: collection.features };
  } catch (error) {
    if (error instanceof ApiProblem && [404, 501, 503].includes(error.status)) return { available: false, features: [] };
    throw error;
  }
}

export function addressResultsQueryOptions(query: string) {
  return queryOptions({
    queryKey: ['geocode', query],
    queryFn: ({ signal }) => geocodeAddress(query, signal),
    staleTime: 5 * 60 * 1000,
    retry: false,
  });
}

// Runs for a submitted search text (null: nothing searched yet).
export function useAddressResults(query: string | null) {
  return useQuery({ ...addressResultsQueryOptions(query ?? ''), enabled: query !== null && query.trim().length >= 2 });
}
