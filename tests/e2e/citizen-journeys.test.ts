// Browser test of the citizens' journeys of issue 12 on the real Cologne streets and OSM offers:
// the senior search at Venloer Straße 300 ends with offers or the contact line, an ambiguous street
// asks which Stadtteil, an unknown house number says so, focus and scroll go to the results, the
// phone layout (390 × 844) in English from the browser's language, and a raw OSM record's source.
// Screenshots in test-results/e2e-citizens-*.png.
import fs from 'node:fs';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService } from '../../server/imports/imports.service.ts';
import { silentLogger, startTestServer, testConfig } from '../helpers/app.ts';
import { axeViolations, chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, watchPage, type WatchedPage } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { importKoelnStreets, koelnDataAvailable } from '../helpers/search-factories.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const screenshotDirectory = path.join(projectRoot, 'test-results');

type BrowserGlobals = {
  document: {
    activeElement: { id: string; className: string; tagName: string; getAttribute(name: string): string | null } | null;
    documentElement: { scrollWidth: number };
    querySelector(selector: string): { textContent: string | null } | null;
  };
};

const runs = chromiumAvailable('citizen journeys browser test') && koelnDataAvailable();

describe.skipIf(!runs)('citizens’ journeys in the browser', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let opened: WatchedPage | undefined;

  beforeAll(async () => {
    fs.mkdirSync(screenshotDirectory, { recursive: true });
    testDatabase = await createTestDatabase();
    const knex = testDatabase.database.knex;
    await importKoelnStreets(knex);
    const geodataDir = testConfig().geodataDir;
    const datasets = createDatasetsService({ geodataDir, city: 'koeln' });
    const imports = createImportsService({ db: knex, taxonomies: createTaxonomiesService({ db: knex }), datasets, logger: silentLogger });
    const osm = datasets.forCity('koeln').filter((dataset) => dataset.kind === 'offers' && dataset.present);
    const outcome = await imports.runAll(osm.map((dataset) => imports.resolve(dataset.id)), { actor: 'test' });
    if (!outcome.ok) throw new Error('the OSM import failed');
    server = await startTestServer(testDatabase.database);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await testDatabase?.destroy();
  });

  afterEach(async () => {
    await closeWatchedPage(opened);
    opened = undefined;
  });

  async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.screenshot({ path: path.join(screenshotDirectory, `e2e-citizens-${name}.png`), fullPage });
  }

  async function focused(page: Page): Promise<{ id: string; className: string; role: string | null }> {
    return page.evaluate(() => {
      const element = (globalThis as unknown as BrowserGlobals).document.activeElement;
      return { id: element?.id ?? '', className: element?.className ?? '', role: element?.getAttribute('role') ?? null };
    });
  }

  /** A page of its own context in English, as a browser set to English opens it (no stored choice). */
  async function openEnglishPhone(): Promise<WatchedPage> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    return { context, page, watched: watchPage(page, server.url) };
  }

  it('ends the senior search at Venloer Straße 300 with offers and the contact line, by keyboard alone', async () => {
    opened = await openWatchedPage(browser, server.url);
    const { page } = opened;
    await page.goto(`${server.url}/?targetGroup=seniors`);
    await page.getByRole('heading', { level: 1, name: 'Angebote finden' }).waitFor();
    for (let presses = 0; presses < 30 && (await focused(page)).role !== 'combobox'; presses += 1) await page.keyboard.press('Tab');
    expect((await focused(page)).role).toBe('combobox');
    await page.keyboard.type('Venloer Straße 300', { delay: 20 });
    const answered = page.waitForResponse((response) => response.url().includes('/api/search?'));
    await page.keyboard.press('Enter');
    await answered;
    // Focus and view go to the results summary.
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.className.includes('search-results__summary') === true);
    const summary = page.locator('.search-results__summary');
    await expect.poll(() => summary.textContent()).toContain('um Venloer Straße 300 (Stadtteil Ehrenfeld)');
    // Never an empty page: results, or the nearest beyond the radius, and the contact line.
    const listed = await page.locator('.search-result').count();
    expect(listed).toBeGreaterThan(0);
    const contact = page.locator('.search-results__contact');
    expect(await contact.textContent()).toContain('Telefon 115');
    expect(await contact.getByRole('link', { name: 'Telefon 115' }).getAttribute('href')).toBe('tel:115');
    // Walking minutes never go down the list.
    const minutes = (await page.locator('.search-results__list-column > .search-results__list .search-result__distance').allTextContents()).map((text) =>
      Number(/ca\. (\d+) Min/.exec(text)?.[1] ?? Number.NaN),
    );
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
    if ((await page.locator('.search-results__list-column > .search-results__list').count()) > 0) {
      expect(await page.locator('.search-results__method').textContent()).toContain('Sortiert nach Länge des Fußwegs.');
    } else {
      // Nothing within 2 km: the nearest senior offers further away, with their distances.
      expect(await page.locator('#search-beyond-heading').textContent()).toBe('Die nächsten passenden Angebote weiter weg');
      expect(await page.locator('.search-results__more:has(#search-beyond-heading) .search-result__distance').first().textContent()).toMatch(/km Luftlinie/);
    }
    await screenshot(page, 'senior-venloer-300');
    expect(await axeViolations(page)).toEqual([]);

    // One click (here: one key) widens the radius when the nearest offers lie beyond it.
    const widen = page.getByRole('button', { name: /^Umkreis auf .* erweitern$/ });
    if ((await widen.count()) > 0) {
      await widen.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('radius') !== null);
      expect(Number(new URL(page.url()).searchParams.get('radius'))).toBeGreaterThan(2000);
    }
  });

  it('keeps the focus in the address box after a suggestion is chosen', async () => {
    opened = await openWatchedPage(browser, server.url);
    const { page } = opened;
    await page.goto(`${server.url}/`);
    const box = page.locator('input[role="combobox"]');
    await box.focus();
    await page.keyboard.type('Venloer Str 300', { delay: 20 });
    await page.getByRole('option', { name: /Venloer Straße 300/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('address') === 'Venloer Straße 300');
    await page.locator('.search-results__summary strong').waitFor();
    expect((await focused(page)).role).toBe('combobox');
  });

  it('asks which Stadtteil an ambiguous street means, and says when a house number is not known', async () => {
    opened = await openWatchedPage(browser, server.url);
    const { page } = opened;
    await page.goto(`${server.url}/`);
    await page.locator('input[role="combobox"]').fill('Neusser Str. 5');
    await page.getByRole('button', { name: 'Suchen', exact: true }).click();
    const question = page.locator('#search-place-choices');
    await question.waitFor();
    expect(await question.textContent()).toBe('„Neusser Straße 5“ gibt es in mehreren Stadtteilen. Welchen meinen Sie?');
    expect((await focused(page)).id).toBe('search-place-choices');
    const choices = page.locator('.search-form__choices button');
    expect(await choices.allTextContents()).toEqual(['Neusser Straße 5 in Eil', 'Neusser Straße 5 in Neustadt/Nord']);
    await screenshot(page, 'which-district', false);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Neusser Straße 5 in Neustadt/Nord' }).click();
    await page.waitForURL((url) => url.searchParams.get('address') === 'Neusser Straße 5 in Neustadt/Nord');
    await expect.poll(() => page.locator('.search-results__summary').textContent()).toContain('um Neusser Straße 5 in Neustadt/Nord');
    expect(Number(new URL(page.url()).searchParams.get('lat'))).toBeGreaterThan(50.94);

    await page.locator('input[role="combobox"]').fill('Venloer Straße 9999');
    await page.getByRole('button', { name: 'Suchen', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('address') === 'Venloer Straße 9999');
    await expect
      .poll(() => page.locator('.search-results__summary').textContent())
      .toContain('Die Hausnummer von „Venloer Straße 9999“ steht nicht in unseren Straßendaten.');
    expect(new URL(page.url()).searchParams.get('approx')).toBe('1');
    await screenshot(page, 'approximate', false);
  });

  it('follows an English browser on a phone: results in view after Search, suggestions below the field, in English', async () => {
    opened = await openEnglishPhone();
    const { page } = opened;
    await page.goto(`${server.url}/?targetGroup=seniors`);
    await page.getByRole('heading', { level: 1, name: 'Find services' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('en');
    const box = page.locator('input[role="combobox"]');
    await box.fill('Venloer Str');
    const list = page.getByRole('listbox');
    await page.getByRole('option').first().waitFor();
    const listBox = await list.boundingBox();
    const button = await page.getByRole('button', { name: 'Search', exact: true }).boundingBox();
    if (!listBox || !button) throw new Error('list or button not laid out');
    // The open list pushes the button down: it never lies over it.
    expect(button.y).toBeGreaterThanOrEqual(listBox.y + listBox.height);
    await screenshot(page, 'phone-suggestions', false);
    await box.fill('Venloer Straße 300');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.className.includes('search-results__summary') === true);
    await page.locator('.search-results__summary strong').waitFor();
    await page.waitForTimeout(800);
    const summaryBox = await page.locator('.search-results__summary').boundingBox();
    expect(summaryBox?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect(summaryBox?.y ?? 9999).toBeLessThan(844);
    expect(await page.locator('.search-results__summary').textContent()).toContain('of Venloer Straße 300 (district Ehrenfeld)');
    // List and map take turns on a phone: a two-button switch, the list first.
    const views = page.getByRole('group', { name: 'Show the results as' }).getByRole('button');
    expect(await views.allTextContents()).toEqual(['List', 'Map']);
    expect(await views.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-pressed')))).toEqual(['true', 'false']);
    expect(await page.locator('.search-results__contact').textContent()).toContain('Phone 115');
    const width = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-results', false);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('switches between list and map on a phone (390 × 844), by keyboard, and a marker leads back to its entry', async () => {
    opened = await openWatchedPage(browser, server.url, { width: 390, height: 844 });
    const { page } = opened;
    await page.goto(`${server.url}/?address=Venloer+Stra%C3%9Fe+300&lat=50.948665&lon=6.919712&type=pharmacy`);
    await page.locator('.search-result h3 a').first().waitFor();
    const switcher = page.getByRole('group', { name: 'Ergebnisse anzeigen als' });
    const listButton = switcher.getByRole('button', { name: 'Liste' });
    const mapButton = switcher.getByRole('button', { name: 'Karte' });
    expect(await listButton.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.search-results__list-column').isVisible()).toBe(true);
    expect(await page.locator('.search-results__map-column').isVisible()).toBe(false);
    await screenshot(page, 'phone-switch-list', false);

    await mapButton.focus();
    await page.keyboard.press('Enter');
    expect(await mapButton.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.search-results__list-column').isVisible()).toBe(false);
    // The map, hidden until now, takes the width of the phone and draws the markers.
    await page.waitForFunction(() => {
      const browserWindow = globalThis as unknown as { __angebotsatlasOfferMap?: { queryRenderedFeatures(options: { layers: string[] }): unknown[] } };
      const container = document.querySelector<HTMLElement>('.search-results__map[data-map-state]');
      return container?.dataset.mapState === 'ready' && container.getBoundingClientRect().width > 300 && (browserWindow.__angebotsatlasOfferMap?.queryRenderedFeatures({ layers: ['offer-markers'] }).length ?? 0) > 0;
    }, undefined, { timeout: 60_000 });
    const switchBox = await switcher.boundingBox();
    expect(switchBox?.y ?? -1).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'phone-switch-map', false);
    expect(await axeViolations(page)).toEqual([]);

    // A marker shows its entry in the list.
    const marker = await page.evaluate(() => {
      const map = (globalThis as unknown as { __angebotsatlasOfferMap: { queryRenderedFeatures(options: { layers: string[] }): Array<{ geometry: { coordinates: [number, number] } }>; project(point: [number, number]): { x: number; y: number } } }).__angebotsatlasOfferMap;
      const [feature] = map.queryRenderedFeatures({ layers: ['offer-markers'] });
      const point = map.project(feature!.geometry.coordinates);
      const box = document.querySelector('.search-results__map canvas')!.getBoundingClientRect();
      return { x: box.left + point.x, y: box.top + point.y };
    });
    await page.mouse.click(marker.x, marker.y);
    await expect.poll(() => listButton.getAttribute('aria-pressed')).toBe('true');
    await page.waitForFunction(() => document.activeElement?.closest('.search-result') !== null);

    // "Auf der Karte zeigen" in the list switches to the map.
    await page.locator('.search-result__show').first().click();
    await expect.poll(() => mapButton.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('shows list and map side by side on a desktop, without the switch', async () => {
    opened = await openWatchedPage(browser, server.url);
    const { page } = opened;
    await page.goto(`${server.url}/?address=Venloer+Stra%C3%9Fe+300&lat=50.948665&lon=6.919712&type=pharmacy`);
    await page.locator('.search-result h3 a').first().waitFor();
    expect(await page.getByRole('group', { name: 'Ergebnisse anzeigen als' }).isVisible()).toBe(false);
    expect(await page.locator('.search-results__map-column').isVisible()).toBe(true);
    expect(await page.locator('.search-results__list-column').isVisible()).toBe(true);
  });

  it('shows the phone map hint of a detail page in the page’s language', async () => {
    opened = await openWatchedPage(browser, server.url);
    const { page } = opened;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/?address=Venloer+Stra%C3%9Fe+300&lat=50.948665&lon=6.919712&type=pharmacy`);
    await page.locator('.search-result h3 a').first().click();
    const hint = page.locator('.offer-detail__map .maplibregl-mobile-message');
    await hint.waitFor({ state: 'attached', timeout: 60_000 });
    expect(await hint.textContent()).toBe('Die Karte mit zwei Fingern verschieben');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => hint.textContent()).toBe('Use two fingers to move the map');
    await screenshot(page, 'phone-detail-en');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('names the source and data date of an OSM record and every OSM layer in the footer', async () => {
    opened = await openWatchedPage(browser, server.url);
    const { page } = opened;
    await page.goto(`${server.url}/?address=Venloer+Stra%C3%9Fe+300&lat=50.948665&lon=6.919712&type=pharmacy`);
    const first = page.locator('.search-result h3 a').first();
    await first.waitFor();
    // Raw records ("- Apotheke", no name) are not listed.
    const names = await page.locator('.search-result h3').allTextContents();
    expect(names.filter((name) => name.startsWith('-') || name.includes('ohne Namen'))).toEqual([]);
    expect(await page.locator('.search-results__note--incomplete').textContent()).toContain('Nicht vollständig erfasst: Apotheke');
    await first.click();
    await page.locator('#offer-source').waitFor();
    const main = await page.locator('main').textContent();
    expect(main).toContain('Quelle: OpenStreetMap-Mitwirkende (via KoelnAPI), Datenstand 2014-01.');
    expect(main).not.toContain('Zuletzt geändert');
    expect(await page.getByRole('link', { name: 'Eintrag in OpenStreetMap ansehen und korrigieren' }).getAttribute('href')).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/node\/\d+$/,
    );
    expect(await page.locator('footer').textContent()).toContain('Köln: Apotheken');
    await screenshot(page, 'osm-detail');
    expect(await axeViolations(page)).toEqual([]);
  });
});
