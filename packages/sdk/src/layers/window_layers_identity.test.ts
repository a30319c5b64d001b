// The layers that share window_kernels.ts (pooling, zero padding, cropping), in 1-D, 2-D and 3-D,
// channels-first and channels-last, inside trained models: zero padding followed by cropping the
// same sides is the identity, so a model with both (the padding first, its input taking no
// gradient, and after a trainable layer, its input taking one) trains exactly as the same model
// without them. The pooling runs channels-first where the layer takes it.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
};
const random = new Random(3);

type Make = (withPadding: boolean) => km.layers.Layer[];
const cases: { what: string; shape: number[]; layers: Make }[] = [
  {
    what: '1-D, channels-first average pooling',
    shape: [6, 3],
    layers: (p) => [
      ...(p ? [km.layers.zeroPadding1d({ padding: [1, 2] }), km.layers.cropping1D({ cropping: [1, 2] })] : []),
      km.layers.conv1d({ filters: 2, kernelSize: 1 }),
      ...(p ? [km.layers.zeroPadding1d({ padding: 2 }), km.layers.cropping1D({ cropping: 2 })] : []),
      km.layers.permute({ dims: [2, 1] }),
      km.layers.averagePooling1d({ poolSize: 2, dataFormat: 'channelsFirst' }),
    ],
  },
  {
    what: '2-D, channels-first max pooling and global average pooling',
    shape: [2, 4, 4],
    layers: (p) => [
      ...(p ? [km.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]], dataFormat: 'channelsFirst' }), km.layers.cropping2D({ cropping: [[1, 0], [2, 1]], dataFormat: 'channelsFirst' })] : []),
      km.layers.conv2d({ filters: 3, kernelSize: 1, dataFormat: 'channelsFirst' }),
      ...(p ? [km.layers.zeroPadding2d({ padding: 1, dataFormat: 'channelsFirst' }), km.layers.cropping2D({ cropping: 1, dataFormat: 'channelsFirst' })] : []),
      km.layers.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' }),
      km.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }),
    ],
  },
  {
    what: '3-D, channels-first average and global max pooling',
    shape: [2, 4, 4, 2],
    layers: (p) => [
      ...(p ? [km.layers.zeroPadding3d({ padding: [1, 0, 2], dataFormat: 'channelsFirst' }), km.layers.cropping3D({ cropping: [1, 0, 2], dataFormat: 'channelsFirst' })] : []),
      km.layers.conv3d({ filters: 3, kernelSize: 1, dataFormat: 'channelsFirst' }),
      ...(p ? [km.layers.zeroPadding3d({ padding: 1, dataFormat: 'channelsFirst' }), km.layers.cropping3D({ cropping: 1, dataFormat: 'channelsFirst' })] : []),
      km.layers.averagePooling3d({ poolSize: 2, dataFormat: 'channelsFirst' }),
      km.layers.globalMaxPooling3d({ dataFormat: 'channelsFirst' }),
    ],
  },
];

describe('zero padding then cropping the same sides trains as the model without them', () => {
  it.each(cases)('$what', async ({ shape, layers }) => {
    const n = 6;
    const x = km.tensor(Float32Array.from({ length: n * shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), [n, ...shape]);
    const model = (p: boolean) => {
      km.utils.setRandomSeed(4);
      const m = km.sequential([km.layers.inputLayer({ inputShape: shape }), ...layers(p), km.layers.flatten(), km.layers.dense({ units: 1 })]);
      m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
      return m;
    };
    const [padded, plain] = [model(true), model(false)];
    plain.setWeights(padded.getWeights());
    const before = Array.from(plain.getWeights()[0].dataSync());
    const y = km.tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i)), [n, 1]);
    const args = { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 as const };
    expectClose((await padded.fit(x, y, args)).history.loss as number[], (await plain.fit(x, y, args)).history.loss as number[]);
    const after = plain.getWeights();
    padded.getWeights().forEach((w, j) => expectClose(w.dataSync(), after[j].dataSync()));
    // The first layer trained: gradient reached it through the padding, cropping and pooling.
    expect(Math.max(...Array.from(after[0].dataSync(), (v, i) => Math.abs(v - before[i])))).toBeGreaterThan(1e-4);
  });
});
