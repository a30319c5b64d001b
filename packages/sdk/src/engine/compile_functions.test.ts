// tfjs code passes loss and metric functions to compile; kerasm refuses them there, naming what to pass.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const model = () => km.sequential([km.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);
const why = (what: 'loss' | 'metric') => (what === 'loss' ? 'kerasm takes losses by name or as km.losses objects' : 'kerasm takes metrics by name or as km.metrics objects');

describe('functions given to compile', () => {
  it("tfjs-core's loss ops get kerasm's counterpart", () => {
    expect(() => model().compile({ optimizer: 'adam', loss: tf.losses.meanSquaredError as never })).toThrow(`compile's loss is the function meanSquaredError; ${why('loss')}: its kernels compute each loss and its gradient themselves and do not run a function's tensor ops. Pass 'meanSquaredError' instead.`);
    expect(() => model().compile({ optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy as never })).toThrow(/Pass km\.losses\.categoricalCrossentropy\(\{ fromLogits: true \}\) instead\.$/);
    expect(() => model().compile({ optimizer: 'adam', loss: tf.losses.absoluteDifference as never })).toThrow(/the function absoluteDifference; .* Pass 'meanAbsoluteError' instead\.$/);
    // One output's loss among several is checked the same way.
    expect(() => model().compile({ optimizer: 'adam', loss: ['mse', tf.losses.logLoss as never] })).toThrow(/Pass 'binaryCrossentropy' instead\.$/);
  });

  it("tfjs-layers' metric functions, as a loss or a metric, get their name", () => {
    expect(() => model().compile({ optimizer: 'adam', loss: tfl.metrics.categoricalCrossentropy as never })).toThrow(/^compile's loss is the function categoricalCrossentropy; .* Pass 'categoricalCrossentropy' instead\.$/);
    expect(() => model().compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: [tfl.metrics.categoricalAccuracy as never] })).toThrow(`compile's metric is the function categoricalAccuracy; ${why('metric')}: its kernels compute each metric themselves and do not run a function's tensor ops. Pass 'categoricalAccuracy' instead.`);
  });

  it('a function of your own says what kerasm takes instead', () => {
    const myLoss = (yTrue: unknown, yPred: unknown) => [yTrue, yPred];
    expect(() => model().compile({ optimizer: 'adam', loss: myLoss as never })).toThrow(/^compile's loss is the function myLoss; .* Pick a built-in loss by name \('meanSquaredError', 'binaryCrossentropy', \.\.\.\) or a configured one.* For a loss of your own, pass a km\.losses\.Loss object that computes the loss and writes its gradient \(docs\/CUSTOM_LOSSES\.md\)\.$/);
    expect(() => model().compile({ optimizer: 'adam', loss: 'mse', metrics: [((a: unknown) => a) as never] })).toThrow(/^compile's metric is an anonymous function; .* For a metric of your own, pass an object with name, reset, result and update\(batch\), or Keras' updateState\(yTrue, yPred, sampleWeight\)/);
  });

  it('a refused compile leaves the model as it was', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    expect(() => m.compile({ optimizer: 'adam', loss: tf.losses.meanSquaredError as never })).toThrow();
    const history = await m.fit(km.tensor(new Float32Array(8).fill(0.5), [2, 4]), km.tensor([[1, 0, 0], [0, 1, 0]]), { epochs: 1, verbose: 0 });
    expect(history.history.loss[0]).toBeGreaterThan(0);
  });
});
