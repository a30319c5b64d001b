// The element in a bare HTML page that only imports the package, driven through its public API.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchChromium, PACKAGE_DIR, RESULTS_DIR } from './browser.js';
import { serveStatic, type StaticServer } from './static_server.js';

let server: StaticServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  // No COOP/COEP here: an ordinary host page.
  server = await serveStatic({ '/': join(PACKAGE_DIR, 'e2e', 'embed'), '/node_modules/@kerasm/web-demo/': DIST_DIR }, false);
  chromium = await launchChromium();
  page = await chromium.browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => customElements.get('kerasm-mnist-demo') !== undefined);
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

type DemoWindow = Window & { seen: Record<string, unknown[]> };

describe('<kerasm-mnist-demo> embedded in a bare page', () => {
  it('says it runs on one thread without cross-origin isolation', async () => {
    await expect.poll(() => page.locator('kerasm-mnist-demo .isolation').textContent(), { timeout: 15_000 }).toMatch(/^not cross-origin isolated: one thread/);
  });

  it('rejects predict() before training, and bad input, with errors that say what to do', async () => {
    const messages = await page.evaluate(async () => {
      const demo = document.querySelector('kerasm-mnist-demo')!;
      const caught = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => e.message);
      return [await caught(demo.predict(new Float32Array(784))), await caught(demo.predict(new Float32Array(10)))];
    });
    expect(messages[0]).toMatch(/predict\(\) needs a trained model: call train\(\) first/);
    expect(messages[1]).toMatch(/takes an ImageData or a Float32Array of 784 values .*Received: Float32Array\(10\)/);
  });

  it('rejects a bad attribute in train() with an error event naming it', async () => {
    const result = await page.evaluate(async () => {
      const demo = document.querySelector('kerasm-mnist-demo')!;
      const errors: string[] = [];
      demo.addEventListener('error', (e) => errors.push((e as unknown as CustomEvent<{ message: string }>).detail.message));
      demo.setAttribute('epochs', 'lots');
      const message = await demo.train().then(() => 'resolved', (e: Error) => e.message);
      demo.setAttribute('epochs', '1');
      return { message, errors };
    });
    expect(result.message).toMatch(/epochs must be a whole number from 1 to 100\. Received: epochs="lots"/);
    expect(result.errors).toEqual([result.message]);
    await expect(page.locator('kerasm-mnist-demo .status').textContent()).resolves.toBe(result.message);
  });

  it('trains from train(), firing batchend/epochend/trainend, with data found beside the module', async () => {
    const result = await page.evaluate(async () => {
      const demo = document.querySelector('kerasm-mnist-demo')!;
      const w = window as unknown as DemoWindow;
      w.seen = { batchend: [], epochend: [], trainend: [] };
      for (const type of Object.keys(w.seen)) demo.addEventListener(type, (e) => w.seen[type].push((e as CustomEvent).detail));
      const history = await demo.train();
      return { history, seen: w.seen };
    });
    expect(result.history.epoch).toEqual([0]);
    expect(result.history.history.loss).toHaveLength(1);
    expect(result.history.history.accuracy[0]).toBeGreaterThan(0.7);
    expect(result.seen.batchend).toHaveLength(3000 / 50);
    expect(result.seen.batchend[59]).toMatchObject({ batch: 59, size: 50, epoch: 0 });
    expect(result.seen.epochend).toEqual([{ ...Object.fromEntries(Object.entries(result.history.history).map(([k, v]) => [k, v[0]])), epoch: 0 }]);
    const end = result.seen.trainend[0] as { testAccuracy: number; history: unknown };
    expect(end.history).toEqual(result.history);
    expect(end.testAccuracy).toBeGreaterThan(0.8);
    await page.screenshot({ path: join(RESULTS_DIR, 'embed-trained.png'), fullPage: true });
  });

  it('predicts an ImageData the same as its MNIST-preprocessed Float32Array', async () => {
    const { fromImage, fromPixels } = await page.evaluate(async () => {
      // Built through Function so vitest leaves this in-page import() alone.
      const importInPage = new Function('name', 'return import(name)') as (name: string) => Promise<typeof import('../src/index.js')>;
      const { preprocessDigit } = await importInPage('@kerasm/web-demo');
      const canvas = new OffscreenCanvas(200, 120);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, 200, 120);
      context.strokeStyle = '#000';
      context.lineWidth = 12;
      context.beginPath();
      context.moveTo(90, 15);
      context.lineTo(80, 105);
      context.stroke();
      const image = context.getImageData(0, 0, 200, 120);
      const gray = new Float32Array(200 * 120);
      for (let i = 0; i < gray.length; i++) gray[i] = 1 - image.data[4 * i] / 255; // dark ink on white, inverted
      const demo = document.querySelector('kerasm-mnist-demo')!;
      return {
        fromImage: Array.from(await demo.predict(image)),
        fromPixels: Array.from(await demo.predict(preprocessDigit(gray, 200, 120))),
      };
    });
    expect(fromImage).toHaveLength(10);
    expect(fromImage.reduce((a, b) => a + b)).toBeCloseTo(1, 4);
    fromImage.forEach((p, i) => expect(p).toBeCloseTo(fromPixels[i], 5));
    expect(fromImage.indexOf(Math.max(...fromImage))).toBe(1);
  });
});
