// The backend selector in headless Chromium: what it reports, and training on TensorFlow.js'
// WebGL backend in the worker (OffscreenCanvas; SwiftShader renders it here).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchChromium, RESULTS_DIR } from './browser.js';
import { serveStatic, type StaticServer } from './static_server.js';

let server: StaticServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
/** Every script the page and its worker fetched, with its text. */
const scripts = new Map<string, string>();
/** Whether a script holds TensorFlow.js' WebGL or WebGPU backend (their environment flags). */
const isTfjsGpuBackend = (code: string) => /WEBGL_VERSION|WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE/.test(code);

beforeAll(async () => {
  server = await serveStatic({ '/': DIST_DIR }, true);
  chromium = await launchChromium();
  page = await chromium.browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('response', async (r) => {
    if (r.url().endsWith('.js')) scripts.set(new URL(r.url()).pathname, await r.text().catch(() => ''));
  });
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`page console: ${m.text()}`);
  });
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => customElements.get('kerasm-mnist-demo') !== undefined);
  // Seeded, so the accuracy bounds below hold run after run rather than most of the time.
  await page.evaluate(() => document.querySelector('kerasm-mnist-demo')!.setAttribute('seed', '1'));
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

const demoText = (selector: string) => page.locator(`kerasm-mnist-demo ${selector}`).textContent();

async function trainUntilReported(): Promise<number> {
  await page.evaluate(() => document.querySelector('kerasm-mnist-demo')!.shadowRoot!.querySelector('.test-accuracy')!.replaceChildren('–'));
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => /^\d\.\d{4}$/.test(document.querySelector('kerasm-mnist-demo')!.shadowRoot!.querySelector('.test-accuracy')!.textContent!), null, { timeout: 120000 });
  return Number(await demoText('.test-accuracy'));
}

describe('the backend selector', () => {
  it('offers WASM, WebGL and WebGPU and says which run here, without loading TensorFlow.js', async () => {
    const select = page.getByLabel('Backend', { exact: true });
    await expect(select.locator('option').allTextContents()).resolves.toEqual([expect.stringMatching(/^WASM/), expect.stringMatching(/^WebGL/), expect.stringMatching(/^WebGPU/)]);
    await expect.poll(() => demoText('.backend-support'), { timeout: 15_000 }).toMatch(/^WASM yes · WebGL (yes|no \(.+\)) · WebGPU (yes|no \(.+\))$/);
    const summary = (await demoText('.backend-support'))!;
    console.log(`backend support in headless Chromium: ${summary}`);
    // Headless Chromium here has WebGL2 and (with --enable-unsafe-webgpu) WebGPU in workers,
    // both rendered in software by SwiftShader (../shared/TOOLCHAIN.md).
    expect(summary).toBe('WASM yes · WebGL yes · WebGPU yes');
    for (const value of ['wasm', 'tfjs-webgl', 'tfjs-webgpu']) await expect(select.locator(`option[value="${value}"]`).isDisabled()).resolves.toBe(false);
  });

  it('trains on WASM by default and fetches no TensorFlow.js code for it', async () => {
    await page.getByLabel('Training images', { exact: true }).fill('2000');
    await page.getByLabel('Batch size', { exact: true }).fill('50');
    await page.getByLabel('Batch size', { exact: true }).press('Tab');
    const accuracy = await trainUntilReported();
    expect(accuracy).toBeGreaterThan(0.75);
    await expect(demoText('.kernels')).resolves.toMatch(/^wasm-/);
    // The seed makes the run repeat exactly: the same losses, batch for batch, and the same accuracy.
    const losses = () => page.evaluate(async () => (await (document.querySelector('kerasm-mnist-demo') as HTMLElement & { train(): Promise<{ history: Record<string, number[]> }> }).train()).history.loss);
    const first = await losses();
    await expect(losses()).resolves.toEqual(first);
    expect(Number(await demoText('.test-accuracy'))).toBe(accuracy);
    expect(scripts.size).toBeGreaterThan(2);
    expect([...scripts].filter(([, code]) => isTfjsGpuBackend(code)).map(([path]) => path)).toEqual([]);
  });

  it('trains the CNN on WASM to a sane accuracy', async () => {
    await page.getByLabel('Model', { exact: true }).selectOption('cnn');
    const accuracy = await trainUntilReported();
    console.log(`cnn on wasm, 2,000 images, batch 50, 1 epoch: test accuracy ${accuracy}`);
    // 40 steps with Dropout 0.5, seed 1: 0.757 here; chance is 0.1.
    expect(accuracy).toBeGreaterThan(0.7);
    await page.getByLabel('Model', { exact: true }).selectOption('mlp');
  });

  it('trains on tfjs-webgl in the worker to a sane accuracy, loading TensorFlow.js only then', async () => {
    const before = new Set(scripts.keys());
    await page.getByLabel('Backend', { exact: true }).selectOption('tfjs-webgl');
    await expect(page.evaluate(() => document.querySelector('kerasm-mnist-demo')!.getAttribute('backend'))).resolves.toBe('tfjs-webgl');
    const accuracy = await trainUntilReported();
    await expect(demoText('.kernels')).resolves.toBe('tfjs-webgl');
    console.log(`tfjs-webgl, 2,000 images, batch 50, 1 epoch: test accuracy ${accuracy}`);
    // The same small run as on WASM: one epoch over 40 batches lands well above chance (0.1).
    expect(accuracy).toBeGreaterThan(0.75);
    const fetchedForWebgl = [...scripts].filter(([path]) => !before.has(path));
    expect(fetchedForWebgl.some(([, code]) => /WEBGL_VERSION/.test(code))).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'backend-webgl-trained.png'), fullPage: true });
    // The pad still predicts with the WebGL-trained model.
    await page.locator('kerasm-mnist-demo .test-grid button').first().click();
    await expect.poll(() => demoText('.prediction'), { timeout: 15_000 }).toMatch(/^Prediction: \d$/);
  });

  it('trains on tfjs-webgpu in the worker to a sane accuracy', async () => {
    await page.getByLabel('Backend', { exact: true }).selectOption('tfjs-webgpu');
    const accuracy = await trainUntilReported();
    await expect(demoText('.kernels')).resolves.toBe('tfjs-webgpu');
    console.log(`tfjs-webgpu, 2,000 images, batch 50, 1 epoch: test accuracy ${accuracy}`);
    expect(accuracy).toBeGreaterThan(0.75);
    // The grid's predictions are read back from the GPU without blocking (a synchronous WebGPU read
    // gave zeros here, i.e. class 0 for every image): most of the 24 must be right.
    await expect(page.locator('kerasm-mnist-demo .test-grid button').count()).resolves.toBe(24);
    await expect(page.locator('kerasm-mnist-demo .test-grid button.mistake').count()).resolves.toBeLessThan(8);
    await page.locator('kerasm-mnist-demo .test-grid button').first().click();
    await expect.poll(() => demoText('.prediction'), { timeout: 15_000 }).toMatch(/^Prediction: \d$/);
  });
});
