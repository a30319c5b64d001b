// Keeping the model in headless Chromium: save to IndexedDB, reload the page, load it back; download
// the files and upload them again. Each time the loaded model must predict exactly as the trained one.
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchChromium, RESULTS_DIR } from './browser.js';
import { serveStatic, type StaticServer } from './static_server.js';

let server: StaticServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
/** What the trained model predicted for {@link digit}, and its test accuracy as shown. */
let trained: { probabilities: number[]; accuracy: string };

/** A drawn "7" as 28×28 pixels in [0, 1], ink bright. */
const digit = (() => {
  const pixels = new Array<number>(784).fill(0);
  for (let x = 7; x < 21; x++) pixels[6 * 28 + x] = pixels[7 * 28 + x] = 1;
  for (let y = 8; y < 23; y++) pixels[y * 28 + Math.round(20 - (y - 8) * 0.45)] = 1;
  return pixels;
})();

async function openPage(): Promise<void> {
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => customElements.get('kerasm-mnist-demo') !== undefined);
}

const predict = () => page.evaluate(async (pixels) => Array.from(await document.querySelector('kerasm-mnist-demo')!.predict(Float32Array.from(pixels))), digit);
const status = () => page.locator('kerasm-mnist-demo .status').textContent();
const accuracy = () => page.locator('kerasm-mnist-demo .test-accuracy').textContent();

beforeAll(async () => {
  server = await serveStatic({ '/': DIST_DIR }, true);
  chromium = await launchChromium();
  page = await chromium.browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
  await openPage();
  await page.evaluate(async () => {
    const demo = document.querySelector('kerasm-mnist-demo')!;
    demo.setAttribute('train-samples', '3000');
    demo.setAttribute('batch-size', '50');
    await demo.train();
  });
  trained = { probabilities: await predict(), accuracy: (await accuracy())! };
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('saving and loading the model in the page', () => {
  it('saves to IndexedDB, and after a reload loads it back and predicts the same probabilities', async () => {
    expect(Number(trained.accuracy)).toBeGreaterThan(0.8);
    await page.getByRole('button', { name: 'Save in this browser' }).click();
    await expect.poll(status, { timeout: 15_000 }).toBe('Saved the model to indexeddb://kerasm-mnist-demo.');

    await openPage();
    // A fresh page and worker: no model until one is loaded.
    await expect(predict()).rejects.toThrow(/needs a trained model/);
    await expect(page.getByRole('button', { name: 'Save in this browser' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Load from this browser' }).click();
    await expect.poll(status, { timeout: 30000 }).toMatch(/^Loaded the model from indexeddb:\/\/kerasm-mnist-demo: test accuracy/);
    await expect(accuracy()).resolves.toBe(trained.accuracy);
    expect(await predict()).toEqual(trained.probabilities);
    await expect(page.locator('kerasm-mnist-demo .test-grid button').count()).resolves.toBe(24);
    await page.screenshot({ path: join(RESULTS_DIR, 'model-loaded-from-indexeddb.png'), fullPage: true });
  });

  it('downloads the model as two files that, uploaded into a fresh page, predict the same probabilities', async () => {
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.getByRole('button', { name: 'Download files' }).click();
    await expect.poll(() => downloads.length, { timeout: 15_000 }).toBe(2);
    const names = downloads.map((d) => d.suggestedFilename());
    expect(names).toEqual(['kerasm-mnist-demo.json', 'kerasm-mnist-demo.weights.bin']);
    const paths = names.map((name) => join(RESULTS_DIR, name));
    await Promise.all(downloads.map((d, i) => d.saveAs(paths[i])));

    await openPage();
    await page.getByLabel('Upload model files (.json and .bin)').setInputFiles(paths);
    await expect.poll(status, { timeout: 30000 }).toBe(`Loaded the model from kerasm-mnist-demo.json + kerasm-mnist-demo.weights.bin: test accuracy ${(Number(trained.accuracy) * 100).toFixed(2)}% on 10,000 test images.`);
    expect(await predict()).toEqual(trained.probabilities);
  });

  it('says which file is missing when only the .json is uploaded', async () => {
    await page.getByLabel('Upload model files (.json and .bin)').setInputFiles([join(RESULTS_DIR, 'kerasm-mnist-demo.json')]);
    await expect.poll(status, { timeout: 15_000 }).toMatch(/kerasm-mnist-demo\.json lists the weights file 'kerasm-mnist-demo\.weights\.bin' .* not among the selected files \('kerasm-mnist-demo\.json'\)/);
    await expect(page.locator('kerasm-mnist-demo .status.error').count()).resolves.toBe(1);
  });

  it('rejects save() and load() with places it cannot use, saying what it takes', async () => {
    const messages = await page.evaluate(async () => {
      const demo = document.querySelector('kerasm-mnist-demo')!;
      const caught = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => e.message);
      return [await caught(demo.save('localstorage://mnist')), await caught(demo.load('indexeddb://never-saved'))];
    });
    expect(messages[0]).toBe(`kerasm-mnist-demo: save() takes 'indexeddb://name' or 'downloads://name'. Received: "localstorage://mnist".`);
    expect(messages[1]).toMatch(/No model named 'never-saved' in IndexedDB/);
  });
});
