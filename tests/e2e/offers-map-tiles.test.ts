// Browser test of the citizens' offers map on vector tiles: with Cologne's default data (the OSM
// offers of the city import), every public offer is on the map at zoom 11 (clusters) and zoom 15
// (points), counted from the tile responses the page received; panning causes no long task over
// 100 ms (PerformanceObserver 'longtask', in a browser compositing on a GPU); the map is described
// for screen readers. Screenshots
// in test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { loadDefaultCityIfEmpty } from '../../server/imports/default-city.ts';
import { whereVisibleOffer } from '../../server/shared/visible-offers.ts';
import { startTestServer, silentLogger, testConfig } from '../helpers/app.ts';
import { chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, type WatchedPage } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { koelnDataAvailable } from '../helpers/search-factories.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const screenshotDirectory = path.join(projectRoot, 'test-results');

type MapHook = {
  jumpTo(options: { center: [number, number]; zoom: number }): void;
  panBy(offset: [number, number], options: { duration: number }): void;
  getZoom(): number;
  getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
  once(event: string, callback: () => void): void;
  loaded(): boolean;
  areTilesLoaded(): boolean;
  queryRenderedFeatures(options: { layers: string[] }): Array<{ properties: Record<string, unknown> }>;
  getCanvas(): { getAttribute(name: string): string | null };
};
type BrowserGlobals = {
  __angebotsatlasOfferMap?: MapHook;
  __longTasks?: number[];
  PerformanceObserver: new (callback: (list: { getEntries(): Array<{ duration: number }> }) => void) => { observe(options: { type: string; buffered?: boolean }): void };
  document: { getElementById(id: string): { textContent: string | null } | null };
};

/** Where a tile lies: x/y of a point in tile coordinates at zoom z (Web Mercator). */
function tilePosition(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return { x: ((lon + 180) / 360) * n, y: ((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n };
}

/** A tile's box in degrees: west, south, east, north. */
function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  const n = 2 ** z;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return [(x / n) * 360 - 180, lat(y + 1), ((x + 1) / n) * 360 - 180, lat(y)];
}

/** The latitude halfway between two others on the map (Web Mercator), where a tile's centre lies. */
function mercatorMiddleLatitude(south: number, north: number): number {
  const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return ((2 * Math.atan(Math.exp((y(south) + y(north)) / 2)) - Math.PI / 2) * 180) / Math.PI;
}

/** The offers a tile holds inside its own extent (its buffer belongs to the neighbours): points and cluster counts. */
function offersInTile(body: Buffer): { count: number; ids: string[] } {
  const layer = new VectorTile(new PbfReader(body)).layers.offers;
  let count = 0;
  const ids: string[] = [];
  for (let index = 0; layer && index < layer.length; index++) {
    const feature = layer.feature(index);
    const [point] = feature.loadGeometry()[0]!;
    if (!point || point.x < 0 || point.y < 0 || point.x >= layer.extent || point.y >= layer.extent) continue;
    count += Number(feature.properties.count ?? 1);
    if (typeof feature.properties.id === 'string') ids.push(feature.properties.id);
  }
  return { count, ids };
}

const runs = chromiumAvailable('offers map tiles browser test') && koelnDataAvailable();

describe.skipIf(!runs)('the citizens\' offers map on vector tiles', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let opened: WatchedPage | undefined;
  let page: Page;
  /** Every offer location the tiles must show: [id, lon, lat]. */
  let visible: Array<{ id: string; lon: number; lat: number }> = [];
  /** Published raw imported records (not on the citizens' map): [lon, lat]. */
  let rawRecords: Array<{ lon: number; lat: number }> = [];
  /** Offer tiles the page received, by "z/x/y". */
  let tiles: Map<string, Buffer>;

  beforeAll(async () => {
    fs.mkdirSync(screenshotDirectory, { recursive: true });
    testDatabase = await createTestDatabase();
    const knex = testDatabase.database.knex;
    await loadDefaultCityIfEmpty({ knex, datasets: createDatasetsService({ geodataDir: testConfig().geodataDir, city: 'koeln' }), logger: silentLogger });
    // The citizens' map shows what their search lists: visible offers, raw imported records left out.
    const query = knex('offer_locations as ol')
      .join('offers as o', 'o.id', 'ol.offer_id')
      .join('locations as l', 'l.id', 'ol.location_id')
      .whereNull('o.raw_reason')
      .select(knex.raw('ol.id::text as id, ST_X(l.geom) as lon, ST_Y(l.geom) as lat'));
    visible = ((await whereVisibleOffer(query)) as Array<{ id: string; lon: number; lat: number }>).map((row) => ({ id: row.id, lon: Number(row.lon), lat: Number(row.lat) }));
    // The OGC API serves planners these raw records as well (docs/search.md): its counts include them.
    const rawQuery = knex('offer_locations as ol')
      .join('offers as o', 'o.id', 'ol.offer_id')
      .join('locations as l', 'l.id', 'ol.location_id')
      .whereNotNull('o.raw_reason')
      .select(knex.raw('ST_X(l.geom) as lon, ST_Y(l.geom) as lat'));
    rawRecords = ((await whereVisibleOffer(rawQuery)) as Array<{ lon: number; lat: number }>).map((row) => ({ lon: Number(row.lon), lat: Number(row.lat) }));
    server = await startTestServer(testDatabase.database);
    // GPU compositing (SwiftShader as the GPU): the long tasks measured are the page's, not a software
    // compositor's read-back of every WebGL frame (helpers/browser.ts).
    browser = await launchChromium({ gpuCompositing: true });
    // The city import takes about a minute alone and several on a shared, loaded machine.
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await testDatabase?.destroy();
  });

  beforeEach(async () => {
    opened = await openWatchedPage(browser, server.url, { width: 1400, height: 1000 });
    page = opened.page;
    tiles = new Map();
    page.on('response', (response: Response) => {
      if (response.status() >= 400) console.info(`[e2e] ${response.status()} ${response.url()}`);
      const match = /\/api\/tiles\/offers\/(\d+)\/(\d+)\/(\d+)\.pbf/.exec(response.url());
      if (!match || response.status() !== 200) return;
      void response.body().then((body) => tiles.set(`${match[1]}/${match[2]}/${match[3]}`, body), () => undefined);
    });
  });

  afterEach(async () => {
    await closeWatchedPage(opened);
  });

  async function openMap(): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => {
      const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap;
      return map !== undefined && map.loaded();
    }, undefined, { timeout: 60_000 });
  }

  /** Moves the map and waits until its tiles are in and drawn. */
  async function showAt(center: [number, number], zoom: number): Promise<void> {
    await page.evaluate(
      ({ center, zoom }) =>
        new Promise<void>((resolve) => {
          const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap!;
          // 'idle' once the tiles are drawn; at most 30 s, then the counts below say what arrived.
          map.once('idle', () => resolve());
          setTimeout(resolve, 30_000);
          map.jumpTo({ center, zoom });
        }),
      { center, zoom },
    );
    // The responses' bodies arrive asynchronously in Node.
    await page.waitForTimeout(300);
  }

  function visibleIn(z: number, keys: Iterable<string>): Array<{ id: string }> {
    const wanted = new Set(keys);
    return visible.filter((offer) => {
      const position = tilePosition(offer.lon, offer.lat, z);
      return wanted.has(`${z}/${Math.floor(position.x)}/${Math.floor(position.y)}`);
    });
  }

  it('shows every public offer of Cologne at zoom 11 as clusters, counted from the tiles', async () => {
    // The default city import brings Cologne's OSM offers (about 400 public ones).
    expect(visible.length).toBeGreaterThan(300);
    await openMap();
    // Cologne spans about 6.77–7.16° E and 50.83–51.09° N: two by two views at zoom 11 load every
    // tile over it (checked below: each offer lies in a loaded tile).
    for (const lat of [50.89, 51.03]) {
      for (const lon of [6.85, 7.08]) await showAt([lon, lat], 11);
    }
    const z11 = [...tiles.keys()].filter((key) => key.startsWith('11/'));
    const shown = z11.reduce((sum, key) => sum + offersInTile(tiles.get(key)!).count, 0);
    // Every offer lies in a tile the page loaded, and the tiles hold all of them exactly once.
    expect(visibleIn(11, z11)).toHaveLength(visible.length);
    expect(shown).toBe(visible.length);
    await showAt([6.96, 50.94], 11);
    const rendered = await page.evaluate(() =>
      (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap!.queryRenderedFeatures({ layers: ['offer-tile-clusters', 'offer-tile-points'] }).length,
    );
    expect(rendered).toBeGreaterThan(10);
    await page.locator('#search-results-map').screenshot({ path: path.join(screenshotDirectory, 'e2e-offers-map-tiles-z11.png') });
  }, 300_000);

  it('shows each offer as its own point at zoom 15, the same as the tiles hold', async () => {
    await openMap();
    await showAt([6.958, 50.941], 15);
    const z15 = [...tiles.keys()].filter((key) => key.startsWith('15/'));
    expect(z15.length).toBeGreaterThan(0);
    const ids = new Set(z15.flatMap((key) => offersInTile(tiles.get(key)!).ids));
    const expected = visibleIn(15, z15).map((offer) => offer.id);
    expect(expected.length).toBeGreaterThan(5);
    expect([...ids].sort()).toEqual(expected.sort());
    const rendered = await page.evaluate(() =>
      (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap!.queryRenderedFeatures({ layers: ['offer-tile-points'] }).map((feature) => String(feature.properties.id)),
    );
    expect(rendered.length).toBeGreaterThan(0);
    for (const id of rendered) expect(ids.has(id)).toBe(true);
    await page.locator('#search-results-map').screenshot({ path: path.join(screenshotDirectory, 'e2e-offers-map-tiles-z15.png') });
  });

  it('draws every visible offer once at zoom 11 (cluster counts plus points over views covering the city) and each one in view at zoom 15', async () => {
    await openMap();
    /** What the map draws in view (MapLibre draws a tile's points inside its extent only), keyed by what it is and where. */
    const drawn = () =>
      page.evaluate(() => {
        const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap!;
        const bounds = map.getBounds();
        const features = map.queryRenderedFeatures({ layers: ['offer-tile-clusters', 'offer-tile-points'] }) as unknown as Array<{
          properties: Record<string, unknown>;
          geometry: { coordinates: [number, number] };
        }>;
        return {
          bounds: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()] as [number, number, number, number],
          features: features.map((feature) => ({
            key: `${String(feature.properties.id ?? '')}|${Number(feature.properties.count ?? 1)}|${feature.geometry.coordinates.map((value) => value.toFixed(6)).join(',')}`,
            count: Number(feature.properties.count ?? 1),
            id: typeof feature.properties.id === 'string' ? feature.properties.id : null,
          })),
        };
      });
    // Zoom 11: views side by side until their union covers every visible offer with a margin of a
    // cluster cell (a cluster sits at its members' mean, inside their cell); each cluster or point counted once.
    const lons = visible.map((offer) => offer.lon);
    const lats = visible.map((offer) => offer.lat);
    const margin = 0.02;
    const [west, east, south, north] = [Math.min(...lons) - margin, Math.max(...lons) + margin, Math.min(...lats) - margin, Math.max(...lats) + margin];
    await showAt([(west + east) / 2, (south + north) / 2], 11);
    const first = await drawn();
    const width = (first.bounds[2] - first.bounds[0]) * 0.9;
    const height = (first.bounds[3] - first.bounds[1]) * 0.9;
    const union = new Map<string, number>();
    const covered: Array<[number, number, number, number]> = [];
    for (let lat = south + height / 2; lat - height / 2 < north; lat += height) {
      for (let lon = west + width / 2; lon - width / 2 < east; lon += width) {
        await showAt([lon, lat], 11);
        const view = await drawn();
        covered.push(view.bounds);
        for (const feature of view.features) union.set(feature.key, feature.count);
      }
    }
    const inSomeView = visible.filter((offer) => covered.some(([w, s, e, n]) => offer.lon >= w && offer.lon <= e && offer.lat >= s && offer.lat <= n));
    expect(inSomeView).toHaveLength(visible.length);
    const total = [...union.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(visible.length);
    // Zoom 15 in the inner city: every visible offer in view is drawn as its own point, once.
    await showAt([6.958, 50.941], 15);
    const z15 = await drawn();
    const [w15, s15, e15, n15] = z15.bounds;
    const inView = visible.filter((offer) => offer.lon >= w15 && offer.lon <= e15 && offer.lat >= s15 && offer.lat <= n15).map((offer) => offer.id);
    const ids = z15.features.map((feature) => feature.id).filter((id): id is string => id !== null);
    expect(inView.length).toBeGreaterThan(5);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.sort()).toEqual(inView.sort());
    console.info(`[e2e] offers drawn: zoom 11 ${total} of ${visible.length} visible over ${covered.length} views; zoom 15 ${ids.length} points, ${inView.length} visible offers in view`);
  }, 600_000);

  it('draws all offers at zoom 9, 11, 13, 15 and 17: cluster counts plus points in a tile-aligned view equal the visible offers there (the OGC API\'s count less raw records)', async () => {
    await openMap();
    // At zoom z (≤ 15) the map draws the offer tiles of zoom z at 512 px; the map (about 600 × 640 px)
    // centred on a tile holds that whole tile. A cluster lies in its members' cell, inside their tile, so
    // the features drawn inside the tile's box add up to the offers in it, whichever zoom the server
    // stops clustering at. From zoom 16 the tiles are overzoomed: at 17 the view itself is the box.
    const centre = { lon: 6.958, lat: 50.941 };
    const figures: string[] = [];
    for (const zoom of [9, 11, 13, 15, 17]) {
      const tileZoom = Math.min(zoom, 15);
      const at = tilePosition(centre.lon, centre.lat, tileZoom);
      const [x, y] = [Math.floor(at.x), Math.floor(at.y)];
      const tileBox = tileBounds(tileZoom, x, y);
      const view = zoom <= 15 ? tileBox : undefined;
      const mapCentre: [number, number] = view ? [(view[0] + view[2]) / 2, mercatorMiddleLatitude(view[1], view[3])] : [centre.lon, centre.lat];
      await showAt(mapCentre, zoom);
      const drawnNow = await page.evaluate(() => {
        const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap!;
        const bounds = map.getBounds();
        const features = map.queryRenderedFeatures({ layers: ['offer-tile-clusters', 'offer-tile-points'] }) as unknown as Array<{
          properties: Record<string, unknown>;
          geometry: { coordinates: [number, number] };
        }>;
        return {
          bounds: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()] as [number, number, number, number],
          features: features.map((feature) => ({ count: Number(feature.properties.count ?? 1), id: String(feature.properties.id ?? ''), lon: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1] })),
        };
      });
      const [west, south, east, north] = view ?? drawnNow.bounds;
      if (view) {
        // The whole tile is in view, so nothing of it is cut off at the map's edge.
        expect(drawnNow.bounds[0], `zoom ${zoom}`).toBeLessThanOrEqual(west);
        expect(drawnNow.bounds[1], `zoom ${zoom}`).toBeLessThanOrEqual(south);
        expect(drawnNow.bounds[2], `zoom ${zoom}`).toBeGreaterThanOrEqual(east);
        expect(drawnNow.bounds[3], `zoom ${zoom}`).toBeGreaterThanOrEqual(north);
      }
      const inBox = (lon: number, lat: number) => lon >= west && lon < east && lat > south && lat <= north;
      // A feature near a tile edge is drawn from both tiles' buffers: counted once, by what and where it is.
      const unique = new Map(drawnNow.features.filter((feature) => inBox(feature.lon, feature.lat)).map((feature) => [`${feature.id}|${feature.count}|${feature.lon.toFixed(6)},${feature.lat.toFixed(6)}`, feature]));
      const clusters = [...unique.values()].filter((feature) => feature.count > 1);
      const drawnTotal = [...unique.values()].reduce((sum, feature) => sum + feature.count, 0);
      const api = await fetch(`${server.url}/api/ogc/collections/offers/items?${new URLSearchParams({ bbox: [west, south, east, north].join(','), limit: '1' }).toString()}`);
      expect(api.status).toBe(200);
      const numberMatched = Number(((await api.json()) as { numberMatched: number }).numberMatched);
      const expected = visible.filter((offer) => inBox(offer.lon, offer.lat)).length;
      const raw = rawRecords.filter((record) => inBox(record.lon, record.lat)).length;
      figures.push(`zoom ${zoom}: ${drawnTotal} drawn (${clusters.length} clusters, ${unique.size - clusters.length} points), visible ${expected}; OGC API ${numberMatched} = ${expected} + ${raw} raw records`);
      expect(drawnTotal, `zoom ${zoom}`).toBe(expected);
      expect(numberMatched, `zoom ${zoom}`).toBe(expected + raw);
      expect(expected, `zoom ${zoom}`).toBeGreaterThan(zoom <= 9 ? 200 : 0);
      await page.locator('#search-results-map').screenshot({ path: path.join(screenshotDirectory, `e2e-offers-map-tiles-zoom-${zoom}.png`) });
    }
    console.info(`[e2e] offers in a tile-aligned view — ${figures.join('; ')}`);
  }, 600_000);

  it('pans at zoom 11, 13 and 15 without a long task over 100 ms (where the base map alone stays within it) and with frames not much slower than the base map\'s', async () => {
    await openMap();
    await showAt([6.96, 50.94], 11);
    await page.evaluate(() => {
      const globals = globalThis as unknown as BrowserGlobals;
      globals.__longTasks = [];
      new globals.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) globals.__longTasks!.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    /**
     * Pans a round trip at a zoom with the tile layers shown or hidden: the long tasks it caused and
     * the time between animation frames (a frame the page could not show sooner).
     */
    const panRound = (zoom: number, withTiles: boolean) =>
      page.evaluate(
        async ({ zoom, withTiles }) => {
          const globals = globalThis as unknown as BrowserGlobals & {
            __angebotsatlasOfferMap: MapHook & { setLayoutProperty(layer: string, name: string, value: string): void; triggerRepaint(): void; isMoving(): boolean };
            requestAnimationFrame(callback: (time: number) => void): number;
          };
          const map = globals.__angebotsatlasOfferMap;
          for (const layer of ['offer-tile-clusters', 'offer-tile-cluster-counts', 'offer-tile-points']) map.setLayoutProperty(layer, 'visibility', withTiles ? 'visible' : 'none');
          // 'idle' after a repaint; at most 10 s (a map with nothing to do may not repaint at all).
          const settled = (start: () => void) =>
            new Promise<void>((resolve) => {
              map.once('idle', () => resolve());
              setTimeout(resolve, 10_000);
              start();
            });
          await settled(() => map.jumpTo({ center: [6.96, 50.94], zoom }));
          await settled(() => map.triggerRepaint());
          globals.__longTasks = [];
          const frames: number[] = [];
          let panning = true;
          let last = performance.now();
          // Only frames while the map moves: the waits for 'idle' between pans are not panning.
          const frame = (time: number) => {
            if (map.isMoving()) frames.push(time - last);
            last = time;
            if (panning) globals.requestAnimationFrame(frame);
          };
          globals.requestAnimationFrame((time) => {
            last = time;
            globals.requestAnimationFrame(frame);
          });
          for (const offset of [[300, 0], [0, 250], [-300, 0], [0, -250]] as Array<[number, number]>) {
            await settled(() => map.panBy(offset, { duration: 600 }));
          }
          panning = false;
          return { longTasks: [...globals.__longTasks], frames };
        },
        { zoom, withTiles },
      );
    const longest = (values: number[]) => Math.max(0, ...values);
    const figures: string[] = [];
    const failures: string[] = [];
    for (const zoom of [11, 13, 15]) {
      const withTiles = { longTasks: [] as number[], frames: [] as number[] };
      const baseMap = { longTasks: [] as number[], frames: [] as number[] };
      // Interleaved: the machine's load drifts, the comparison holds within one run.
      for (let round = 0; round < 2; round++) {
        const shown = await panRound(zoom, true);
        withTiles.longTasks.push(...shown.longTasks);
        withTiles.frames.push(...shown.frames);
        const hidden = await panRound(zoom, false);
        baseMap.longTasks.push(...hidden.longTasks);
        baseMap.frames.push(...hidden.frames);
      }
      const percentile = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * share)] ?? 0;
      const median = (values: number[]) => percentile(values, 0.5);
      figures.push(
        `zoom ${zoom}: with the offer tiles longest task ${Math.round(longest(withTiles.longTasks))} ms (${withTiles.longTasks.filter((duration) => duration > 100).length} of ${withTiles.longTasks.length} long tasks over 100 ms), frames ${withTiles.frames.length}, median ${Math.round(median(withTiles.frames))} ms, p90 ${Math.round(percentile(withTiles.frames, 0.9))} ms, longest ${Math.round(longest(withTiles.frames))} ms; base map only longest task ${Math.round(longest(baseMap.longTasks))} ms, frames median ${Math.round(median(baseMap.frames))} ms, p90 ${Math.round(percentile(baseMap.frames, 0.9))} ms, longest ${Math.round(longest(baseMap.frames))} ms`,
      );
      // The 100 ms budget is asserted whenever the machine draws the base map within it. The browser
      // composites on a (software, SwiftShader) GPU as visitors' browsers do on theirs, so a long task is
      // the page's own work; a base map with a task over 100 ms means the host took the CPU away.
      if (longest(baseMap.longTasks) <= 100 && longest(withTiles.longTasks) > 100) failures.push(`zoom ${zoom}: a task of ${Math.round(longest(withTiles.longTasks))} ms`);
      // The frames come as fast as SwiftShader draws them (40–80 ms on this machine, base map or not).
      // The tile layer must not make panning much slower than the base map in the same run, compared on
      // the 90th percentile of the frame times (a single longest frame is one descheduling of a process).
      if (percentile(withTiles.frames, 0.9) > percentile(baseMap.frames, 0.9) * 1.5 + 50) {
        failures.push(`zoom ${zoom}: the tile layer made the 90th-percentile frame ${Math.round(percentile(withTiles.frames, 0.9))} ms against ${Math.round(percentile(baseMap.frames, 0.9))} ms`);
      }
    }
    console.info(`[e2e] panning (load average ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}, ${os.cpus().length} cores) — ${figures.join('; ')}`);
    expect(failures).toEqual([]);
  }, 600_000);

  it('pans by keyboard and by drag without a long task over 100 ms (reported), the tiles drawn after each move', async () => {
    await openMap();
    await showAt([6.96, 50.94], 13);
    await page.evaluate(() => {
      const globals = globalThis as unknown as BrowserGlobals;
      globals.__longTasks = [];
      new globals.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) globals.__longTasks!.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const settle = () =>
      page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap!;
            if (map.loaded() && map.areTilesLoaded()) resolve();
            else map.once('idle', () => resolve());
            setTimeout(resolve, 10_000);
          }),
      );
    const takeLongTasks = () =>
      page.evaluate(() => {
        const globals = globalThis as unknown as BrowserGlobals;
        const tasks = [...(globals.__longTasks ?? [])];
        globals.__longTasks = [];
        return tasks;
      });
    const canvas = page.locator('#search-results-map canvas');
    const box = (await canvas.boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const showTiles = (visible: boolean) =>
      page.evaluate((visible) => {
        const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap as unknown as { setLayoutProperty(layer: string, name: string, value: string): void };
        for (const layer of ['offer-tile-clusters', 'offer-tile-cluster-counts', 'offer-tile-points']) map.setLayoutProperty(layer, 'visibility', visible ? 'visible' : 'none');
      }, visible);
    /** Keyboard (the canvas takes focus; MapLibre pans 100 px per arrow key), then 4 drags of 300 × 200 px in 20 steps. */
    const strokes = async () => {
      await canvas.focus();
      await settle();
      await takeLongTasks();
      for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown', 'ArrowLeft', 'ArrowLeft', 'ArrowUp', 'ArrowUp']) {
        await page.keyboard.press(key);
        await page.waitForTimeout(150);
      }
      await settle();
      const keyboard = await takeLongTasks();
      for (const [dx, dy] of [[300, 0], [0, 200], [-300, 0], [0, -200]] as Array<[number, number]>) {
        await page.mouse.move(centre.x, centre.y);
        await page.mouse.down();
        await page.mouse.move(centre.x + dx, centre.y + dy, { steps: 20 });
        await page.mouse.up();
        await settle();
      }
      return { keyboard, drag: await takeLongTasks() };
    };
    // The same strokes with the offer layers shown and hidden, interleaved: the machine's load drifts.
    const withTiles = { keyboard: [] as number[], drag: [] as number[] };
    const baseMap: number[] = [];
    for (let round = 0; round < 2; round++) {
      await showTiles(true);
      const shown = await strokes();
      withTiles.keyboard.push(...shown.keyboard);
      withTiles.drag.push(...shown.drag);
      if (round === 0) {
        const rendered = await page.evaluate(
          () => (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap!.queryRenderedFeatures({ layers: ['offer-tile-clusters', 'offer-tile-points'] }).length,
        );
        expect(rendered).toBeGreaterThan(0);
        await page.locator('#search-results-map').screenshot({ path: path.join(screenshotDirectory, 'e2e-offers-map-tiles-panned.png') });
      }
      await showTiles(false);
      const hidden = await strokes();
      baseMap.push(...hidden.keyboard, ...hidden.drag);
    }
    const longest = Math.max(0, ...withTiles.keyboard, ...withTiles.drag);
    const longestBase = Math.max(0, ...baseMap);
    console.info(
      `[e2e] long tasks while panning at zoom 13 (ms) — keyboard: ${JSON.stringify(withTiles.keyboard.map(Math.round))}; drag: ${JSON.stringify(withTiles.drag.map(Math.round))}; longest ${Math.round(longest)}; base map only: longest ${Math.round(longestBase)}`,
    );
    // The 100 ms budget is asserted whenever the machine draws the base map within it (on a host
    // shared by many processes even the base map may wait for the CPU; the log shows both).
    if (longestBase <= 100) expect(longest).toBeLessThanOrEqual(100);
  }, 600_000);

  it('describes the map for screen readers and points to the list', async () => {
    await openMap();
    const canvas = await page.evaluate(() => {
      const globals = globalThis as unknown as BrowserGlobals;
      const element = globals.__angebotsatlasOfferMap!.getCanvas();
      const describedBy = element.getAttribute('aria-describedby');
      return {
        tabIndex: element.getAttribute('tabindex'),
        roleDescription: element.getAttribute('aria-roledescription'),
        label: element.getAttribute('aria-label'),
        description: describedBy ? globals.document.getElementById(describedBy)?.textContent ?? null : null,
      };
    });
    expect(canvas).toMatchObject({ tabIndex: '0', roleDescription: 'Karte', label: expect.stringMatching(/Karte/) });
    expect(canvas.description).toMatch(/Liste/);
    expect(canvas.description).toMatch(/alle passenden Angebote/);
  });
});
