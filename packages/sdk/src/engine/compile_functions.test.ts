// tfjs code passes tfjs' own loss and metric functions to compile, which compute on tfjs tensors;
// kerasm refuses them there, naming what to pass (functions of km tensors: function_loss.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const model = () => km.sequential([km.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);

describe('functions given to compile', () => {
  it("tfjs-core's loss ops get kerasm's counterpart", () => {
    expect(() => model().compile({ optimizer: 'adam', loss: tf.losses.meanSquaredError as never })).toThrow(`compile's loss is the function meanSquaredError; kerasm runs a function of km tensors, but this one is TensorFlow.js' and computes on tfjs tensors; kerasm's built-in loss computes the same with its gradient in its kernels. Pass 'meanSquaredError' instead.`);
    expect(() => model().compile({ optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy as never })).toThrow(/Pass km\.losses\.categoricalCrossentropy\(\{ fromLogits: true \}\) instead\.$/);
    expect(() => model().compile({ optimizer: 'adam', loss: tf.losses.absoluteDifference as never })).toThrow(/the function absoluteDifference; .* Pass 'meanAbsoluteError' instead\.$/);
    // One output's loss among several is checked the same way.
    expect(() => model().compile({ optimizer: 'adam', loss: ['mse', tf.losses.logLoss as never] })).toThrow(/Pass 'binaryCrossentropy' instead\.$/);
  });

  it("tfjs-layers' metric functions, as a loss or a metric, get their name", () => {
    expect(() => model().compile({ optimizer: 'adam', loss: tfl.metrics.categoricalCrossentropy as never })).toThrow(/^compile's loss is the function categoricalCrossentropy; .* Pass 'categoricalCrossentropy' instead\.$/);
    expect(() => model().compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: [tfl.metrics.categoricalAccuracy as never] })).toThrow(`compile's metric is the function categoricalAccuracy; kerasm runs a function of km tensors, but this one is TensorFlow.js' and computes on tfjs tensors; kerasm's built-in metric computes the same in its kernels. Pass 'categoricalAccuracy' instead.`);
  });

  it('a refused compile leaves the model as it was', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    expect(() => m.compile({ optimizer: 'adam', loss: tf.losses.meanSquaredError as never })).toThrow();
    const history = await m.fit(km.tensor(new Float32Array(8).fill(0.5), [2, 4]), km.tensor([[1, 0, 0], [0, 1, 0]]), { epochs: 1, verbose: 0 });
    expect(history.history.loss[0]).toBeGreaterThan(0);
  });
});
