import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, maxAbsDiff } from '../io/testing/round_trip.js';
import { BACKENDS_HERE, onTfjsCpu, useBackend } from '../testing/backends_here.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Flatten({ dataFormat: 'channelsFirst' }) as tfjs-layers 4.22 (and Keras 3) run it: a
// [channels, ...] sample is transposed to [..., channels] before flattening.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const uniform = (random: Random, n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));

/** One `[channels, ...positions]` sample in `[...positions, channels]` order. */
function channelsLast(x: readonly number[], channels: number): number[] {
  const positions = x.length / channels;
  return Array.from({ length: x.length }, (_, i) => x[(i % channels) * positions + Math.floor(i / channels)]);
}

const shapes: number[][] = [[3, 4, 5], [2, 3, 2, 3], [4, 7]];

describe.each(BACKENDS_HERE)('Flatten with dataFormat channelsFirst on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each(shapes.map((sample) => ({ sample })))('matches tfjs-layers 4.22 on the same weights and inputs: sample $sample', async ({ sample }) => {
    km.utils.setRandomSeed(6);
    const ours = km.sequential([km.layers.flatten({ dataFormat: 'channelsFirst', inputShape: sample }), km.layers.dense({ units: 3, biasInitializer: 'glorotUniform' })]);
    const weights = await Promise.all(ours.getWeights().map((w) => w.data()));
    const weightShapes = ours.getWeights().map((w) => [...w.shape]);
    const random = new Random(4);
    const x = Float32Array.from(uniform(random, 2 * sample.reduce((a, b) => a * b, 1)));
    const expected = await onTfjsCpu(backendName, () => {
      const theirs = tfl.sequential({ layers: [tfl.layers.flatten({ dataFormat: 'channelsFirst', inputShape: sample }), tfl.layers.dense({ units: 3 })] });
      theirs.setWeights(weights.map((w, i) => tf.tensor(w, weightShapes[i])));
      return (theirs.predict(tf.tensor(x, [2, ...sample])) as tf.Tensor).dataSync();
    });
    expect(maxAbsDiff(await ours.predict(km.tensor(x, [2, ...sample])).data(), expected)).toBeLessThan(1e-5);
    // The flat vector itself is the channels-last order.
    const flat = await (km.layers.flatten({ dataFormat: 'channelsFirst' }).apply(km.tensor(x, [2, ...sample])) as km.Tensor).data();
    const n = x.length / 2;
    const reference = [0, 1].flatMap((b) => channelsLast(Array.from(x.subarray(b * n, (b + 1) * n)), sample[0]));
    expect(Array.from(flat)).toEqual(reference);
  });

  it('passes gradients back through the transpose: float64 finite differences', async () => {
    const [batch, channels, h, w, units] = [3, 2, 3, 4, 3];
    km.utils.setRandomSeed(8);
    const model = km.sequential([
      // Over the last axis (width) of [channels, height, width]: the gradient check reaches it only through Flatten's backward pass.
      km.layers.dense({ units, activation: 'tanh', biasInitializer: 'glorotUniform', inputShape: [channels, h, w] }),
      km.layers.flatten({ dataFormat: 'channelsFirst' }),
      km.layers.dense({ units: 2, biasInitializer: 'glorotUniform' }),
    ]);
    const random = new Random(9);
    const xs = Array.from({ length: batch }, () => uniform(random, channels * h * w));
    const ys = Array.from({ length: batch }, () => uniform(random, 2));
    const weights = await Promise.all(model.getWeights().map(async (v) => Array.from(await v.data())));
    const forward = (x: number[]): number[] => {
      const hidden: number[] = [];
      for (let r = 0; r < channels * h; r++) {
        for (let u = 0; u < units; u++) hidden.push(Math.tanh(x.slice(r * w, (r + 1) * w).reduce((s, v, i) => s + v * weights[0][i * units + u], weights[1][u])));
      }
      const flat = channelsLast(hidden, channels);
      return [0, 1].map((o) => flat.reduce((s, v, i) => s + v * weights[2][i * 2 + o], weights[3][o]));
    };
    const x = km.tensor(xs.flat(), [batch, channels, h, w]);
    const predicted = await model.predict(x).data();
    xs.forEach((row, b) => forward(row).forEach((v, o) => expect(Math.abs(predicted[b * 2 + o] - v)).toBeLessThan(1e-5)));
    const loss = () => xs.reduce((s, row, b) => s + forward(row).reduce((t, v, o) => t + (v - ys[b][o]) ** 2, 0) / 2, 0) / batch;
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys.flat(), [batch, 2])), finiteDifferences(weights, loss), ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});

describe('Flatten dataFormat options', () => {
  // kerasm is back on wasm here; tfjs-layers runs on tfjs' cpu backend, not the GPU one the suites above left active.
  beforeAll(() => tf.setBackend('cpu'));

  it('saves and loads in the LayersModel format, both directions with tfjs', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 4, 2],
      kerasm: () => [km.layers.flatten({ dataFormat: 'channelsFirst', inputShape: [3, 4, 2] }), km.layers.dense({ units: 3 })],
      tfjs: () => [tfl.layers.flatten({ dataFormat: 'channelsFirst', inputShape: [3, 4, 2] }), tfl.layers.dense({ units: 3 })],
    });
    await checkLayersModelRoundTrip({
      inputShape: [3, 4, 2],
      kerasm: () => [km.layers.flatten({ dataFormat: 'channelsLast', inputShape: [3, 4, 2] }), km.layers.dense({ units: 3 })],
      tfjs: () => [tfl.layers.flatten({ dataFormat: 'channelsLast', inputShape: [3, 4, 2] }), tfl.layers.dense({ units: 3 })],
    });
  });

  it('writes dataFormat only when given, as tfjs does, and reads Keras\' spelling', () => {
    expect(km.layers.flatten().getConfig()).not.toHaveProperty('dataFormat');
    expect(km.layers.flatten({ dataFormat: 'channelsFirst' }).getConfig()).toMatchObject({ dataFormat: 'channelsFirst' });
    expect(km.layers.flatten({ dataFormat: 'channels_first' as 'channelsFirst' }).dataFormat).toBe('channelsFirst');
    expect(() => km.layers.flatten({ dataFormat: 'NCHW' as 'channelsFirst', name: 'f' })).toThrow(/Layer 'f': dataFormat must be 'channelsLast' .* Received: dataFormat="NCHW"/);
  });
});
