// km.losses.X(labels, predictions, ...) and km.metrics.X(yTrue, yPred) are composed of km ops as
// tfjs composes tf.losses.X and tf.metrics.X, so km.grad differentiates them: their gradients with
// respect to the predictions against tf.grad of tfjs' own functions (CPU backend).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { drawn, oneHot } from '../testing/tensor_function_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Ours = (t: km.Tensor, p: km.Tensor) => km.Tensor;
type Theirs = (t: tf.Tensor, p: tf.Tensor) => tf.Tensor;

const weights = (shape: number[]) => drawn(shape, 'float32', () => 0.5);
const LOSSES: [string, Ours, Theirs][] = [
  ['absoluteDifference', (t, p) => km.losses.absoluteDifference(t, p), (t, p) => tf.losses.absoluteDifference(t, p)],
  ['meanSquaredError, weighted, MEAN', (t, p) => km.losses.meanSquaredError(t, p, weights([3, 1]).km, km.losses.Reduction.MEAN), (t, p) => tf.losses.meanSquaredError(t, p, weights([3, 1]).tf, tf.Reduction.MEAN)],
  ['hingeLoss, SUM', (t, p) => km.losses.hingeLoss(t, p, undefined, km.losses.Reduction.SUM), (t, p) => tf.losses.hingeLoss(t, p, undefined, tf.Reduction.SUM)],
  ['huberLoss (delta 0.5), NONE', (t, p) => km.losses.huberLoss(t, p, undefined, 0.5, km.losses.Reduction.NONE), (t, p) => tf.losses.huberLoss(t, p, undefined, 0.5, tf.Reduction.NONE)],
  ['logLoss', (t, p) => km.losses.logLoss(t, p), (t, p) => tf.losses.logLoss(t, p)],
  ['sigmoidCrossEntropy (smoothing 0.2)', (t, p) => km.losses.sigmoidCrossEntropy(t, p, undefined, 0.2), (t, p) => tf.losses.sigmoidCrossEntropy(t, p, undefined, 0.2)],
  ['softmaxCrossEntropy (smoothing 0.1)', (t, p) => km.losses.softmaxCrossEntropy(t, p, undefined, 0.1), (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0.1)],
  ['cosineDistance', (t, p) => km.losses.cosineDistance(t, p, 1), (t, p) => tf.losses.cosineDistance(t, p, 1)],
];
const METRICS: [string, Ours, Theirs][] = [
  ['binaryCrossentropy', (t, p) => km.metrics.binaryCrossentropy(t, p), (t, p) => tfl.metrics.binaryCrossentropy(t, p)],
  ['categoricalCrossentropy', (t, p) => km.metrics.categoricalCrossentropy(t, p), (t, p) => tfl.metrics.categoricalCrossentropy(t, p)],
  ['cosineProximity', (t, p) => km.metrics.cosineProximity(t, p), (t, p) => tfl.metrics.cosineProximity(t, p)],
  ['meanSquaredError', (t, p) => km.metrics.meanSquaredError(t, p), (t, p) => tfl.metrics.meanSquaredError(t, p)],
  ['meanAbsoluteError', (t, p) => km.metrics.meanAbsoluteError(t, p), (t, p) => tfl.metrics.meanAbsoluteError(t, p)],
  ['meanAbsolutePercentageError', (t, p) => km.metrics.meanAbsolutePercentageError(t, p), (t, p) => tfl.metrics.meanAbsolutePercentageError(t, p)],
];

describe('the tensor forms of km.losses and km.metrics pass gradients to the predictions', () => {
  it.each([...LOSSES, ...METRICS])("%s: km.grad equals tf.grad of tfjs' function", (_name, ours, theirs) => {
    const rng = new Random(5);
    const labels = oneHot(rng, [3, 4], 'float32');
    const predictions = drawn([3, 4], 'float32', () => rng.uniform(0.05, 0.95));
    const dy = (y: tf.Tensor) => drawn(y.shape, 'float32', () => rng.uniform(-1, 1));
    const cotangent = dy(theirs(labels.tf, predictions.tf));
    const mine = km.grad((p) => ours(labels.km, p))(predictions.km, cotangent.km).dataSync();
    const reference = tf.grad((p: tf.Tensor) => theirs(labels.tf, p))(predictions.tf, cotangent.tf).dataSync();
    expect(mine.length).toBe(reference.length);
    mine.forEach((v, i) => expect(Math.abs(v - reference[i]), `[${i}]: ${v} vs ${reference[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(reference[i]))));
    expect(Array.from(mine).some((v) => v !== 0)).toBe(true);
  });

  it('so a loss function built from one trains: km.losses.huberLoss in compile gives the built-in huber', async () => {
    const x = km.tensor([[0.5, -1], [1.5, 0.2], [-0.3, 0.8], [2, 1]]);
    const y = km.tensor([[1], [0.3], [-1], [4]]);
    const losses: number[][] = [];
    for (const loss of [(t: km.Tensor, p: km.Tensor) => km.losses.huberLoss(t, p), 'huber'] as const) {
      km.utils.setRandomSeed(3);
      const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss });
      losses.push((await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 })).history.loss as number[]);
    }
    losses[0].forEach((v, epoch) => expect(v).toBeCloseTo(losses[1][epoch], 5));
  });
});
