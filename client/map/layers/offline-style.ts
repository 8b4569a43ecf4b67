import type { StyleSpecification } from 'maplibre-gl';
import { mapColors } from './map-colors';

// Glyphs are served by our own server (shared basemap-assets, SIL OFL); nothing leaves the origin.
export const glyphsPath = '/assets/fonts/{fontstack}/{range}.pbf';

// The style used when no basemap is configured: a plain background; the area layers are added
// on top by the MapController exactly as on a configured basemap.
// The origin is prepended because MapLibre resolves glyph URLs inside its worker.
export function buildOfflineStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    name: 'Angebotsatlas offline',
    glyphs: `${origin.replace(/\/$/, '')}${glyphsPath}`,
    sources: {},
    layers: [
      {
        id: 'background',
        type: 'background',
        paint: { 'background-color': mapColors.background },
      },
    ],
  };
}
