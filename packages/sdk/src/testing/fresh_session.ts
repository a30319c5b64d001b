import { hardwareThreads } from '@kerasm/core-wasm';
import { beforeAll } from 'vitest';
import * as km from '../index.js';
import { inBrowser } from './backends_here.js';
import './builtin_layer_names.js';

// Test files share one module graph per worker (`isolate: false` saves each file the import of
// the SDK and TensorFlow.js), so each file starts from what a fresh process would have: the first
// default names, the wasm backend, and (in Node) as many threads as cores.
beforeAll(async () => {
  km.utils.clearSession();
  if (!inBrowser) await km.setThreads(await hardwareThreads());
  await km.setBackend('wasm');
});
