import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('km.memory', () => {
  it("reports the wasm backend's allocated bytes: up while a model trains, back down after model.dispose()", async () => {
    await km.setBackend('wasm');
    const before = km.memory();
    expect(before.backend).toBe('wasm');
    expect(before.reservedBytes).toBeGreaterThanOrEqual(before.numBytes);

    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.dense({ units: 32, activation: 'relu', inputShape: [16] }), km.layers.dense({ units: 4, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    // Weights live on the backend from the model's first use.
    model.predict(km.zeros([1, 16]));
    const built = km.memory().numBytes;
    // At least the two kernels and biases, as float32.
    expect(built - before.numBytes).toBeGreaterThanOrEqual((16 * 32 + 32 + 32 * 4 + 4) * 4);
    await model.fit(km.randomUniform([64, 16]), km.tensor(Array.from({ length: 64 }, (_, i) => i % 4)), { epochs: 1, batchSize: 16, verbose: 0 });
    // Adam's moments and the batch buffers.
    const trained = km.memory();
    expect(trained.numBytes).toBeGreaterThan(built);
    expect(trained.reservedBytes).toBeGreaterThanOrEqual(trained.numBytes);

    model.dispose();
    expect(km.memory().numBytes).toBe(before.numBytes);
  });

  it('reports tf.memory().numBytes on a tfjs backend, with no wasm memory', async () => {
    await km.setBackend('tfjs-cpu');
    try {
      const before = km.memory();
      expect(before).toEqual({ numBytes: expect.any(Number), backend: 'tfjs-cpu' });
      const model = km.sequential([km.layers.dense({ units: 8, inputShape: [4] })]);
      // The result stays on tfjs' device until read or disposed.
      const out = model.predict(km.zeros([2, 4]));
      expect(km.memory().numBytes).toBeGreaterThan(before.numBytes);
      out.dispose();
      model.dispose();
      expect(km.memory().numBytes).toBe(before.numBytes);
    } finally {
      await km.setBackend('wasm');
    }
  });
});
