import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectSameTrainingSteps } from '../testing/tfjs_step_parity.js';
import { Random } from '../utils/random.js';

// tfjs-layers 4.22 has no DepthwiseConv1D, but the same convolution is its DepthwiseConv2D over the
// sequence reshaped to an image of height 1 with a [1, k] window. With the same weights (Keras'
// [k, C, M] kernel is tfjs' [1, k, C, M]) the models give the same predictions, and the same losses
// and weights over Adam steps on the same batch (tfjs' cpu backend). tfjs-layers' DepthwiseConv2D
// ignores dilationRate (it passes null to the op), so dilation is checked against tfjs-core's op.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [BATCH, CLASSES, STEPS] = [6, 3, 5];
const labels = Float32Array.from({ length: BATCH * CLASSES }, (_, i) => (i % CLASSES === Math.floor(i / CLASSES) % CLASSES ? 1 : 0));

const cases = [
  { name: "'valid', stride 1, multiplier 2", steps: 8, channels: 3, kernel: 3, stride: 1, dilation: 1, padding: 'valid' as const, multiplier: 2 },
  { name: "'same', stride 2", steps: 9, channels: 2, kernel: 4, stride: 2, dilation: 1, padding: 'same' as const, multiplier: 1 },
];

describe('DepthwiseConv1D against tfjs-layers 4.22 DepthwiseConv2D on [n, 1, steps, c]', () => {
  it.each(cases)('$name: predictions, then losses and weights over Adam steps', async (c) => {
    km.utils.setRandomSeed(12);
    const random = new Random(41);
    const window = { strides: c.stride, dilationRate: c.dilation, padding: c.padding, depthMultiplier: c.multiplier, activation: 'tanh' as const, biasInitializer: 'glorotUniform' as const };
    const ours = km.sequential([
      km.layers.depthwiseConv1d({ kernelSize: c.kernel, ...window, inputShape: [c.steps, c.channels] }),
      km.layers.flatten(),
      km.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ]);
    const theirs = tfl.sequential({
      layers: [
        tfl.layers.reshape({ targetShape: [1, c.steps, c.channels], inputShape: [c.steps, c.channels] }),
        tfl.layers.depthwiseConv2d({ ...window, kernelSize: [1, c.kernel], strides: [1, c.stride], dilationRate: [1, c.dilation] }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ],
    });
    theirs.setWeights(ours.getWeights().map((w, i) => tf.tensor(w.dataSync(), i === 0 ? [1, ...w.shape] : [...w.shape])));

    const xValues = Float32Array.from({ length: BATCH * c.steps * c.channels }, () => random.uniform(-2, 2));
    const [x, tfX] = [km.tensor(xValues, [BATCH, c.steps, c.channels]), tf.tensor(xValues, [BATCH, c.steps, c.channels])];
    const expected = (theirs.predict(tfX) as tf.Tensor).dataSync();
    const predicted = ours.predict(x).dataSync();
    expect(predicted).toHaveLength(expected.length);
    predicted.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));

    ours.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-10 }), loss: 'categoricalCrossentropy' });
    theirs.compile({ optimizer: tf.train.adam(0.02, 0.9, 0.999, 1e-10), loss: 'categoricalCrossentropy' });
    const [y, tfY] = [km.tensor(labels, [BATCH, CLASSES]), tf.tensor(labels, [BATCH, CLASSES])];
    // tfjs' depthwise kernel carries the extra height axis; the step check compares flat values.
    await expectSameTrainingSteps(ours, theirs, [x, y], [tfX, tfY], STEPS, { minMove: 1e-2, weightTolerance: 1e-3 });
  });
});

describe('DepthwiseConv1D with dilation against tfjs-core 4.22 depthwiseConv2d on [n, 1, steps, c]', () => {
  it.each([
    { padding: 'same' as const, steps: 7, kernel: 3, dilation: 2, multiplier: 3 },
    { padding: 'valid' as const, steps: 9, kernel: 2, dilation: 3, multiplier: 1 },
  ])('padding $padding, kernel $kernel, dilation $dilation, multiplier $multiplier', ({ padding, steps, kernel, dilation, multiplier }) => {
    km.utils.setRandomSeed(13);
    const random = new Random(43);
    const channels = 2;
    const ours = km.sequential([km.layers.depthwiseConv1d({ kernelSize: kernel, dilationRate: dilation, padding, depthMultiplier: multiplier, biasInitializer: 'glorotUniform', inputShape: [steps, channels] })]);
    const [depthwise, bias] = ours.getWeights();
    const xValues = Float32Array.from({ length: BATCH * steps * channels }, () => random.uniform(-2, 2));
    const image = tf.tensor(xValues, [BATCH, 1, steps, channels]) as tf.Tensor4D;
    const kernel4d = tf.tensor4d(depthwise.dataSync(), [1, depthwise.shape[0], depthwise.shape[1], depthwise.shape[2]]);
    const expected = tf.add(tf.depthwiseConv2d(image, kernel4d, 1, padding, 'NHWC', [1, dilation]), tf.tensor(bias.dataSync())).dataSync();
    const predicted = ours.predict(km.tensor(xValues, [BATCH, steps, channels])).dataSync();
    expect(predicted).toHaveLength(expected.length);
    predicted.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
  });
});
