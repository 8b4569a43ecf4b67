import { useCallback, useState } from 'react';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { maxStreetBoxDegrees, type StreetFeatureCollection } from '../../server/geocoding/geocoding.schema';
import { getJson } from './api-client';

export type StreetView = { bbox: [number, number, number, number]; zoom: number };

const streetMinZoom = 13;
const grid = 0.01;

// Street lines for the offline maps of the search and the offer detail page (GET /api/geocode/streets).

/**
 * The box to load streets for: the view widened to a 0.01° grid, so that small pans reuse the
 * cached answer; null when zoomed out too far (the layer is not drawn there).
 */
export function streetBox(view: StreetView | null): string | null {
  if (!view || view.zoom < streetMinZoom) return null;
  const [west, south, east, north] = view.bbox;
  const box = [Math.floor(west / grid) * grid, Math.floor(south / grid) * grid, Math.ceil(east / grid) * grid, Math.ceil(north / grid) * grid];
  if (box[2]! - box[0]! > maxStreetBoxDegrees.lon || box[3]! - box[1]! > maxStreetBoxDegrees.lat) return null;
  return box.map((value) => value.toFixed(2)).join(',');
}

export function getStreets(bbox: string, signal?: AbortSignal): Promise<StreetFeatureCollection> {
  return getJson<StreetFeatureCollection>(`/api/geocode/streets?${new URLSearchParams({ bbox }).toString()}`, { signal });
}

export function streetsQueryOptions(bbox: string | null) {
  return queryOptions({
    queryKey: ['streets', bbox],
    queryFn: ({ signal }) => getStreets(bbox ?? '', signal),
    enabled: bbox !== null,
    staleTime: 30 * 60 * 1000,
    // While the next box loads the map keeps the lines it has (no blank frame, one redraw instead of two).
    placeholderData: keepPreviousData,
  });
}

/**
 * The streets for a map's view: `onViewChange` goes to the map, `streetsQuery` holds the lines.
 * Only the grid-rounded box is state, so a pan that keeps it (nearly every one) re-renders nothing:
 * the page around the map is not drawn again after each move.
 */
export function useStreetsForView() {
  const [bbox, setBbox] = useState<string | null>(null);
  const onViewChange = useCallback((view: StreetView) => setBbox(streetBox(view)), []);
  return { streetsQuery: useQuery(streetsQueryOptions(bbox)), onViewChange };
}
