import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { conv3d, globalPool3d, padVolume, pool3d, upSample3d, type Volume, type VolumeSpec } from '../testing/volume_reference.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

type Triple = [number, number, number];

/** Mean squared error over samples and output entries, as Keras' 'meanSquaredError' reduces it. */
function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

const spec = (kernel: Triple, strides: Triple, padding: 'valid' | 'same', dilation: Triple = [1, 1, 1]): VolumeSpec => ({ kernel, strides, dilation, padding });

interface VolumeCase {
  name: string;
  input: [number, number, number, number];
  batch: number;
  first: VolumeSpec;
  /** The layer between the two convolutions, and its float64 reference. */
  middle: () => km.layers.Layer;
  reference: (x: Volume) => Volume;
  second: VolumeSpec;
  /** A global pooling head instead of flatten. */
  head?: 'max' | 'avg';
}

const cases: VolumeCase[] = [
  {
    name: 'Conv3D valid stride 1, MaxPooling3D, GlobalAveragePooling3D', input: [5, 5, 3, 2], batch: 2, first: spec([3, 3, 1], [1, 1, 1], 'valid'),
    middle: () => km.layers.maxPooling3d({ poolSize: [2, 2, 1], strides: 1 }), reference: (v) => pool3d(v, spec([2, 2, 1], [1, 1, 1], 'valid'), 'max'),
    second: spec([1, 1, 1], [1, 1, 1], 'valid'), head: 'avg',
  },
  {
    name: 'Conv3D same stride 2, AveragePooling3D same', input: [5, 4, 5, 1], batch: 2, first: spec([3, 3, 3], [2, 2, 2], 'same'),
    middle: () => km.layers.averagePooling3d({ poolSize: 2, strides: 1, padding: 'same' }), reference: (v) => pool3d(v, spec([2, 2, 2], [1, 1, 1], 'same'), 'avg'),
    second: spec([2, 1, 2], [1, 1, 1], 'same'),
  },
  {
    name: 'Conv3D dilation 2, ZeroPadding3D, GlobalMaxPooling3D', input: [5, 5, 5, 1], batch: 1, first: spec([2, 3, 2], [1, 1, 1], 'same', [2, 1, 2]),
    middle: () => km.layers.zeroPadding3d({ padding: [[1, 0], [0, 2], [1, 1]] }), reference: (v) => padVolume(v, [[1, 0], [0, 2], [1, 1]]),
    second: spec([3, 3, 3], [1, 1, 1], 'valid'), head: 'max',
  },
  {
    name: 'Cropping3D between odd strides', input: [7, 6, 5, 2], batch: 2, first: spec([3, 1, 2], [1, 2, 1], 'valid'),
    middle: () => km.layers.cropping3D({ cropping: [[1, 1], [0, 1], [2, 0]] }), reference: (v) => padVolume(v, [[-1, -1], [0, -1], [-2, 0]]),
    second: spec([1, 1, 1], [1, 1, 1], 'same'),
  },
  {
    name: 'UpSampling3D', input: [2, 3, 2, 1], batch: 2, first: spec([1, 2, 1], [1, 1, 1], 'valid'),
    middle: () => km.layers.upSampling3d({ size: [2, 1, 3] }), reference: (v) => upSample3d(v, [2, 1, 3]),
    second: spec([3, 2, 3], [2, 1, 2], 'valid'),
  },
];

describe('3-D layer gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const random = new Random(7);
    km.utils.setRandomSeed(11);
    const [filters1, filters2] = [3, 2];
    const convArgs = (s: VolumeSpec) => ({ kernelSize: s.kernel, strides: s.strides, padding: s.padding, dilationRate: s.dilation, biasInitializer: 'glorotUniform' as const });
    const model = km.sequential([
      km.layers.conv3d({ ...convArgs(c.first), filters: filters1, activation: 'tanh', inputShape: c.input }),
      c.middle(),
      km.layers.conv3d({ ...convArgs(c.second), filters: filters2 }),
      c.head === 'max' ? km.layers.globalMaxPooling3d() : c.head === 'avg' ? km.layers.globalAveragePooling3d() : km.layers.flatten(),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const size = c.input.reduce((a, b) => a * b, 1);
    const outSize = model.predict(km.tensor(new Float32Array(size), [1, ...c.input])).shape[1];
    const xs = Array.from({ length: c.batch }, () => Array.from({ length: size }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: c.batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));

    const forward = (x: number[]): number[] => {
      const [d, h, w, ch] = c.input;
      const h1 = conv3d({ d, h, w, c: ch, data: x }, weights[0], weights[1], c.first);
      const h2 = conv3d(c.reference({ ...h1, data: h1.data.map(Math.tanh) }), weights[2], weights[3], c.second);
      return c.head ? globalPool3d(h2, c.head) : h2.data;
    };
    const x = km.tensor(xs.flat(), [c.batch, ...c.input]);
    const y = km.tensor(ys.flat(), [c.batch, outSize]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));

    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});
