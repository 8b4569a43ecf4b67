import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags verified on these machines (RECIPES.md): no sandbox as root, no background traffic. */
const commonArgs = ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const chromiumArgs = [...commonArgs, '--disable-gpu'];

/**
 * Whether browser tests can run. Without Chromium they skip with a printed reason, except in CI
 * (CI=true), where a missing browser is a failure.
 */
export function chromiumAvailable(suite: string): boolean {
  if (fs.existsSync(chromiumPath)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`Chromium is required in CI but ${chromiumPath} does not exist.`);
  }
  console.warn(`[e2e] ${suite} skipped: ${chromiumPath} is missing (apt-get install -y --no-install-recommends chromium).`);
  return false;
}

/**
 * Flags for a browser that composites on a GPU as visitors' browsers do, with SwiftShader (software
 * Vulkan in Chromium's GPU process) standing in for the graphics card. Without them (`--disable-gpu`)
 * Chromium composites in software and reads every WebGL frame back on the page's main thread
 * (`Commit` → `GLES2::ReadPixels`, 40–75 ms per frame of a 1400 × 1000 map here): a cost of the test
 * machine, not of the page, which its long tasks would otherwise measure.
 */
const gpuCompositingArgs = [...commonArgs, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

export function launchChromium(options: { gpuCompositing?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: options.gpuCompositing ? gpuCompositingArgs : chromiumArgs });
}

/**
 * Collects what a page must never do: log an error (CSP violations are console errors) or
 * send a request anywhere but the app itself.
 */
export function watchPage(
  page: Page,
  appUrl: string,
  options: { ignoreConsole?: RegExp } = {},
): { consoleErrors: string[]; foreignRequests: string[] } {
  const watched = { consoleErrors: [] as string[], foreignRequests: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error' && !options.ignoreConsole?.test(message.text())) watched.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watched.consoleErrors.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${appUrl}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) watched.foreignRequests.push(url);
  });
  return watched;
}

/** axe-core's engine, read once per test worker. */
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * The WCAG 2.1 A/AA violations axe-core finds in the page, as "rule: element, element".
 *
 * axe-core is put into the page once per document and run there (what @axe-core/playwright calls
 * legacy mode). @axe-core/playwright injected its 1.3 MB source three times per check and opened
 * a blank page to merge the results, ≈ 0.8 s per check on these machines before any rule ran
 * (CONTRIBUTING.md); the pages have no frames to merge, which is checked.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const frames = page.frames().length;
  if (frames !== 1) throw new Error(`axeViolations checks one document, and the page has ${frames} frames`);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } };
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], iframes: false });
    return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  }, axeTags);
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  watched: { consoleErrors: string[]; foreignRequests: string[] };
}

/**
 * A fresh German page of its own context, with the documented test hook of
 * client/map/map-controller.ts on (the page publishes its MapLibre instance) and watched by
 * watchPage. Close it with closeWatchedPage.
 */
export async function openWatchedPage(
  browser: Browser,
  appUrl: string,
  options: { height?: number; width?: number; locale?: string; ignoreConsole?: RegExp } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, locale: options.locale ?? 'de-DE' });
  await context.addInitScript(() => {
    (globalThis as unknown as { __angebotsatlasTestHooks?: boolean }).__angebotsatlasTestHooks = true;
  });
  const page = await context.newPage();
  return { context, page, watched: watchPage(page, appUrl, options.ignoreConsole ? { ignoreConsole: options.ignoreConsole } : {}) };
}

/** Closes the page and asserts what every test asserts: no console error, no third-party request. */
export async function closeWatchedPage(opened: WatchedPage | undefined): Promise<void> {
  if (!opened) return;
  await opened.context.close();
  expect(opened.watched.consoleErrors).toEqual([]);
  expect(opened.watched.foreignRequests).toEqual([]);
}
