import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import * as km from '../index.js';
import { BACKENDS_HERE, deviceIO, onTfjsCpu, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectSgdStepMatchesLoss, finiteDifferenceGradient } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Binary cross-entropy of probabilities with Keras 3's label smoothing, on every backend that runs
// here: the kernel smooths the targets it reads (loss and gradient against a float64 loop and finite
// differences), while the target buffer, and so binary accuracy, keeps the targets as given.
// Saturated outputs are clipped to float32 bounds, as Keras (float32) and tfjs-layers do.
const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

/** Keras' binary_crossentropy terms on probabilities, targets smoothed towards 0.5 first. */
function bceTerms(p: readonly number[], t: readonly number[], smoothing: number): number[] {
  return p.map((v, i) => {
    const ts = t[i] * (1 - smoothing) + 0.5 * smoothing;
    return -(ts * Math.log(clip(v)) + (1 - ts) * Math.log(1 - clip(v)));
  });
}

describe.each(BACKENDS_HERE)('binary cross-entropy with label smoothing on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);
  runsOn(name, (current) => (b = current));

  it.each([0.1, 1])('the kernel with smoothing %s: loss and gradient, plain and weighted, targets left as given', async (smoothing) => {
    const random = new Random(17);
    const n = 21;
    const p = Float32Array.from({ length: n }, () => random.uniform(0.03, 0.97));
    const t = Float32Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0.4 : i % 3 === 0 ? 1 : 0));
    const weights = Float32Array.from({ length: 7 }, (_, g) => 0.25 * (g + 1));
    const f = (v: number[], w?: Float32Array) => sum(bceTerms(v, Array.from(t), smoothing).map((term, i) => (w ? w[Math.floor(i / 3)] : 1) * term));
    const [pp, pt, pg, pw] = [p, t, new Float32Array(n), weights].map(upload);
    expect(await b.binaryCrossEntropy(pp, pt, pg, n, 0.5, undefined, 1, smoothing)).toBeCloseTo(f(Array.from(p)), 4);
    expectClose(await download(pg, n), finiteDifferenceGradient(Array.from(p), (v) => 0.5 * f(v)), 2e-4);
    expect(await b.binaryCrossEntropy(pp, pt, pg, n, 1, pw, 3, smoothing)).toBeCloseTo(f(Array.from(p), weights), 4);
    expectClose(await download(pg, n), finiteDifferenceGradient(Array.from(p), (v) => f(v, weights)), 2e-4);
    expect(Array.from(await download(pt, n))).toEqual(Array.from(t));
    [pp, pt, pg, pw].forEach((id) => b.free(id));
  });

  it('saturated probabilities clip to [f32(1e-7), f32(1 − 1e-7)] as Keras and tfjs-layers do: p = 1 against 0 costs 15.942, not 16.118', async () => {
    const [low, high] = [Math.fround(EPS), Math.fround(1 - EPS)];
    // Keras' formula in its float32 dtype: clip with float32 bounds, then log(p) and log(1 − p) of the clipped value.
    const clip32 = (v: number) => Math.min(Math.max(v, low), high);
    const p = Float32Array.from([1, 0, 1, 0, 0.25]);
    const t = Float32Array.from([0, 1, 1, 0, 1]);
    const reference = (smoothing: number) => sum(Array.from(p, (v, i) => {
      const ts = t[i] * (1 - smoothing) + 0.5 * smoothing;
      return -(ts * Math.log(clip32(v)) + (1 - ts) * Math.log(1 - clip32(v)));
    }));
    const layers = await onTfjsCpu(name, () => tf.sum(tfl.metrics.binaryCrossentropy(tf.tensor2d(t, [5, 1]), tf.tensor2d(p, [5, 1]))).dataSync()[0]);
    expect(reference(0)).toBeCloseTo(layers, 4);
    expect(-Math.log(1 - high)).toBeCloseTo(15.9424, 4);
    const [pp, pt, pg] = [p, t, new Float32Array(5)].map(upload);
    for (const smoothing of [0, 0.1]) {
      expect(await b.binaryCrossEntropy(pp, pt, pg, 5, 1, undefined, 1, smoothing)).toBeCloseTo(reference(smoothing), 4);
      // The gradient is the slope at the clipped value (finite differences of the loss where it is not clipped).
      const ts = Array.from(t, (v) => v * (1 - smoothing) + 0.5 * smoothing);
      const slope = Array.from(p, (v, i) => (clip32(v) - ts[i]) / (clip32(v) * (1 - clip32(v))));
      expectClose(await download(pg, 5), slope, 1e-4);
      expectClose([slope[4]], finiteDifferenceGradient([0.25], (v) => -(ts[4] * Math.log(v[0]) + (1 - ts[4]) * Math.log(1 - v[0]))), 1e-4);
      // Binary focal with γ = 0 is the same cross-entropy; it has no slope where the clip bites.
      const focal = { gamma: 0, alpha: 0.25, applyClassBalancing: false, labelSmoothing: smoothing, fromLogits: false };
      expect(await b.binaryFocalCrossEntropy(pp, pt, pg, 5, 1, focal)).toBeCloseTo(reference(smoothing), 4);
      expectClose(await download(pg, 5), [0, 0, 0, 0, slope[4]], 1e-4);
    }
    [pp, pt, pg].forEach((id) => b.free(id));
  });

  it('fit: the loss and its SGD step follow the smoothed targets, binary accuracy the targets as given', async () => {
    const [samples, inputs, units, smoothing] = [8, 4, 3, 0.2];
    const random = new Random(29);
    km.utils.setRandomSeed(5);
    const model = km.sequential([km.layers.dense({ units, activation: 'sigmoid', inputShape: [inputs], biasInitializer: 'glorotUniform' })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: km.losses.binaryCrossentropy({ labelSmoothing: smoothing }), metrics: ['accuracy'] });
    const xs = Array.from({ length: samples }, () => Array.from({ length: inputs }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: samples }, (_, s) => Array.from({ length: units }, (_, j) => ((s + 2 * j) % 3 === 0 ? 1 : 0)));
    const x = km.tensor(xs);
    const y = km.tensor(ys);
    const before = (await Promise.all(model.getWeights().map((w) => w.data()))).flatMap((w) => Array.from(w));
    const meanLoss = (w: number[]) => sum(xs.map((row, s) => {
      const probs = Array.from({ length: units }, (_, j) => 1 / (1 + Math.exp(-(w[inputs * units + j] + sum(row.map((v, i) => v * w[i * units + j]))))));
      return sum(bceTerms(probs, ys[s], smoothing)) / units;
    })) / samples;
    const predicted = Array.from(await model.predict(x).data());
    const matches = predicted.filter((v, i) => (v > 0.5 ? 1 : 0) === ys[Math.floor(i / units)][i % units]).length;
    // Smoothed targets (0.1 and 0.9) would match no prediction: a positive count shows the originals.
    expect(matches).toBeGreaterThan(0);

    const { history } = await model.fit(x, y, { epochs: 1, batchSize: samples, shuffle: false, verbose: 0 });
    expect(history.loss[0]).toBeCloseTo(meanLoss(before), 5);
    expect(history.accuracy).toHaveLength(1);
    expect(history.accuracy[0]).toBeCloseTo(matches / (samples * units), 6);
    const after = (await Promise.all(model.getWeights().map((w) => w.data()))).flatMap((w) => Array.from(w));
    const gradient = expectSgdStepMatchesLoss(before, after, meanLoss);
    expect(gradient.some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });
});
