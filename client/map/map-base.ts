// What every map of the app shares, whichever controller drives it: the MapLibre instance with
// our defaults, the controls, the UI language and the fallback from a broken basemap to the
// offline style. Controllers (map-controller.ts, offer-map-controller.ts) own their layers.
import { AttributionControl, Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
// Bundled next to our code and loaded from our own origin (CSP worker-src 'self'); the default
// worker URL would point next to the original package file, which does not exist after bundling.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { ensureExtent, type Bbox } from './geometry';
import { buildOfflineStyle } from './layers/offline-style';

export type MapLocale = {
  mapLabel: string;
  zoomIn: string;
  zoomOut: string;
  resetBearing: string;
  toggleAttribution: string;
};

let workerUrlSet = false;

/** MapLibre needs WebGL (2, or 1 as fallback); without it every page offers its list alone. */
export function supportsWebgl(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

function toMaplibreLocale(locale: MapLocale): Record<string, string> {
  return {
    'Map.Title': locale.mapLabel,
    'NavigationControl.ZoomIn': locale.zoomIn,
    'NavigationControl.ZoomOut': locale.zoomOut,
    'NavigationControl.ResetBearing': locale.resetBearing,
    'AttributionControl.ToggleAttribution': locale.toggleAttribution,
  };
}

export function sameLocale(a: MapLocale, b: MapLocale): boolean {
  return (Object.keys(a) as Array<keyof MapLocale>).every((key) => a[key] === b[key]);
}

/** A north-up, flat map fitted to `bounds`, in the basemap style or else the offline style. */
export function createMap(options: {
  container: HTMLElement;
  bounds: Bbox;
  padding: number;
  basemapStyleUrl: string | null;
  locale: MapLocale;
  cooperativeGestures?: boolean;
}): MapLibreMap {
  if (!workerUrlSet) {
    setWorkerUrl(maplibreWorkerUrl);
    workerUrlSet = true;
  }
  const map = new MapLibreMap({
    container: options.container,
    style: options.basemapStyleUrl ?? buildOfflineStyle(window.location.origin),
    bounds: ensureExtent(options.bounds),
    fitBoundsOptions: { padding: options.padding },
    attributionControl: false,
    locale: toMaplibreLocale(options.locale),
    maxPitch: 0,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    cooperativeGestures: options.cooperativeGestures ?? false,
  });
  map.touchZoomRotate.disableRotation();
  map.getCanvas().setAttribute('aria-label', options.locale.mapLabel);
  return map;
}

/** Zoom buttons and the compact attribution; re-created when the language changes. */
export class MapControls {
  private navigation: NavigationControl | null = null;
  private attribution: AttributionControl | null = null;

  constructor(private readonly map: MapLibreMap) {
    this.install();
  }

  // MapLibre reads its UI strings once, when a control is added. The locale table is public on
  // the instance, so it is patched and the controls are re-created in the new language.
  setLocale(locale: MapLocale): void {
    this.map._locale = { ...this.map._locale, ...toMaplibreLocale(locale) };
    this.map.getCanvas().setAttribute('aria-label', locale.mapLabel);
    this.install();
  }

  // MapLibre opens the compact attribution until the first drag; on our small maps it would cover
  // part of the city. The same sources are listed in full in the page footer.
  readonly collapseAttribution = (): void => {
    this.attribution?._updateCompactMinimize();
  };

  private install(): void {
    if (this.navigation) this.map.removeControl(this.navigation);
    if (this.attribution) this.map.removeControl(this.attribution);
    this.navigation = new NavigationControl({ showCompass: false });
    this.attribution = new AttributionControl({ compact: true });
    this.map.addControl(this.navigation, 'top-right');
    this.map.addControl(this.attribution, 'bottom-right');
  }
}

/**
 * A configured basemap that cannot be loaded must not leave people without a map: before the
 * first style has loaded, the first error switches once to the offline style. Returns whether it
 * did; otherwise the error is the caller's to report.
 */
export function createBasemapFallback(map: MapLibreMap, basemapStyleUrl: string | null): (error: unknown, styleReady: boolean) => boolean {
  let fellBack = false;
  return (error, styleReady) => {
    if (styleReady || !basemapStyleUrl || fellBack) return false;
    fellBack = true;
    console.warn('Basemap style could not be loaded; using the offline style.', error);
    map.setStyle(buildOfflineStyle(window.location.origin), { diff: false });
    return true;
  };
}
