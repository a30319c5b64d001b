import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { conv2d, finiteDifferences, globalPool, upSample, zeroPad, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Pads = [[number, number], [number, number]];

interface SpatialCase {
  name: string;
  input: [number, number, number];
  batch: number;
  first: WindowSpec;
  padding: Pads;
  size: [number, number];
  second: WindowSpec;
  pool: 'max' | 'avg';
}

const spec = (kernel: number, stride: number, padding: 'valid' | 'same'): WindowSpec => ({ kernel: [kernel, kernel], strides: [stride, stride], dilation: [1, 1], padding });

const cases: SpatialCase[] = [
  { name: 'batch 1, uneven padding, size [2, 3], global average', input: [5, 4, 2], batch: 1, first: spec(3, 1, 'same'), padding: [[1, 2], [0, 1]], size: [2, 3], second: spec(3, 2, 'valid'), pool: 'avg' },
  { name: 'odd image, padding 1, size 2, global max', input: [7, 5, 1], batch: 2, first: spec(2, 1, 'valid'), padding: [[1, 1], [1, 1]], size: [2, 2], second: spec(3, 1, 'same'), pool: 'max' },
  { name: 'stride 2 around, size [1, 2], global average', input: [7, 7, 3], batch: 3, first: spec(3, 2, 'valid'), padding: [[1, 1], [0, 0]], size: [1, 2], second: spec(2, 2, 'same'), pool: 'avg' },
];

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

describe('ZeroPadding2D, UpSampling2D and global pooling', () => {
  it.each(cases)('forward and gradients against float64 finite differences: $name', async (c) => {
    const random = new Random(8);
    km.utils.setRandomSeed(4);
    const model = km.sequential([
      km.layers.conv2d({ filters: 3, kernelSize: c.first.kernel, strides: c.first.strides, padding: c.first.padding, activation: 'tanh', inputShape: c.input, biasInitializer: 'glorotUniform' }),
      km.layers.zeroPadding2d({ padding: c.padding }),
      km.layers.upSampling2d({ size: c.size }),
      km.layers.conv2d({ filters: 4, kernelSize: c.second.kernel, strides: c.second.strides, padding: c.second.padding, biasInitializer: 'glorotUniform' }),
      c.pool === 'max' ? km.layers.globalMaxPooling2d() : km.layers.globalAveragePooling2d(),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const inSize = c.input.reduce((a, b) => a * b, 1);
    const xs = Array.from({ length: c.batch }, () => Array.from({ length: inSize }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: c.batch }, () => Array.from({ length: 4 }, () => random.uniform(-1, 1)));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: number[]): number[] => {
      const image: Image = { h: c.input[0], w: c.input[1], c: c.input[2], data: x };
      const h1 = conv2d(image, weights[0], weights[1], c.first);
      const padded = zeroPad({ ...h1, data: h1.data.map(Math.tanh) }, c.padding);
      return globalPool(conv2d(upSample(padded, c.size), weights[2], weights[3], c.second), c.pool);
    };
    const x = km.tensor(xs.flat(), [c.batch, ...c.input]);
    const y = km.tensor(ys.flat(), [c.batch, 4]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });

  it('matches tfjs-layers 4.22 forward on the same weights', () => {
    km.utils.setRandomSeed(5);
    const build = (api: typeof km | typeof tfl, pool: 'max' | 'avg') => [
      api.layers.zeroPadding2d({ padding: [[2, 0], [1, 3]], inputShape: [5, 6, 2] }),
      api.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2 }),
      api.layers.upSampling2d({ size: [3, 2] }),
      pool === 'max' ? api.layers.globalMaxPooling2d({}) : api.layers.globalAveragePooling2d({}),
    ];
    const random = new Random(3);
    const x = Float32Array.from({ length: 4 * 5 * 6 * 2 }, () => random.uniform(-1, 1));
    for (const pool of ['max', 'avg'] as const) {
      const ours = km.sequential(build(km, pool) as km.layers.Layer[]);
      const theirs = tfl.sequential({ layers: build(tfl, pool) as tfl.layers.Layer[] });
      theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
      const expected = (theirs.predict(tf.tensor(x, [4, 5, 6, 2])) as tf.Tensor).dataSync();
      const predicted = ours.predict(km.tensor(x, [4, 5, 6, 2]));
      expect(predicted.shape).toEqual([4, 3]);
      predicted.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
  });

  it('saves and loads in the LayersModel format, both directions with tfjs', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 4, 2],
      kerasm: () => [
        km.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]], inputShape: [5, 4, 2] }),
        km.layers.upSampling2d({ size: [2, 1] }),
        km.layers.globalMaxPooling2d(),
        km.layers.reshape({ targetShape: [1, 1, 2] }),
        km.layers.globalAveragePooling2d(),
        km.layers.dense({ units: 3 }),
      ],
      tfjs: () => [
        tfl.layers.zeroPadding2d({ padding: 2, inputShape: [5, 4, 2] }),
        tfl.layers.upSampling2d({ size: [3, 2] }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.reshape({ targetShape: [1, 1, 2] }),
        tfl.layers.globalMaxPooling2d({}),
        tfl.layers.dense({ units: 3 }),
      ],
    });
  });

  it('rejects bad arguments and inputs with the value received', () => {
    expect(() => km.layers.zeroPadding2d({ padding: [1, -2] as [number, number] })).toThrow(/padding must be a non-negative integer, \[rows, cols\], or \[\[top, bottom\], \[left, right\]\]. Received: padding=\[1,-2\]/);
    expect(() => km.layers.upSampling2d({ size: 0 })).toThrow(/size must be a positive integer or a pair of them. Received: size=0/);
    expect(() => km.layers.upSampling2d({ interpolation: 'bicubic' as 'nearest' })).toThrow(/interpolation must be 'nearest' or 'bilinear'. Received: interpolation="bicubic"/);
    expect(() => km.layers.globalAveragePooling2d({ dataFormat: 'channels_middle' as 'channelsLast' })).toThrow(/dataFormat must be 'channelsLast' .* Received: dataFormat="channels_middle"/);
    expect(() => km.layers.randomCrop({ height: 2, width: 2, dataFormat: 'channelsFirst' as 'channelsLast' })).toThrow(/only dataFormat 'channelsLast' \(NHWC\)/);
    const x = km.input({ shape: [8, 3] });
    expect(() => km.layers.globalMaxPooling2d({ name: 'gmp' }).apply(x)).toThrow(/GlobalMaxPooling2D layer 'gmp' expects inputs of shape \(None, height, width, channels\), but received \(None, 8, 3\)/);
  });
});
