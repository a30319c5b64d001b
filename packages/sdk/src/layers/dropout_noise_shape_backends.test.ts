import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { dropoutMaskValues } from '../backend/tfjs/window_ops.js';
import { checkLayersModelRoundTrip, tfjsArtifacts } from '../io/testing/round_trip.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { LayerRandom } from './layer_random.js';
import { Random } from '../utils/random.js';

// Dropout's noiseShape as Keras and tfjs read it: the mask's shape, batch first; a 1 shares one mask
// value along that axis, null takes the input's size. The expected masks are drawn on the host from
// the layer's seed by the function every backend's dropoutMask follows, then repeated by hand.

beforeAll(() => km.ready());

const uniform = (random: Random, n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
// tfjs types noiseShape as number[], but reads a null entry as the input's size, as Keras does.
const tfjsNoiseShape = (shape: (number | null)[]) => shape as number[];
const ones = (shape: number[]) => km.tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);

/** The mask a seeded Dropout draws in its first training pass, repeated to `[batch, ...sample]`. */
function expectedMask(seed: number, rate: number, noiseShape: readonly (number | null)[], shape: readonly number[]): number[] {
  const noise = noiseShape.map((d, axis) => d ?? shape[axis]);
  const drawn = dropoutMaskValues(noise.reduce((a, b) => a * b, 1), rate, new LayerRandom(seed, 'test', {}).kernelSeed());
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, flat) => {
    let [rest, at, stride] = [flat, 0, 1];
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const i = rest % shape[axis];
      rest = Math.floor(rest / shape[axis]);
      if (noise[axis] !== 1) at += i * stride;
      stride *= noise[axis];
    }
    return drawn[at];
  });
}

interface Case {
  name: string;
  /** `[batch, ...sample]`. */
  shape: number[];
  noiseShape: (number | null)[];
}

const cases: Case[] = [
  { name: 'one mask per sample and feature, shared over steps', shape: [4, 3, 5], noiseShape: [null, 1, 5] },
  { name: 'one mask for the batch, shared over features', shape: [4, 3, 5], noiseShape: [1, null, 1] },
  { name: 'one mask for the whole batch only', shape: [3, 2, 5], noiseShape: [1, 2, 5] },
  { name: 'a middle axis of images shared', shape: [2, 3, 2, 4], noiseShape: [null, 3, 1, null] },
];

describe.each(BACKENDS_HERE)('Dropout with noiseShape on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each(cases)('multiplies by one mask repeated along the axes where noiseShape is 1: $name', async ({ shape, noiseShape }) => {
    const rate = 0.4;
    const random = new Random(2);
    const values = uniform(random, shape.reduce((a, b) => a * b, 1));
    const x = km.tensor(values, shape);
    const layer = km.layers.dropout({ rate, noiseShape, seed: 9 });
    const y = Array.from(await (layer.apply(x, { training: true }) as km.Tensor).data());
    const mask = expectedMask(9, rate, noiseShape, shape);
    y.forEach((v, i) => expect(Math.abs(v - values[i] * mask[i])).toBeLessThan(1e-6));
    const keep = Math.fround(1 / Math.fround(1 - rate));
    mask.forEach((m) => expect([0, keep]).toContain(m));
    expect(Array.from(await (layer.apply(x) as km.Tensor).data())).toEqual(Array.from(Float32Array.from(values)));
  });

  it('keeps the expected value: kept entries scaled by 1/(1 − rate), rate of the mask values zero, the rest shared', async () => {
    const [batch, steps, features, rate] = [64, 8, 16, 0.3];
    const layer = km.layers.dropout({ rate, noiseShape: [null, 1, features], seed: 4 });
    const y = Array.from(await (layer.apply(ones([batch, steps, features]), { training: true }) as km.Tensor).data());
    const keep = Math.fround(1 / Math.fround(1 - rate));
    let zeros = 0;
    for (let b = 0; b < batch; b++) {
      for (let f = 0; f < features; f++) {
        const first = y[(b * steps) * features + f];
        expect([0, keep]).toContain(first);
        if (first === 0) zeros++;
        for (let s = 1; s < steps; s++) expect(y[(b * steps + s) * features + f]).toBe(first);
      }
    }
    const draws = batch * features;
    expect(Math.abs(zeros / draws - rate)).toBeLessThan(0.05);
    expect(Math.abs(y.reduce((s, v) => s + v, 0) / y.length - 1)).toBeLessThan(0.07);
  });

  it('inside timeDistributed draws a mask per step, each shared by the batch as noiseShape[0] = 1 says, as tfjs and Keras 3 loop over the steps', async () => {
    const [batch, steps, features, rate] = [3, 4, 6, 0.5];
    const values = uniform(new Random(5), batch * steps * features);
    const x = km.tensor(values, [batch, steps, features]);
    for (const noiseShape of [[1, features], [batch, 1]]) {
      const layer = km.layers.timeDistributed({ layer: km.layers.dropout({ rate, noiseShape, seed: 9 }) });
      const y = Array.from(await (layer.apply(x, { training: true }) as km.Tensor).data());
      // The steps run in order, each drawing its [batch, features] mask with the layer's next seed.
      const random = new LayerRandom(9, 'test', {});
      const noise = noiseShape.map((d, axis) => (axis === 0 ? d : d ?? features));
      const perStep = Array.from({ length: steps }, () => dropoutMaskValues(noise[0] * noise[1], rate, random.kernelSeed()));
      y.forEach((v, i) => {
        const [b, s, f] = [Math.floor(i / (steps * features)), Math.floor(i / features) % steps, i % features];
        const mask = perStep[s][(noise[0] === 1 ? 0 : b) * noise[1] + (noise[1] === 1 ? 0 : f)];
        expect(Math.abs(v - values[i] * mask)).toBeLessThan(1e-6);
      });
    }
  });

  it('passes the gradient through the same shared mask: float64 finite differences', async () => {
    const [batch, steps, features, units, rate] = [3, 4, 3, 5, 0.5];
    const noiseShape = [null, 1, units];
    km.utils.setRandomSeed(21);
    const model = km.sequential([
      km.layers.dense({ units, activation: 'tanh', biasInitializer: 'glorotUniform', inputShape: [steps, features] }),
      km.layers.dropout({ rate, noiseShape, seed: 17 }),
      km.layers.flatten(),
      km.layers.dense({ units: 2, biasInitializer: 'glorotUniform' }),
    ]);
    const random = new Random(22);
    const xs = Array.from({ length: batch }, () => uniform(random, steps * features));
    const ys = Array.from({ length: batch }, () => uniform(random, 2));
    const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
    const mask = expectedMask(17, rate, noiseShape, [batch, steps, units]);
    const forward = (x: number[], b: number): number[] => {
      const hidden: number[] = [];
      for (let s = 0; s < steps; s++) {
        for (let u = 0; u < units; u++) {
          let v = weights[1][u];
          for (let f = 0; f < features; f++) v += x[s * features + f] * weights[0][f * units + u];
          hidden.push(Math.tanh(v) * mask[(b * steps + s) * units + u]);
        }
      }
      return [0, 1].map((o) => hidden.reduce((t, h, i) => t + h * weights[2][i * 2 + o], weights[3][o]));
    };
    const loss = () => xs.reduce((s, row, b) => s + forward(row, b).reduce((t, v, j) => t + (v - ys[b][j]) ** 2, 0) / 2, 0) / batch;
    const expected = finiteDifferences(weights, loss);
    const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs.flat(), [batch, steps, features]), km.tensor(ys.flat(), [batch, 2]));
    expectGradientsClose(grads, expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});

describe('Dropout noiseShape options', () => {
  // kerasm is back on wasm here; tfjs-layers runs on tfjs' cpu backend, not the GPU one the suites above left active.
  beforeAll(() => tf.setBackend('cpu'));

  it('saves and loads in the LayersModel format, both directions with tfjs', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 4],
      kerasm: () => [
        km.layers.dense({ units: 5, inputShape: [3, 4] }),
        km.layers.dropout({ rate: 0.3, noiseShape: [null, 1, 5], seed: 2 }),
        km.layers.dropout({ rate: 0.2, noiseShape: [1, 3, 1] }),
        km.layers.flatten(),
        km.layers.dense({ units: 2 }),
      ],
      tfjs: () => [
        tfl.layers.dense({ units: 5, inputShape: [3, 4] }),
        tfl.layers.dropout({ rate: 0.3, noiseShape: tfjsNoiseShape([null, 1, 5]), seed: 2 }),
        tfl.layers.dropout({ rate: 0.2, noiseShape: [1, 3, 1] }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2 }),
      ],
    });
  });

  it('loads a tfjs model with noiseShape and trains it, the mask shared as saved', async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.dropout({ rate: 0.5, noiseShape: tfjsNoiseShape([null, 1, 6]), inputShape: [5, 6] })] });
    const saved = await tfjsArtifacts(theirs);
    const ours = await km.loadLayersModel(km.io.fromMemory(saved));
    expect((ours.layers[0] as km.layers.Dropout).noiseShape).toEqual([null, 1, 6]);
    const y = Array.from(await (ours.layers[0].apply(ones([2, 5, 6]), { training: true }) as km.Tensor).data());
    for (let i = 6; i < y.length; i++) if (i % 30 >= 6) expect(y[i]).toBe(y[i - 6]);
  });

  it('rejects a noiseShape of the wrong rank or sizes, and a fixed batch that the data does not have, naming the value', () => {
    expect(() => km.layers.dropout({ rate: 0.5, noiseShape: [1, 0] as never, name: 'd' })).toThrow(/Dropout layer 'd': noiseShape must be null or a list of positive integers and nulls.*Received: noiseShape=\[1,0\]/);
    expect(() => km.layers.dropout({ rate: 0.5, noiseShape: 'x' as never, name: 'd' })).toThrow(/Received: noiseShape="x"/);
    expect(() => km.layers.dropout({ rate: 0.5, noiseShape: [null, 4], name: 'd' }).apply(km.input({ shape: [3, 4] }))).toThrow(/Dropout layer 'd': noiseShape needs one entry per axis of the input, batch first \(3 for inputs \(None, 3, 4\)\)\. Received: noiseShape=\[null,4\]\. E\.g\. \[null, 1, 4\]/);
    expect(() => km.layers.dropout({ rate: 0.5, noiseShape: [null, 2, 4], name: 'd' }).apply(km.input({ shape: [3, 4] }))).toThrow(/noiseShape\[1\] must be 1, null or the input's size 3 .*Received: noiseShape=\[null,2,4\]/);
    for (const noiseShape of [[8, 1, 4], [8, 3, 4]]) {
      const layer = km.layers.dropout({ rate: 0.5, noiseShape, name: 'fixed' });
      expect(() => layer.apply(ones([2, 3, 4]), { training: true })).toThrow(/Dropout layer 'fixed': noiseShape\[0\]=8 fixes the batch size, but this batch has 2 samples/);
      // Inference draws no mask, so any batch passes through.
      expect((layer.apply(ones([2, 3, 4])) as km.Tensor).dataSync()).toEqual(new Float32Array(24).fill(1));
    }
    expect(km.layers.dropout({ rate: 0.5, noiseShape: [2, 3, 4] }).apply(ones([2, 3, 4]), { training: true }).shape).toEqual([2, 3, 4]);
  });
});
