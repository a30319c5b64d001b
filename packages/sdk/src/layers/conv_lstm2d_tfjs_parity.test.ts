import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { movingDotTask } from '../testing/moving_dot.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, frames, size] = [32, 4, 6];
const task = movingDotTask(n, frames, size, 5);
const x = [task.frames, [n, frames, size, size, 1]] as const;
const inputShape = [frames, size, size, 1];
// A regression target in [0, 1]: the direction's index, scaled.
const scaledDirections = Float32Array.from(task.directions, (d) => d / 3);

const cases = [
  {
    name: "ConvLSTM2D(padding 'same', last state) → Flatten → Dense(softmax), default activations (tanh, hardSigmoid)",
    kerasm: () => [km.layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape }), km.layers.flatten(), km.layers.dense({ units: 4, activation: 'softmax' })],
    tfjs: () => [tfl.layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape }), tfl.layers.flatten(), tfl.layers.dense({ units: 4, activation: 'softmax' })],
    loss: 'categoricalCrossentropy', x, y: [task.oneHot, [n, 4]] as const,
  },
  {
    name: "ConvLSTM2D(padding 'valid', 2×3 kernel, returnSequences, goBackwards, sigmoid gates) → Flatten → Dense",
    kerasm: () => [
      km.layers.convLstm2d({ filters: 2, kernelSize: [2, 3], returnSequences: true, goBackwards: true, recurrentActivation: 'sigmoid', inputShape }),
      km.layers.flatten(), km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.convLstm2d({ filters: 2, kernelSize: [2, 3], returnSequences: true, goBackwards: true, recurrentActivation: 'sigmoid', inputShape }),
      tfl.layers.flatten(), tfl.layers.dense({ units: 1 }),
    ],
    loss: 'meanSquaredError', x, y: [scaledDirections, [n, 1]] as const,
  },
  {
    name: "ConvLSTM2D(strides 2, 'same', returnSequences, no bias) → ConvLSTM2D(goBackwards, 'valid') → Flatten → Dense(softmax)",
    kerasm: () => [
      km.layers.convLstm2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', returnSequences: true, useBias: false, inputShape }),
      km.layers.convLstm2d({ filters: 2, kernelSize: 2, goBackwards: true }),
      km.layers.flatten(), km.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    tfjs: () => [
      tfl.layers.convLstm2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', returnSequences: true, useBias: false, inputShape }),
      tfl.layers.convLstm2d({ filters: 2, kernelSize: 2, goBackwards: true }),
      tfl.layers.flatten(), tfl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    loss: 'categoricalCrossentropy', x, y: [task.oneHot, [n, 4]] as const,
  },
];

describe('ConvLSTM2D: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: same weights give the same predictions, and the same losses and weights over 6 SGD steps', async (c) => {
    await expectSameFit(c, { seed: 21, learningRate: 0.2, momentum: 0.9 });
  });

  it('dilationRate 2 gives the same predictions (tfjs has no gradient for dilated convolutions, so no fit)', () => {
    km.utils.setRandomSeed(4);
    const args = { filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' as const, returnSequences: true, inputShape };
    const model = km.sequential([km.layers.convLstm2d(args)]);
    const reference = tfl.sequential({ layers: [tfl.layers.convLstm2d(args)] });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const expected = (reference.predict(tf.tensor(x[0], [...x[1]])) as tf.Tensor).dataSync();
    const ours = model.predict(km.tensor(x[0], [...x[1]])).dataSync();
    expect(ours.length).toBe(expected.length);
    ours.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
  });
});
