import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';

// A model over sequences of any length keeps batch buffers for the few lengths it ran last, so
// running it over many lengths holds no more memory than running it over those few.

beforeAll(async () => {
  await km.setBackend('wasm');
});

function wave(shape: number[], phase = 0): km.Tensor {
  return km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.29 + phase)), shape);
}

describe('dimensions of unknown size: memory and per-step layers', () => {
  it('predicting and training over 40 lengths holds the memory that the last 8 need, and frees all of it with the model', async () => {
    const before = km.memory().numBytes;
    const model = km.sequential([km.layers.gru({ units: 8, returnSequences: true, inputShape: [null, 4] }), km.layers.globalAveragePooling1d(), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const run = async (steps: number) => {
      model.predict(wave([3, steps, 4], steps));
      await model.fit(wave([3, steps, 4], steps), wave([3, 1], steps), { epochs: 1, verbose: 0 });
    };
    // The 8 longest lengths first, then 32 shorter ones: every plan held later is for a length no longer than those.
    for (let steps = 40; steps > 32; steps--) await run(steps);
    const afterLongest = km.memory().numBytes;
    for (let steps = 32; steps > 0; steps--) await run(steps);
    expect(km.memory().numBytes).toBeLessThanOrEqual(afterLongest);
    model.dispose();
    expect(km.memory().numBytes).toBe(before);
  });

  it('TimeDistributed(Dense) over steps of unknown number is the Dense applied to every step', () => {
    const dense = km.layers.dense({ units: 3, activation: 'tanh' });
    const model = km.sequential([km.layers.timeDistributed({ layer: dense, inputShape: [null, 4] })]);
    expect(model.outputShape).toEqual([null, 3]);
    const reference = km.layers.dense({ units: 3, activation: 'tanh' });
    reference.apply(km.zeros([1, 4]));
    reference.setWeights(dense.getWeights());
    for (const steps of [5, 2]) {
      const x = wave([2, steps, 4], steps);
      const perStep = reference.apply(km.reshape(x, [2 * steps, 4])) as km.Tensor;
      expect(maxAbsDiff((model.predict(x) as km.Tensor).dataSync(), perStep.dataSync())).toBeLessThan(1e-6);
    }
  });
});
