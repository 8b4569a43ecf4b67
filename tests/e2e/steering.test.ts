// The steering cycle in Chromium: the public goals dashboard, a goal page and the council report,
// over the synthetic city with goals tracked for four months (snapshots taken with a controlled clock).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import type { Goal } from '../../server/steering/steering.schema.ts';
import { createTestApp, startTestServer } from '../helpers/app.ts';
import { axeViolations, chromiumAvailable, closeWatchedPage, launchChromium, openWatchedPage, type WatchedPage } from '../helpers/browser.ts';
import { createSyntheticCity } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createPublishedOffer, createStaff, type SignedIn } from '../helpers/offer-factories.ts';

const screenshotDirectory = path.join(projectRoot, 'test-results');

describe.skipIf(!chromiumAvailable('steering'))('goals, tracking and the council report in the browser', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let opened: WatchedPage | undefined;
  let page: Page;
  let coverageGoal: Goal;

  beforeAll(async () => {
    fs.mkdirSync(screenshotDirectory, { recursive: true });
    testDatabase = await createTestDatabase();
    const city = await createSyntheticCity(testDatabase.database.knex);
    let now = new Date('2026-10-01T06:00:00Z');
    const seeding = createTestApp(testDatabase.database, {}, { steeringClock: () => now });
    const staff = await createStaff(testDatabase.database.knex, seeding);
    const send = (as: SignedIn, url: string, body: object, ifMatch?: string) => {
      const call = as.agent.post(url).set('X-CSRF-Token', as.csrfToken);
      if (ifMatch) call.set('If-Match', ifMatch);
      return call.send(body);
    };
    const goal = async (body: object): Promise<Goal> => {
      const created = (await send(staff.planner, '/api/steering/goals', body)).body as Goal;
      return (await send(staff.admin, `/api/steering/goals/${created.id}/status`, { status: 'adopted' }, '"1"')).body as Goal;
    };
    coverageGoal = await goal({
      fieldOfAction: 'participation',
      title: 'Seniorentreffs in Gehweite',
      rationale: 'Ältere Menschen erreichen einen Treffpunkt zu Fuß.',
      targetGroup: 'seniors',
      scope: 'areas',
      areaIds: [city.s1.id, city.s2.id],
      keyFigure: { kind: 'coverage', measure: 'share_within_reach', offerType: 'senior_meeting_place' },
      baseline: { value: 0, date: '2026-01-01' },
      target: { value: 60, deadline: '2027-12-31' },
      ownerDepartmentCode: staff.departmentA.code,
      councilReference: 'AN/0815/2026',
    });
    const processGoal = await goal({
      fieldOfAction: 'health',
      title: 'Beratungsgespräche zur Pflege',
      scope: 'city',
      keyFigure: { kind: 'process', label: 'Beratungsgespräche pro Monat', unit: 'count' },
      baseline: { value: 20, date: '2026-01-01' },
      target: { value: 40, deadline: '2027-12-31' },
      ownerDepartmentCode: staff.departmentA.code,
    });
    await send(staff.planner, '/api/steering/goals', {
      fieldOfAction: 'housing',
      title: 'Entwurf, nicht öffentlich',
      scope: 'city',
      keyFigure: { kind: 'process', label: 'Wohnberatungen', unit: 'count' },
      baseline: { value: 1, date: '2026-01-01' },
      target: { value: 2, deadline: '2027-12-31' },
      ownerDepartmentCode: staff.departmentA.code,
    });
    await send(staff.editorA, '/api/steering/measures', {
      kind: 'new_offer',
      title: 'Neuer Treff Lange Straße',
      goalIds: [coverageGoal.id],
      departmentCode: staff.departmentA.code,
      plannedOffer: { name: 'Treff Lange Straße', offerType: 'senior_meeting_place', lon: 6.915, lat: city.lat },
      milestones: [{ title: 'Räume angemietet', dueDate: '2026-11-15' }],
    });
    // Four months: an offer opens in November (West's 100 seniors), counselling is entered except for one month.
    const months: [string, number | null][] = [['2026-10', 24], ['2026-11', null], ['2026-12', 27], ['2027-01', 29]];
    for (const [index, [month, sessions]] of months.entries()) {
      now = new Date(`${month}-01T06:00:00Z`);
      await send(staff.planner, '/api/steering/snapshots', {});
      if (sessions !== null) await send(staff.editorA, `/api/steering/goals/${processGoal.id}/process-values`, { month, value: sessions, source: 'Fallstatistik' });
      if (index === 0) {
        await createPublishedOffer(staff.editorA, {
          departmentCode: staff.departmentA.code,
          locations: [{ name: 'Treff West', geometry: { type: 'Point', coordinates: [6.915, city.lat] } }],
        });
      }
    }
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

  it('shows adopted goals per Handlungsfeld with traffic light and sparkline, and reaches a goal by keyboard', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Ziele', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Ziele der Stadt und ihr Stand' }).waitFor();
    const participation = page.getByRole('table', { name: 'Ziele im Handlungsfeld Soziale und politische Teilhabe' });
    await participation.waitFor();
    const row = participation.getByRole('row', { name: /Seniorentreffs in Gehweite/ });
    expect(await row.textContent()).toMatch(/auf Kurs|gefährdet|nicht auf Kurs/);
    expect(await row.getByRole('img').getAttribute('aria-label')).toMatch(/^Monatswerte von Seniorentreffs in Gehweite: Okt\. 2026 0 %, Nov\. 2026 41,7 %/);
    expect(await page.locator('main').textContent()).not.toContain('Entwurf, nicht öffentlich');
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-steering-dashboard.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard: Tab through the filters to the goal link, Enter opens the goal page.
    const link = page.getByRole('link', { name: 'Seniorentreffs in Gehweite' });
    for (let step = 0; step < 30; step++) {
      await page.keyboard.press('Tab');
      if (await link.evaluate((element) => element === (element.ownerDocument as unknown as { activeElement: unknown }).activeElement)) break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Seniorentreffs in Gehweite' }).waitFor();
  });

  it('shows a goal with its monthly chart, the same values as a table, areas, measures and method', async () => {
    await page.goto(`${server.url}/ziele/${coverageGoal.id}`);
    await page.getByRole('heading', { level: 1, name: 'Seniorentreffs in Gehweite' }).waitFor();
    const values = page.getByRole('table', { name: /Monatswerte/ });
    await values.waitFor();
    expect(await values.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^Okt\. 2026\s*0 %/),
      expect.stringMatching(/^Nov\. 2026\s*41,7 %/),
      expect.stringMatching(/^Dez\. 2026\s*41,7 %/),
      expect.stringMatching(/^Jan\. 2027\s*41,7 %/),
    ]);
    expect(await page.getByRole('img', { name: /Linie der Monatswerte/ }).count()).toBe(1);
    const areas = page.getByRole('table', { name: /Werte je Gebiet/ });
    expect(await areas.textContent()).toMatch(/West\s*66,7 %/);
    expect(await page.locator('main').textContent()).toContain('Neuer Treff Lange Straße');
    expect(await page.locator('main').textContent()).toContain('1 Meilenstein überfällig');
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-steering-goal.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('prints the council report per Handlungsfeld with figures, charts, method and data dates, also as PDF', async () => {
    await page.goto(`${server.url}/ziele/bericht`);
    await page.getByRole('heading', { level: 1, name: 'Bericht zu den Zielen' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Beratungsgespräche zur Pflege' }).waitFor();
    await page.getByRole('table', { name: /Monatswerte/ }).nth(1).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Gesundheit');
    expect(text).toContain('Soziale und politische Teilhabe');
    expect(text).toContain('Methode und Datenstand');
    // the December snapshot records November, for which nothing was entered
    expect(text).toMatch(/Dez\. 2026\s*fehlt/);
    await page.screenshot({ path: path.join(screenshotDirectory, 'e2e-steering-report.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Drucken oder als PDF speichern' }).isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', path: path.join(screenshotDirectory, 'e2e-steering-report.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
