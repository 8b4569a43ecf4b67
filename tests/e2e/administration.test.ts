// Browser test of the staff area (Verwaltung): sign-in, the offers table, the offer form with the
// map picker, field errors, a conflicting save, history with diffs and restore, and the import
// wizard — driven in the system Chromium over the real app and a real database with Cologne areas.
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labelPoint } from '../../client/map/geometry.ts';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp, startTestServer } from '../helpers/app.ts';
import { axeViolations, chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, type WatchedPage } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, insertDepartment, insertUser, signIn, type SignedIn, type TestUser } from '../helpers/offer-factories.ts';
import { loadKoelnAreas } from './koeln-areas.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const screenshotDirectory = path.join(projectRoot, 'test-results');
const pickerLayer = 'picker-point';
const selectedFillLayer = 'areas-selected-fill';
// Chromium logs every 4xx answer as a console error. These statuses are the ones the tests
// provoke on purpose (wrong password, invalid field, stale version); anything else still fails.
const expectedFailures = /Failed to load resource: the server responded with a status of (400|401|412)/;

// The browser side of the page callbacks (the root tsconfig has no DOM library).
type BrowserGlobals = {
  __angebotsatlasTestHooks?: boolean;
  __angebotsatlasMap?: {
    queryRenderedFeatures(options?: { layers: string[] }): Array<{ properties: Record<string, unknown> }>;
    project(position: [number, number]): { x: number; y: number };
    getCenter(): { lng: number };
    isMoving(): boolean;
  };
  document: {
    querySelector(selector: string): { dataset: Record<string, string | undefined> } | null;
    activeElement: { id: string; tagName: string; textContent: string | null; getAttribute(name: string): string | null } | null;
  };
};

describe.skipIf(!chromiumAvailable('staff area browser test'))('staff area (Verwaltung)', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let setupApp: Express;
  let browser: Browser;
  let department: { id: string; code: string; name: string };
  let admin: TestUser;
  let editor: TestUser;
  let adminApi: SignedIn;
  let opened: WatchedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(screenshotDirectory, { recursive: true });
    testDatabase = await createTestDatabase();
    const knex = testDatabase.database.knex;
    await loadKoelnAreas(knex);
    department = await insertDepartment(knex, { code: 'A50', name: 'Amt für Soziales' });
    admin = await insertUser(knex, { role: 'admin', email: 'admin@example.org' });
    editor = await insertUser(knex, { role: 'editor', departmentId: department.id, email: 'redaktion@example.org' });
    server = await startTestServer(testDatabase.database);
    // Records for the table are made through the API of a second app on the same database.
    setupApp = createTestApp(testDatabase.database);
    adminApi = await signIn(setupApp, admin);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await testDatabase?.destroy();
  });

  beforeEach(async () => {
    opened = await openWatchedPage(browser, server.url, { ignoreConsole: expectedFailures });
    page = opened.page;
  });

  afterEach(async () => {
    await closeWatchedPage(opened);
  });

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(screenshotDirectory, `e2e-admin-${name}.png`), fullPage: true });
  }

  async function expectNoAxeViolations(): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
  }

  async function signInWithForm(user: TestUser, next = '/verwaltung/angebote'): Promise<void> {
    await page.goto(`${server.url}/verwaltung/anmelden?next=${encodeURIComponent(next)}`);
    await page.getByLabel('E-Mail-Adresse').fill(user.email);
    await page.getByLabel('Passwort').fill(user.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL((url) => url.pathname === next.split('?')[0]);
  }

  async function activeElement() {
    return page.evaluate(() => {
      const element = (globalThis as unknown as BrowserGlobals).document.activeElement;
      return {
        id: element?.id ?? '',
        tag: element?.tagName ?? '',
        text: element?.textContent ?? '',
        href: element?.getAttribute('href') ?? '',
      };
    });
  }

  // Presses Tab until `matches` holds for the focused element; fails after `limit` presses.
  async function tabTo(matches: (element: Awaited<ReturnType<typeof activeElement>>) => boolean, limit = 40) {
    for (let step = 0; step < limit; step += 1) {
      await page.keyboard.press('Tab');
      const element = await activeElement();
      if (matches(element)) return element;
    }
    throw new Error('the element was not reached with the Tab key');
  }

  async function waitForPickerMap(): Promise<void> {
    await page.waitForFunction(
      () => {
        const browser = globalThis as unknown as BrowserGlobals;
        return (
          browser.__angebotsatlasMap !== undefined &&
          browser.document.querySelector('[data-map-state]')?.dataset.mapState === 'ready' &&
          browser.__angebotsatlasMap.queryRenderedFeatures({ layers: ['areas-fill'] }).length > 0
        );
      },
      undefined,
      { timeout: 60_000 },
    );
  }

  // Where a position lies on the screen (page coordinates) in the picker map.
  async function screenPoint(position: [number, number]): Promise<{ x: number; y: number }> {
    const canvas = page.locator('canvas.maplibregl-canvas');
    // The map must be inside the viewport for the mouse to reach it.
    await canvas.evaluate((element) => (element as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'center' }));
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the map canvas has no size');
    const projected = await page.evaluate(
      (lonLat) => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.project(lonLat),
      position,
    );
    return { x: box.x + projected.x, y: box.y + projected.y };
  }

  async function pointDrawn(): Promise<void> {
    await page.waitForFunction(
      ({ point, selected }) => {
        const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap;
        return (
          (map?.queryRenderedFeatures({ layers: [point] }).length ?? 0) > 0 &&
          (map?.queryRenderedFeatures({ layers: [selected] }).length ?? 0) > 0
        );
      },
      { point: pickerLayer, selected: selectedFillLayer },
    );
  }

  async function areaPoint(name: string): Promise<[number, number]> {
    const response = await fetch(`${server.url}/api/areas?level=sozialraum`);
    const collection = (await response.json()) as { features: Array<{ properties: { name: string }; geometry: GeoJSON.MultiPolygon }> };
    const feature = collection.features.find((item) => item.properties.name === name);
    if (!feature) throw new Error(`${name} is part of the test data`);
    const point = labelPoint(feature.geometry);
    if (!point) throw new Error(`${name} has no inner point`);
    return [point[0]!, point[1]!];
  }

  it('guards the staff pages, signs in with announced errors and shows the session in the header', async () => {
    await page.goto(`${server.url}/verwaltung/angebote?stale=true`);
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/verwaltung/anmelden');
    expect(url.searchParams.get('next')).toBe('/verwaltung/angebote?stale=true');

    const email = page.getByLabel('E-Mail-Adresse');
    const password = page.getByLabel('Passwort');
    expect(await email.getAttribute('autocomplete')).toBe('username');
    expect(await email.getAttribute('type')).toBe('email');
    expect(await password.getAttribute('autocomplete')).toBe('current-password');

    // Nothing entered: errors next to the fields, and a summary that takes focus.
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Bitte geben Sie Ihre E-Mail-Adresse ein.').first().waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('Bitte geben Sie Ihre E-Mail-Adresse ein.');
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.getAttribute('class'))).toBe(
      'error-summary',
    );

    // A wrong password: said in the alert region, the password field emptied.
    await email.fill(editor.email);
    await password.fill('not the password at all');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const alert = page.locator('.sign-in-form [role="alert"]').filter({ hasText: 'stimmen nicht' });
    await alert.waitFor();
    expect(await password.inputValue()).toBe('');
    await screenshot('sign-in-error');
    await expectNoAxeViolations();

    await password.fill(editor.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Angebote verwalten' }).waitFor();
    expect(new URL(page.url()).search).toBe('?stale=true');
    const header = page.locator('header');
    expect(await header.textContent()).toContain('Angemeldet: redaktion@example.org (Redaktion)');

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verwaltung' }).waitFor();
    await page.getByRole('link', { name: 'Zur Anmeldung' }).waitFor();
    expect(await page.getByRole('button', { name: 'Abmelden' }).count()).toBe(0);
    await page.goto(`${server.url}/verwaltung/angebote`);
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
  });

  it('lists offers with filters, sort and paging in the URL, a stale badge and accessible markup', async () => {
    const verified = await createOffer(adminApi, { departmentCode: department.code, name: 'Geprüfter Treff' });
    const verifiedResponse = await adminApi.agent
      .post(`/api/offers/${verified.id}/verify`)
      .set('X-CSRF-Token', adminApi.csrfToken);
    expect(verifiedResponse.status).toBe(200);
    await createOffer(adminApi, { departmentCode: department.code, name: 'Ungeprüfte Beratung', offerType: 'senior_counselling' });

    await signInWithForm(admin);
    const table = page.locator('.offers-table table');
    await table.waitFor();
    expect(await table.locator('caption').textContent()).toBe('Angebote');
    // six columns and, for staff who may publish, the checkbox column of bulk publishing
    expect(await table.locator('thead th[scope="col"]').count()).toBe(7);
    const staleRow = page.locator('tr', { hasText: 'Ungeprüfte Beratung' });
    expect(await staleRow.locator('.badge--warning').textContent()).toBe('Prüfung fällig');
    expect(await page.locator('tr', { hasText: 'Geprüfter Treff' }).locator('.badge--warning').count()).toBe(0);

    // Only records due for a check; the filter goes into the URL.
    await page.getByLabel('Nur Angebote mit fälliger Prüfung').check();
    await page.waitForURL((url) => url.searchParams.get('stale') === 'true');
    await page.locator('tr', { hasText: 'Geprüfter Treff' }).waitFor({ state: 'detached' });
    expect(await page.locator('tr', { hasText: 'Ungeprüfte Beratung' }).count()).toBe(1);

    // Sorting by name, descending on the second click, announced with aria-sort.
    await page.getByLabel('Nur Angebote mit fälliger Prüfung').uncheck();
    await page.getByRole('button', { name: /^Name/ }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === '-name');
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Name');
    // The previous page stays on screen until the sorted one has loaded: wait for the rows, then
    // they must be all offers, in descending German order.
    const names = () => page.locator('.offers-table tbody th a').allTextContents();
    await expect.poll(async () => (await names()).join(' | ')).toBe(
      ['Ungeprüfte Beratung', 'Geprüfter Treff'].sort((a, b) => b.localeCompare(a, 'de')).join(' | '),
    );

    // The type filter works with the taxonomy, the status filter with the API's statuses.
    await page.getByLabel('Angebotsart').selectOption('senior_counselling');
    await page.waitForURL((url) => url.searchParams.get('type') === 'senior_counselling');
    await page.getByText('1 Angebot gefunden').waitFor();
    expect(await page.getByRole('link', { name: 'CSV' }).getAttribute('href')).toBe(
      '/api/offers/export?type=senior_counselling&sort=-name&format=csv',
    );
    await screenshot('table');
    await expectNoAxeViolations();

    // A shared link opens the same view.
    await page.goto(`${server.url}/verwaltung/angebote?type=senior_counselling&sort=-name`);
    await page.getByText('1 Angebot gefunden').waitFor();
    expect(await page.getByLabel('Angebotsart').inputValue()).toBe('senior_counselling');

    // The department filter is a list of the departments (code – name), not free text.
    const youthOffice = await insertDepartment(testDatabase.database.knex, { code: 'B51', name: 'Amt für Kinder, Jugend und Familie' });
    await createOffer(adminApi, { departmentCode: youthOffice.code, name: 'Kita Sonnenschein', offerType: 'family_centre' });
    await page.goto(`${server.url}/verwaltung/angebote`);
    await page.locator('tr', { hasText: 'Kita Sonnenschein' }).waitFor();
    const departmentFilter = page.getByRole('combobox', { name: 'Dienststelle', exact: true });
    await departmentFilter.locator('option', { hasText: 'B51 – Amt für Kinder, Jugend und Familie' }).waitFor({ state: 'attached' });
    expect(await departmentFilter.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['Alle', 'A50 – Amt für Soziales', 'B51 – Amt für Kinder, Jugend und Familie']),
    );
    await departmentFilter.selectOption('B51');
    await page.waitForURL((url) => url.searchParams.get('department') === 'B51');
    await page.getByText('1 Angebot gefunden').waitFor();
    expect(await page.locator('.offers-table tbody th a').allTextContents()).toEqual(['Kita Sonnenschein']);
    await expectNoAxeViolations();
  });

  it('creates an offer with a point picked on the map, shows field errors, edits it and shows the history', async () => {
    await signInWithForm(editor, '/verwaltung/angebote/neu');
    await page.getByRole('heading', { level: 1, name: 'Neues Angebot' }).waitFor();
    await page.getByText('Das Angebot gehört zur Dienststelle: Amt für Soziales.').waitFor();
    // An editor's own department, shown in the list but locked.
    const departmentField = page.getByRole('combobox', { name: 'Dienststelle' });
    expect(await departmentField.isDisabled()).toBe(true);
    expect(await departmentField.locator('option').allTextContents()).toEqual(['A50 – Amt für Soziales']);

    await page.getByLabel('Name des Angebots').fill('Seniorentreff Ehrenfeld');
    await page.getByRole('combobox', { name: 'Angebotsart (Pflichtfeld)' }).selectOption('senior_meeting_place');
    await page.getByLabel('Seniorinnen und Senioren (ab 65)').check();
    await page.getByLabel('Kostenlos').check();
    await page.getByLabel('Sprachen').fill('de, tr');
    await page.getByLabel('E-Mail', { exact: true }).fill('keine-adresse');
    // Opening hours in the editor: Monday 10–16, taken over for Tuesday to Friday, closed on holidays.
    await page.getByRole('button', { name: 'Montag: Zeitraum hinzufügen' }).click();
    await page.getByLabel('Montag, Zeitraum 1: geöffnet von').fill('10:00');
    await page.getByLabel('Montag, Zeitraum 1: geöffnet bis').fill('16:00');
    await page.getByRole('button', { name: 'Zeiten vom Montag für Dienstag bis Freitag übernehmen' }).click();
    await page.getByLabel('An Feiertagen geschlossen').check();
    await page.locator('.opening-hours-editor__result code').filter({ hasText: 'Mo-Fr 10:00-16:00; PH off' }).waitFor();

    // The address search degrades gracefully: this test database has no street data.
    await page.getByLabel('Adresse suchen').fill('Venloer Straße 123');
    await page.getByRole('button', { name: 'Adresse suchen' }).click();
    await page.locator('.address-search__status').filter({ hasText: /Keine passende Adresse|nicht verfügbar/ }).waitFor();

    // Click on the map: the point is set and its Sozialraum is named at once.
    await waitForPickerMap();
    const ehrenfeld = await areaPoint('Ehrenfeld');
    const click = await screenPoint(ehrenfeld);
    await page.mouse.click(click.x, click.y);
    await page.getByTestId('sozialraum-0').filter({ hasText: 'Sozialraum: Ehrenfeld' }).waitFor();
    const latitude = Number(await page.getByLabel('Breitengrad').inputValue());
    const longitude = Number(await page.getByLabel('Längengrad').inputValue());
    // One screen pixel is about 0.001° at the city-wide zoom.
    expect(latitude).toBeCloseTo(ehrenfeld[1], 2);
    expect(longitude).toBeCloseTo(ehrenfeld[0], 2);
    await pointDrawn();

    // Drag the point into the next Sozialraum (Neuehrenfeld lies north of Ehrenfeld).
    const target = await areaPoint('Neuehrenfeld');
    const to = await screenPoint(target);
    await page.mouse.move(click.x, click.y);
    await page.mouse.down();
    await page.mouse.move((click.x + to.x) / 2, (click.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('sozialraum-0').filter({ hasText: 'Sozialraum: Neuehrenfeld' }).waitFor();
    expect(Number(await page.getByLabel('Breitengrad').inputValue())).toBeCloseTo(target[1], 2);
    await pointDrawn();

    // An invalid e-mail address: the server's message next to the field and in the summary.
    await page.getByRole('button', { name: 'Angebot anlegen' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('E-Mail');
    const emailField = page.getByLabel('E-Mail', { exact: true });
    expect(await emailField.getAttribute('aria-invalid')).toBe('true');
    const emailError = page.locator(`[id="${(await emailField.getAttribute('aria-describedby'))?.split(' ').at(-1)}"]`);
    expect(await emailError.textContent()).toContain('keine gültige E-Mail-Adresse');
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.getAttribute('class'))).toBe(
      'error-summary',
    );
    await screenshot('form-errors');
    await expectNoAxeViolations();

    // The summary links to the field.
    await summary.getByRole('link').first().click();
    expect((await activeElement()).id).toBe(await emailField.getAttribute('id'));
    await emailField.fill('treff@example.org');
    await page.getByRole('button', { name: 'Angebot anlegen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Seniorentreff Ehrenfeld' }).waitFor();
    await page.getByText('Das Angebot wurde als Entwurf angelegt.').waitFor();
    const offerId = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = (await (await adminApi.agent.get(`/api/offers/${offerId}`)).body) as Offer;
    expect(stored).toMatchObject({ name: 'Seniorentreff Ehrenfeld', department: { code: department.code }, version: 1 });
    expect(stored.locations[0]?.sozialraum?.name).toBe('Neuehrenfeld');
    expect(stored.cost).toEqual({ kind: 'free', text: null });
    expect(stored.openingHours).toBe('Mo-Fr 10:00-16:00; PH off');
    expect(stored.languages).toEqual(['de', 'tr']);

    // Edit: the form is filled from the record; saving sends If-Match and reports the version.
    await waitForPickerMap();
    await pointDrawn();
    await page.getByLabel('Name des Angebots').fill('Seniorentreff Neuehrenfeld');
    await page.getByLabel('Beschreibung').fill('Kaffee, Spiele und Beratung.');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByText('Gespeichert. Das Angebot hat jetzt Version 2.').waitFor();
    await page.getByRole('button', { name: 'Als geprüft markieren' }).click();
    await page.getByText(/Als geprüft markiert am/).waitFor();
    await screenshot('form-edit');
    await expectNoAxeViolations();

    // History: newest first, with the changed fields before and after.
    await page.getByRole('link', { name: 'Verlauf mit allen Änderungen ansehen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verlauf: Seniorentreff Neuehrenfeld' }).waitFor();
    const entries = page.locator('.offer-history__entry');
    await entries.nth(2).waitFor();
    expect(await entries.count()).toBe(3);
    expect(await entries.nth(0).locator('h2').textContent()).toContain('Version 3: Als geprüft markiert');
    const edit = entries.nth(1);
    expect(await edit.locator('h2').textContent()).toContain('Version 2: Geändert');
    const nameRow = edit.locator('tr', { hasText: 'Name des Angebots' });
    expect(await nameRow.locator('td').allTextContents()).toEqual(['Seniorentreff Ehrenfeld', 'Seniorentreff Neuehrenfeld']);
    expect(await edit.locator('table caption').textContent()).toBe('Geänderte Angaben in Version 2');
    await screenshot('history');
    await expectNoAxeViolations();

    // Restore version 1: a new version with the old name.
    await entries.nth(2).getByRole('button', { name: 'Version 1 wiederherstellen' }).click();
    await page.getByRole('button', { name: 'Ja, wiederherstellen' }).click();
    await page.getByText('Version 1 ist wiederhergestellt und gilt jetzt als Version 4.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Verlauf: Seniorentreff Ehrenfeld' }).waitFor();
    await page.locator('.offer-history__entry').nth(3).waitFor();
    expect(await page.locator('.offer-history__entry').first().locator('h2').textContent()).toContain(
      'Frühere Version wiederhergestellt',
    );
  });

  it('lets an administrator choose the department from a list and pick or add the provider (Träger)', async () => {
    const knex = testDatabase.database.knex;
    await knex('organizations').insert({ name: 'Caritasverband für die Stadt Köln e. V.', website: 'https://caritas.example.org' });
    await signInWithForm(admin, '/verwaltung/angebote/neu');
    await page.getByRole('heading', { level: 1, name: 'Neues Angebot' }).waitFor();

    const departmentField = page.getByRole('combobox', { name: 'Dienststelle (Pflichtfeld)' });
    await departmentField.locator('option', { hasText: 'A50 – Amt für Soziales' }).waitFor({ state: 'attached' });
    await departmentField.selectOption('A50');
    await page.getByLabel('Name des Angebots').fill('Beratung für Familien');
    await page.getByRole('combobox', { name: 'Angebotsart (Pflichtfeld)' }).selectOption('family_centre');
    await page.getByLabel('Längengrad').fill('6.95');
    await page.getByLabel('Breitengrad').fill('50.94');

    // The provider: type part of the name, move with the arrow keys, take it with Enter.
    const provider = page.getByRole('combobox', { name: 'Träger', exact: true });
    await provider.fill('caritas');
    const option = page.getByRole('option', { name: /Caritasverband für die Stadt Köln/ });
    await option.waitFor();
    expect(await provider.getAttribute('aria-expanded')).toBe('true');
    await page.getByText('1 Träger gefunden.', { exact: false }).waitFor();
    await provider.press('ArrowDown');
    expect(await provider.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await screenshot('provider-list');
    await expectNoAxeViolations();
    await provider.press('Enter');
    expect(await provider.inputValue()).toBe('Caritasverband für die Stadt Köln e. V.');
    expect(await provider.getAttribute('aria-expanded')).toBe('false');
    await page.getByText('Träger ausgewählt: Caritasverband für die Stadt Köln e. V.').waitFor();

    // A provider the search does not find is added in place and chosen.
    await provider.fill('Bürgerverein Ehrenfeld');
    await page.getByText('Kein Träger zu „Bürgerverein Ehrenfeld“ gefunden.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Neuen Träger anlegen' }).click();
    const newName = page.getByLabel('Name des Trägers');
    expect(await newName.inputValue()).toBe('Bürgerverein Ehrenfeld');
    expect((await activeElement()).id).toBe(await newName.getAttribute('id'));
    await page.getByLabel('Webseite des Trägers').fill('https://buergerverein.example.org');
    await screenshot('provider-new');
    await expectNoAxeViolations();
    // Enter in the provider's fields adds the provider; it does not send the offer form.
    await page.getByLabel('Webseite des Trägers').press('Enter');
    await page.getByText('Der Träger „Bürgerverein Ehrenfeld“ ist angelegt und ausgewählt.').waitFor();
    expect(await provider.inputValue()).toBe('Bürgerverein Ehrenfeld');
    expect(await page.getByLabel('Name des Trägers').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/verwaltung/angebote/neu');

    await page.getByRole('button', { name: 'Angebot anlegen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Beratung für Familien' }).waitFor();
    const offerId = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = (await adminApi.agent.get(`/api/offers/${offerId}`)).body as Offer;
    expect(stored.department.code).toBe('A50');
    expect(stored.organization?.name).toBe('Bürgerverein Ehrenfeld');
    expect(await page.getByRole('combobox', { name: 'Träger', exact: true }).inputValue()).toBe('Bürgerverein Ehrenfeld');
    const created = await knex('organizations').where({ name: 'Bürgerverein Ehrenfeld' }).first();
    expect(created).toMatchObject({ website: 'https://buergerverein.example.org' });
    expect(await knex('audit_events').where({ action: 'organization.create', entity_id: created.id })).toHaveLength(1);
  });

  it('fits a phone: the table scrolls inside its region and the form stacks', async () => {
    await createOffer(adminApi, { departmentCode: department.code, name: 'Quartierstreff mit einem recht langen Namen am Rande der Stadt' });
    await page.setViewportSize({ width: 390, height: 844 });
    await signInWithForm(editor);
    await page.locator('.offers-table').waitFor();
    const pageWidth = () =>
      page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-admin-phone-table.png') });
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await page.getByRole('link', { name: 'Neues Angebot anlegen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Neues Angebot' }).waitFor();
    await page.getByLabel('Name des Angebots').waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await expectNoAxeViolations();
  });

  it('shows the current state after a conflicting save and carries the edits over', async () => {
    const offer = await createOffer(adminApi, { departmentCode: department.code, name: 'Familienzentrum Nord', offerType: 'family_centre' });
    await signInWithForm(editor, `/verwaltung/angebote/${offer.id}`);
    await page.getByRole('heading', { level: 1, name: 'Familienzentrum Nord' }).waitFor();
    await page.getByLabel('Name des Angebots').fill('Familienzentrum Nord-West');

    // Meanwhile someone else saves a new description.
    const other = await adminApi.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', adminApi.csrfToken)
      .set('If-Match', '"1"')
      .send({ description: 'Von der Kollegin ergänzt.' });
    expect(other.status).toBe(200);

    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    const panel = page.locator('.conflict-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Gespeichert ist jetzt Version 2');
    const descriptionRow = panel.locator('tr', { hasText: 'Beschreibung' });
    expect(await descriptionRow.locator('td').allTextContents()).toEqual([
      'Offener Treff mit Kaffee, Spielen und Beratung.',
      'Von der Kollegin ergänzt.',
    ]);
    await screenshot('conflict');
    await expectNoAxeViolations();

    await page.getByRole('button', { name: 'Meine Änderungen in die neue Fassung übernehmen' }).click();
    // The form re-renders after the click; wait for what the person is told, then read the fields
    // (a loaded CI machine once read the old description right after the click).
    await page.getByText('Ihre Änderungen stehen jetzt auf Version 2.').waitFor();
    await expect.poll(() => page.getByLabel('Beschreibung').inputValue()).toBe('Von der Kollegin ergänzt.');
    await expect.poll(() => page.getByLabel('Name des Angebots').inputValue()).toBe('Familienzentrum Nord-West');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByText('Gespeichert. Das Angebot hat jetzt Version 3.').waitFor();
    const saved = (await adminApi.agent.get(`/api/offers/${offer.id}`)).body as Offer;
    expect(saved).toMatchObject({ name: 'Familienzentrum Nord-West', description: 'Von der Kollegin ergänzt.', version: 3 });
  });

  it('can be used with the keyboard: sign-in → table → edit', async () => {
    const offer = await createOffer(adminApi, { departmentCode: department.code, name: 'Aaa Tastaturtreff' });
    await page.goto(`${server.url}/verwaltung/anmelden`);
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await tabTo((element) => element.tag === 'INPUT' && element.id !== '' && element.href === '');
    await page.keyboard.type(editor.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(editor.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Angebote verwalten' }).waitFor();
    // After the page change, focus starts at the new page's heading.
    await page.waitForFunction(
      () => (globalThis as unknown as BrowserGlobals).document.activeElement?.textContent === 'Angebote verwalten',
    );
    await page.locator('.offers-table').waitFor();
    await tabTo((element) => element.href === `/verwaltung/angebote/${offer.id}`, 60);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Aaa Tastaturtreff' }).waitFor();
    const nameId = await page.getByLabel('Name des Angebots').getAttribute('id');
    await tabTo((element) => element.id === nameId, 60);
    await page.keyboard.press('End');
    await page.keyboard.type(' am Abend');
    await page.keyboard.press('Enter');
    await page.getByText('Gespeichert. Das Angebot hat jetzt Version 2.').waitFor();
    expect(((await adminApi.agent.get(`/api/offers/${offer.id}`)).body as Offer).name).toBe('Aaa Tastaturtreff am Abend');

    // The map picker by keyboard: arrow keys move the map, Enter puts the point in its centre.
    await waitForPickerMap();
    const longitudeBefore = Number(await page.getByLabel('Längengrad').inputValue());
    await page.locator('canvas.maplibregl-canvas').focus();
    const centreBefore = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!.getCenter().lng);
    for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowRight');
    // The arrow keys pan with an animation; Enter takes the centre once the map has come to rest.
    await page.waitForFunction((before) => {
      const map = (globalThis as unknown as BrowserGlobals).__angebotsatlasMap!;
      return !map.isMoving() && map.getCenter().lng > before + 0.001;
    }, centreBefore);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (before) => {
        const field = (globalThis as unknown as { document: { getElementById(id: string): { value: string } | null } }).document.getElementById(
          'offer-locations-0-longitude',
        );
        return field !== null && Number(field.value) > before + 0.001;
      },
      longitudeBefore,
    );
    expect(await page.locator('section[aria-labelledby="offer-section-location"] > [role="status"]').textContent()).toContain(
      'Punkt gesetzt',
    );
  });

  it('publishes the selected drafts of a page in one request, by keyboard, and refuses a changed one', async () => {
    const drafts = [];
    for (const name of ['Sammeltreff Nord', 'Sammeltreff Süd', 'Sammeltreff West']) drafts.push(await createOffer(adminApi, { departmentCode: department.code, name }));
    const other = await insertDepartment(testDatabase.database.knex, { code: 'C52', name: 'Amt für Gesundheit' });
    await createOffer(adminApi, { departmentCode: other.code, name: 'Sammeltreff anderer Dienststelle' });
    await signInWithForm(editor, '/verwaltung/angebote?q=Sammeltreff');
    const table = page.locator('.offers-table table');
    await table.locator('tbody tr').nth(3).waitFor();
    // The other department's draft gets no checkbox; the editor's own drafts do.
    expect(await table.getByRole('checkbox').count()).toBe(4);
    expect(await page.locator('tr', { hasText: 'Sammeltreff anderer Dienststelle' }).getByRole('checkbox').count()).toBe(0);

    const selectAll = page.getByRole('checkbox', { name: 'Alle Entwürfe auf dieser Seite auswählen' });
    await selectAll.focus();
    await page.keyboard.press('Space');
    await page.getByText('3 Entwürfe ausgewählt').waitFor();
    // Untick one row with the space bar, then tick it again: the header box is "mixed" in between.
    await table.locator('tbody').getByRole('checkbox').first().focus();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.getAttribute('aria-label'))).toMatch(/^Sammeltreff .* auswählen$/);
    await page.keyboard.press('Space');
    await page.getByText('2 Entwürfe ausgewählt').waitFor();
    expect(await selectAll.evaluate((box) => (box as HTMLInputElement).indeterminate)).toBe(true);
    await page.keyboard.press('Space');
    await page.getByText('3 Entwürfe ausgewählt').waitFor();
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-admin-bulk-selected.png'), fullPage: true });
    await expectNoAxeViolations();

    const publish = page.getByRole('button', { name: 'Ausgewählte Entwürfe veröffentlichen' });
    await publish.focus();
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/offers/publish'));
    await page.keyboard.press('Enter');
    expect((await answered).status()).toBe(200);
    await page.getByText('3 Angebote veröffentlicht.').waitFor();
    for (const draft of drafts) {
      const stored = (await adminApi.agent.get(`/api/offers/${draft.id}`)).body as Offer;
      expect(stored).toMatchObject({ publication: 'published', version: 2 });
    }
    // Published now: no row can be ticked any more, and the header box is off.
    await expect.poll(() => table.locator('tbody').getByRole('checkbox').count()).toBe(0);
    expect(await selectAll.isDisabled()).toBe(true);

    // A draft changed by someone else after the list was loaded: nothing is published, the row is named.
    const late = await createOffer(adminApi, { departmentCode: department.code, name: 'Sammeltreff Ost' });
    const fresh = await createOffer(adminApi, { departmentCode: department.code, name: 'Sammeltreff Mitte' });
    await page.reload();
    await page.locator('tr', { hasText: 'Sammeltreff Ost' }).getByRole('checkbox').waitFor();
    await selectAll.check();
    await adminApi.agent.post(`/api/offers/${late.id}/verify`).set('X-CSRF-Token', adminApi.csrfToken).expect(200);
    await page.getByRole('button', { name: 'Ausgewählte Entwürfe veröffentlichen' }).click();
    const alert = page.locator('.offer-list__bulk [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('1 von 2 ausgewählten Angeboten können nicht veröffentlicht werden; es wurde keines veröffentlicht.');
    expect(await alert.locator('li').textContent()).toMatch(/^Sammeltreff Ost: Der Eintrag wurde inzwischen geändert \(jetzt Version \d+, Ihre Änderung beruht auf Version \d+\)/);
    expect(((await adminApi.agent.get(`/api/offers/${fresh.id}`)).body as Offer).publication).toBe('draft');
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-admin-bulk-refused.png'), fullPage: true });
    await expectNoAxeViolations();
  });

  it('edits opening hours as days and times, reads existing values back and keeps the text field for what it cannot show', async () => {
    const offer = await createOffer(adminApi, {
      departmentCode: department.code,
      name: 'Treff mit Öffnungszeiten',
      openingHours: 'Mo,We 09:00-12:00,14:00-16:00; Sa 10:00-12:00; PH 10:00-14:00',
    });
    await signInWithForm(editor, `/verwaltung/angebote/${offer.id}`);
    await page.getByRole('heading', { level: 1, name: 'Treff mit Öffnungszeiten' }).waitFor();
    const editor_ = page.locator('.opening-hours-editor');
    expect(await page.getByLabel('Montag, Zeitraum 2: geöffnet von').inputValue()).toBe('14:00');
    expect(await page.getByLabel('Samstag, Zeitraum 1: geöffnet bis').inputValue()).toBe('12:00');
    expect(await editor_.getByRole('group', { name: 'Dienstag' }).textContent()).toContain('geschlossen');
    expect(await page.getByLabel('An Feiertagen geöffnet zu diesen Zeiten:').isChecked()).toBe(true);
    expect(await page.getByLabel('Feiertage, Zeitraum 1: geöffnet von').inputValue()).toBe('10:00');

    // By keyboard: remove Monday afternoon, add a Friday range.
    await page.getByRole('button', { name: 'Montag, Zeitraum 2 entfernen' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Freitag: Zeitraum hinzufügen' }).focus();
    await page.keyboard.press('Enter');
    // (time fields are filled as a whole: how typed digits split into hours, minutes and AM/PM
    // depends on the browser's locale)
    await page.getByLabel('Freitag, Zeitraum 1: geöffnet von').fill('08:00');
    // a range with one time only is named and not saved yet
    await editor_.getByText('Bitte beide Uhrzeiten angeben; bis dahin wird dieser Zeitraum nicht gespeichert.').waitFor();
    await page.getByLabel('Freitag, Zeitraum 1: geöffnet bis').fill('11:30');
    const written = 'Mo 09:00-12:00; We 09:00-12:00,14:00-16:00; Fr 08:00-11:30; Sa 10:00-12:00; PH 10:00-14:00';
    await editor_.locator('.opening-hours-editor__result code').filter({ hasText: written }).waitFor();
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-admin-opening-hours.png'), fullPage: true });
    await expectNoAxeViolations();
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByText('Gespeichert. Das Angebot hat jetzt Version 2.').waitFor();
    expect(((await adminApi.agent.get(`/api/offers/${offer.id}`)).body as Offer).openingHours).toBe(written);

    // What the editor cannot show stays in the raw text field.
    const special = await createOffer(adminApi, { departmentCode: department.code, name: 'Treff nach Vereinbarung', openingHours: 'Mo-Fr 09:00-17:00 "nach Vereinbarung"' });
    await page.goto(`${server.url}/verwaltung/angebote/${special.id}`);
    await page.getByRole('heading', { level: 1, name: 'Treff nach Vereinbarung' }).waitFor();
    await page.getByText(/Angaben, die der Editor nicht darstellen kann/).waitFor();
    expect(await page.getByLabel('Öffnungszeiten im OpenStreetMap-Format').inputValue()).toBe('Mo-Fr 09:00-17:00 "nach Vereinbarung"');
    expect(await page.getByLabel('Montag, Zeitraum 1: geöffnet von').count()).toBe(0);
  });

  it('shows the opening-hours editor and the bulk selection in English on a phone', async () => {
    await closeWatchedPage(opened);
    opened = await openWatchedPage(browser, server.url, { width: 390, height: 844, locale: 'en-GB', ignoreConsole: expectedFailures });
    page = opened.page;
    await opened.context.addInitScript(() => window.localStorage.setItem('angebotsatlas.language', 'en'));
    const offer = await createOffer(adminApi, { departmentCode: department.code, name: 'Phone opening hours', openingHours: 'Mo-Fr 09:00-17:00; PH off' });
    await page.goto(`${server.url}/verwaltung/anmelden?next=${encodeURIComponent(`/verwaltung/angebote/${offer.id}`)}`);
    await page.getByLabel('E-mail address').fill(editor.email);
    await page.getByLabel('Password').fill(editor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Phone opening hours' }).waitFor();
    expect(await page.getByLabel('Friday, range 1: open until').inputValue()).toBe('17:00');
    expect(await page.getByLabel('Closed on public holidays').isChecked()).toBe(true);
    await page.locator('.opening-hours-editor').screenshot({ path: path.join(screenshotDirectory, 'e2e-admin-opening-hours-phone-en.png') });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await expectNoAxeViolations();
    await page.goto(`${server.url}/verwaltung/angebote?q=Phone`);
    await page.getByRole('checkbox', { name: 'Select all drafts on this page' }).check();
    await page.getByText('1 draft selected').waitFor();
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-admin-bulk-phone-en.png'), fullPage: true });
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await expectNoAxeViolations();
  });

  it('imports offers: file → dry-run report with an error table → confirm with progress → result', async () => {
    await signInWithForm(admin, '/verwaltung/import');
    await page.getByRole('heading', { level: 1, name: 'Angebote importieren' }).waitFor();
    const header = 'source,external_id,department_code,name,offer_type,longitude,latitude';
    const broken = [header, `e2e,1,${department.code},Treff Eins,senior_meeting_place,6.95,50.93`, `e2e,2,${department.code},,senior_meeting_place,6.95,91`].join('\n');
    await page.getByLabel('Datei', { exact: true }).setInputFiles({ name: 'treffs.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    expect(await page.getByLabel('Format').inputValue()).toBe('csv');
    await page.getByRole('button', { name: 'Datei prüfen' }).click();
    await page.getByRole('heading', { name: 'Schritt 2 von 3: Prüfbericht' }).waitFor();
    await page.getByText('Die Datei hat Fehler.', { exact: false }).waitFor();
    const errorRows = page.locator('.import-report__table tbody tr');
    expect(await errorRows.count()).toBeGreaterThanOrEqual(2);
    expect(await errorRows.first().locator('th').textContent()).toBe('3');
    expect(await page.getByRole('button', { name: /Import bestätigen/ }).count()).toBe(0);
    await screenshot('import-errors');
    await expectNoAxeViolations();

    await page.getByRole('button', { name: 'Andere Datei wählen' }).click();
    const valid = [header, `e2e,1,${department.code},Treff Eins,senior_meeting_place,6.95,50.93`, `e2e,2,${department.code},Treff Zwei,family_centre,6.96,50.94`].join('\n');
    await page.getByLabel('Datei', { exact: true }).setInputFiles({ name: 'treffs.csv', mimeType: 'text/csv', buffer: Buffer.from(valid) });
    await page.getByRole('button', { name: 'Datei prüfen' }).click();
    await page.getByText('Die Datei ist in Ordnung.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Import bestätigen (2 Angebote)' }).click();
    await page.getByText('Import abgeschlossen: 2 Angebote übernommen.').waitFor();
    await screenshot('import-done');
    await expectNoAxeViolations();
    const listed = await adminApi.agent.get('/api/offers').query({ q: 'Treff Zwei' });
    expect(listed.body.total).toBe(1);
  });
});
