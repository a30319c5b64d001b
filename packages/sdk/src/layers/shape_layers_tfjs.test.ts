import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkFunctionalRoundTrip, checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Api = typeof km | typeof tfl;

/** A sequential stack with every single-input shape layer, built the same way in both libraries. */
const stack = (api: Api) => [
  api.layers.rescaling({ scale: 0.5, offset: 0.25, inputShape: [6, 5, 2] }),
  api.layers.cropping2D({ cropping: [[1, 0], [0, 2]] }),
  api.layers.permute({ dims: [2, 1, 3] }),
  api.layers.flatten(),
  api.layers.dense({ units: 4, activation: 'tanh' }),
  api.layers.repeatVector({ n: 3 }),
  api.layers.permute({ dims: [2, 1] }),
  api.layers.flatten(),
  api.layers.dense({ units: 2 }),
];

/** Two towers joined by Maximum, Minimum, Dot and Dot's cosine similarity. */
function towers(api: Api): km.LayersModel | tfl.LayersModel {
  const x = (api === km ? km.input({ shape: [5] }) : tfl.input({ shape: [5] })) as never;
  const a = api.layers.dense({ units: 4, activation: 'tanh', name: 'tower_a' }).apply(x) as never;
  const b = api.layers.dense({ units: 4, name: 'tower_b' }).apply(x) as never;
  const hi = api.layers.maximum({ name: 'hi' }).apply([a, b]) as never;
  const lo = api.layers.minimum({ name: 'lo' }).apply([a, b]) as never;
  const score = api.layers.dot({ axes: 1, name: 'score' }).apply([hi, lo]) as never;
  const cosine = api.layers.dot({ axes: 1, normalize: true, name: 'cosine' }).apply([a, b]) as never;
  const joined = api.layers.concatenate({ name: 'joined' }).apply([score, cosine]) as never;
  const outputs = api.layers.dense({ units: 1, name: 'head' }).apply(joined) as never;
  return api === km ? km.model({ inputs: x, outputs, name: 'towers' }) : tfl.model({ inputs: x, outputs, name: 'towers' });
}

describe('shape and merge layers with tfjs-layers 4.22', () => {
  it('LayersModel round trip, both directions: Rescaling, Cropping2D, Permute, RepeatVector', async () => {
    await checkLayersModelRoundTrip({ inputShape: [6, 5, 2], kerasm: () => stack(km) as km.layers.Layer[], tfjs: () => stack(tfl) as tfl.layers.Layer[] });
  });

  it('functional round trip, both directions: Maximum, Minimum, Dot (plain and normalized)', async () => {
    await checkFunctionalRoundTrip({ inputShape: [5], kerasm: () => towers(km) as km.LayersModel, tfjs: () => towers(tfl) as tfl.LayersModel });
  });

  it.each([
    ['the sequential stack', () => km.sequential(stack(km) as km.layers.Layer[]), () => tfl.sequential({ layers: stack(tfl) as tfl.layers.Layer[] }), [6, 5, 2], 2],
    ['the two towers', () => towers(km) as km.LayersModel, () => towers(tfl) as tfl.LayersModel, [5], 1],
  ] as const)('training parity on %s: same weights and batches give the same losses over 12 SGD steps', async (_, ours, theirs, shape, outputs) => {
    km.utils.setRandomSeed(12);
    const model = ours();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: 'meanSquaredError' });
    const reference = theirs();
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    reference.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: 'meanSquaredError' });
    const random = new Random(3);
    const n = 48;
    const x = Float32Array.from({ length: n * shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1));
    const y = Float32Array.from({ length: n * outputs }, () => random.uniform(-1, 1));
    const args = { epochs: 3, batchSize: 12, shuffle: false, verbose: 0 as const };
    const mine = await model.fit(km.tensor(x, [n, ...shape]), km.tensor(y, [n, outputs]), args);
    const their = await reference.fit(tf.tensor(x, [n, ...shape]), tf.tensor(y, [n, outputs]), args);
    mine.history.loss.forEach((loss, i) => expect(Math.abs(loss - (their.history.loss[i] as number))).toBeLessThan(1e-4));
    expect(mine.history.loss[2]).toBeLessThan(mine.history.loss[0]);
  });
});
