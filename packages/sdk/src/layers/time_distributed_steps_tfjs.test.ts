import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';
import { Random } from '../utils/random.js';

// A BatchNormalization inside timeDistributed normalizes each step by its own batch statistics and
// moves its moving statistics once per step, as tfjs' loop over the steps (and Keras 3's) does.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, features] = [24, 3, 4];
const random = new Random(4);
// Each step on its own scale, so statistics over all steps would differ from each step's.
const x = Float32Array.from({ length: n * steps * features }, (_, i) => random.uniform(-1, 1) * (1 + 5 * (Math.floor(i / features) % steps)) + Math.floor(i / features) % steps);
const y = Float32Array.from({ length: n }, () => random.uniform(-1, 1));

describe('timeDistributed(batchNormalization) against tfjs-layers 4.22', () => {
  it('normalizes each step by its own batch statistics in training', () => {
    const ours = km.layers.timeDistributed({ layer: km.layers.batchNormalization() });
    const theirs = tfl.layers.timeDistributed({ layer: tfl.layers.batchNormalization() });
    const expected = (theirs.apply(tf.tensor(x, [n, steps, features]), { training: true }) as tf.Tensor).dataSync();
    const actual = (ours.apply(km.tensor(x, [n, steps, features]), { training: true }) as km.Tensor).dataSync();
    actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
  });

  it('trains as tfjs does: the same predictions, losses, weights and moving statistics over 3 SGD epochs', async () => {
    await expectSameFit(
      {
        kerasm: () => [
          km.layers.timeDistributed({ layer: km.layers.dense({ units: 5, activation: 'tanh' }), inputShape: [steps, features] }),
          km.layers.timeDistributed({ layer: km.layers.batchNormalization({ momentum: 0.5 }) }),
          km.layers.flatten(),
          km.layers.dense({ units: 1 }),
        ],
        tfjs: () => [
          tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 5, activation: 'tanh' }), inputShape: [steps, features] }),
          tfl.layers.timeDistributed({ layer: tfl.layers.batchNormalization({ momentum: 0.5 }) }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 1 }),
        ],
        loss: 'meanSquaredError',
        x: [x, [n, steps, features]],
        y: [y, [n, 1]],
      },
      { seed: 6, learningRate: 0.05, tolerance: 1e-4 },
    );
  });
});
