import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../../index.js';

// Recurrent layers read and write their workspace a step's rows at a time, which the tfjs backends
// keep as segments of the workspace's tensor; a ragged last batch writes other ranges. The count of
// tensors must still settle after the first epoch instead of growing with every batch.
describe('recurrent training on a tfjs backend', () => {
  afterAll(() => km.setBackend('wasm'));

  it('keeps its tensor count flat from epoch to epoch, with a ragged last batch', async () => {
    await km.setBackend('tfjs-cpu');
    km.utils.setRandomSeed(8);
    const [samples, steps] = [44, 7];
    const model = km.sequential([
      km.layers.embedding({ inputDim: 12, outputDim: 4, inputShape: [steps] }),
      km.layers.gru({ units: 5, returnSequences: true }),
      km.layers.lstm({ units: 3 }),
      km.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = km.tensor(Array.from({ length: samples * steps }, (_, i) => (i * 5) % 12), [samples, steps]);
    const y = km.tensor(Array.from({ length: samples }, (_, i) => i % 2), [samples]);
    const counts: number[] = [];
    const history = await model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, callbacks: { onEpochEnd: () => void counts.push(tf.memory().numTensors) } });
    expect(history.history.loss[3]).toBeLessThan(history.history.loss[0]);
    expect(counts.slice(1)).toEqual([counts[1], counts[1], counts[1]]);
  });
});
