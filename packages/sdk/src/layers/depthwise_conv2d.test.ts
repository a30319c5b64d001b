import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { conv2d, depthwiseConv2d, finiteDifferences, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const cases: { name: string; input: [number, number, number]; batch: number; spec: WindowSpec; multiplier: number }[] = [
  { name: 'batch 1, valid, odd sizes', input: [5, 4, 2], batch: 1, spec: { kernel: [3, 2], strides: [1, 1], dilation: [1, 1], padding: 'valid' }, multiplier: 1 },
  { name: 'same, strides 2, multiplier 2', input: [7, 6, 3], batch: 2, spec: { kernel: [3, 3], strides: [2, 2], dilation: [1, 1], padding: 'same' }, multiplier: 2 },
  { name: 'same, dilation 2, multiplier 3', input: [6, 7, 2], batch: 2, spec: { kernel: [2, 3], strides: [1, 1], dilation: [2, 2], padding: 'same' }, multiplier: 3 },
];

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

describe('DepthwiseConv2D', () => {
  it.each(cases)('forward and gradients against float64 finite differences: $name', async (c) => {
    const random = new Random(12);
    km.utils.setRandomSeed(6);
    const first: WindowSpec = { kernel: [2, 2], strides: [1, 1], dilation: [1, 1], padding: 'same' };
    const model = km.sequential([
      km.layers.conv2d({ filters: c.input[2], kernelSize: 2, padding: 'same', activation: 'tanh', inputShape: c.input, biasInitializer: 'glorotUniform' }),
      km.layers.depthwiseConv2d({ kernelSize: c.spec.kernel, strides: c.spec.strides, padding: c.spec.padding, dilationRate: c.spec.dilation, depthMultiplier: c.multiplier, biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const inSize = c.input.reduce((a, b) => a * b, 1);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: number[]): number[] => {
      const h = conv2d({ h: c.input[0], w: c.input[1], c: c.input[2], data: x } as Image, weights[0], weights[1], first);
      return depthwiseConv2d({ ...h, data: h.data.map(Math.tanh) }, weights[2], weights[3], c.spec).data;
    };
    const xs = Array.from({ length: c.batch }, () => Array.from({ length: inSize }, () => random.uniform(-1, 1)));
    const outSize = forward(xs[0]).length;
    const ys = Array.from({ length: c.batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));
    const x = km.tensor(xs.flat(), [c.batch, ...c.input]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys.flat(), [c.batch, outSize])), expected, ['conv kernel', 'conv bias', 'depthwise kernel', 'depthwise bias']);
  });

  it('matches tfjs-layers 4.22 forward on the same weights', () => {
    km.utils.setRandomSeed(8);
    const args = { kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' as const, activation: 'relu' as const, inputShape: [7, 5, 3] };
    const ours = km.sequential([km.layers.depthwiseConv2d({ ...args, biasInitializer: 'glorotUniform' })]);
    const theirs = tfl.sequential({ layers: [tfl.layers.depthwiseConv2d(args)] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const random = new Random(1);
    const x = Float32Array.from({ length: 3 * 7 * 5 * 3 }, () => random.uniform(-1, 1));
    const expected = (theirs.predict(tf.tensor(x, [3, 7, 5, 3])) as tf.Tensor).dataSync();
    const predicted = ours.predict(km.tensor(x, [3, 7, 5, 3]));
    expect(predicted.shape).toEqual([3, 4, 3, 6]);
    predicted.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it('saves and loads in the LayersModel format, both directions with tfjs', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6, 5, 2],
      kerasm: () => [
        km.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2, padding: 'same', inputShape: [6, 5, 2], biasInitializer: 'ones' }),
        km.layers.depthwiseConv2d({ kernelSize: 2, strides: 2, useBias: false, activation: 'tanh', depthwiseInitializer: 'heNormal' }),
      ],
      tfjs: () => [
        tfl.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2, padding: 'same', inputShape: [6, 5, 2], biasInitializer: 'randomNormal' }),
        // tfjs-layers 4.22 saves dilationRate for DepthwiseConv2D but its call() ignores it, so no dilation here.
        tfl.layers.depthwiseConv2d({ kernelSize: 2, strides: [2, 1], activation: 'relu' }),
      ],
    });
  });

  it('rejects bad arguments with the value received', () => {
    expect(() => km.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 })).toThrow(/depthMultiplier must be a positive integer. Received: depthMultiplier=0/);
    expect(() => km.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides above 1 cannot be combined with dilationRate above 1/);
    expect(() => km.layers.depthwiseConv2d({ kernelSize: [3, 0] })).toThrow(/kernelSize must be a positive integer or a pair of them. Received: kernelSize=\[3,0\]/);
  });
});
