// Launches Debian's Chromium (never a downloaded browser) with the flags known to work here.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.KERASM_CHROMIUM ?? '/usr/bin/chromium';
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(PACKAGE_DIR, 'dist');
/** Screenshots land here; CI keeps the folder as an artefact. */
export const RESULTS_DIR = join(PACKAGE_DIR, 'test-results');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Playwright's launch gives each browser a fresh temporary profile and removes it on close. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  return { browser, close: () => browser.close() };
}
