import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import * as km from '../index.js';

type Values = Float32Array | Int32Array;

/** A model in both libraries and its data; y's third entry is tfjs' shape for it when that differs (sparse labels per step). */
export interface FitParityCase {
  kerasm: () => km.layers.Layer[];
  tfjs: () => tfl.layers.Layer[];
  loss: string;
  x: readonly [Values, readonly number[]];
  y: readonly [Values, readonly number[], (readonly number[])?];
}

/**
 * The same weights (kerasm's, from `seed`) in both libraries: predictions must agree within 1e-5;
 * then 3 epochs of SGD (`learningRate`, `momentum`) in batches of 16, unshuffled, must give losses
 * that agree within `tolerance` and move, and weights that end within `tolerance`.
 */
export async function expectSameFit(c: FitParityCase, { seed, learningRate, momentum = 0, tolerance = 1e-4 }: { seed: number; learningRate: number; momentum?: number; tolerance?: number }): Promise<void> {
  km.utils.setRandomSeed(seed);
  const model = km.sequential(c.kerasm());
  model.compile({ optimizer: km.optimizers.sgd({ learningRate, momentum }), loss: c.loss as km.LossName });
  const reference = tfl.sequential({ layers: c.tfjs() });
  reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  reference.compile({ optimizer: momentum ? tf.train.momentum(learningRate, momentum) : tf.train.sgd(learningRate), loss: c.loss });

  const [xValues, xShape] = c.x;
  const [yValues, yShape, tfYShape = yShape] = c.y;
  const dtype = xValues instanceof Int32Array ? 'int32' : 'float32';
  const [x, tfX] = [km.tensor(xValues, [...xShape], dtype), tf.tensor(xValues, [...xShape], dtype)];
  const theirPredictions = (reference.predict(tfX) as tf.Tensor).dataSync();
  model.predict(x).dataSync().forEach((v, i) => expect(Math.abs(v - theirPredictions[i])).toBeLessThan(1e-5));

  const args = { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 as const };
  const ours = await model.fit(x, km.tensor(yValues, [...yShape]), args);
  const theirs = await reference.fit(tfX, tf.tensor(yValues, [...tfYShape]), args);
  ours.history.loss.forEach((loss, i) => expect(Math.abs(loss - (theirs.history.loss[i] as number))).toBeLessThan(tolerance));
  expect(ours.history.loss[2]).not.toBeCloseTo(ours.history.loss[0], 3);
  const theirWeights = reference.getWeights();
  model.getWeights().forEach((w, i) => {
    const expected = theirWeights[i].dataSync();
    w.dataSync().forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThan(tolerance));
  });
}

/** How {@link expectSameSgdFit} trains and how closely the two libraries must agree. */
export interface SgdFitOptions {
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Decimal digits the weights must agree to (losses and predictions: 5). */
  weightDigits: number;
}

/**
 * Trains a kerasm model and its tfjs-layers twin, already holding the same weights, with SGD on the
 * same inputs `x` (of `shape`) and sparse labels `y`, unshuffled: the per-epoch losses must agree to
 * 5 decimals, then every weight to `weightDigits` and the predictions to 5. Returns kerasm's losses
 * for the caller's own checks (that they move).
 */
export async function expectSameSgdFit(
  ours: km.LayersModel, theirs: tfl.LayersModel, x: Float32Array, shape: readonly number[], y: Int32Array, o: SgdFitOptions,
): Promise<number[]> {
  const loss = 'sparseCategoricalCrossentropy';
  ours.compile({ optimizer: km.optimizers.sgd({ learningRate: o.learningRate }), loss });
  theirs.compile({ optimizer: tf.train.sgd(o.learningRate), loss });
  const args = { epochs: o.epochs, batchSize: o.batchSize, shuffle: false, verbose: 0 as const };
  const ourLoss = (await ours.fit(km.tensor(x, [...shape]), km.tensor(y, [y.length], 'int32'), args)).history.loss;
  const theirLoss = (await theirs.fit(tf.tensor(x, [...shape]), tf.tensor(y, [y.length], 'float32'), args)).history.loss as number[];
  ourLoss.forEach((l, i) => expect(l).toBeCloseTo(theirLoss[i], 5));
  const theirWeights = theirs.getWeights();
  ours.getWeights().forEach((w, i) => w.dataSync().forEach((v, j) => expect(v).toBeCloseTo(theirWeights[i].dataSync()[j], o.weightDigits)));
  const theirPrediction = (theirs.predict(tf.tensor(x, [...shape])) as tf.Tensor).dataSync();
  ours.predict(km.tensor(x, [...shape])).dataSync().forEach((v, i) => expect(v).toBeCloseTo(theirPrediction[i], 5));
  return ourLoss;
}
