// Browser test of "Angebote finden": a real Cologne address typed into the search box, a suggestion
// picked, the senior preset chosen, results sorted by distance in list and map, and a detail page —
// by keyboard alone, with axe scans and screenshots in test-results/.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../server/search/search.schema.ts';
import { startTestServer } from '../helpers/app.ts';
import { axeViolations, chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, type WatchedPage } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { importKoelnStreets, insertSearchDepartment, insertSearchOffer, koelnDataAvailable, metersEast, metersNorth } from '../helpers/search-factories.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const screenshotDirectory = path.join(projectRoot, 'test-results');
const searchPath = '/';
// Venloer Straße 123, Köln-Ehrenfeld, as the geocoder places it.
const home: [number, number] = [6.92906, 50.944774];

type RenderedFeature = { properties: Record<string, unknown> };
type BrowserGlobals = {
  __angebotsatlasTestHooks?: boolean;
  __angebotsatlasOfferMap?: {
    queryRenderedFeatures(options: { layers: string[] }): RenderedFeature[];
    project(lngLat: [number, number]): { x: number; y: number };
    loaded(): boolean;
  };
  document: {
    querySelector(selector: string): { dataset: Record<string, string | undefined> } | null;
    activeElement: {
      id: string;
      tagName: string;
      textContent: string | null;
      getAttribute(name: string): string | null;
      closest(selector: string): unknown;
    } | null;
    documentElement: { scrollWidth: number };
  };
};

const runs = chromiumAvailable('search browser test') && koelnDataAvailable();

describe.skipIf(!runs)('Angebote finden in the browser', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let opened: WatchedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(screenshotDirectory, { recursive: true });
    testDatabase = await createTestDatabase();
    const knex = testDatabase.database.knex;
    await importKoelnStreets(knex);
    const departmentId = await insertSearchDepartment(knex, { name: 'Amt für Soziales, Arbeit und Senioren', email: 'senioren@stadt-koeln.example' });
    const senior = { departmentId, targetGroups: ['seniors'] };
    await insertSearchOffer(knex, {
      ...senior,
      name: 'Seniorentreff Ehrenfeld',
      description: 'Begegnungsstätte mit Mittagstisch, Spielenachmittag und Beratung.\n\nDienstags Sprechstunde der Seniorenberatung.',
      offerType: 'senior_meeting_place',
      accessibility: ['step_free_entrance', 'accessible_toilet'],
      languages: ['de', 'tr'],
      costKind: 'free',
      minAge: 60,
      openingHours: 'Mo-Fr 09:00-17:00; PH off',
      organization: 'Caritasverband für die Stadt Köln e. V.',
      phone: '0221 123456',
      email: 'treff-ehrenfeld@caritas.example',
      website: 'https://caritas.example/ehrenfeld',
      locationName: 'Bürgerhaus',
      street: 'Venloer Straße',
      houseNumber: '150',
      postalCode: '50823',
      locations: [metersNorth(home, 150)],
    });
    await insertSearchOffer(knex, { ...senior, name: 'Seniorenberatung Ehrenfeld', offerType: 'senior_counselling', openingHours: 'Tu,Th 10:00-12:00', locations: [metersEast(home, 420)] });
    await insertSearchOffer(knex, { ...senior, name: 'Begegnungsstätte Neptunplatz', offerType: 'senior_meeting_place', costKind: 'free', openingHours: 'Mo-Sa 10:00-18:00', locations: [metersNorth(home, -650)] });
    await insertSearchOffer(knex, { ...senior, name: 'Pflegeheim Vogelsang', offerType: 'care_home', targetGroups: ['people_in_need_of_care'], openingHours: '24/7', locations: [metersEast(home, -1400)] });
    await insertSearchOffer(knex, { departmentId, name: 'Kita Lenauplatz', offerType: 'kita', targetGroups: ['children_under_6'], locations: [metersEast(home, 200)] });
    await insertSearchOffer(knex, { departmentId, name: 'Jugendzentrum Ehrenfeld', offerType: 'youth_centre', targetGroups: ['youth'], locations: [metersNorth(home, 300)] });
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

  async function screenshot(name: string, fullPage = true): Promise<void> {
    await page.screenshot({ path: path.join(screenshotDirectory, `e2e-search-${name}.png`), fullPage });
  }

  async function expectNoAxeViolations(): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
  }

  async function active(): Promise<{ id: string; tag: string; text: string; role: string | null; inResult: boolean; pressed: string | null }> {
    return page.evaluate(() => {
      const element = (globalThis as unknown as BrowserGlobals).document.activeElement;
      return {
        id: element?.id ?? '',
        tag: element?.tagName ?? '',
        text: element?.textContent?.trim() ?? '',
        role: element?.getAttribute('role') ?? null,
        inResult: Boolean(element?.closest('.search-result')),
        pressed: element?.getAttribute('aria-pressed') ?? null,
      };
    });
  }

  /** Presses Tab until the focused element matches, as a keyboard user would. */
  async function tabTo(description: string, matches: (element: Awaited<ReturnType<typeof active>>) => boolean, limit = 40): Promise<void> {
    for (let presses = 0; presses < limit; presses += 1) {
      await page.keyboard.press('Tab');
      if (matches(await active())) return;
    }
    throw new Error(`${description} was not reached with ${limit} presses of Tab`);
  }

  async function waitForMarkers(count: number): Promise<void> {
    await page.waitForFunction(
      (expected) => {
        const browser = globalThis as unknown as BrowserGlobals;
        const map = browser.__angebotsatlasOfferMap;
        const container = browser.document.querySelector('.search-results__map[data-map-state]');
        return container?.dataset.mapState === 'ready' && map?.queryRenderedFeatures({ layers: ['offer-markers'] }).length === expected;
      },
      count,
      { timeout: 60_000 },
    );
  }

  it('goes from an address to a detail page by keyboard alone', async () => {
    await page.goto(`${server.url}${searchPath}`);
    await page.getByRole('heading', { level: 1, name: 'Angebote finden' }).waitFor();
    await expectNoAxeViolations();

    // Type a real Cologne address and pick a suggestion with the arrow keys.
    await tabTo('the address box', (element) => element.role === 'combobox');
    await page.keyboard.type('Venloer Str 123', { delay: 30 });
    await page.getByRole('option', { name: /Venloer Straße 123/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[role="combobox"]').getAttribute('aria-activedescendant')).toBeTruthy();
    await screenshot('suggestions', false);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('address') === 'Venloer Straße 123');

    // Choose the senior preset.
    const seniorSearch = page.waitForResponse((response) => response.url().includes('/api/search?') && response.url().includes('targetGroup=seniors'));
    await tabTo('the senior preset', (element) => element.text === 'Angebote für Seniorinnen und Senioren');
    await page.keyboard.press('Space');
    const body = (await (await seniorSearch).json()) as SearchResponse;
    expect((await active()).pressed).toBe('true');
    expect(new URL(page.url()).searchParams.get('targetGroup')).toBe('seniors');

    // Results sorted by distance, the same order in the list as from the server, seniors only.
    expect(body.results.map((result) => result.name)).toEqual([
      'Seniorentreff Ehrenfeld',
      'Seniorenberatung Ehrenfeld',
      'Begegnungsstätte Neptunplatz',
      'Pflegeheim Vogelsang',
    ]);
    const distances = body.results.map((result) => result.distanceMeters ?? 0);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(body.walkingDistanceMethod).toBe('network');
    const listed = page.locator('.search-result h3');
    await listed.first().waitFor();
    expect(await listed.allTextContents()).toEqual(body.results.map((result) => result.name));
    // Each result says in two lines what the offer is.
    expect(await page.locator('.search-result').first().locator('.search-result__summary').textContent()).toBe(body.results[0]!.summary);
    expect(await page.locator('.search-results__summary').textContent()).toContain('4 Angebote im Umkreis von 2 km um Venloer Straße 123');
    await waitForMarkers(4);
    await screenshot('results');
    await expectNoAxeViolations();

    // Into the first result and on to its page.
    await tabTo('the first result', (element) => element.inResult && element.tag === 'A');
    expect((await active()).text).toBe('Seniorentreff Ehrenfeld');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Seniorentreff Ehrenfeld' }).waitFor();
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.tagName === 'H1');
    expect(page.url()).toMatch(/\/angebote\/[0-9a-f-]{36}$/);
  });

  it('keeps the chosen address when the preset is pressed before the page has caught up', async () => {
    // React Router renders a navigation in a transition; on a slow phone (here: the CPU slowed
    // down twentyfold) the preset is pressed while the page still shows the search before the
    // address was chosen. The preset must add to the address in the address bar, not replace it.
    await page.goto(`${server.url}${searchPath}`);
    await page.getByRole('heading', { level: 1, name: 'Angebote finden' }).waitFor();
    await page.locator('input[role="combobox"]').fill('Venloer Str 123');
    await page.getByRole('option', { name: /Venloer Straße 123/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('address') === 'Venloer Straße 123');
    const seniorSearch = page.waitForResponse((response) => response.url().includes('/api/search?') && response.url().includes('targetGroup=seniors'));
    // Awaited below; if an assertion fails first, the page closes and this wait ends unobserved.
    seniorSearch.catch(() => undefined);
    await tabTo('the senior preset', (element) => element.text === 'Angebote für Seniorinnen und Senioren');
    await page.keyboard.press('Space');
    await page.waitForURL((url) => url.searchParams.get('targetGroup') === 'seniors');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const shown = new URL(page.url()).searchParams;
    expect([shown.get('address'), shown.get('lat'), shown.get('lon'), shown.get('targetGroup')]).toEqual([
      'Venloer Straße 123',
      String(home[1]),
      String(home[0]),
      'seniors',
    ]);
    const searched = new URL((await seniorSearch).url());
    expect([searched.searchParams.get('lat'), searched.searchParams.get('lon')]).toEqual([String(home[1]), String(home[0])]);
    await page.locator('.search-result h3').first().waitFor();
    expect(await page.locator('.search-results__summary').textContent()).toContain('4 Angebote im Umkreis von 2 km um Venloer Straße 123');
  });

  it('shows every field of an offer, its week and a way to report an error', async () => {
    await page.goto(`${server.url}${searchPath}?address=Venloer+Stra%C3%9Fe+123&lat=${home[1]}&lon=${home[0]}&targetGroup=seniors`);
    await page.getByRole('link', { name: 'Seniorentreff Ehrenfeld' }).click();
    await page.getByRole('heading', { level: 1, name: 'Seniorentreff Ehrenfeld' }).waitFor();
    const main = page.locator('main');
    for (const text of [
      'Seniorentreff, Begegnungsstätte',
      'Begegnungsstätte mit Mittagstisch',
      'Öffnungszeiten der nächsten sieben Tage',
      '09:00 bis 17:00 Uhr',
      'Stufenloser Zugang',
      'Barrierefreie Toilette',
      'Türkisch',
      'Kostenlos',
      'ab 60 Jahren',
      'Bürgerhaus',
      'Venloer Straße 150',
      '0221 123456',
      'Caritasverband für die Stadt Köln e. V.',
      'Amt für Soziales, Arbeit und Senioren',
    ]) {
      expect.soft(await main.textContent(), text).toContain(text);
    }
    expect(await page.locator('.offer-detail__now').textContent()).toMatch(/^Jetzt (geöffnet|geschlossen)/);
    const report = await page.getByRole('link', { name: /E-Mail an Amt für Soziales/ }).getAttribute('href');
    expect(report).toMatch(/^mailto:senioren@stadt-koeln\.example\?subject=/);
    expect(decodeURIComponent(report ?? '')).toContain('Hinweis zum Angebot „Seniorentreff Ehrenfeld“');
    await page.waitForFunction(
      () => {
        const browser = globalThis as unknown as BrowserGlobals;
        return (
          browser.document.querySelector('.offer-detail__map[data-map-state]')?.dataset.mapState === 'ready' &&
          browser.__angebotsatlasOfferMap?.queryRenderedFeatures({ layers: ['offer-markers'] }).length === 1
        );
      },
      undefined,
      { timeout: 60_000 },
    );
    await screenshot('detail');
    await expectNoAxeViolations();

    // Back to the same list.
    await page.getByRole('link', { name: 'Zurück zur Ergebnisliste' }).click();
    await page.locator('.search-result h3').first().waitFor();
    expect(new URL(page.url()).searchParams.get('targetGroup')).toBe('seniors');

    await page.emulateMedia({ media: 'print' });
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Seniorentreff Ehrenfeld' }).waitFor();
    await screenshot('detail-print');
  });

  it('highlights in the map what is chosen in the list, and in the list what is clicked on the map', async () => {
    await page.goto(`${server.url}${searchPath}?address=Venloer+Stra%C3%9Fe+123&lat=${home[1]}&lon=${home[0]}&targetGroup=seniors`);
    await waitForMarkers(4);
    const second = page.locator('.search-result').nth(1);
    await second.getByRole('button', { name: 'Auf der Karte zeigen' }).click();
    const secondId = (await second.getAttribute('id'))?.replace(/^result-/, '');
    await page.waitForFunction(
      (id) =>
        (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap
          ?.queryRenderedFeatures({ layers: ['offer-selected'] })
          .some((feature) => feature.properties.id === id) === true,
      secondId,
    );
    expect(new URL(page.url()).searchParams.get('selected')).toBe(secondId);
    expect(await second.getAttribute('aria-current')).toBe('true');
    await screenshot('selected-from-list', false);

    // Click the marker of the fourth result on the map.
    const fourth = page.locator('.search-result').nth(3);
    const fourthId = (await fourth.getAttribute('id'))?.replace(/^result-/, '');
    const response = (await (await page.request.get(`${server.url}/api/search?lat=${home[1]}&lon=${home[0]}&radius=2000&targetGroup=seniors`)).json()) as SearchResponse;
    const target = response.results.find((result) => result.id === fourthId);
    if (!target) throw new Error('the fourth result is missing');
    const point = await page.evaluate(
      (lngLat) => (globalThis as unknown as BrowserGlobals).__angebotsatlasOfferMap?.project(lngLat),
      [target.lon, target.lat] as [number, number],
    );
    const box = await page.locator('.search-results__map canvas').boundingBox();
    if (!point || !box) throw new Error('the map has no size');
    await page.mouse.click(box.x + point.x, box.y + point.y);
    await page.locator(`#result-${fourthId}[aria-current="true"]`).waitFor();
    await page.waitForFunction((id) => (globalThis as unknown as BrowserGlobals).document.activeElement?.id === `result-${id}`, fourthId);
    expect(new URL(page.url()).searchParams.get('selected')).toBe(fourthId);
  });

  it('shows list or map on a phone (issue 12: a list/map switch) and stays within the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}${searchPath}?address=Venloer+Stra%C3%9Fe+123&lat=${home[1]}&lon=${home[0]}&targetGroup=seniors`);
    await page.locator('.search-result h3 a').first().waitFor();
    // The list comes first; the map is one press away and then takes the phone's width.
    expect(await page.locator('.search-results__list-column').isVisible()).toBe(true);
    expect(await page.locator('.search-results__map-column').isVisible()).toBe(false);
    await page.getByRole('group', { name: 'Ergebnisse anzeigen als' }).getByRole('button', { name: 'Karte' }).click();
    await waitForMarkers(4);
    const map = await page.locator('.search-results__map-column').boundingBox();
    expect(map?.width ?? 0).toBeGreaterThan(300);
    expect((map?.x ?? -1) >= 0 && (map?.x ?? 0) + (map?.width ?? 0) <= 390).toBe(true);
    const width = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot('phone');
    await expectNoAxeViolations();
  });

  it('reads at 200 % zoom: the search and a detail page reflow without sideways scrolling', async () => {
    // A 1280 × 900 window at 200 % zoom lays out like a 640 × 450 one with twice the pixels.
    await page.setViewportSize({ width: 640, height: 450 });
    await page.goto(`${server.url}${searchPath}?address=Venloer+Stra%C3%9Fe+123&lat=${home[1]}&lon=${home[0]}&targetGroup=seniors`);
    await waitForMarkers(4);
    const scrollWidth = () => page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth);
    expect(await scrollWidth()).toBeLessThanOrEqual(640);
    await page.getByRole('link', { name: 'Seniorentreff Ehrenfeld' }).click();
    await page.getByRole('heading', { level: 1, name: 'Seniorentreff Ehrenfeld' }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(640);
    await screenshot('detail-zoom-200');
    await expectNoAxeViolations();
  });

  it('speaks English when asked', async () => {
    await page.goto(`${server.url}${searchPath}?address=Venloer+Stra%C3%9Fe+123&lat=${home[1]}&lon=${home[0]}&targetGroup=seniors`);
    await page.locator('.search-result h3').first().waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Offers for older people' }).waitFor();
    expect(await page.locator('.search-results__summary').textContent()).toContain('4 offers within 2 km of Venloer Straße 123');
    await expectNoAxeViolations();
  });
});
