import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { refResize, wholeImages } from '../testing/image_reference.js';
import { Random } from '../utils/random.js';

// Resizing and Normalization between two Dense layers: the first Dense's gradients reach it only
// through the layer's input gradient, checked against float64 finite differences of a naive forward.
beforeAll(() => km.ready());

const [H, W, F, C, OUT, BATCH] = [3, 5, 2, 3, 2, 2];

interface Case {
  name: string;
  layer: () => km.layers.Layer;
  outShape: [number, number, number];
  /** The layer on one sample's [H, W, C] values. */
  f: (h: number[]) => number[];
}

const MEAN = [0.2, -0.1, 0.4];
const VARIANCE = [0.5, 2, 0.25];
const cases: Case[] = [
  { name: 'resizing bilinear, up 3x5 -> 4x7', layer: () => km.layers.resizing({ height: 4, width: 7 }), outShape: [4, 7, C], f: (h) => refResize('bilinear', h, wholeImages(1, H, W, C, 4, 7)) },
  { name: 'resizing bilinear, down 3x5 -> 2x3', layer: () => km.layers.resizing({ height: 2, width: 3 }), outShape: [2, 3, C], f: (h) => refResize('bilinear', h, wholeImages(1, H, W, C, 2, 3)) },
  { name: 'resizing nearest, 3x5 -> 5x4', layer: () => km.layers.resizing({ height: 5, width: 4, interpolation: 'nearest' }), outShape: [5, 4, C], f: (h) => refResize('nearest', h, wholeImages(1, H, W, C, 5, 4)) },
  {
    name: 'resizing with cropToAspectRatio, 3x5 -> 2x2 from the centred 3x3',
    layer: () => km.layers.resizing({ height: 2, width: 2, cropToAspectRatio: true }),
    outShape: [2, 2, C],
    f: (h) => refResize('bilinear', h, { batch: 1, inH: H, inW: W, channels: C, cropTop: 0, cropLeft: 1, cropH: 3, cropW: 3, outH: 2, outW: 2 }),
  },
  {
    name: 'normalization with a mean and variance',
    layer: () => km.layers.normalization({ mean: MEAN, variance: VARIANCE }),
    outShape: [H, W, C],
    f: (h) => h.map((v, i) => (v - MEAN[i % C]) / Math.max(Math.sqrt(VARIANCE[i % C]), 1e-7)),
  },
];

describe('preprocessing layers: gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(5);
    const random = new Random(19);
    const model = km.sequential([
      km.layers.dense({ units: C, inputShape: [H, W, F], biasInitializer: 'glorotUniform' }),
      c.layer(),
      km.layers.flatten(),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    const xs = Array.from({ length: BATCH * H * W * F }, () => random.uniform(-1.5, 1.5));
    const ys = Array.from({ length: BATCH * OUT }, () => random.uniform(-1, 1));
    const weights = model.getWeights().slice(0, 4).map((w) => Array.from(w.dataSync()));
    const [w1, b1, w2, b2] = weights;
    const outSize = c.outShape.reduce((a, b) => a * b, 1);
    const forward = (s: number): number[] => {
      const h: number[] = [];
      for (let p = 0; p < H * W; p++)
        for (let u = 0; u < C; u++) {
          let sum = b1[u];
          for (let k = 0; k < F; k++) sum += xs[(s * H * W + p) * F + k] * w1[k * C + u];
          h.push(sum);
        }
      const a = c.f(h);
      expect(a.length).toBe(outSize);
      return Array.from({ length: OUT }, (_, o) => a.reduce((sum, v, i) => sum + v * w2[i * OUT + o], b2[o]));
    };
    const loss = () => {
      let total = 0;
      for (let s = 0; s < BATCH; s++) forward(s).forEach((v, o) => (total += (v - ys[s * OUT + o]) ** 2 / OUT));
      return total / BATCH;
    };
    const x = km.tensor(xs, [BATCH, H, W, F]);
    const predicted = model.predict(x).dataSync();
    Array.from({ length: BATCH }, (_, s) => forward(s)).flat().forEach((v, i) => expect(predicted[i]).toBeCloseTo(v, 4));
    const expected = finiteDifferences(weights, loss);
    const actual = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys, [BATCH, OUT]));
    expectGradientsClose(actual.slice(0, 4), expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});
