import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { supportsWebgl, type BaseMapOptions, type MapLocale } from './map-base';

/** What every controller is created with, taken from a canvas's props. */
export function baseMapOptions(container: HTMLElement, props: Omit<BaseMapOptions, 'container'>): BaseMapOptions {
  return {
    container,
    bounds: props.bounds,
    locale: props.locale,
    basemapStyleUrl: props.basemapStyleUrl,
    dataAttributions: props.dataAttributions,
  };
}

/** Map errors other than a broken basemap (which falls back by itself): the page keeps its list. */
export function logMapError(error: { message: string }): void {
  console.error('Map error:', error.message);
}

/**
 * The React side of a map controller (STYLE.md: the map lives outside React). Creates the
 * controller once, with what `create` captured at the first render (changing those needs a new
 * map: give the component a key), on the container the returned ref is attached to; destroys it on
 * unmount; forwards the locale. Callers forward their other props to the controller's setters in
 * their own effects, which run after the one creating it.
 */
export function useMapController<Controller extends { setLocale(locale: MapLocale): void; destroy(): void }>(
  create: (container: HTMLElement) => Controller,
  locale: MapLocale,
): { containerRef: RefObject<HTMLDivElement | null>; controllerRef: RefObject<Controller | null>; webglAvailable: boolean } {
  const containerRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<Controller | null>(null);
  const [webglAvailable] = useState(supportsWebgl);
  const [createOnce] = useState(() => create);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const controller = createOnce(container);
    controllerRef.current = controller;
    return () => {
      controller.destroy();
      controllerRef.current = null;
    };
  }, [createOnce]);

  useEffect(() => {
    controllerRef.current?.setLocale(locale);
  }, [locale]);

  return { containerRef, controllerRef, webglAvailable };
}

/** The map's element, or the message for browsers without WebGL (the page's list stays). */
export function MapContainer({
  webglAvailable,
  containerRef,
  unavailableMessage,
  className,
  modifier,
}: {
  webglAvailable: boolean;
  containerRef: RefObject<HTMLDivElement | null>;
  unavailableMessage: string;
  className?: string | undefined;
  modifier?: string;
}) {
  const base = `${className ?? ''} map-canvas`;
  if (!webglAvailable) {
    return (
      <div className={`${base} map-canvas--unavailable`}>
        <p>{unavailableMessage}</p>
      </div>
    );
  }
  return <div ref={containerRef} className={modifier ? `${base} ${modifier}` : base} />;
}
