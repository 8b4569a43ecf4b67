import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags verified on these machines (RECIPES.md): no sandbox as root, no background traffic. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
