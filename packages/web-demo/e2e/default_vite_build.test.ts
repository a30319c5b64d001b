// An app that imports @kerasm/sdk must build with Vite's default config (no `worker.format`):
// Vite bundles workers as IIFE by default, which cannot hold a top-level await, so the core's
// kernel worker must not use one. The built page then runs the threaded core in Chromium.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PACKAGE_DIR } from './browser.js';
import { serveStatic } from './static_server.js';

const APP_DIR = join(PACKAGE_DIR, 'e2e', 'default_vite_app');
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'kerasm-default-vite-'));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('an app importing @kerasm/sdk, built with Vite defaults', () => {
  it('builds, emitting the kernel worker and the wasm builds', async () => {
    await build({
      root: APP_DIR,
      configFile: false,
      base: './',
      logLevel: 'silent',
      cacheDir: join(outDir, '.vite'),
      build: { outDir: join(outDir, 'dist'), emptyOutDir: true },
    });
    const assets = await readdir(join(outDir, 'dist', 'assets'));
    expect(assets.filter((f) => /^thread_worker-.*\.js$/.test(f))).toHaveLength(1);
    expect(assets.filter((f) => /-threads-.*\.wasm$/.test(f)).length).toBeGreaterThan(0);
  });

  it('runs the core on 2 threads in a cross-origin isolated page', async () => {
    const server = await serveStatic({ '/': join(outDir, 'dist') }, true);
    const chromium = await launchChromium();
    try {
      const page = await chromium.browser.newPage();
      await page.goto(`${server.origin}/`);
      const result = await page.evaluate(() => (window as unknown as { result: Promise<{ threads: number; prediction: number[] }> }).result);
      expect(result.threads).toBe(2);
      expect(result.prediction).toHaveLength(3);
      expect(result.prediction.every(Number.isFinite)).toBe(true);
    } finally {
      await chromium.close();
      await server.close();
    }
  });
});
