import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

const fixtures = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));

describe('backend selection', () => {
  afterAll(() => km.setBackend('wasm'));

  it('the default backend path loads no TensorFlow.js module', () => {
    const out = execFileSync(process.execPath, ['--import', `${fixtures}trace_imports.mjs`, `${fixtures}train_default_backend.mjs`], { encoding: 'utf8' });
    const { backend, modules } = JSON.parse(out.trim().split('\n').pop()!) as { backend: string; modules: string[] };
    expect(backend).toBe('wasm');
    expect(modules.some((url) => url.includes('core-wasm'))).toBe(true);
    expect(modules.filter((url) => url.includes('@tensorflow') || url.includes('/tfjs/'))).toEqual([]);
  });

  it('names the package to install for a backend that is not installed, keeping the active one', async () => {
    await km.ready();
    await expect(km.setBackend('tfjs-node')).rejects.toThrow(/Backend 'tfjs-node' needs @tensorflow\/tfjs-node, not installed here. Install it \(npm install @tensorflow\/tfjs-node@4.22.0\)/);
    expect(km.getBackend()).toBe('wasm');
  });

  it('in Node, tfjs-webgpu names the package that provides WebGPU (Dawn) when it is not installed', async () => {
    await km.ready();
    await expect(km.setBackend('tfjs-webgpu')).rejects.toThrow(/Backend 'tfjs-webgpu' in Node needs WebGPU from Dawn, which the npm package 'webgpu' provides, not installed here\. Install it \(npm install webgpu@0\.6\.2\)/);
    expect(km.getBackend()).toBe('wasm');
  });

  it('lists the valid names for an unknown backend', async () => {
    await expect(km.setBackend('cuda' as km.BackendName)).rejects.toThrow("Unknown backend 'cuda'. Valid backends: 'wasm', 'tfjs-webgl', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-node', 'tfjs-node-gpu'.");
    // tfjs' own names point at kerasm's.
    await expect(km.setBackend('webgl' as km.BackendName)).rejects.toThrow("Unknown backend 'webgl'. TensorFlow.js' 'webgl' backend is kerasm's 'tfjs-webgl'. Valid backends:");
    await expect(km.setBackend('tensorflow' as km.BackendName)).rejects.toThrow("TensorFlow.js' 'tensorflow' backend is kerasm's 'tfjs-node'.");
    expect(km.getBackend()).toBe('wasm');
  });

  it('reports what runs here and why not', async () => {
    const list = await km.backends();
    const byName = Object.fromEntries(list.map((b) => [b.name, b]));
    expect(byName.wasm.available).toBe(true);
    expect(byName['tfjs-cpu'].available).toBe(true);
    expect(byName['tfjs-wasm'].available).toBe(true);
    expect(byName['tfjs-node'].available).toBe(false);
    expect(byName['tfjs-node'].reason).toMatch(/npm install @tensorflow\/tfjs-node@4.22.0/);
    expect(byName['tfjs-webgl'].available).toBe(false);
    expect(byName['tfjs-webgl'].reason).toBe("Backend 'tfjs-webgl': tfjs has no 'webgl' backend registered here: tfjs registers its WebGL backend only in a browser page. In Node, use 'wasm' (kerasm's default), 'tfjs-cpu', 'tfjs-wasm' or 'tfjs-node'.");
  });

  it('probes the tfjs module it is given, as setBackend takes it, importing none by name', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const byName = Object.fromEntries((await km.backends({ tf })).map((b) => [b.name, b]));
    expect(byName.wasm.available).toBe(true);
    expect(byName['tfjs-cpu'].available).toBe(true);
    // Its reason names the module given, not a package to install.
    expect(byName['tfjs-node'].reason).toBe("The tfjs module given for backend 'tfjs-node' has no 'tensorflow' backend registered: import '@tensorflow/tfjs-node' before passing { tf } to km.setBackend or km.backends.");
    expect(km.getBackend()).toBe('wasm');
  });

  it("in Node, tfjs-webgl says it runs in browsers, where tfjs' own error named no backend", async () => {
    await expect(km.setBackend('tfjs-webgl')).rejects.toThrow("Backend 'tfjs-webgl': tfjs has no 'webgl' backend registered here: tfjs registers its WebGL backend only in a browser page.");
    expect(km.getBackend()).toBe('wasm');
  });

  it('moves a model\'s weights when the backend changes', async () => {
    await km.setBackend('wasm');
    km.utils.setRandomSeed(5);
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })]);
    const x = km.tensor([[1, 2, 3, 4], [0.5, -1, 2, 0]]);
    const before = model.predict(x).dataSync();
    await km.setBackend('tfjs-cpu');
    const after = model.predict(x).dataSync();
    Array.from(before).forEach((v, i) => expect(after[i]).toBeCloseTo(v, 6));
  });

  it('refuses to train where tf.setBackend moved tfjs after km.setBackend, until named again, and still hands its weights over', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await km.setBackend('tfjs-cpu');
    km.utils.setRandomSeed(6);
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [x, y] = [km.tensor([[1, 2, 3], [3, 2, 1]]), km.tensor([[1, 0], [0, 1]])];
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    await tf.setBackend('wasm');
    await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(
      "Backend 'tfjs-cpu' runs on TensorFlow.js' 'cpu' backend, but tfjs' active backend is now 'wasm': tf.setBackend was called after km.setBackend. Call `await km.setBackend('tfjs-cpu')` again before training, or `await km.setBackend('tfjs-wasm')` to train on 'wasm'.",
    );
    await km.setBackend('tfjs-cpu');
    expect(tf.getBackend()).toBe('cpu');
    const trained = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(trained.history.loss[0])).toBe(true);
    const onCpu = model.predict(x).dataSync();
    await tf.setBackend('wasm');
    await km.setBackend('wasm');
    const moved = model.predict(x).dataSync();
    Array.from(onCpu).forEach((v, i) => expect(moved[i]).toBeCloseTo(v, 6));
  });
});
