// Planung › Versorgung in Chromium over the real Cologne data (areas, population, streets, OSM
// offers loaded with the project's importers): what a planner sees on the map and in the table.
import path from 'node:path';
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
  __angebotsatlasMap?: { getStyle(): { layers: { id: string }[] }; queryRenderedFeatures(options?: { layers: string[] }): unknown[] };
};

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
});
