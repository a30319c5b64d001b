import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Each activation layer between two Dense layers, on [3, 4] samples (Dense acts per position, so
// the activation sees [3, 5]): kerasm's gradients of every weight (PReLU's alpha too; the first
// Dense's gradients pass through the layer's input gradient) against float64 finite differences
// of a naive forward pass written from Keras' definitions.
beforeAll(() => km.ready());

const [POSITIONS, FEATURES, UNITS, OUT, BATCH] = [3, 4, 5, 2, 4];

interface Case {
  name: string;
  layer: () => km.layers.Layer;
  /** f over one sample's [POSITIONS, UNITS] values (flat); `alpha` is PReLU's weight. */
  f: (h: number[], alpha: number[]) => number[];
}

const kerasReLU = (v: number, maxValue: number | null, slope: number, threshold: number): number => {
  let y = v > threshold ? v : 0;
  if (maxValue !== null) y = Math.min(Math.max(y, 0), maxValue);
  return y - slope * Math.max(threshold - v, 0);
};
const map = (g: (v: number) => number) => (h: number[]) => h.map(g);

const cases: Case[] = [
  { name: 'leakyReLU', layer: () => km.layers.leakyReLU({ alpha: 0.2 }), f: map((v) => (v < 0 ? 0.2 * v : v)) },
  { name: 'reLU with maxValue, negativeSlope and threshold', layer: () => km.layers.reLU({ maxValue: 0.6, negativeSlope: 0.1, threshold: 0.1 }), f: map((v) => kerasReLU(v, 0.6, 0.1, 0.1)) },
  { name: 'reLU with a negative threshold', layer: () => km.layers.reLU({ threshold: -0.3 }), f: map((v) => kerasReLU(v, null, 0, -0.3)) },
  { name: 'elu alpha 0.7', layer: () => km.layers.elu({ alpha: 0.7 }), f: map((v) => (v > 0 ? v : 0.7 * Math.expm1(v))) },
  { name: 'thresholdedReLU', layer: () => km.layers.thresholdedReLU({ theta: 0.2 }), f: map((v) => (v > 0.2 ? v : 0)) },
  {
    name: 'softmax over the last axis, per position',
    layer: () => km.layers.softmax(),
    f: (h) => Array.from({ length: POSITIONS }, (_, p) => {
      const row = h.slice(p * UNITS, (p + 1) * UNITS);
      const e = row.map((v) => Math.exp(v - Math.max(...row)));
      return e.map((v) => v / e.reduce((a, b) => a + b, 0));
    }).flat(),
  },
  { name: 'prelu, an alpha per value', layer: () => km.layers.prelu({ alphaInitializer: 'glorotUniform' }), f: (h, a) => h.map((v, i) => (v < 0 ? a[i] * v : v)) },
  { name: 'prelu shared over positions', layer: () => km.layers.prelu({ alphaInitializer: 'glorotUniform', sharedAxes: 1 }), f: (h, a) => h.map((v, i) => (v < 0 ? a[i % UNITS] * v : v)) },
  { name: 'prelu shared over units', layer: () => km.layers.prelu({ alphaInitializer: 'glorotUniform', sharedAxes: [2] }), f: (h, a) => h.map((v, i) => (v < 0 ? a[Math.floor(i / UNITS)] * v : v)) },
];

describe('activation layers: gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(3);
    const random = new Random(11);
    const layer = c.layer();
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: [POSITIONS, FEATURES], biasInitializer: 'glorotUniform' }),
      layer,
      km.layers.flatten(),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    const xs = Array.from({ length: BATCH * POSITIONS * FEATURES }, () => random.uniform(-1.5, 1.5));
    const ys = Array.from({ length: BATCH * OUT }, () => random.uniform(-1, 1));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const hasAlpha = weights.length === 5;
    const [w1, b1] = weights;
    const alpha = hasAlpha ? weights[2] : [];
    const [w2, b2] = weights.slice(hasAlpha ? 3 : 2);

    const forward = (sample: number): number[] => {
      const h: number[] = [];
      for (let p = 0; p < POSITIONS; p++)
        for (let u = 0; u < UNITS; u++) {
          let s = b1[u];
          for (let k = 0; k < FEATURES; k++) s += xs[(sample * POSITIONS + p) * FEATURES + k] * w1[k * UNITS + u];
          h.push(s);
        }
      const a = c.f(h, alpha);
      return Array.from({ length: OUT }, (_, o) => a.reduce((s, v, i) => s + v * w2[i * OUT + o], b2[o]));
    };
    const loss = () => {
      let total = 0;
      for (let s = 0; s < BATCH; s++) forward(s).forEach((v, o) => (total += (v - ys[s * OUT + o]) ** 2 / OUT));
      return total / BATCH;
    };
    const x = km.tensor(xs, [BATCH, POSITIONS, FEATURES]);
    const predicted = model.predict(x).dataSync();
    Array.from({ length: BATCH }, (_, s) => forward(s)).flat().forEach((v, i) => expect(predicted[i]).toBeCloseTo(v, 5));

    const expected = finiteDifferences(weights, loss);
    const names = hasAlpha ? ['kernel1', 'bias1', 'alpha', 'kernel2', 'bias2'] : ['kernel1', 'bias1', 'kernel2', 'bias2'];
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys, [BATCH, OUT])), expected, names);
  });
});
