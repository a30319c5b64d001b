import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import type * as km from '../index.js';

/**
 * Trains a compiled kerasm model and its compiled tfjs-layers twin (same starting weights) for
 * `steps` trainOnBatch calls on the same batch: the losses must agree within 1e-4 and move by more
 * than `minMove` (a loss that stayed put would say nothing about the gradients), and every weight
 * must end within `weightTolerance` of tfjs'.
 */
export async function expectSameTrainingSteps(
  ours: km.LayersModel, theirs: tfl.LayersModel, [x, y]: [km.Tensor, km.Tensor], [tfX, tfY]: [tf.Tensor, tf.Tensor],
  steps: number, { minMove, weightTolerance }: { minMove: number; weightTolerance: number },
): Promise<void> {
  const ourLosses: number[] = [];
  const theirLosses: number[] = [];
  for (let step = 0; step < steps; step++) {
    ourLosses.push(Number(await ours.trainOnBatch(x, y)));
    theirLosses.push(Number(await theirs.trainOnBatch(tfX, tfY)));
  }
  ourLosses.forEach((v, i) => expect(Math.abs(v - theirLosses[i])).toBeLessThan(1e-4));
  expect(Math.abs(theirLosses[steps - 1] - theirLosses[0])).toBeGreaterThan(minMove);
  const ourWeights = ours.getWeights();
  theirs.getWeights().forEach((w, i) => {
    const ref = w.dataSync();
    ourWeights[i].dataSync().forEach((v, j) => expect(Math.abs(v - ref[j])).toBeLessThan(weightTolerance));
  });
}
