import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// tfjs-layers 4.22 shares a layer object's weights between the models built from it, so it is the
// reference: model A trains, model B reuses A's Dense and BatchNormalization under a new head and
// trains, and A must end with the same weights in both libraries.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

interface Api<L, M> {
  dense: (args: { units: number; activation?: 'relu' | 'tanh'; inputShape?: number[]; name: string }) => L;
  batchNorm: (name: string) => L;
  sequential: (layers: L[]) => M;
}

function scenario<L, M>(api: Api<L, M>): { a: M; b: M } {
  const d1 = api.dense({ units: 5, activation: 'relu', inputShape: [4], name: 'shared_dense' });
  const bn = api.batchNorm('shared_norm');
  const a = api.sequential([d1, bn, api.dense({ units: 2, name: 'head_a' })]);
  const b = api.sequential([d1, bn, api.dense({ units: 3, activation: 'tanh', name: 'head_b' })]);
  return { a, b };
}

function maxAbsDiff(ours: km.Tensor[], theirs: tf.Tensor[]): number {
  expect(ours.map((w) => w.shape)).toEqual(theirs.map((w) => w.shape));
  return Math.max(...ours.map((w, i) => {
    const t = theirs[i].dataSync();
    return Math.max(...Array.from(w.dataSync(), (v, j) => Math.abs(v - t[j])));
  }));
}

describe('layers shared between two models against tfjs-layers 4.22 (cpu backend)', () => {
  it('B trains A’s Dense and BatchNormalization under a new head with SGD: A’s weights and predictions agree afterwards', async () => {
    km.utils.setRandomSeed(31);
    const ours = scenario<km.layers.Layer, km.Sequential>({
      dense: (args) => km.layers.dense(args),
      batchNorm: (name) => km.layers.batchNormalization({ name }),
      sequential: (layers) => km.sequential(layers),
    });
    const theirs = scenario<tfl.layers.Layer, tfl.Sequential>({
      dense: (args) => tfl.layers.dense(args),
      batchNorm: (name) => tfl.layers.batchNormalization({ name }),
      sequential: (layers) => tfl.sequential({ layers }),
    });
    // The same starting weights, layer by layer (kerasm builds a model's layers at its first use).
    ours.a.getWeights();
    ours.b.getWeights();
    const reference = new Map([...theirs.a.layers, ...theirs.b.layers].map((l) => [l.name, l]));
    for (const layer of new Set([...ours.a.layers, ...ours.b.layers])) {
      reference.get(layer.name)!.setWeights(layer.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    }
    expect(maxAbsDiff(ours.b.getWeights(), theirs.b.getWeights())).toBe(0);

    const random = new Random(3);
    const n = 24;
    const xs = Float32Array.from({ length: n * 4 }, () => random.uniform(-2, 2));
    const ya = Float32Array.from({ length: n * 2 }, () => random.uniform(-1, 1));
    const yb = Float32Array.from({ length: n * 3 }, () => random.uniform(-1, 1));
    const fitArgs = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 } as const;

    ours.a.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    theirs.a.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await ours.a.fit(km.tensor(xs, [n, 4]), km.tensor(ya, [n, 2]), fitArgs);
    await theirs.a.fit(tf.tensor(xs, [n, 4]), tf.tensor(ya, [n, 2]), fitArgs);
    const aTrained = ours.a.getWeights().map((w) => Array.from(w.dataSync()));

    ours.b.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    theirs.b.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });
    const bLosses = (await ours.b.fit(km.tensor(xs, [n, 4]), km.tensor(yb, [n, 3]), fitArgs)).history.loss;
    const refLosses = (await theirs.b.fit(tf.tensor(xs, [n, 4]), tf.tensor(yb, [n, 3]), fitArgs)).history.loss as number[];
    bLosses.forEach((loss, i) => expect(Math.abs(loss - refLosses[i])).toBeLessThan(1e-5));

    // A: shared Dense kernel and bias, BatchNorm gamma and beta, its own head (untouched by B), then
    // the moving statistics B's training updated.
    const aAfter = ours.a.getWeights();
    expect(aAfter.map((w) => Array.from(w.dataSync())).filter((w, i) => w.some((v, j) => Math.abs(v - aTrained[i][j]) > 1e-3)).length).toBe(6);
    expect(maxAbsDiff(aAfter, theirs.a.getWeights())).toBeLessThan(2e-5);
    expect(maxAbsDiff(ours.b.getWeights(), theirs.b.getWeights())).toBeLessThan(2e-5);
    const predicted = ours.a.predict(km.tensor(xs, [n, 4])).dataSync();
    const expected = (theirs.a.predict(tf.tensor(xs, [n, 4])) as tf.Tensor).dataSync();
    predicted.forEach((p, i) => expect(Math.abs(p - expected[i])).toBeLessThan(2e-5));
  });
});
