import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Padding = 'valid' | 'same';
const cases: { padding: Padding; strides: number; dilation: number; pool: 'max' | 'avg' }[] = [
  { padding: 'valid', strides: 1, dilation: 1, pool: 'max' },
  { padding: 'same', strides: 2, dilation: 1, pool: 'avg' },
  { padding: 'same', strides: 1, dilation: 2, pool: 'max' },
  { padding: 'valid', strides: 3, dilation: 1, pool: 'avg' },
];

// Same weights in both libraries (Keras layout), then predictions must agree.
describe('Conv2D, pooling, Dropout and Reshape forward parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('padding $padding, strides $strides, dilation $dilation, $pool pooling', ({ padding, strides, dilation, pool }) => {
    km.utils.setRandomSeed(21);
    const conv = { filters: 5, kernelSize: 3, strides, dilationRate: dilation, padding, activation: 'relu' as const };
    const poolArgs = { poolSize: 2, strides: 1, padding };
    const ours = km.sequential([
      km.layers.reshape({ targetShape: [13, 11, 1], inputShape: [13, 11] }),
      km.layers.conv2d(conv),
      pool === 'max' ? km.layers.maxPooling2d(poolArgs) : km.layers.averagePooling2d(poolArgs),
      km.layers.dropout({ rate: 0.3 }),
      km.layers.conv2d({ filters: 4, kernelSize: 2, padding }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    const theirs = tfl.sequential({
      layers: [
        tfl.layers.reshape({ targetShape: [13, 11, 1], inputShape: [13, 11] }),
        tfl.layers.conv2d(conv),
        pool === 'max' ? tfl.layers.maxPooling2d(poolArgs) : tfl.layers.averagePooling2d(poolArgs),
        tfl.layers.dropout({ rate: 0.3 }),
        tfl.layers.conv2d({ filters: 4, kernelSize: 2, padding }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const x = Float32Array.from({ length: 4 * 13 * 11 }, (_, i) => Math.sin(i * 0.37));
    const predicted = ours.predict(km.tensor(x, [4, 13, 11]));
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const expected = (theirs.predict(tf.tensor(x, [4, 13, 11])) as tf.Tensor).dataSync();
    expect(predicted.shape).toEqual([4, 3]);
    predicted.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });
});
