// What every map of the app shares, whichever controller drives it: the MapLibre instance with
// our defaults, the controls, the UI language, the fallback from a broken basemap to the offline
// style, and the controller's life cycle (BaseMapController). Controllers (map-controller.ts,
// offer-map-controller.ts) own their layers.
import { AttributionControl, Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import { attributionText } from './attribution';
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
  /** The hints of cooperative gestures (phones: "two fingers"), shown over the map in the page's language. */
  gestureHintDesktop?: string;
  gestureHintMac?: string;
  gestureHintMobile?: string;
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
    ...(locale.gestureHintDesktop ? { 'CooperativeGesturesHandler.WindowsHelpText': locale.gestureHintDesktop } : {}),
    ...(locale.gestureHintMac ? { 'CooperativeGesturesHandler.MacHelpText': locale.gestureHintMac } : {}),
    ...(locale.gestureHintMobile ? { 'CooperativeGesturesHandler.MobileHelpText': locale.gestureHintMobile } : {}),
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
    // The gesture hint is written once, when cooperative gestures are enabled: enable again to reword it.
    if (this.map.cooperativeGestures.isEnabled()) {
      this.map.cooperativeGestures.disable();
      this.map.cooperativeGestures.enable();
    }
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

// Test hook (the one documented way for browser tests to reach a map): a test sets
// `window.__angebotsatlasTestHooks = true` before the page loads (Playwright addInitScript); only
// then does a controller publish its MapLibre instance (`__angebotsatlasMap` for the area maps,
// `__angebotsatlasOfferMap` for the offers map). Normal visitors never get a global. The container
// also carries `data-map-state` ("loading" | "ready"): "ready" means the latest data and selection
// have been drawn.
declare global {
  interface Window {
    __angebotsatlasTestHooks?: boolean;
    __angebotsatlasMap?: MapLibreMap;
    __angebotsatlasOfferMap?: MapLibreMap;
  }
}

export type MapTestHook = '__angebotsatlasMap' | '__angebotsatlasOfferMap';

export type BaseMapOptions = {
  container: HTMLElement;
  bounds: Bbox;
  locale: MapLocale;
  // A MapLibre style URL set by an administrator; null means the offline style.
  basemapStyleUrl: string | null;
  // Shown in the attribution control for the project's data (plain text, escaped here).
  dataAttributions: readonly string[];
};

/**
 * A map kept outside React: created once, setters skip identical input and wait for the style,
 * events leave through callbacks, destroy() cleans up. Subclasses install their sources and
 * layers in `installStyle` (for the first style and again after a basemap fallback) and answer
 * clicks and pointer moves; everything else is here. MapLibre loads a style asynchronously (an
 * object on the next frame, a URL after its fetch), so a subclass's fields are set before its
 * `installStyle` first runs.
 */
export abstract class BaseMapController<Callbacks extends { onError?: (error: { message: string }) => void }> {
  protected readonly map: MapLibreMap;
  protected readonly container: HTMLElement;
  /** The data attribution for the first source a subclass adds (undefined when there is none). */
  protected readonly sourceAttribution: string | undefined;
  protected callbacks: Callbacks;
  protected styleReady = false;
  private readonly controls: MapControls;
  private readonly fallBackToOfflineStyle: (error: unknown, styleReady: boolean) => boolean;
  private readonly testHook: MapTestHook;
  private locale: MapLocale;
  private destroyed = false;

  protected constructor(
    options: BaseMapOptions & { padding: number; cooperativeGestures?: boolean },
    callbacks: Callbacks,
    testHook: MapTestHook,
  ) {
    this.container = options.container;
    this.sourceAttribution = attributionText(options.dataAttributions) || undefined;
    this.callbacks = callbacks;
    this.locale = options.locale;
    this.testHook = testHook;
    this.setMapState('loading');
    this.map = createMap(options);
    this.controls = new MapControls(this.map);
    this.fallBackToOfflineStyle = createBasemapFallback(this.map, options.basemapStyleUrl);
    this.map.on('style.load', this.handleStyleLoad);
    this.map.on('click', this.handleClick);
    this.map.on('mousemove', this.handleMouseMove);
    this.map.on('idle', this.handleIdle);
    this.map.on('error', this.handleError);
    this.map.once('load', this.controls.collapseAttribution);
    if (window.__angebotsatlasTestHooks) window[testHook] = this.map;
  }

  setCallbacks(callbacks: Callbacks): void {
    this.callbacks = callbacks;
  }

  setLocale(locale: MapLocale): void {
    if (sameLocale(locale, this.locale)) return;
    this.locale = locale;
    this.controls.setLocale(locale);
    this.map.once('idle', this.controls.collapseAttribution);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.map.off('style.load', this.handleStyleLoad);
    this.map.off('click', this.handleClick);
    this.map.off('mousemove', this.handleMouseMove);
    this.map.off('idle', this.handleIdle);
    this.map.off('error', this.handleError);
    this.removeListeners();
    if (window[this.testHook] === this.map) delete window[this.testHook];
    this.map.remove();
    delete this.container.dataset.mapState;
  }

  /** Adds the subclass's sources and layers from its state; runs for every style that loads. */
  protected abstract installStyle(): void;
  protected abstract onClick(event: MapMouseEvent): void;
  protected abstract onMouseMove(event: MapMouseEvent): void;
  /** Listeners a subclass added itself, removed on destroy. */
  protected removeListeners(): void {}

  protected geoJsonSource(id: string): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(id);
  }

  protected setMapState(state: 'loading' | 'ready'): void {
    this.container.dataset.mapState = state;
  }

  private readonly handleStyleLoad = (): void => {
    this.styleReady = true;
    this.setMapState('loading');
    this.installStyle();
  };

  private readonly handleClick = (event: MapMouseEvent): void => {
    this.onClick(event);
  };

  private readonly handleMouseMove = (event: MapMouseEvent): void => {
    this.onMouseMove(event);
  };

  private readonly handleIdle = (): void => {
    if (this.styleReady) this.setMapState('ready');
  };

  private readonly handleError = (event: { error: { message: string } }): void => {
    if (!this.fallBackToOfflineStyle(event.error, this.styleReady)) this.callbacks.onError?.(event.error);
  };
}
