// The import as a staff member uses it in Chromium: expected columns and template, a spreadsheet
// with German headers and no coordinates, the mapping step, address lookup over the real Cologne
// street register, publish on import — German on the desktop, English on a phone.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp, startTestServer } from '../helpers/app.ts';
import { axeViolations, chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, type WatchedPage } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertUser, signIn, type SignedIn, type TestUser } from '../helpers/offer-factories.ts';
import { importKoelnStreets, koelnDataAvailable } from '../helpers/search-factories.ts';

const screenshotDirectory = path.join(projectRoot, 'test-results');

const germanFile = [
  'Einrichtung;Angebotsart;Zielgruppen;Straße;Hausnummer;PLZ;Ort;Sprachen;Kennung;Quelle',
  'Seniorentreff Venloer;senior_meeting_place;seniors, families;Venloer Straße;300;50823;Köln;de, tr;v-300;e2e-import',
  'Seniorentreff Aachener;senior_meeting_place;seniors;Aachener Straße;100;50674;Köln;de;a-100;e2e-import',
].join('\r\n');

describe.skipIf(!chromiumAvailable('staff import browser test') || !koelnDataAvailable())('staff import in the browser', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let editor: TestUser;
  let editorApi: SignedIn;
  let opened: WatchedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(screenshotDirectory, { recursive: true });
    testDatabase = await createTestDatabase();
    const knex = testDatabase.database.knex;
    await importKoelnStreets(knex);
    const department = await insertDepartment(knex, { code: 'A50', name: 'Amt für Soziales' });
    editor = await insertUser(knex, { role: 'editor', departmentId: department.id, email: 'redaktion@example.org' });
    server = await startTestServer(testDatabase.database);
    editorApi = await signIn(createTestApp(testDatabase.database), editor);
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

  async function signInWithForm(next: string, language: 'de' | 'en' = 'de'): Promise<void> {
    await page.goto(`${server.url}/verwaltung/anmelden?next=${encodeURIComponent(next)}`);
    await page.getByLabel(language === 'de' ? 'E-Mail-Adresse' : 'E-mail address').fill(editor.email);
    await page.getByLabel(language === 'de' ? 'Passwort' : 'Password').fill(editor.password);
    await page.getByRole('button', { name: language === 'de' ? 'Anmelden' : 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === next);
  }

  it('maps German headers, looks up the addresses and publishes on import, by keyboard where it counts', async () => {
    await signInWithForm('/verwaltung/import');
    await page.getByText('Erwartete Spalten und Vorlage').click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Vorlage herunterladen (CSV)' }).click();
    const template = fs.readFileSync(await (await download).path(), 'utf8');
    expect(template.split('\r\n')[0]).toMatch(/^\uFEFFName;Angebotsart;Dienststelle;Zielgruppen;Beschreibung;Straße;Hausnummer;PLZ;Ort;/);

    await page.getByLabel('Datei', { exact: true }).setInputFiles({ name: 'treffs.csv', mimeType: 'text/csv', buffer: Buffer.from(germanFile) });
    const mapping = page.getByRole('group', { name: 'Spalten zuordnen' });
    await mapping.waitFor();
    expect(await mapping.getByLabel('Straße').inputValue()).toBe('street');
    expect(await mapping.getByLabel('PLZ').inputValue()).toBe('postal_code');
    expect(await mapping.getByLabel('Zielgruppen').inputValue()).toBe('target_groups');
    expect(await mapping.getByLabel('Einrichtung').inputValue()).toBe('');
    await mapping.getByText('Noch keiner Spalte zugeordnet: Name.').waitFor();
    await mapping.getByLabel('Einrichtung').focus();
    await mapping.getByLabel('Einrichtung').selectOption('name');
    expect(await mapping.getByText(/Noch keiner Spalte zugeordnet/).count()).toBe(0);
    await page.getByLabel('Neue Angebote gleich veröffentlichen').focus();
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Neue Angebote gleich veröffentlichen').isChecked()).toBe(true);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-import-mapping.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Datei prüfen' }).click();
    await page.getByText('Die Datei ist in Ordnung.', { exact: false }).waitFor({ timeout: 60_000 });
    const counts = (await page.locator('.import-report__counts').textContent()) ?? '';
    expect(counts).toContain('Adressen nachgeschlagen2');
    expect(counts).toContain('Werden veröffentlicht2');
    await page.getByRole('button', { name: 'Import bestätigen (2 Angebote)' }).click();
    await page.getByText('Import abgeschlossen: 2 Angebote übernommen.').waitFor();
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-import-done.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    const listed = await editorApi.agent.get('/api/offers').query({ q: 'Seniorentreff' });
    const imported = (listed.body.items as Offer[]).filter((offer) => offer.source === 'e2e-import');
    expect(imported.map((offer) => offer.publication)).toEqual(['published', 'published']);
    expect(imported.every((offer) => offer.locations[0]!.geometry.coordinates[0] > 6.8)).toBe(true);

    // the mapping is remembered for the department: the next file needs no choice
    await page.getByRole('button', { name: 'Weitere Datei importieren' }).click();
    await page.getByLabel('Datei', { exact: true }).setInputFiles({ name: 'treffs.csv', mimeType: 'text/csv', buffer: Buffer.from(germanFile) });
    await page.getByRole('group', { name: 'Spalten zuordnen' }).waitFor();
    expect(await page.getByRole('group', { name: 'Spalten zuordnen' }).getByLabel('Einrichtung').inputValue()).toBe('name');
  });

  it('imports as drafts, then publishes them from the offer list in one step', async () => {
    const draftFile = germanFile
      .replaceAll('Seniorentreff', 'Nachbarschaftstreff')
      .replace('v-300;e2e-import', 'n-300;e2e-drafts')
      .replace('a-100;e2e-import', 'n-100;e2e-drafts');
    await signInWithForm('/verwaltung/import');
    await page.getByLabel('Datei', { exact: true }).setInputFiles({ name: 'nachbarschaft.csv', mimeType: 'text/csv', buffer: Buffer.from(draftFile) });
    const mapping = page.getByRole('group', { name: 'Spalten zuordnen' });
    await mapping.waitFor();
    // remembered from an earlier import of the department, or chosen now
    if ((await mapping.getByLabel('Einrichtung').inputValue()) === '') await mapping.getByLabel('Einrichtung').selectOption('name');
    expect(await page.getByLabel('Neue Angebote gleich veröffentlichen').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Datei prüfen' }).click();
    await page.getByText('Die Datei ist in Ordnung.', { exact: false }).waitFor({ timeout: 60_000 });
    expect((await page.locator('.import-report__counts').textContent()) ?? '').toContain('Adressen nachgeschlagen2');
    await page.getByRole('button', { name: 'Import bestätigen (2 Angebote)' }).click();
    await page.getByText('Import abgeschlossen: 2 Angebote übernommen.').waitFor();

    await page.goto(`${server.url}/verwaltung/angebote?q=Nachbarschaftstreff`);
    const selectAll = page.getByRole('checkbox', { name: 'Alle Entwürfe auf dieser Seite auswählen' });
    await page.locator('.offers-table tbody tr').nth(1).waitFor();
    await selectAll.focus();
    await page.keyboard.press('Space');
    await page.getByText('2 Entwürfe ausgewählt').waitFor();
    await page.getByRole('button', { name: 'Ausgewählte Entwürfe veröffentlichen' }).click();
    await page.getByText('2 Angebote veröffentlicht.').waitFor();
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-import-bulk-published.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    const listed = await editorApi.agent.get('/api/offers').query({ q: 'Nachbarschaftstreff' });
    const imported = (listed.body.items as Offer[]).filter((offer) => offer.source === 'e2e-drafts');
    expect(imported.map((offer) => offer.publication)).toEqual(['published', 'published']);
  });

  it('fits a phone in English with the mapping step and the column list open', async () => {
    await closeWatchedPage(opened);
    opened = await openWatchedPage(browser, server.url, { width: 390, height: 844, locale: 'en-GB' });
    page = opened.page;
    await opened.context.addInitScript(() => window.localStorage.setItem('angebotsatlas.language', 'en'));
    await signInWithForm('/verwaltung/import', 'en');
    await page.getByText('Expected columns and template').click();
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'treffs.csv', mimeType: 'text/csv', buffer: Buffer.from(germanFile) });
    await page.getByRole('group', { name: 'Map the columns' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-import-phone-en.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });
});
