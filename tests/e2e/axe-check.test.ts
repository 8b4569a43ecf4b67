// The accessibility check every browser test relies on (tests/helpers/browser.ts, axeViolations):
// it must find what axe-core finds, on a page checked more than once, and refuse what it cannot check.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, launchChromium } from '../helpers/browser.ts';

const cleanPage = `<!doctype html><html lang="de"><head><title>Seite</title></head>
<body><main><h1>Angebote</h1><p>Ein Absatz.</p><button type="button">Suchen</button></main></body></html>`;

const faultyPage = `<!doctype html><html lang="de"><head><title>Seite</title></head>
<body><main><h1>Angebote</h1>
<img id="photo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<button id="empty" type="button"></button>
<p id="faint" style="color:#ccc;background:#fff">Kaum lesbar</p>
</main></body></html>`;

describe.skipIf(!chromiumAvailable('accessibility check'))('axeViolations', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reports nothing on a clean page', async () => {
    await page.setContent(cleanPage);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('names each WCAG violation with its elements, also when the page is checked again after a change', async () => {
    await page.setContent(faultyPage);
    const found = await axeViolations(page);
    expect(found).toEqual(expect.arrayContaining(['image-alt: #photo', 'button-name: #empty', 'color-contrast: #faint']));
    expect(found).toHaveLength(3);
    // The engine stays in the document: the second check sees the page as it is now.
    await page.evaluate(() => document.querySelector('#photo')!.setAttribute('alt', 'Foto'));
    expect(await axeViolations(page)).toEqual(expect.arrayContaining(['button-name: #empty', 'color-contrast: #faint']));
    expect(await axeViolations(page)).toHaveLength(2);
  });

  it('refuses a page with frames instead of leaving them unchecked', async () => {
    await page.setContent(`${cleanPage.replace('</main>', '<iframe title="Karte" srcdoc="<p>x</p>"></iframe></main>')}`);
    await expect(axeViolations(page)).rejects.toThrow('has 2 frames');
  });
});
