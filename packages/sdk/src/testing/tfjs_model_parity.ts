import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import * as km from '../index.js';

type Array32 = readonly [Float32Array, readonly number[]];

/** A functional model in both libraries, layers named alike, with its inputs and targets (values and shape). */
export interface ModelParityCase {
  ours: km.LayersModel;
  theirs: tfl.LayersModel;
  x: readonly Array32[];
  y: readonly Array32[];
  losses: readonly string[];
}

/**
 * Copies kerasm's weights into tfjs layer by layer (by name), checks every output's prediction
 * within 1e-5, then trains both with SGD (`learningRate`) for 3 epochs in batches of `batchSize`,
 * unshuffled: the losses must agree within `tolerance` and move, and every weight must end within it.
 */
export async function expectSameModelFit(c: ModelParityCase, { learningRate, batchSize, tolerance = 1e-4 }: { learningRate: number; batchSize: number; tolerance?: number }): Promise<void> {
  for (const layer of c.ours.layers) {
    const weights = layer.getWeights();
    if (weights.length > 0) c.theirs.getLayer(layer.name).setWeights(weights.map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  }
  const x = c.x.map(([v, s]) => km.tensor(v, [...s]));
  const tfX = c.x.map(([v, s]) => tf.tensor(v, [...s]));
  const listOf = <T>(p: T | T[]): T[] => (Array.isArray(p) ? p : [p]);
  const ourList = listOf(c.ours.predict(x));
  const theirList = listOf(c.theirs.predict(tfX) as tf.Tensor | tf.Tensor[]);
  expect(ourList.length).toBe(theirList.length);
  ourList.forEach((p, k) => {
    expect(p.shape).toEqual(theirList[k].shape);
    const expected = theirList[k].dataSync();
    p.dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
  });
  c.ours.compile({ optimizer: km.optimizers.sgd({ learningRate }), loss: c.losses as km.LossName[] });
  c.theirs.compile({ optimizer: tf.train.sgd(learningRate), loss: [...c.losses] });
  const args = { epochs: 3, batchSize, shuffle: false, verbose: 0 as const };
  const ourHistory = await c.ours.fit(x, c.y.map(([v, s]) => km.tensor(v, [...s])), args);
  const theirHistory = await c.theirs.fit(tfX, c.y.map(([v, s]) => tf.tensor(v, [...s])), args);
  ourHistory.history.loss.forEach((loss, i) => expect(Math.abs(loss - (theirHistory.history.loss[i] as number))).toBeLessThan(tolerance));
  expect(ourHistory.history.loss[2]).not.toBeCloseTo(ourHistory.history.loss[0], 3);
  for (const layer of c.ours.layers.filter((l) => l.getWeights().length > 0)) {
    const theirs = c.theirs.getLayer(layer.name).getWeights();
    layer.getWeights().forEach((w, i) => {
      const expected = theirs[i].dataSync();
      w.dataSync().forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThan(tolerance));
    });
  }
}
