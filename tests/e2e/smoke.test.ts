// Browser smoke test: the built client over the real app and a real database with Cologne areas,
// driven in the system Chromium. Checks what a person sees (map, list, language, accessibility)
// and that nothing leaves 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/app.ts';
import { axeViolations, chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, type WatchedPage } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { loadKoelnAreas, type LoadedArea } from './koeln-areas.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const screenshotDirectory = path.join(projectRoot, 'test-results');
const areaFillLayer = 'areas-fill';
const selectedFillLayer = 'areas-selected-fill';

// What the page callbacks below touch in the browser. The root tsconfig has no DOM library (it
// type-checks the server), so the browser side is described here instead of pulling DOM types in.
type RenderedFeature = { properties: Record<string, unknown> };
type BrowserGlobals = {
  __angebotsatlasTestHooks?: boolean;
  __angebotsatlasMap?: {
    queryRenderedFeatures(
      pointOrOptions?: [number, number] | { layers: string[] },
      options?: { layers: string[] },
    ): RenderedFeature[];
    getZoom(): number;
  };
  document: {
    querySelector(selector: string): { dataset: Record<string, string | undefined> } | null;
    activeElement: { id: string; textContent: string | null } | null;
    documentElement: { scrollWidth: number };
  };
};

describe.skipIf(!chromiumAvailable('browser smoke test'))('browser smoke test', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let areas: LoadedArea[];
  let opened: WatchedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(screenshotDirectory, { recursive: true });
    testDatabase = await createTestDatabase();
    areas = await loadKoelnAreas(testDatabase.database.knex);
    server = await startTestServer(testDatabase.database);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await testDatabase?.destroy();
  });

  beforeEach(async () => {
    opened = await openWatchedPage(browser, server.url);
    page = opened.page;
  });

  afterEach(async () => {
    await closeWatchedPage(opened);
  });

  async function waitForMapWithAreas(): Promise<void> {
    await page.waitForFunction(
      (layer) => {
        const browser = globalThis as unknown as BrowserGlobals;
        const map = browser.__angebotsatlasMap;
        const container = browser.document.querySelector('[data-map-state]');
        return (
          map !== undefined &&
          container?.dataset.mapState === 'ready' &&
          map.queryRenderedFeatures({ layers: [layer] }).length > 0
        );
      },
      areaFillLayer,
      { timeout: 60_000 },
    );
  }

  async function renderedAreaIds(layer: string): Promise<string[]> {
    return page.evaluate((layerId) => {
      const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap;
      const features = map?.queryRenderedFeatures({ layers: [layerId] }) ?? [];
      return [...new Set(features.map((feature) => String(feature.properties.id)))];
    }, layer);
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(screenshotDirectory, `e2e-${name}.png`), fullPage: true });
  }

  async function expectNoAxeViolations(): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
  }

  it('draws the Sozialräume on the map and lists them in the table', async () => {
    await page.goto(`${server.url}/planung`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Planung');
    await waitForMapWithAreas();

    const drawn = await renderedAreaIds(areaFillLayer);
    expect(drawn.length).toBeGreaterThan(0);
    expect(areas.map((area) => area.id)).toEqual(expect.arrayContaining(drawn));

    const rows = page.locator('.area-table tbody tr');
    expect(await rows.count()).toBe(areas.length);
    const nippes = areas.find((area) => area.name === 'Nippes');
    const nippesRow = page.locator(`tr[data-area-id="${nippes?.id}"]`);
    expect(await nippesRow.locator('td').allTextContents()).toEqual([nippes?.code, 'Nippes']);

    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.locator('canvas[aria-label]').getAttribute('aria-label')).toBe('Karte der Sozialräume in Köln');
    expect(await page.locator('footer').textContent()).toContain('Datenquelle: Stadt Köln');
    await screenshot('home-de');
  });

  it('highlights an area chosen in the list and keeps it in the URL', async () => {
    await page.goto(`${server.url}/planung`);
    await waitForMapWithAreas();
    const ehrenfeld = areas.find((area) => area.name === 'Ehrenfeld');
    if (!ehrenfeld) throw new Error('Ehrenfeld is part of the test data');

    await page.getByRole('button', { name: 'Ehrenfeld', exact: true }).click();
    await page.waitForFunction(
      ({ layer, id }) =>
        (globalThis as unknown as BrowserGlobals).__angebotsatlasMap
          ?.queryRenderedFeatures({ layers: [layer] })
          .some((feature) => String(feature.properties.id) === id) === true,
      { layer: selectedFillLayer, id: ehrenfeld.id },
    );
    expect(new URL(page.url()).searchParams.get('area')).toBe(ehrenfeld.id);
    expect(await page.getByRole('button', { name: 'Ehrenfeld', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await screenshot('selected-from-list');

    // A shared link opens with the same selection.
    await page.goto(`${server.url}/planung?area=${ehrenfeld.id}`);
    await waitForMapWithAreas();
    expect(await renderedAreaIds(selectedFillLayer)).toEqual([ehrenfeld.id]);
  });

  it('selects the table row of an area clicked on the map', async () => {
    await page.goto(`${server.url}/planung`);
    await waitForMapWithAreas();
    const canvas = page.locator('canvas.maplibregl-canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the map canvas has no size');
    const point = { x: Math.round(box.width / 2), y: Math.round(box.height / 2) };
    const areaId = await page.evaluate(
      ({ x, y, layer }) => {
        const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap;
        const [feature] = map?.queryRenderedFeatures([x, y], { layers: [layer] }) ?? [];
        return feature ? String(feature.properties.id) : null;
      },
      { ...point, layer: areaFillLayer },
    );
    expect(areaId).not.toBeNull();

    await page.mouse.click(box.x + point.x, box.y + point.y);
    const row = page.locator(`tr[data-area-id="${areaId}"]`);
    await row.locator('button[aria-pressed="true"]').waitFor();
    expect(await row.getAttribute('class')).toContain('is-selected');
    expect(new URL(page.url()).searchParams.get('area')).toBe(areaId);
  });

  it('can be used with the keyboard: skip link and a focusable map', async () => {
    await page.goto(`${server.url}/planung`);
    await waitForMapWithAreas();
    await page.keyboard.press('Tab');
    const activeElement = () =>
      page.evaluate(() => {
        const element = (globalThis as unknown as BrowserGlobals).document.activeElement;
        return { id: element?.id ?? '', text: element?.textContent ?? '' };
      });
    expect((await activeElement()).text).toBe('Zum Inhalt springen');
    await page.keyboard.press('Enter');
    expect((await activeElement()).id).toBe('main-content');

    const zoomBefore = await page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap?.getZoom() ?? 0,
    );
    await page.locator('canvas.maplibregl-canvas').focus();
    await page.keyboard.press('Equal');
    await page.waitForFunction(
      (before) => ((globalThis as unknown as BrowserGlobals).__angebotsatlasMap?.getZoom() ?? 0) > before + 0.5,
      zoomBefore,
    );

    // After a page change inside the app, focus starts at the new page's heading.
    await page.getByRole('link', { name: 'Verwaltung' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verwaltung' }).waitFor();
    await page.waitForFunction(
      () => (globalThis as unknown as BrowserGlobals).document.activeElement?.textContent === 'Verwaltung',
    );
  });

  it('switches to English, sets <html lang> and remembers the choice', async () => {
    await page.goto(`${server.url}/planung`);
    await waitForMapWithAreas();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Planning' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('navigation').textContent()).toContain('Planning');
    expect(await page.locator('canvas[aria-label]').getAttribute('aria-label')).toBe(
      'Map of the neighbourhoods in Köln',
    );
    expect(await page.getByRole('button', { name: 'Zoom in' }).count()).toBe(1);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Planning' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await waitForMapWithAreas();
    await screenshot('home-en');
    await expectNoAxeViolations();
  });

  it.each([
    ['/', 'Angebote finden', 'search'],
    ['/planung', 'Planung', 'areas'],
    ['/verwaltung', 'Verwaltung', 'data-status'],
  ])('has no WCAG 2.1 AA violations on %s', async (route, heading, ready) => {
    await page.goto(`${server.url}${route}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    if (ready === 'areas') await waitForMapWithAreas();
    else if (ready === 'search') await page.getByRole('combobox').first().waitFor();
    else await page.locator('#data-status-heading').waitFor();
    expect(await page.title()).toBe(`${heading} – Angebotsatlas`);
    await screenshot(route === '/' ? 'axe-home' : `axe-${route.slice(1)}`);
    await expectNoAxeViolations();
  });

  it('shows a not-found page inside the layout for unknown addresses', async () => {
    await page.goto(`${server.url}/gibt-es-nicht`);
    await page.getByRole('heading', { level: 1, name: 'Seite nicht gefunden' }).waitFor();
    expect(await page.getByRole('link', { name: 'Zur Startseite', exact: true }).getAttribute('href')).toBe('/');
    await expectNoAxeViolations();
  });

  it('stacks map and list on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/planung`);
    await waitForMapWithAreas();
    const mapBox = await page.locator('.area-explorer__map').boundingBox();
    const listBox = await page.locator('.area-explorer__list').boundingBox();
    expect(listBox?.y ?? 0).toBeGreaterThan((mapBox?.y ?? 0) + (mapBox?.height ?? 0) - 1);
    const pageWidth = await page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth,
    );
    expect(pageWidth).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-phone.png') });
  });
});
