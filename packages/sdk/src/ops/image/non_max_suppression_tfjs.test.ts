// km.image's nonMaxSuppression family against tfjs-core 4.22 (CPU backend): random boxes with many
// overlaps, tied scores, every threshold, Soft-NMS and padding, sync and async; and the errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../index.js';
import { Tensor } from '../../tensor.js';
import { expectSameAsTfjs, pairOf, type Pair } from '../../testing/tfjs_op_parity.js';
import { Random } from '../../utils/random.js';
import * as nms from './non_max_suppression.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Boxes clustered in a small square (many overlaps), corners in either order, a few with no area. */
function randomBoxes(rng: Random, n: number): Pair {
  const values = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const [y, x] = [rng.next() * 2, rng.next() * 2];
    const [h, w] = rng.next() < 0.1 ? [0, rng.next()] : [rng.next() * 1.5, rng.next() * 1.5];
    const box = rng.next() < 0.3 ? [y + h, x + w, y, x] : [y, x, y + h, x + w];
    values.set(box, 4 * i);
  }
  return pairOf(values, [n, 4]);
}

/** Scores from a few levels, so that many tie. */
function tiedScores(rng: Random, n: number): Pair {
  return pairOf(Float32Array.from({ length: n }, () => Math.floor(rng.next() * 5) / 4), [n]);
}

const SETTINGS: readonly [number, number, number][] = [
  // [maxOutputSize, iouThreshold, scoreThreshold]
  [5, 0.5, Number.NEGATIVE_INFINITY], [100, 0.5, 0.25], [3, 0, 0], [20, 1, 0.5], [0, 0.5, 0], [10, 0.3, 0.75], [7, 0.7, -1],
];

describe('km.image.nonMaxSuppression* match tfjs-core 4.22', () => {
  it('nonMaxSuppression, sync and async: indices for ties, thresholds and sizes', async () => {
    const rng = new Random(11);
    for (const n of [1, 6, 13, 40]) {
      const boxes = randomBoxes(rng, n);
      const scores = tiedScores(rng, n);
      for (const [max, iou, score] of SETTINGS) {
        const what = `n=${n} max=${max} iou=${iou} score=${score}`;
        expectSameAsTfjs(nms.nonMaxSuppression(boxes.km, scores.km, max, iou, score), tf.image.nonMaxSuppression(boxes.tf as tf.Tensor2D, scores.tf as tf.Tensor1D, max, iou, score), what);
        expectSameAsTfjs(await nms.nonMaxSuppressionAsync(boxes.km, scores.km, max, iou, score), await tf.image.nonMaxSuppressionAsync(boxes.tf as tf.Tensor2D, scores.tf as tf.Tensor1D, max, iou, score), `async ${what}`);
      }
    }
  });

  it('nonMaxSuppression with default thresholds', () => {
    const rng = new Random(12);
    const boxes = randomBoxes(rng, 9);
    const scores = tiedScores(rng, 9);
    expectSameAsTfjs(nms.nonMaxSuppression(boxes.km, scores.km, 4), tf.image.nonMaxSuppression(boxes.tf as tf.Tensor2D, scores.tf as tf.Tensor1D, 4), 'defaults');
  });

  it('nonMaxSuppressionWithScore, sync and async: Soft-NMS scores for several sigmas', async () => {
    const rng = new Random(13);
    for (const n of [1, 8, 25]) {
      const boxes = randomBoxes(rng, n);
      const scores = pairOf(Float32Array.from({ length: n }, () => (rng.next() < 0.3 ? 0.5 : rng.next())), [n]);
      for (const [max, iou, score] of SETTINGS) {
        for (const sigma of [0, 0.1, 0.5, 1]) {
          const what = `n=${n} max=${max} iou=${iou} score=${score} sigma=${sigma}`;
          const ours = nms.nonMaxSuppressionWithScore(boxes.km, scores.km, max, iou, score, sigma);
          const theirs = tf.image.nonMaxSuppressionWithScore(boxes.tf as tf.Tensor2D, scores.tf as tf.Tensor1D, max, iou, score, sigma);
          expectSameAsTfjs(ours.selectedIndices, theirs.selectedIndices, `${what}: indices`);
          expectSameAsTfjs(ours.selectedScores, theirs.selectedScores, `${what}: scores`);
          const oursAsync = await nms.nonMaxSuppressionWithScoreAsync(boxes.km, scores.km, max, iou, score, sigma);
          const theirsAsync = await tf.image.nonMaxSuppressionWithScoreAsync(boxes.tf as tf.Tensor2D, scores.tf as tf.Tensor1D, max, iou, score, sigma);
          expectSameAsTfjs(oursAsync.selectedIndices, theirsAsync.selectedIndices, `async ${what}: indices`);
          expectSameAsTfjs(oursAsync.selectedScores, theirsAsync.selectedScores, `async ${what}: scores`);
        }
      }
    }
  });

  it('nonMaxSuppressionPadded, sync and async: padding to min(maxOutputSize, numBoxes) and the valid count', async () => {
    const rng = new Random(14);
    for (const n of [3, 12]) {
      const boxes = randomBoxes(rng, n);
      const scores = tiedScores(rng, n);
      for (const [max, iou, score] of SETTINGS) {
        for (const pad of [false, true]) {
          const what = `n=${n} max=${max} iou=${iou} score=${score} pad=${pad}`;
          const ours = nms.nonMaxSuppressionPadded(boxes.km, scores.km, max, iou, score, pad);
          const theirs = tf.image.nonMaxSuppressionPadded(boxes.tf as tf.Tensor2D, scores.tf as tf.Tensor1D, max, iou, score, pad);
          expectSameAsTfjs(ours.selectedIndices, theirs.selectedIndices, `${what}: indices`);
          expectSameAsTfjs(ours.validOutputs, theirs.validOutputs, `${what}: validOutputs`);
          const oursAsync = await nms.nonMaxSuppressionPaddedAsync(boxes.km, scores.km, max, iou, score, pad);
          const theirsAsync = await tf.image.nonMaxSuppressionPaddedAsync(boxes.tf as tf.Tensor2D, scores.tf as tf.Tensor1D, max, iou, score, pad);
          expectSameAsTfjs(oursAsync.selectedIndices, theirsAsync.selectedIndices, `async ${what}: indices`);
          expectSameAsTfjs(oursAsync.validOutputs, theirsAsync.validOutputs, `async ${what}: validOutputs`);
        }
      }
    }
  });

  it('bad input names the problem and the fix', async () => {
    const boxes = new Tensor(Float32Array.of(0, 0, 1, 1, 0, 0, 2, 2), [2, 4], 'float32');
    const scores = new Tensor(Float32Array.of(0.5, 0.7), [2], 'float32');
    expect(() => nms.nonMaxSuppression(boxes.reshape([8]), scores, 1)).toThrow(/boxes must be \[numBoxes, 4\].*Received: boxes\.shape=\[8\]/);
    expect(() => nms.nonMaxSuppression(boxes.reshape([4, 2]), scores, 1)).toThrow(/Received: boxes\.shape=\[4, 2\]/);
    expect(() => nms.nonMaxSuppression(boxes, scores.reshape([2, 1]), 1)).toThrow(/scores must be \[numBoxes\] = \[2\], one score per box\. Received: scores\.shape=\[2, 1\]/);
    expect(() => nms.nonMaxSuppression(boxes, scores, -1)).toThrow(/maxOutputSize must be a non-negative integer.*Received: maxOutputSize=-1/);
    expect(() => nms.nonMaxSuppression(boxes, scores, 1, 1.5)).toThrow(/iouThreshold must be a number in \[0, 1\].*Received: iouThreshold=1\.5/);
    expect(() => nms.nonMaxSuppression(boxes, scores, 1, 0.5, NaN)).toThrow(/scoreThreshold must be a number/);
    expect(() => nms.nonMaxSuppressionWithScore(boxes, scores, 1, 0.5, 0, 2)).toThrow(/softNmsSigma must be a number in \[0, 1\] \(0 for plain NMS\)\. Received: softNmsSigma=2/);
    await expect(nms.nonMaxSuppressionPaddedAsync(boxes, scores, 1.5)).rejects.toThrow(/km\.image\.nonMaxSuppressionPaddedAsync\(\): maxOutputSize must be a non-negative integer/);
  });

  it('is reachable as km.image.* from the package entry', () => {
    for (const name of ['nonMaxSuppression', 'nonMaxSuppressionAsync', 'nonMaxSuppressionWithScore', 'nonMaxSuppressionWithScoreAsync', 'nonMaxSuppressionPadded', 'nonMaxSuppressionPaddedAsync'] as const) {
      expect(sdk.image[name], name).toBe(nms[name]);
    }
  });
});
