// An app that imports @kerasm/sdk must build with Vite's default config (no `worker.format`):
// Vite bundles workers as IIFE by default, which cannot hold a top-level await, so the core's
// kernel worker must not use one. The production build must print no warnings at all: users read a
// warning in their own build as a broken one, whether it says Node's modules (imported only on the
// SDK's Node-only paths, such as file:// saving) were "externalized for browser compatibility" or
// that a module the SDK imports dynamically is also imported statically, so the dynamic import
// splits nothing. The app makes only Dense layers, so its first load (the entry chunk and the chunks
// it imports) must leave the other layers out and stay within a budget; a saved model of other layers
// then loads their chunks. The built page runs the threaded core in Chromium.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as km from '@kerasm/sdk';
import { build, createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PACKAGE_DIR } from './browser.js';
import { serveStatic } from './static_server.js';

const APP_DIR = join(PACKAGE_DIR, 'e2e', 'default_vite_app');
/** What the app's main.ts puts on window. */
interface AppWindow {
  result: Promise<{ threads: number; prediction: number[] }>;
  loadAndPredict(url: string, x: number[][][]): Promise<number[]>;
  layerFromConfigAroundLoad(className: string): Promise<{ before: string; after: string }>;
}
let outDir: string;
/** What Vite would have printed as warnings. */
const warnings: string[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'kerasm-default-vite-'));
  const logger = createLogger('silent');
  logger.warn = (message) => void warnings.push(message);
  logger.warnOnce = (message) => void warnings.push(message);
  // A production build, as `vite build` makes: Vite warns about externalized modules only then,
  // and vitest sets NODE_ENV to 'test'.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: APP_DIR,
      configFile: false,
      base: './',
      customLogger: logger,
      cacheDir: join(outDir, '.vite'),
      build: { outDir: join(outDir, 'dist'), emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('an app importing @kerasm/sdk, built with Vite defaults', () => {
  it('emits the kernel worker and the wasm builds', async () => {
    const assets = await readdir(join(outDir, 'dist', 'assets'));
    expect(assets.filter((f) => /^thread_worker-.*\.js$/.test(f))).toHaveLength(1);
    expect(assets.filter((f) => /-threads-.*\.wasm$/.test(f)).length).toBeGreaterThan(0);
  });

  it('prints no warnings', () => {
    // Without Vite's colour codes, so a failure reads as the warning would in a terminal.
    expect(warnings.map((w) => w.replace(/\x1b\[[0-9;]*m/g, '').trim())).toEqual([]);
  });

  it('loads the SDK up front within a 500 kB budget, without the layers the app never makes', async () => {
    const assets = join(outDir, 'dist', 'assets');
    const entry = (await readdir(assets)).filter((f) => /^index-.*\.js$/.test(f));
    expect(entry).toHaveLength(1);
    const firstLoad = await staticClosure(assets, entry[0]!);
    const bytes = (await Promise.all([...firstLoad].map(async (f) => (await readFile(join(assets, f))).length))).reduce((a, b) => a + b, 0);
    // 450 kB minified on 2026-12-02 for this app, which makes Dense layers and loads saved models
    // (419 kB for one that only makes Dense layers), once each layer's module held its factory and
    // km.layers only re-exported them; every layer was in the first load before, 682 kB. 464 kB on
    // 2026-12-03 with the host ops' gradients; 484 kB later that day with the rest of tfjs-core's ops,
    // which km.Tensor's methods (x.conv2d, x.maxPool, x.tan, ...) reach; 503 kB with inputs of unknown size
    // and computeMetrics' running state, 497 kB once the own-step loops loaded on demand (engine/own_steps_of.ts);
    // 502 kB with LoRA, 497 kB once the file:// handler's disk code loaded on demand (io/handlers/file_folder.ts),
    // 487 kB once fit(dataset)'s loops did too.
    // README.md's "Deploying in a web page" quotes it.
    expect(bytes).toBeLessThan(500_000);
    expect([...firstLoad].filter((f) => /^(lstm|gru|conv2d_transpose|multi_head_attention|text_vectorization)-/.test(f))).toEqual([]);
    expect((await readdir(assets)).filter((f) => /^(lstm|gru)-.*\.js$/.test(f))).toHaveLength(2);
  });

  it('runs the core on 2 threads in a cross-origin isolated page', async () => {
    const server = await serveStatic({ '/': join(outDir, 'dist') }, true);
    const chromium = await launchChromium();
    try {
      const page = await chromium.browser.newPage();
      await page.goto(`${server.origin}/`);
      const result = await page.evaluate(() => (window as unknown as AppWindow).result);
      expect(result.threads).toBe(2);
      expect(result.prediction).toHaveLength(3);
      expect(result.prediction.every(Number.isFinite)).toBe(true);
    } finally {
      await chromium.close();
      await server.close();
    }
  });

  it('loads a saved model of layers the app never makes, predicting as the SDK in Node does', async () => {
    await km.ready();
    const saved = km.sequential([
      km.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 3] }),
      km.layers.bidirectional({ layer: km.layers.gru({ units: 3, returnSequences: true }) }),
      km.layers.lstm({ units: 2 }),
      km.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    await saved.save(`file://${join(outDir, 'dist', 'model')}`);
    const x = Array.from({ length: 2 }, (_, b) => Array.from({ length: 6 }, (_, t) => [0.3 * b - 0.2, Math.sin(t + b), 0.1 * t]));
    const expected = Array.from(saved.predict(km.tensor(x)).dataSync());
    const server = await serveStatic({ '/': join(outDir, 'dist') }, true);
    const chromium = await launchChromium();
    try {
      const page = await chromium.browser.newPage();
      await page.goto(`${server.origin}/`);
      const predicted = await page.evaluate(([url, samples]) => (window as unknown as AppWindow).loadAndPredict(url, samples), [`${server.origin}/model/model.json`, x] as const);
      expect(predicted).toHaveLength(expected.length);
      predicted.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 5));

      const around = await page.evaluate((name) => (window as unknown as AppWindow).layerFromConfigAroundLoad(name), 'SimpleRNN');
      expect(around.before).toMatch(/'SimpleRNN' is kerasm's, but its code is not loaded.*await km\.layers\.loadLayerClasses\(\['SimpleRNN'\]\)/);
      expect(around.after).toBe('SimpleRNN');
    } finally {
      await chromium.close();
      await server.close();
    }
  });
});

/** The files a page fetches before running `entry`: it and every chunk it imports statically, transitively. */
async function staticClosure(dir: string, entry: string): Promise<Set<string>> {
  const files = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const code = await readFile(join(dir, file), 'utf8');
    for (const [, imported] of code.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)) pending.push(imported!);
  }
  return files;
}
