import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** Seeded values in [-1, 1) (some exactly 0 when `zeros`), so weights can be zero as tfjs' nonzero count needs. */
function values(shape: number[], seed: number, zeros = false): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    const v = random.uniform(-1, 1);
    return zeros && v < -0.4 ? 0 : v;
  });
}

const REDUCTIONS = [tf.Reduction.NONE, tf.Reduction.MEAN, tf.Reduction.SUM, tf.Reduction.SUM_BY_NONZERO_WEIGHTS];

function expectClose(ours: km.Tensor, theirs: tf.Tensor): void {
  expect(ours.shape).toEqual(theirs.shape);
  const [a, b] = [ours.dataSync(), theirs.dataSync()];
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b[i]))));
}

describe("km.losses.computeWeightedLoss gives tfjs-core's values", () => {
  // Weights of the losses' shape, broadcast along an axis, a scalar, and larger than the losses.
  const cases: { name: string; losses: number[]; weights: number[] | null }[] = [
    { name: 'no weights', losses: [4, 3], weights: null },
    { name: 'weights of the same shape', losses: [4, 3], weights: [4, 3] },
    { name: 'one weight per row', losses: [4, 3], weights: [4, 1] },
    { name: 'one weight per column', losses: [4, 3], weights: [3] },
    { name: 'a scalar weight', losses: [4, 3], weights: [] },
    { name: 'weights broadcasting the losses', losses: [4, 1], weights: [4, 3] },
  ];

  for (const { name, losses, weights } of cases) {
    it.each(REDUCTIONS)(`${name}, reduction %s`, (reduction) => {
      const l = values(losses, 1);
      const w = weights && values(weights, 2, true);
      const ours = km.losses.computeWeightedLoss(km.tensor(l, losses), w ? km.tensor(w, weights!) : undefined, reduction);
      const theirs = tf.losses.computeWeightedLoss(tf.tensor(l, losses), w ? tf.tensor(w, weights!) : undefined, reduction);
      expectClose(ours, theirs);
    });
  }

  it('defaults to SUM_BY_NONZERO_WEIGHTS, takes nested arrays, and its Reduction has tfjs values', () => {
    expect(km.losses.Reduction).toEqual({ NONE: 0, MEAN: 1, SUM: 2, SUM_BY_NONZERO_WEIGHTS: 3 });
    for (const [key, value] of Object.entries(km.losses.Reduction)) expect(tf.Reduction[key as keyof typeof tf.Reduction]).toBe(value);
    const ours = km.losses.computeWeightedLoss([0.5, 2, 1], [1, 0, 1]);
    expect(ours.dataSync()[0]).toBeCloseTo(0.75, 7);
    expectClose(ours, tf.losses.computeWeightedLoss([0.5, 2, 1], [1, 0, 1]));
  });

  it('refuses weights that do not broadcast, an unknown reduction and a value that is no tensor, saying what to pass', () => {
    expect(() => km.losses.computeWeightedLoss(km.zeros([4, 3]), km.ones([2]))).toThrow(/computeWeightedLoss: weights of shape \[2\] do not broadcast against losses of shape \[4, 3\].*e\.g\. \[4, 1\] for one weight per sample/);
    expect(() => tf.losses.computeWeightedLoss(tf.zeros([4, 3]), tf.ones([2]))).toThrow();
    expect(() => km.losses.computeWeightedLoss(km.zeros([2]), null, 'mean' as never)).toThrow(/reduction must be one of km\.losses\.Reduction's values.*Received: reduction="mean"\. Pass e\.g\. km\.losses\.Reduction\.MEAN/);
    expect(() => km.losses.computeWeightedLoss({ shape: [2] } as never)).toThrow(/losses must be a km\.Tensor, a number or nested arrays of numbers\. Received: a Object\. Make a km\.tensor/);
  });
});

describe("km.losses.cosineDistance gives tfjs-core's values", () => {
  const cases: { name: string; shape: number[]; axis: number; weights: number[] | null }[] = [
    { name: 'rows', shape: [5, 4], axis: 1, weights: null },
    { name: 'rows, axis -1, a weight per row', shape: [5, 4], axis: -1, weights: [5, 1] },
    { name: 'columns, a weight per column', shape: [5, 4], axis: 0, weights: [1, 4] },
    { name: 'the middle axis of a rank-3 tensor, full weights', shape: [2, 3, 4], axis: 1, weights: [2, 1, 4] },
  ];

  for (const { name, shape, axis, weights } of cases) {
    it.each(REDUCTIONS)(`${name}, reduction %s`, (reduction) => {
      const [t, p] = [values(shape, 3), values(shape, 4)];
      const w = weights && values(weights, 5, true);
      const ours = km.losses.cosineDistance(km.tensor(t, shape), km.tensor(p, shape), axis, w ? km.tensor(w, weights!) : undefined, reduction);
      const theirs = tf.losses.cosineDistance(tf.tensor(t, shape), tf.tensor(p, shape), axis, w ? tf.tensor(w, weights!) : undefined, reduction);
      expectClose(ours, theirs);
    });
  }

  it('is 1 − Σ t·p, unnormalised (the docs example)', () => {
    const distance = km.losses.cosineDistance(km.tensor([[1, 0], [0, 1]]), km.tensor([[0.6, 0.8], [0.6, 0.8]]), 1);
    expect(distance.dataSync()[0]).toBeCloseTo(0.3, 6);
  });

  it('refuses shapes that differ and an axis out of range, saying what to pass', () => {
    expect(() => km.losses.cosineDistance(km.zeros([2, 3]), km.zeros([2, 4]), 1)).toThrow(/labels and predictions must have the same shape\. Received: labels \[2, 3\], predictions \[2, 4\]/);
    expect(() => tf.losses.cosineDistance(tf.zeros([2, 3]), tf.zeros([2, 4]), 1)).toThrow();
    expect(() => km.losses.cosineDistance(km.zeros([2, 3]), km.zeros([2, 3]), 2)).toThrow(/axis must be an integer in \[-2, 1\] for rank-2 inputs\. Received: axis=2\. Pass the axis of the vectors, e\.g\. 1 \(or -1\)/);
    expect(() => km.losses.cosineDistance(km.zeros([2, 3]), km.zeros([2, 3]), 1, km.ones([3, 3]))).toThrow(/weights of shape \[3, 3\] do not broadcast against losses of shape \[2, 1\]/);
  });

  it('passed to compile uncalled, it says which loss to compile', () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2] })]);
    expect(() => model.compile({ optimizer: 'sgd', loss: km.losses.cosineDistance as never })).toThrow(/compile's loss is the function cosineDistance.*Pass 'cosineSimilarity'/);
  });
});
