// compile takes tfjs' form of a loss and a metric, functions of tensors: checked against tfjs-layers
// training with the same function and against kerasm's built-in metrics; the errors; saving. On
// every backend against the built-in loss: function_loss_backends.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { expectGradientsClose } from '../testing/sgd_gradients.js';
import { denseModel, sampleWeight, squaredError, xs, ys } from '../testing/small_regression.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const absoluteError = (yTrue: km.Tensor, yPred: km.Tensor) => km.mean(km.abs(km.sub(yPred, yTrue)), -1);

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
    const classes = km.sequential([km.layers.dense({ units: 3, inputShape: [3], activation: 'softmax' })]);
    classes.compile({ optimizer: 'sgd', loss: squaredError });
    await expect(classes.fit(xs, km.tensor([0, 1, 2, 1, 0, 2], [6], 'int32'), { epochs: 1, verbose: 0 })).rejects.toThrow(
      "The loss function 'squaredError' receives targets shaped like the model's output, [6, 3], as tfjs passes them, but these of shape [6] (int32) look like integer class labels. One-hot encode them with km.utils.toCategorical(y, 3), or compile loss 'sparseCategoricalCrossentropy'.",
    );
    // A count has no gradient.
    const noGradient = (yTrue: km.Tensor, yPred: km.Tensor) => km.metrics.binaryAccuracy(yTrue, yPred);
    model.compile({ optimizer: 'sgd', loss: noGradient });
    await expect(model.fit(xs, ys, { epochs: 1, verbose: 0 })).rejects.toThrow("The loss function 'noGradient' returned a loss that does not depend on yPred through km's differentiable ops, so it gives no gradient to train with. Counts have none");
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

  it('one that returns no tensor, or values its weights cannot weigh, names itself and the fix', async () => {
    const model = denseModel();
    const notATensor = () => 1 as unknown as km.Tensor;
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [notATensor] });
    await expect(model.fit(xs, ys, { epochs: 1, verbose: 0 })).rejects.toThrow("The metric function 'notATensor' returned number 1, but it must return a km.Tensor synchronously");
    const firstOnly = (yTrue: km.Tensor, yPred: km.Tensor) => km.sub(yPred, yTrue).slice([0, 0], [1, -1]);
    model.compile({ optimizer: 'sgd', loss: 'mse', weightedMetrics: [firstOnly] });
    await expect(model.fit(xs, ys, { epochs: 1, batchSize: 6, verbose: 0, sampleWeight })).rejects.toThrow(
      "The metric function 'firstOnly' returned values of shape [1, 2], which the weights of shape [6] (one per sample) cannot weigh. Return one value per sample",
    );
  });

  it('an anonymous one is refused at compile, saying to name it', () => {
    const model = denseModel();
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [(yTrue: km.Tensor, yPred: km.Tensor) => km.sub(yPred, yTrue)] })).toThrow("compile's metric is an anonymous function, but a metric's name is its key in logs and History");
  });
});
