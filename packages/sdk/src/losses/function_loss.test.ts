// compile takes tfjs' form of a loss and a metric, functions of tensors: checked against kerasm's
// built-in kernels for the same formulas, and against tfjs-layers training with the same function.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { runsOn } from '../testing/backends_here.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const squaredError = (yTrue: km.Tensor, yPred: km.Tensor) => km.mean(km.square(km.sub(yPred, yTrue)), -1);
const absoluteError = (yTrue: km.Tensor, yPred: km.Tensor) => km.mean(km.abs(km.sub(yPred, yTrue)), -1);

const xs = km.tensor([[0.5, -1, 2], [1.5, 0.2, -0.7], [-0.3, 0.8, 0.1], [2, 1, -1], [0.1, 0.1, 0.9], [-1, 2, 0.4]]);
const ys = km.tensor([[1, -2], [0.3, 3], [-1, 0.5], [4, 1], [0, 0.2], [2, -1]]);
const sampleWeight = km.tensor([1, 3, 0.5, 2, 0, 1.5]);

/** A Dense model with the same initial weights on every call. */
function denseModel(inputShape: number[] = [3]): km.LayersModel {
  km.utils.setRandomSeed(7);
  return km.sequential([km.layers.dense({ units: 2, inputShape, biasInitializer: 'glorotUniform' })]);
}

/** The weights after one SGD step (learning rate 1) on the whole batch, compiled with `loss`. */
async function stepWeights(loss: km.ModelCompileArgs['loss'], x: km.Tensor, y: km.Tensor, weights?: km.Tensor, inputShape?: number[]): Promise<Float32Array[]> {
  const model = denseModel(inputShape);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss });
  await model.fit(x, y, { epochs: 1, batchSize: x.shape[0], shuffle: false, verbose: 0, sampleWeight: weights });
  return model.getWeights().map((t) => t.dataSync() as Float32Array);
}

describe.each(['wasm', 'tfjs-cpu', 'tfjs-wasm'])('a loss function of tensors on backend %s', (name) => {
  runsOn(name, () => {});

  it("gives the built-in 'meanSquaredError' loss and gradient, per sample, per value and with sample weights", async () => {
    const perValue = (yTrue: km.Tensor, yPred: km.Tensor) => km.square(km.sub(yPred, yTrue));
    for (const fn of [squaredError, perValue]) {
      const model = denseModel();
      model.compile({ optimizer: 'sgd', loss: fn });
      const [loss] = await model.evaluate(xs, ys, { verbose: 0 });
      const [weighted] = await model.evaluate(xs, ys, { verbose: 0, sampleWeight });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      expect(loss).toBeCloseTo((await model.evaluate(xs, ys, { verbose: 0 }))[0], 5);
      expect(weighted).toBeCloseTo((await model.evaluate(xs, ys, { verbose: 0, sampleWeight }))[0], 5);
      const ours = await kerasmGradients(model, fn, xs, ys);
      const builtIn = await kerasmGradients(model, 'meanSquaredError', xs, ys);
      expectGradientsClose(ours, builtIn.map((g) => Array.from(g)), ['kernel', 'bias'], 1e-5);
    }
    const ours = await stepWeights(squaredError, xs, ys, sampleWeight);
    const builtIn = await stepWeights('meanSquaredError', xs, ys, sampleWeight);
    expectGradientsClose(ours, builtIn.map((w) => Array.from(w)), ['kernel', 'bias'], 1e-5);
  });

  it('weighs each position of a [steps, units] output by temporal sample weights, as the built-in loss does', async () => {
    const x = xs.reshape([3, 2, 3]);
    const y = ys.reshape([3, 2, 2]);
    const perStep = km.tensor([[1, 0], [0.5, 2], [3, 1]]);
    for (const weights of [undefined, perStep, km.tensor([2, 0.5, 1])]) {
      const ours = await stepWeights(squaredError, x, y, weights, [2, 3]);
      const builtIn = await stepWeights('meanSquaredError', x, y, weights, [2, 3]);
      expectGradientsClose(ours, builtIn.map((w) => Array.from(w)), ['kernel', 'bias'], 1e-5);
    }
    // One loss per sample over two steps: each sample weighs its steps' weights together.
    const perSample = (yTrue: km.Tensor, yPred: km.Tensor) => km.mean(km.square(km.sub(yPred, yTrue)), [1, 2]);
    const ours = await stepWeights(perSample, x, y, km.tensor([2, 0.5, 1]), [2, 3]);
    const builtIn = await stepWeights('meanSquaredError', x, y, km.tensor([2, 0.5, 1]), [2, 3]);
    expectGradientsClose(ours, builtIn.map((w) => Array.from(w)), ['kernel', 'bias'], 1e-5);
  });

});

describe('a loss function of tensors', () => {
  it('trains as tfjs-layers trains with the same function (a pinball loss), epoch by epoch', async () => {
    const q = 0.8;
    const kmPinball = (yTrue: km.Tensor, yPred: km.Tensor) => {
      const e = km.sub(yTrue, yPred);
      return km.mean(km.maximum(km.mul(e, q), km.mul(e, q - 1)), -1);
    };
    const tfPinball = (yTrue: tf.Tensor, yPred: tf.Tensor) => {
      const e = tf.sub(yTrue, yPred);
      return tf.mean(tf.maximum(tf.mul(e, q), tf.mul(e, q - 1)), -1);
    };
    await tf.setBackend('cpu'); // the suites above may leave tfjs on its wasm backend
    const model = denseModel();
    const initial = model.getWeights().map((t) => tf.tensor(t.dataSync(), [...t.shape]));
    const reference = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    reference.setWeights(initial);
    reference.compile({ optimizer: tf.train.sgd(0.5), loss: tfPinball });
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: kmPinball });
    const fitArgs = { epochs: 4, batchSize: 3, shuffle: false, verbose: 0 } as const;
    const theirs = await reference.fit(tf.tensor(xs.arraySync() as number[][]), tf.tensor(ys.arraySync() as number[][]), fitArgs);
    const ours = await model.fit(xs, ys, fitArgs);
    ours.history.loss.forEach((loss, epoch) => expect(loss).toBeCloseTo(theirs.history.loss[epoch] as number, 5));
    const theirWeights = reference.getWeights().map((t) => Array.from(t.dataSync()));
    expectGradientsClose(model.getWeights().map((t) => t.dataSync() as Float32Array), theirWeights, ['kernel', 'bias'], 1e-5);
  });

  it('errors name the function and the fix', async () => {
    const model = denseModel();
    const notATensor = () => [1, 2] as unknown as km.Tensor;
    model.compile({ optimizer: 'sgd', loss: notATensor });
    await expect(model.fit(xs, ys, { epochs: 1, verbose: 0 })).rejects.toThrow("The loss function 'notATensor' returned an array, but it must return a km.Tensor synchronously");
    const batchMean = (yTrue: km.Tensor, yPred: km.Tensor) => km.mean(km.square(km.sub(yPred, yTrue)));
    model.compile({ optimizer: 'sgd', loss: batchMean });
    await expect(model.fit(xs, ys, { epochs: 1, verbose: 0, sampleWeight })).rejects.toThrow("The loss function 'batchMean' returned a loss of shape [], but sample weights or a mask weigh each sample of the batch, so its shape must begin with [6]. Return one loss per sample");
    // km.metrics' tensor functions compute on the host without a gradient.
    const noGradient = (yTrue: km.Tensor, yPred: km.Tensor) => km.metrics.meanSquaredError(yTrue, yPred);
    model.compile({ optimizer: 'sgd', loss: noGradient });
    await expect(model.fit(xs, ys, { epochs: 1, verbose: 0 })).rejects.toThrow(/The loss function 'noGradient'.*km\.metrics/);
  });

  it('a model compiled with one saves without its training config and loads uncompiled', async () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: squaredError });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("the loss of the model is the function 'squaredError', whose code a model file cannot hold"));
    warn.mockRestore();
    expect(saved?.trainingConfig).toBeUndefined();
    await expect(model.save(km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { includeOptimizer: true })).rejects.toThrow("the function 'squaredError'");
  });
});

describe('a metric function of tensors', () => {
  it("reports the built-in 'meanAbsoluteError' metric's values, weighted too", async () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: [absoluteError, 'meanAbsoluteError'], weightedMetrics: [absoluteError, 'meanAbsoluteError'] });
    const history = await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, sampleWeight, validationSplit: 0.34 });
    for (const [ours, builtIn] of [['absoluteError', 'meanAbsoluteError'], ['val_absoluteError', 'val_meanAbsoluteError'], ['weighted_absoluteError', 'weighted_meanAbsoluteError']]) {
      expect(history.history[ours]).toHaveLength(2);
      history.history[ours].forEach((v, epoch) => expect(v).toBeCloseTo(history.history[builtIn][epoch] as number, 5));
    }
  });

  it('an anonymous one is refused at compile, saying to name it', () => {
    const model = denseModel();
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [(yTrue: km.Tensor, yPred: km.Tensor) => km.sub(yPred, yTrue)] })).toThrow("compile's metric is an anonymous function, but a metric's name is its key in logs and History");
  });
});
