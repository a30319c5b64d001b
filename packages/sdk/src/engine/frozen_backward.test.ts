import { describe, expect, it, vi } from 'vitest';
import { backend } from '../backend/registry.js';
import * as km from '../index.js';

// The backward pass skips what no trainable weight needs: the layers of a frozen base, and a
// frozen layer's own weight gradients where the gradient still passes through it (a GAN's
// discriminator inside the combined model). Results must not change.

const x = km.tensor(Float32Array.from({ length: 8 * 36 }, (_, i) => Math.sin(i * 0.37)), [8, 6, 6, 1]);
const y = km.tensor(Float32Array.from({ length: 8 }, (_, i) => i % 3), [8]);

function baseLayers(): km.layers.Layer[] {
  return [
    km.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1], name: 'base_conv' }),
    km.layers.flatten({ name: 'base_flatten' }),
    km.layers.dense({ units: 5, activation: 'tanh', name: 'base_dense' }),
  ];
}

/** Counts the backend's matMul calls made by `run`: the backward pass's (the forward pass runs matMulBiasActivation). */
async function matMulCalls(run: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(backend(), 'matMul');
  try {
    await run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

describe('backward through frozen layers', () => {
  it('a frozen base trains its head exactly as a head-only model on the base\'s outputs, without running the base backward', async () => {
    km.utils.setRandomSeed(21);
    const base = baseLayers();
    const head = km.layers.dense({ units: 3, activation: 'softmax', name: 'head' });
    const model = km.sequential([...base, head]);
    for (const layer of base) layer.trainable = false;
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });

    const features = km.sequential(base).predict(x);
    const alone = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [5] })]);
    alone.setWeights(head.getWeights());
    alone.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const baseWeights = base.flatMap((l) => l.getWeights().map((w) => Array.from(w.dataSync())));

    for (let step = 0; step < 4; step++) {
      expect(await model.trainOnBatch(x, y)).toBe(await alone.trainOnBatch(features, y));
    }
    expect(head.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(alone.getWeights().map((w) => Array.from(w.dataSync())));
    expect(base.flatMap((l) => l.getWeights().map((w) => Array.from(w.dataSync())))).toEqual(baseWeights);
    // The head's weight gradient only: no input gradient for the base, no backward through it (5 before).
    expect(await matMulCalls(() => model.trainOnBatch(x, y))).toBe(1);
  });

  it('a frozen layer between trainable ones passes the gradient on, skipping its weight gradient, and trains the others as if it were trainable for one step', async () => {
    const make = (frozen: boolean) => {
      km.utils.setRandomSeed(22);
      const middle = km.layers.dense({ units: 6, activation: 'relu', name: 'middle' });
      const model = km.sequential([km.layers.flatten({ inputShape: [6, 6, 1] }), km.layers.dense({ units: 7, activation: 'tanh', name: 'first' }), middle, km.layers.dense({ units: 3, activation: 'softmax', name: 'last' })]);
      middle.trainable = !frozen;
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      model.getWeights(); // draws the weights now, from this seed
      return model;
    };
    const [frozen, open] = [make(true), make(false)];
    // One SGD step: the other layers' gradients do not depend on whether the middle trains.
    expect(await frozen.trainOnBatch(x, y)).toBe(await open.trainOnBatch(x, y));
    for (const name of ['first', 'last']) {
      expect(frozen.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()))).toEqual(open.getLayer(name).getWeights().map((w) => Array.from(w.dataSync())));
    }
    const start = make(true).getLayer('middle').getWeights().map((w) => Array.from(w.dataSync()));
    expect(frozen.getLayer('middle').getWeights().map((w) => Array.from(w.dataSync()))).toEqual(start);
    // last: weights and input; middle: input only when frozen; first: weights only (its input is the model's).
    expect(await matMulCalls(() => frozen.trainOnBatch(x, y))).toBe(2 + 1 + 1);
    expect(await matMulCalls(() => open.trainOnBatch(x, y))).toBe(2 + 2 + 1);
  });
});
