import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from '../io/testing/round_trip.js';
import { BACKENDS_HERE, onTfjsCpu, useBackend } from '../testing/backends_here.js';
import { refResize, wholeImages } from '../testing/image_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// UpSampling2D({ interpolation: 'bilinear' }) follows Keras 3 (ops.image.resize, i.e. tf.image.resize
// with half-pixel centres), which is tfjs-core's resizeBilinear(x, size, false, true). tfjs-layers
// 4.22's UpSampling2D calls resizeBilinear(x, size) instead (no half-pixel centres: output i samples
// i/size), so its values differ on every size above 1; the last tests pin that difference down.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const uniform = (random: Random, n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));

/** `[batch, d0, d1, d2]` values with the last axis moved to axis 1 (channels-last → channels-first) or back. */
function moveAxis(x: ArrayLike<number>, [batch, d0, d1, d2]: number[], toFirst: boolean): number[] {
  const y = new Array<number>(x.length);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < d0; i++) {
      for (let j = 0; j < d1; j++) {
        for (let k = 0; k < d2; k++) {
          const from = ((b * d0 + i) * d1 + j) * d2 + k;
          // toFirst: [b, h, w, c] → [b, c, h, w]; else [b, c, h, w] → [b, h, w, c].
          const to = toFirst ? ((b * d2 + k) * d0 + i) * d1 + j : ((b * d1 + j) * d2 + k) * d0 + i;
          y[to] = x[from];
        }
      }
    }
  }
  return y;
}

/** Dense over the last axis of `rows` rows of `inDim` values. */
function denseRows(x: readonly number[], inDim: number, kernel: readonly number[], bias: readonly number[]): number[] {
  const units = bias.length;
  const rows = x.length / inDim;
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      let s = bias[u];
      for (let i = 0; i < inDim; i++) s += x[r * inDim + i] * kernel[i * units + u];
      y.push(s);
    }
  }
  return y;
}

interface Case {
  name: string;
  dataFormat: 'channelsLast' | 'channelsFirst';
  /** One sample, in the layer's data format. */
  input: [number, number, number];
  /** Units of the Dense before the upsampling (over the last axis). */
  units: number;
  size: [number, number];
  batch: number;
}

const cases: Case[] = [
  { name: 'channelsLast, size [2, 3], odd image', dataFormat: 'channelsLast', input: [3, 5, 2], units: 3, size: [2, 3], batch: 2 },
  { name: 'channelsLast, size [3, 1], 5 channels (SIMD tail)', dataFormat: 'channelsLast', input: [2, 3, 4], units: 5, size: [3, 1], batch: 3 },
  { name: 'channelsFirst, size [3, 2]', dataFormat: 'channelsFirst', input: [2, 3, 4], units: 3, size: [3, 2], batch: 2 },
];

/** The upsampling in float64 on a batch in the given format (Keras 3's half-pixel centres). */
function upsample(x: readonly number[], batch: number, sample: readonly number[], size: [number, number], format: Case['dataFormat']): number[] {
  const [h, w, c] = format === 'channelsLast' ? sample : [sample[1], sample[2], sample[0]];
  const last = format === 'channelsLast' ? [...x] : moveAxis(x, [batch, c, h, w], false);
  const y = refResize('bilinear', last, wholeImages(batch, h, w, c, h * size[0], w * size[1]));
  return format === 'channelsLast' ? y : moveAxis(y, [batch, h * size[0], w * size[1], c], true);
}

describe.each(BACKENDS_HERE)('UpSampling2D with interpolation bilinear on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each(cases)('matches tfjs-core resizeBilinear with half-pixel centres (Keras 3): $name', async ({ dataFormat, input, size, batch }) => {
    const random = new Random(3);
    const values = Float32Array.from(uniform(random, batch * input[0] * input[1] * input[2]));
    const expected = await onTfjsCpu(backendName, () => tf.tidy(() => {
      let x = tf.tensor(values, [batch, ...input]) as tf.Tensor4D;
      if (dataFormat === 'channelsFirst') x = tf.transpose(x, [0, 2, 3, 1]);
      let y = tf.image.resizeBilinear(x, [x.shape[1] * size[0], x.shape[2] * size[1]], false, true);
      if (dataFormat === 'channelsFirst') y = tf.transpose(y, [0, 3, 1, 2]);
      return y.dataSync();
    }));
    const layer = km.layers.upSampling2d({ size, interpolation: 'bilinear', dataFormat });
    const ours = layer.apply(km.tensor(values, [batch, ...input])) as km.Tensor;
    const upShape = dataFormat === 'channelsLast' ? [input[0] * size[0], input[1] * size[1], input[2]] : [input[0], input[1] * size[0], input[2] * size[1]];
    expect(ours.shape).toEqual([batch, ...upShape]);
    const oursValues = await ours.data();
    expect(maxAbsDiff(oursValues, expected)).toBeLessThan(1e-6);
    expect(maxAbsDiff(oursValues, upsample(Array.from(values), batch, input, size, dataFormat))).toBeLessThan(1e-6);
  });

  it.each(cases)('passes the exact adjoint back: gradients against float64 finite differences, $name', async ({ dataFormat, input, units, size, batch }) => {
    km.utils.setRandomSeed(11);
    const model = km.sequential([
      km.layers.dense({ units, activation: 'tanh', biasInitializer: 'glorotUniform', inputShape: input }),
      km.layers.upSampling2d({ size, interpolation: 'bilinear', dataFormat }),
      km.layers.flatten(),
      km.layers.dense({ units: 2, biasInitializer: 'glorotUniform' }),
    ]);
    const random = new Random(12);
    const sampleSize = input[0] * input[1] * input[2];
    const xs = Array.from({ length: batch }, () => uniform(random, sampleSize));
    const ys = Array.from({ length: batch }, () => uniform(random, 2));
    const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
    const hidden: [number, number, number] = [input[0], input[1], units];
    const forward = (x: number[]): number[] => {
      const h = denseRows(x, input[2], weights[0], weights[1]).map(Math.tanh);
      const up = upsample(h, 1, hidden, size, dataFormat);
      return denseRows(up, up.length, weights[2], weights[3]);
    };
    const x = km.tensor(xs.flat(), [batch, ...input]);
    const predicted = await model.predict(x).data();
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(Math.abs(predicted[i * 2 + j] - v)).toBeLessThan(1e-5)));
    const loss = () => xs.reduce((s, row, i) => s + forward(row).reduce((t, v, j) => t + (v - ys[i][j]) ** 2, 0) / 2, 0) / batch;
    const expected = finiteDifferences(weights, loss);
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys.flat(), [batch, 2])), expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});

describe('UpSampling2D bilinear and tfjs-layers 4.22', () => {
  // kerasm is back on wasm here; tfjs may still be on the GPU backend the suites above left it on.
  beforeAll(() => tf.setBackend('cpu'));

  it('tfjs-layers samples without half-pixel centres, so it differs from kerasm (Keras 3) above size 1 and agrees at size 1', () => {
    const random = new Random(5);
    const values = Float32Array.from(uniform(random, 2 * 3 * 4 * 2));
    for (const [size, agree] of [[[2, 2], false], [[1, 1], true]] as const) {
      const theirs = (tfl.layers.upSampling2d({ size: [...size], interpolation: 'bilinear' }).apply(tf.tensor(values, [2, 3, 4, 2])) as tf.Tensor).dataSync();
      const asymmetric = tf.image.resizeBilinear(tf.tensor4d(values, [2, 3, 4, 2]), [3 * size[0], 4 * size[1]], false, false).dataSync();
      expect(maxAbsDiff(theirs, asymmetric)).toBeLessThan(1e-6);
      const ours = (km.layers.upSampling2d({ size: [...size], interpolation: 'bilinear' }).apply(km.tensor(values, [2, 3, 4, 2])) as km.Tensor).dataSync();
      if (agree) expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-6);
      else expect(maxAbsDiff(ours, theirs)).toBeGreaterThan(0.05);
    }
  });

  it('saves and loads in the LayersModel format both ways: the same configs and weights, each library computing its own bilinear', async () => {
    await tf.setBackend('cpu');
    const inputShape = [3, 4, 2];
    const random = new Random(7);
    const values = Float32Array.from(uniform(random, 5 * 3 * 4 * 2));
    const [x, tfX] = [km.tensor(values, [5, ...inputShape]), tf.tensor4d(values, [5, 3, 4, 2])];
    // Keras 3's bilinear on tfjs ops, then Flatten and Dense with the model's weights.
    const keras3 = (weights: tf.Tensor[]) => tf.tidy(() => tf.add(tf.matMul(tf.reshape(tf.image.resizeBilinear(tfX, [6, 12], false, true), [5, -1]), weights[0]), weights[1]).dataSync());

    km.utils.setRandomSeed(3);
    const ours = km.sequential([
      km.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear', inputShape }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, biasInitializer: 'glorotUniform' }),
    ]);
    const expected = ours.predict(x).dataSync();
    const artifacts = await kerasmArtifacts(ours);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(ours.layers.map((l) => l.getConfig()));
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(expected));
    expect(maxAbsDiff(expected, keras3(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape]))))).toBeLessThan(1e-5);

    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const saved = (a: km.io.ModelArtifacts) => (a.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers.map((l) => ({ ...l.config, name: undefined }));
    expect(saved(await tfjsArtifacts(inTfjs))).toEqual(saved(artifacts));
    expect(saved(artifacts)[0]).toMatchObject({ interpolation: 'bilinear', size: [2, 3] });
    inTfjs.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(ours.getWeights()[i].dataSync())));

    const theirs = tfl.sequential({
      layers: [
        tfl.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear', inputShape }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, biasInitializer: 'glorotUniform' }),
      ],
    });
    const fromTfjs = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    expect((fromTfjs.layers[0] as km.layers.UpSampling2D).interpolation).toBe('bilinear');
    expect(maxAbsDiff(fromTfjs.predict(x).dataSync(), keras3(theirs.getWeights()))).toBeLessThan(1e-5);
  });
});
