import { expect } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from './reference_ops.js';
import { expectGradientsClose, kerasmGradients } from './sgd_gradients.js';
import { Random } from '../utils/random.js';

/** A Dense(units) → normalization → [Flatten] → Dense(out) model, and the sizes its check needs. */
export interface NormalizationSandwich {
  model: km.LayersModel;
  /** One sample's input shape: positions before the features, then the features. */
  inputShape: readonly number[];
  units: number;
  out: number;
  batch: number;
  scale: boolean;
  center: boolean;
  seed: number;
}

/**
 * A normalization layer between two Dense layers: kerasm's predictions, and its gradients of every
 * weight (gamma and beta, and the first Dense's, which reach it only through the layer's input
 * gradient), against float64 finite differences of a naive forward pass, where `normalize` is the
 * layer's reference on one sample's first-Dense outputs (positions × units values, row-major) with
 * its gamma and beta (null when absent).
 */
export async function expectNormalizationGradients(c: NormalizationSandwich, normalize: (h: number[], gamma: number[] | null, beta: number[] | null) => number[]): Promise<void> {
  const random = new Random(c.seed);
  const features = c.inputShape[c.inputShape.length - 1];
  const positions = c.inputShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: c.batch * positions * features }, () => random.uniform(-1.5, 1.5));
  const ys = Array.from({ length: c.batch * c.out }, () => random.uniform(-1, 1));
  const weights = c.model.getWeights().map((w) => Array.from(w.dataSync()));
  const [w1, b1] = weights;
  let next = 2;
  const gamma = c.scale ? weights[next++] : null;
  const beta = c.center ? weights[next++] : null;
  const [w2, b2] = weights.slice(next);

  const forward = (sample: number): number[] => {
    const h: number[] = [];
    for (let p = 0; p < positions; p++)
      for (let u = 0; u < c.units; u++) {
        let s = b1[u];
        for (let k = 0; k < features; k++) s += xs[(sample * positions + p) * features + k] * w1[k * c.units + u];
        h.push(s);
      }
    const a = normalize(h, gamma, beta);
    return Array.from({ length: c.out }, (_, o) => a.reduce((s, v, i) => s + v * w2[i * c.out + o], b2[o]));
  };
  const loss = () => {
    let total = 0;
    for (let s = 0; s < c.batch; s++) forward(s).forEach((v, o) => (total += (v - ys[s * c.out + o]) ** 2 / c.out));
    return total / c.batch;
  };
  const x = km.tensor(xs, [c.batch, ...c.inputShape]);
  const predicted = c.model.predict(x).dataSync();
  Array.from({ length: c.batch }, (_, s) => forward(s)).flat().forEach((v, i) => expect(predicted[i]).toBeCloseTo(v, 4));

  const expected = finiteDifferences(weights, loss);
  const names = ['kernel1', 'bias1', ...(c.scale ? ['gamma'] : []), ...(c.center ? ['beta'] : []), 'kernel2', 'bias2'];
  expectGradientsClose(await kerasmGradients(c.model, 'meanSquaredError', x, km.tensor(ys, [c.batch, c.out])), expected, names);
}

/**
 * The groups a normalization over axes 1 and 3 of `[a, x, u]` samples (not adjacent) makes: for each
 * of the x middle positions, the indices of its a·u values in a row-major sample, in memory order.
 */
export function groupsOverAxes1And3(a: number, x: number, u: number): number[][] {
  return Array.from({ length: x }, (_, m) => Array.from({ length: a * u }, (_, k) => (Math.floor(k / u) * x + m) * u + (k % u)));
}

/** `normalize` applied to each group of `h` (index lists from {@link groupsOverAxes1And3}), the results put back in place. */
export function normalizeGroups(h: number[], groups: number[][], normalize: (values: number[]) => number[]): number[] {
  const out = new Array<number>(h.length);
  for (const group of groups) normalize(group.map((i) => h[i])).forEach((v, k) => (out[group[k]] = v));
  return out;
}
