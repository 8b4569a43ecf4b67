// Planung › Versorgung in Chromium over the real Cologne data (areas, population, streets, OSM
// offers loaded with the project's importers): what a planner sees on the map and in the table.
import fs from 'node:fs';
import path from 'node:path';
import { destination, distance, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKoeln } from '../../bench/coverage-koeln-data.ts';
import { projectRoot } from '../../server/config.ts';
import { geodataMissing } from '../api/import-geodata.ts';
import { startTestServer } from '../helpers/app.ts';
import { axeViolations, chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, type WatchedPage } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const screenshotDirectory = path.join(projectRoot, 'test-results');
const needed = ['koeln-koelnapi/koeln_stadtteile_2013.geojson', 'koeln-koelnapi/koeln_bevoelkerung_stadtteile_2005-2012.csv'];

type BrowserGlobals = {
  __angebotsatlasTestHooks?: boolean;
  __angebotsatlasMap?: {
    getStyle(): { layers: { id: string }[] };
    queryRenderedFeatures(options?: { layers: string[] }): unknown[];
    queryRenderedFeatures(point: [number, number], options: { layers: string[] }): unknown[];
    getZoom(): number;
    getCenter(): { lng: number; lat: number };
    project(lonLat: [number, number]): { x: number; y: number };
    unproject(point: [number, number]): { lng: number; lat: number };
    getSource(id: string): { getData(): Promise<FeatureCollection> } | undefined;
  };
};

/** Waits until the coverage layers are drawn on the map. */
async function coverageDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap;
    const style = map?.getStyle();
    if (!map || !style?.layers) return false;
    const coverageLayers = style.layers.filter((layer) => layer.id.startsWith('coverage')).map((layer) => layer.id);
    return coverageLayers.length > 0 && map.queryRenderedFeatures({ layers: coverageLayers }).length > 0;
  }, undefined, { timeout: 60_000 });
}

/** How far the page is wider than the window (0 when nothing overflows horizontally). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** The outermost elements that reach beyond the window's right edge (empty when the page fits). */
function elementsBeyondTheWindow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // inside a scroll container (a wide table in its own scrolling region) is not beyond the page
    const clipped = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(element));
    return wide
      .filter((element) => !wide.some((other) => other !== element && other.contains(element)))
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} ${Math.round(element.getBoundingClientRect().right)}px`);
  });
}

describe.skipIf(!chromiumAvailable('planning coverage') || geodataMissing(needed))('Planung › Versorgung in the browser', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let opened: WatchedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await loadKoeln(testDatabase.database);
    server = await startTestServer(testDatabase.database);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await testDatabase?.destroy();
  });
  beforeEach(async () => {
    opened = await openWatchedPage(browser, server.url, { height: 1000 });
    page = opened.page;
  });
  afterEach(async () => {
    await closeWatchedPage(opened);
  });

  it('shows coverage per Sozialraum on the map and in the table, with method and data date, accessibly', async () => {
    await page.goto(`${server.url}/planung`);
    await page.getByRole('link', { name: 'Versorgung, Lücken und Planspiele je Sozialraum ansehen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Versorgung nach Sozialraum' }).waitFor();
    const table = page.getByRole('table', { name: /^Kennzahlen je Sozialraum/ });
    await table.locator('tbody tr').nth(85).waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(86);
    expect(await table.textContent()).toContain('Chorweiler');
    expect(await page.locator('main').textContent()).toMatch(/2012/);
    // The method note speaks German throughout (the server's English note is for API clients).
    const method = (await page.locator('.coverage-method').first().textContent()) ?? '';
    expect(method).toMatch(/Reichweite: [\d.]+ m/);
    expect(method).not.toMatch(/\b(reach|distance|default)\b/i);

    await page.waitForFunction(() => {
      const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap;
      if (!map) return false;
      const coverageLayers = map.getStyle().layers.filter((layer) => layer.id.startsWith('coverage')).map((layer) => layer.id);
      return coverageLayers.length > 0 && map.queryRenderedFeatures({ layers: coverageLayers }).length > 0;
    }, undefined, { timeout: 60_000 });
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-coverage.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // The view lives in the URL; two changes in a row keep both, and the comparison adds and removes.
    await page.getByRole('combobox', { name: 'Farbskala', exact: true }).selectOption('cividis');
    await page.getByRole('combobox', { name: 'Erreichbarkeit', exact: true }).selectOption('airline');
    await page.waitForURL((url) => url.searchParams.get('mode') === 'airline');
    expect(new URL(page.url()).searchParams.get('palette')).toBe('cividis');
    const compare = table.getByRole('checkbox', { name: 'Vergleichen' });
    await compare.nth(1).check();
    await compare.nth(2).check();
    await page.waitForURL((url) => (url.searchParams.get('compare') ?? '').split(',').length === 2);
    await compare.nth(1).uncheck();
    await page.waitForURL((url) => url.searchParams.get('compare')?.split(',').length === 1);
    expect(await compare.nth(2).isChecked()).toBe(true);
    expect(await compare.nth(1).isChecked()).toBe(false);
  });

  it('puts the legend beside the map, states the data dates in words and shows a gap street on the map from the list, by keyboard', async () => {
    await page.goto(`${server.url}/planung/versorgung?offerType=kita`);
    await page.getByRole('heading', { level: 1, name: 'Versorgung nach Sozialraum' }).waitFor();
    await coverageDrawn(page);
    const legend = page.getByRole('figure', { name: 'Legende' });
    const canvas = page.locator('.coverage-explorer__canvas');
    const [legendBox, canvasBox] = [await legend.boundingBox(), await canvas.boundingBox()];
    expect(legendBox && canvasBox).toBeTruthy();
    // beside the map, and on the first screen with it
    expect(legendBox!.x).toBeGreaterThanOrEqual(canvasBox!.x + canvasBox!.width - 1);
    expect(legendBox!.y).toBeLessThan(canvasBox!.y + canvasBox!.height);
    expect(legendBox!.y + 40).toBeLessThan(1000);
    const legendText = (await legend.textContent()) ?? '';
    expect(legendText).toMatch(/\d+,\d %/);

    const dates = (await page.locator('.coverage-dates').textContent()) ?? '';
    expect(dates).toMatch(/Datenstand: Bevölkerung 31\.12\.2012, Angebote \d{2}\.\d{2}\.\d{4}/);
    expect(dates).toContain('Die Bevölkerungszahlen sind von 2012');
    const method = (await page.locator('.coverage-method').first().textContent()) ?? '';
    expect(method).toContain('Grundlagen: Bevölkerungsstatistik je Sozialraum');
    expect(method).not.toMatch(/koeln-|streets:|docs\/|\.md|inventory/);

    const gapTable = page.locator('.coverage-gaps table');
    await gapTable.locator('tbody tr').first().waitFor();
    const rowNames = await gapTable.locator('tbody th').allTextContents();
    expect(new Set(rowNames).size).toBe(rowNames.length);
    for (const name of rowNames) expect(name).not.toMatch(/\s[A-ZÄÖÜ][a-zäöüß],/u);
    const before = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.getZoom());
    const firstGap = gapTable.getByRole('button').first();
    await firstGap.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((zoom) => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.getZoom() > zoom + 1, before);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-gap-shown.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('says that three care homes are too few records instead of drawing 0,0 % classes', async () => {
    await page.goto(`${server.url}/planung/versorgung?offerType=care_home`);
    await coverageDrawn(page);
    const legend = page.getByRole('figure', { name: 'Legende' });
    await legend.getByText(/Zu wenige Einträge für Klassen: 3 passende Angebote/).waitFor();
    expect(await legend.textContent()).not.toMatch(/0,0 % – 0,0 %/);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-thin-data.png') });
  });

  it('states completeness per Sozialraum and at the map level: records, sources, last verified, known gaps', async () => {
    await page.goto(`${server.url}/planung/versorgung?offerType=care_home`);
    // The first page of a loaded machine may take long to come up.
    await page.getByRole('heading', { level: 1, name: 'Versorgung nach Sozialraum' }).waitFor({ timeout: 90_000 });
    const section = page.locator('.coverage-completeness');
    await section.getByRole('heading', { name: 'Vollständigkeit der Daten: Pflegeeinrichtung (stationär)' }).waitFor();
    const table = section.getByRole('table', { name: 'Einträge, Quellen und Prüfung je Gebiet' });
    await table.locator('tbody tr').nth(85).waitFor({ timeout: 60_000 });
    expect(await table.locator('tbody tr').count()).toBe(86);
    expect(await table.locator('thead th').first().textContent()).toBe('Sozialraum');
    // Honest words: how many records from how many sources, and that OSM records were never verified.
    const cityWide = (await section.locator('p').first().textContent()) ?? '';
    // (the three care homes of the OSM extract: thin data, said so)
    expect(cityWide).toMatch(/^Stadtweit: 3 Einträge aus 1 Quelle, keiner davon von einer Dienststelle geprüft\. 0 von 3 wurden in den letzten 12 Monaten geprüft\./);
    expect(await section.locator('.coverage-completeness__sources').textContent()).toMatch(/OpenStreetMap.*Datenstand/);
    const empty = table.locator('tbody tr.is-empty').first();
    expect(await empty.textContent()).toContain('Keine Einträge – hier fehlt ein Angebot oder die Daten dazu.');
    await section.screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-completeness.png') });
    expect(await axeViolations(page)).toEqual([]);

    // The table follows the map level.
    // a question with no record at all says so for the whole city
    await page.goto(`${server.url}/planung/versorgung?offerType=senior_meeting_place`);
    await section.getByText('Stadtweit gibt es keinen Eintrag dieser Angebotsart', { exact: false }).waitFor({ timeout: 60_000 });
    const answered = page.waitForResponse((response) => response.url().includes('/api/coverage/completeness?') && response.url().includes('level=district'));
    await page.getByRole('combobox', { name: 'Kartenebene' }).selectOption('district');
    await answered;
    await expect.poll(() => table.locator('thead th').first().textContent()).toBe('Stadtbezirk');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(9);
  });

  it('switches the map to districts and the year on a slider, both kept in the URL', async () => {
    await page.goto(`${server.url}/planung/versorgung?offerType=kita`);
    await coverageDrawn(page);
    await page.getByRole('combobox', { name: 'Kartenebene' }).selectOption('district');
    await page.waitForURL((url) => url.searchParams.get('level') === 'district');
    const slider = page.getByRole('slider', { name: /Jahr der Statistik/ });
    expect(await slider.getAttribute('aria-valuetext')).toBe('2012 (neuestes)');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL((url) => url.searchParams.get('year') === '2011');
    await page.locator('.coverage-dates').getByText(/31\.12\.2011/).waitFor({ timeout: 60_000 });

    // the area report: the profile alone in print, saved as PDF by the browser
    await page.getByRole('table', { name: /^Kennzahlen je Sozialraum/ }).getByRole('button', { name: 'Profil' }).nth(1).click();
    await page.getByRole('button', { name: 'Gebietsbericht drucken oder als PDF speichern' }).waitFor();
    await page.locator('.coverage-profile .coverage-dates').waitFor();
    await page.evaluate(() => document.body.classList.add('is-printing-area-report'));
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.coverage-explorer__map').isVisible()).toBe(false);
    expect(await page.locator('.coverage-controls').isVisible()).toBe(false);
    expect(await page.locator('.coverage-profile').isVisible()).toBe(true);
    expect(await page.locator('.coverage-profile__actions').isVisible()).toBe(false);
    const pdf = await page.pdf({ path: path.join(screenshotDirectory, 'e2e-planning-area-report.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  });

  it('colours the area sets (Lebenswerte Veedel) on the map, lists them in the table and opens a set profile by a click', async () => {
    const file = JSON.parse(fs.readFileSync(path.join(projectRoot, 'geodata/area-sets/koeln-lebenswerte-veedel.json'), 'utf8')) as { sets: { code: string; name: string }[] };
    const setNames = file.sets.map((set) => set.name).sort();
    expect(setNames).toHaveLength(11);
    await page.goto(`${server.url}/planung/versorgung?offerType=kita`);
    await coverageDrawn(page);
    const levelSwitch = page.getByRole('combobox', { name: 'Kartenebene' });
    expect(await levelSwitch.locator('option[value="area_set"]').textContent()).toBe('Gebietsgruppen (z. B. Lebenswerte Veedel)');
    await levelSwitch.selectOption('area_set');
    await page.waitForURL((url) => url.searchParams.get('level') === 'area_set');

    // the map: eleven set polygons, each coloured by its class (not the grey of "no value")
    type Drawn = Feature<Polygon | MultiPolygon, { id: string; name: string; value: number | null; color: string }>;
    const drawnSets = () =>
      page.evaluate(async () => {
        const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!;
        const data = await map.getSource('coverage-areas')!.getData();
        return data.features as unknown as Drawn[];
      });
    // (polled: the polygons come first, their figures with the answer for the sets)
    await expect.poll(async () => (await drawnSets()).filter((feature) => feature.properties.value !== null).length, { timeout: 60_000 }).toBe(11);
    const drawn = await drawnSets();
    expect(drawn.map((feature) => feature.properties.name).sort()).toEqual(setNames);
    for (const feature of drawn) {
      expect(feature.properties.value, feature.properties.name).not.toBeNull();
      expect(feature.properties.color).toMatch(/^#[0-9a-f]{6}$/i);
    }
    expect(new Set(drawn.map((feature) => feature.properties.color)).size).toBeGreaterThan(1);
    const rendered = await page.evaluate(() => {
      const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!;
      return (map.queryRenderedFeatures({ layers: ['coverage-areas-fill'] }) as { properties: { id: string } }[]).map((feature) => feature.properties.id);
    });
    expect(new Set(rendered).size).toBe(11);

    // the table: the eleven sets, their share as the API gives it for the same question
    const table = page.getByRole('table', { name: /^Kennzahlen je Sozialraum/ });
    const setRows = table.locator('tbody tr').filter({ has: page.locator('td:nth-of-type(1)', { hasText: /^Gebietsgruppe$/ }) });
    await expect.poll(() => setRows.count(), { timeout: 60_000 }).toBe(11);
    expect((await setRows.locator('th').allTextContents()).sort()).toEqual(setNames);
    const api = (await (await fetch(`${server.url}/api/coverage?offerType=kita&level=area_set`)).json()) as { areas: { areaId: string; name: string; level: string; shareWithinReach: number | null }[] };
    expect(api.areas.map((area) => area.level)).toEqual(Array(11).fill('area_set'));
    const chosen = api.areas.find((area) => area.name === setNames[0])!;
    expect(chosen.shareWithinReach).not.toBeNull();
    const percent = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(chosen.shareWithinReach! * 100);
    const chosenRow = setRows.filter({ has: page.getByRole('rowheader', { name: chosen.name, exact: true }) });
    expect(await chosenRow.locator('td').nth(1).textContent()).toBe(`${percent} %`);
    expect(drawn.find((feature) => feature.properties.id === chosen.areaId)!.properties.value).toBeCloseTo(chosen.shareWithinReach! * 100, 9);

    // a click on the set selects it and opens its profile, like any area
    const inside = pointOnFeature(drawn.find((feature) => feature.properties.id === chosen.areaId)!).geometry.coordinates as [number, number];
    const pixel = await page.evaluate((lonLat) => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.project(lonLat), inside);
    await page.locator('.coverage-explorer__canvas canvas').click({ position: { x: Math.round(pixel.x), y: Math.round(pixel.y) } });
    await page.waitForURL((url) => url.searchParams.get('area') === chosen.areaId);
    expect(new URL(page.url()).searchParams.get('level')).toBe('area_set');
    await page.getByRole('heading', { level: 3, name: `Profil: ${chosen.name}` }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-area-sets.png'), fullPage: true });
    await page.locator('.coverage-explorer__map').screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-area-sets-map.png') });
    await setRows.first().scrollIntoViewIfNeeded();
    await page.getByRole('region', { name: /^Kennzahlen je Sozialraum/ }).screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-area-sets-table.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('measures two clicks on the map as turf measures them, started by the button and ended by Escape', async () => {
    await page.goto(`${server.url}/planung/versorgung?offerType=kita`);
    await coverageDrawn(page);
    const start = page.getByRole('button', { name: 'Strecke messen' });
    await start.focus();
    await page.keyboard.press('Enter');
    const stop = page.getByRole('button', { name: 'Messen beenden' });
    expect(await stop.getAttribute('aria-pressed')).toBe('true');
    const result = page.getByTestId('measure-result');
    expect(await result.textContent()).toContain('Escape beendet das Messen');

    const canvas = page.locator('.coverage-explorer__canvas canvas');
    const box = (await canvas.boundingBox())!;
    const clicks: [number, number][] = [
      [Math.round(box.width * 0.3), Math.round(box.height * 0.35)],
      [Math.round(box.width * 0.65), Math.round(box.height * 0.6)],
    ];
    for (const [x, y] of clicks) await canvas.click({ position: { x, y } });
    await result.getByText(/über 2 Punkte/).waitFor();
    const [from, to] = await page.evaluate(
      (points) => points.map((point) => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.unproject(point)).map((lonLat) => [lonLat.lng, lonLat.lat]),
      clicks,
    );
    const expected = distance(from!, to!, { units: 'meters' });
    const shown = Number(/Strecke: ([\d.]+) m/.exec((await result.textContent()) ?? '')?.[1]?.replaceAll('.', ''));
    expect(expected).toBeGreaterThan(1000);
    expect(Math.abs(shown - expected) / expected).toBeLessThan(0.01);
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.queryRenderedFeatures({ layers: ['coverage-measure-line'] }).length > 0);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-measure.png') });
    expect(await axeViolations(page)).toEqual([]);

    // Escape ends measuring: the button says so, and a further click selects an area instead of adding a point.
    await page.keyboard.press('Escape');
    expect(await start.getAttribute('aria-pressed')).toBe('false');
    await canvas.click({ position: { x: Math.round(box.width / 2), y: Math.round(box.height / 2) } });
    await page.waitForURL((url) => url.searchParams.has('area'));
    expect(await result.textContent()).toMatch(/über 2 Punkte/);
    const clear = page.getByRole('button', { name: 'Messung löschen' });
    await clear.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => result.textContent()).toBe('');
  });

  it("draws a what-if offer's reach as a circle whose radius is the chosen reach", async () => {
    await page.goto(`${server.url}/planung/versorgung?offerType=kita&mode=airline`);
    await coverageDrawn(page);
    const chosen = 1500;
    const answered = page.waitForResponse((response) => response.url().includes('/api/coverage?') && response.url().includes(`distance=${chosen}`));
    await page.getByRole('spinbutton', { name: 'Entfernung in Metern' }).fill(String(chosen));
    await answered;
    await page.getByRole('button', { name: 'Was-wäre-wenn: Angebot setzen' }).click();
    const canvas = page.locator('.coverage-explorer__canvas canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: Math.round(box.width / 2), y: Math.round(box.height / 2) } });
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.queryRenderedFeatures({ layers: ['coverage-reach-line'] }).length > 0, undefined, { timeout: 60_000 });

    const { circles, offers } = await page.evaluate(async () => {
      const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!;
      return { circles: await map.getSource('coverage-reach')!.getData(), offers: await map.getSource('coverage-hypothetical')!.getData() };
    });
    expect(circles.features).toHaveLength(1);
    expect(offers.features).toHaveLength(1);
    const centre = (offers.features[0]!.geometry as Point).coordinates;
    const ring = (circles.features[0]!.geometry as Polygon).coordinates[0]!;
    expect(ring.length).toBeGreaterThan(32);
    for (const vertex of ring) expect(Math.abs(distance(centre, vertex, { units: 'meters' }) - chosen) / chosen).toBeLessThan(0.01);

    // What a person sees: shaded just inside the radius in every direction, not just outside it
    // (polled: the scenario's answer redraws the overlay once more).
    await page.locator('.coverage-scenario table').waitFor({ timeout: 60_000 });
    const probes = [0, 90, 180, 270].flatMap((bearing) => [0.9, 1.15].map((share) => destination(centre, (chosen * share) / 1000, bearing).geometry.coordinates as Position));
    const shaded = () =>
      page.evaluate((points) => {
        const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!;
        return points.map((point) => {
          const pixel = map.project(point as [number, number]);
          return map.queryRenderedFeatures([pixel.x, pixel.y], { layers: ['coverage-reach-fill'] }).length > 0;
        });
      }, probes);
    await expect.poll(shaded, { timeout: 30_000 }).toEqual([true, false, true, false, true, false, true, false]);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-planning-reach-circle.png') });
  });

  for (const viewport of [{ width: 390, height: 844 }, { width: 320, height: 700 }]) {
    for (const language of ['de', 'en'] as const) {
      it(`fits a ${viewport.width} px wide phone without horizontal scrolling (${language})`, async () => {
        await closeWatchedPage(opened);
        opened = await openWatchedPage(browser, server.url, { ...viewport, locale: language === 'en' ? 'en-GB' : 'de-DE' });
        page = opened.page;
        await opened.context.addInitScript((chosen) => window.localStorage.setItem('angebotsatlas.language', chosen), language);
        await page.goto(`${server.url}/planung/versorgung?offerType=kita`);
        await page.getByRole('heading', { level: 1, name: language === 'de' ? 'Versorgung nach Sozialraum' : 'Coverage by Sozialraum' }).waitFor();
        await coverageDrawn(page);
        await page.locator('.coverage-gaps tbody tr').first().waitFor();
        // the what-if table appears once an offer is placed
        await page.getByRole('button', { name: language === 'de' ? 'Was-wäre-wenn: Angebot setzen' : 'What-if: place an offer' }).click();
        const canvas = page.locator('.coverage-explorer__canvas canvas');
        const box = await canvas.boundingBox();
        await canvas.click({ position: { x: box!.width / 2, y: box!.height / 2 } });
        await page.locator('.coverage-scenario table').waitFor({ timeout: 60_000 });
        expect(await elementsBeyondTheWindow(page)).toEqual([]);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        // the legend follows the map directly, not screens further down
        const [legendBox, mapBox] = [await page.locator('.coverage-legend').boundingBox(), await canvas.boundingBox()];
        expect(legendBox!.y - (mapBox!.y + mapBox!.height)).toBeLessThan(100);
        await page.screenshot({ path: path.join(screenshotDirectory, `e2e-planning-phone-${viewport.width}-${language}.png`), fullPage: true });
        expect(await axeViolations(page)).toEqual([]);
      });
    }
  }
});
