import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import type { Pair } from '../testing/tfjs_op_parity.js';
import { drawn, expectTfjsValue, oneHot, shapeOf } from '../testing/tensor_function_parity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const REDUCTIONS = [tf.Reduction.NONE, tf.Reduction.MEAN, tf.Reduction.SUM, tf.Reduction.SUM_BY_NONZERO_WEIGHTS];
const bit = (rng: Random) => () => (rng.next() < 0.5 ? 0 : 1);

type Weights = tf.Tensor | undefined;
interface LossCase {
  /** labels and predictions for `shape`. */
  data: (rng: Random, shape: number[]) => [Pair, Pair];
  /** The shape of the unreduced losses, which the weights broadcast against. */
  lossShape?: (shape: number[]) => number[];
  /** kerasm's and tfjs' calls with (labels, predictions, weights, reduction), and the option between weights and reduction. */
  ours: (t: km.Tensor, p: km.Tensor, w: km.Tensor | undefined, r: km.losses.Reduction | undefined, option?: number) => km.Tensor;
  theirs: (t: tf.Tensor, p: tf.Tensor, w: Weights, r: tf.Reduction | undefined, option?: number) => tf.Tensor;
  /** Values of the option to try, tfjs' default (undefined) among them. */
  options?: (number | undefined)[];
}

const real = (rng: Random, shape: number[]): [Pair, Pair] => [drawn(shape, 'float32', () => rng.normal() * 2), drawn(shape, 'float32', () => rng.normal() * 2)];

const CASES: Record<string, LossCase> = {
  absoluteDifference: { data: real, ours: (t, p, w, r) => km.losses.absoluteDifference(t, p, w, r), theirs: (t, p, w, r) => tf.losses.absoluteDifference(t, p, w, r) },
  meanSquaredError: { data: real, ours: (t, p, w, r) => km.losses.meanSquaredError(t, p, w, r), theirs: (t, p, w, r) => tf.losses.meanSquaredError(t, p, w, r) },
  hingeLoss: {
    data: (rng, shape) => [drawn(shape, rng.next() < 0.5 ? 'int32' : 'float32', bit(rng)), drawn(shape, 'float32', () => rng.normal())],
    ours: (t, p, w, r) => km.losses.hingeLoss(t, p, w, r), theirs: (t, p, w, r) => tf.losses.hingeLoss(t, p, w, r),
  },
  huberLoss: {
    data: real, options: [undefined, 0.5, 2.5],
    ours: (t, p, w, r, d) => km.losses.huberLoss(t, p, w, d, r), theirs: (t, p, w, r, d) => tf.losses.huberLoss(t, p, w, d, r),
  },
  // Probabilities at 0 and 1 exactly: tfjs adds ε inside the logarithms, clipping nothing.
  logLoss: {
    data: (rng, shape) => [drawn(shape, 'float32', rng.next() < 0.5 ? bit(rng) : () => rng.next()), drawn(shape, 'float32', () => (rng.next() < 0.15 ? Math.round(rng.next()) : rng.next()))],
    options: [undefined, 1e-4, 0],
    ours: (t, p, w, r, e) => km.losses.logLoss(t, p, w, e, r), theirs: (t, p, w, r, e) => tf.losses.logLoss(t, p, w, e, r),
  },
  sigmoidCrossEntropy: {
    data: (rng, shape) => [drawn(shape, rng.next() < 0.5 ? 'int32' : 'float32', bit(rng)), drawn(shape, 'float32', () => rng.normal() * 4)],
    options: [undefined, 0.2],
    ours: (t, p, w, r, s) => km.losses.sigmoidCrossEntropy(t, p, w, s, r), theirs: (t, p, w, r, s) => tf.losses.sigmoidCrossEntropy(t, p, w, s, r),
  },
  // One loss per row; smoothing divides by the size of axis 1, as in tfjs.
  softmaxCrossEntropy: {
    data: (rng, shape) => [oneHot(rng, shape, rng.next() < 0.5 ? 'int32' : 'float32'), drawn(shape, 'float32', () => rng.normal() * 4)],
    lossShape: (shape) => shape.slice(0, -1),
    options: [undefined, 0.1],
    ours: (t, p, w, r, s) => km.losses.softmaxCrossEntropy(t, p, w, s, r), theirs: (t, p, w, r, s) => tf.losses.softmaxCrossEntropy(t, p, w, s, r),
  },
};

/** Weights for losses of `shape`: none, the same shape, one per sample (size 1 on the other axes), a scalar; some 0. */
function weightShapes(shape: number[]): (number[] | null)[] {
  return [null, shape, shape.map((d, i) => (i === 0 ? d : 1)), []];
}

describe("km.losses.X(labels, predictions, weights?, ..., reduction?) gives tfjs-core 4.22's tf.losses.X: shape, dtype and values", () => {
  it('covers every tf.losses function that takes labels and predictions', () => {
    const others = ['computeWeightedLoss', 'cosineDistance']; // weighted_losses.test.ts
    expect(Object.keys(tf.losses).filter((name) => !(name in CASES) && !others.includes(name))).toEqual([]);
  });

  it.each(Object.keys(CASES))('%s: each reduction, weights form and option, on random shapes of rank 1 to 3', (name) => {
    const c = CASES[name];
    const rng = new Random(name.length * 104729 + name.charCodeAt(2));
    for (const option of c.options ?? [undefined]) {
      for (let trial = 0; trial < 3; trial++) {
        const rank = (name === 'softmaxCrossEntropy' ? 2 : 1) + trial;
        const shape = shapeOf(rng, Math.min(rank, 3), 4);
        const [t, p] = c.data(rng, shape);
        const lossShape = c.lossShape?.(shape) ?? shape;
        for (const weightShape of weightShapes(lossShape)) {
          const w = weightShape && drawn(weightShape, 'float32', () => (rng.next() < 0.3 ? 0 : rng.uniform(0, 2)));
          for (const reduction of [undefined, ...REDUCTIONS]) {
            const what = `${name} [${shape.join(', ')}] ${t.km.dtype} weights ${weightShape ? `[${weightShape.join(', ')}]` : 'none'} reduction ${reduction} option ${option}`;
            expectTfjsValue(c.ours(t.km, p.km, w?.km, reduction, option), c.theirs(t.tf, p.tf, w?.tf, reduction, option), what);
          }
        }
      }
    }
  });

  it('int32 labels and predictions keep tfjs dtypes: int32 unreduced and summed, integer MEAN with int32 weights', () => {
    const rng = new Random(11);
    for (const name of ['absoluteDifference', 'meanSquaredError'] as const) {
      const [t, p] = [drawn([4, 3], 'int32', () => Math.round(rng.normal() * 4)), drawn([4, 3], 'int32', () => Math.round(rng.normal() * 4))];
      for (const weights of [undefined, drawn([4, 1], 'int32', () => Math.floor(rng.uniform(0, 3))), drawn([4, 3], 'int32', () => Math.floor(rng.uniform(0, 3))), drawn([4, 1], 'float32', () => rng.next())]) {
        for (const reduction of [undefined, ...REDUCTIONS]) {
          const [ours, theirs] = [km.losses[name] as typeof km.losses.meanSquaredError, tf.losses[name] as typeof tf.losses.meanSquaredError];
          expectTfjsValue(ours(t.km, p.km, weights?.km, reduction), theirs(t.tf, p.tf, weights?.tf, reduction), `${name} int32, weights ${weights?.km.dtype ?? 'none'} [${weights?.km.shape ?? ''}], reduction ${reduction}`);
        }
      }
    }
  });

  it('an axis of size 0 gives tfjs\' shapes and values', () => {
    for (const shape of [[0, 3], [3, 0]]) {
      for (const [name, c] of Object.entries(CASES)) {
        for (const reduction of [undefined, ...REDUCTIONS]) {
          expectTfjsValue(c.ours(km.zeros(shape), km.zeros(shape), undefined, reduction), c.theirs(tf.zeros(shape), tf.zeros(shape), undefined, reduction), `${name} [${shape.join(', ')}] reduction ${reduction}`);
        }
      }
    }
  });

  it('nested arrays work as tensors, as tfjs takes them', () => {
    expectTfjsValue(km.losses.meanSquaredError([[0, 1], [3, 4]], [[0, 1], [-3, -4]]), tf.losses.meanSquaredError([[0, 1], [3, 4]], [[0, 1], [-3, -4]]), 'mse of arrays');
    expect(Array.from(km.losses.meanSquaredError([[0, 1], [3, 4]], [[0, 1], [-3, -4]]).dataSync())).toEqual([25]);
    expectTfjsValue(km.losses.softmaxCrossEntropy([[0, 1]], [[0, 0]], [2]), tf.losses.softmaxCrossEntropy([[0, 1]], [[0, 0]], [2]), 'softmax of arrays');
  });

  it('types each form exactly', () => {
    const t = km.tensor([[0, 1]]);
    expectTypeOf(km.losses.meanSquaredError(t, t)).toEqualTypeOf<km.Tensor>();
    expectTypeOf(km.losses.huberLoss(t, t, null, 2, km.losses.Reduction.SUM)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.losses.softmaxCrossEntropy(t, [[1, 2]], undefined, 0.1)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.losses.meanSquaredError()).toEqualTypeOf<km.losses.Loss>();
    expectTypeOf(km.losses.huberLoss({ delta: 2 })).toEqualTypeOf<km.losses.Loss>();
    expectTypeOf(km.losses.logLoss({ labelSmoothing: 0.1 })).toEqualTypeOf<km.losses.Loss>();
  });
});

describe('km.losses on tensors refuses bad input, saying what to pass', () => {
  const t = km.tensor([[0, 1, 0], [1, 0, 0]]);

  it('mismatched shapes, weights that do not broadcast, an unknown reduction, bad options, one tensor', () => {
    expect(() => km.losses.meanSquaredError(t, km.zeros([3, 2]))).toThrow(/km\.losses\.meanSquaredError: labels and predictions must have the same shape\. Received: labels \[2, 3\], predictions \[3, 2\]\. They hold as many values: reshape one/);
    expect(() => km.losses.softmaxCrossEntropy(t, km.zeros([2, 4]))).toThrow(/onehotLabels and logits must have the same shape/);
    expect(() => km.losses.absoluteDifference(t, t, km.ones([3, 1]))).toThrow(/km\.losses\.absoluteDifference: weights of shape \[3, 1\] do not broadcast against losses of shape \[2, 3\].*e\.g\. \[2, 1\] for one weight per sample/);
    expect(() => km.losses.hingeLoss(t, t, null, 'mean' as never)).toThrow(/km\.losses\.hingeLoss: reduction must be one of km\.losses\.Reduction's values.*Reduction\.MEAN/);
    expect(() => km.losses.huberLoss(t, t, undefined, -1)).toThrow(/km\.losses\.huberLoss: delta must be a finite number > 0 \(default 1\)\. Received: delta=-1\. It is tfjs' positional argument after weights/);
    expect(() => km.losses.sigmoidCrossEntropy(t, t, undefined, 2)).toThrow(/labelSmoothing must be in \[0, 1\]/);
    expect(() => km.losses.logLoss(t as never)).toThrow(/km\.losses\.logLoss\(labels, predictions\) computes on two tensors, but received only labels/);
    expect(() => km.losses.softmaxCrossEntropy(km.tensor(1), km.tensor(2))).toThrow(/are scalars, but the loss takes a softmax over their last axis/);
  });

  it('a factory with no tensor form says so and lists those that compute on tensors', () => {
    for (const fn of [km.losses.meanAbsoluteError, km.losses.binaryCrossentropy, km.losses.huber, km.losses.ctc, km.losses.dice] as ((...a: unknown[]) => unknown)[]) {
      expect(() => fn(t, t)).toThrow(/^km\.losses\.\w+ was called with a tensor.*no tensor form.*compute on tensors, as tfjs' do, are absoluteDifference, computeWeightedLoss, cosineDistance, hingeLoss, huberLoss, logLoss, meanSquaredError, sigmoidCrossEntropy, softmaxCrossEntropy\. /);
    }
  });
});

describe('the factory form is unchanged next to the tensor form', () => {
  it('with options or nothing they make the losses they made, which compile and evaluate to tfjs-core values', async () => {
    expect(km.losses.absoluteDifference()).toBe(km.losses.meanAbsoluteError());
    expect(km.losses.hingeLoss()).toBe(km.losses.hinge());
    expect(km.losses.logLoss()).toBe(km.losses.binaryCrossentropy());
    expect(km.losses.huberLoss({ delta: 0.5 }).savedAs).toEqual(km.losses.huber({ delta: 0.5 }).savedAs);
    expect(km.losses.softmaxCrossEntropy({ labelSmoothing: 0.1 }).savedAs).toEqual({ className: 'CategoricalCrossentropy', config: { fromLogits: true, labelSmoothing: 0.1 } });
    expect(() => km.losses.hingeLoss({ delta: 1 } as never)).toThrow(/km\.losses\.hingeLoss takes no options\. Received: delta/);

    const rng = new Random(5);
    const x = km.tensor(Array.from({ length: 6 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]));
    const y = km.tensor(Array.from({ length: 6 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]));
    // Keras' per-sample means over the last axis, averaged, are the mean of all values for rows of one length.
    const forms = [
      [km.losses.meanSquaredError(), km.losses.meanSquaredError],
      [km.losses.absoluteDifference(), km.losses.absoluteDifference],
      [km.losses.huberLoss(), km.losses.huberLoss],
    ] as const;
    for (const [loss, onTensors] of forms) {
      const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2] })]);
      model.compile({ optimizer: 'sgd', loss });
      const [value] = await model.evaluate(x, y, { verbose: 0, batchSize: 6 });
      const yPred = model.predict(x) as km.Tensor;
      expect(value, loss.name).toBeCloseTo((onTensors as typeof km.losses.meanSquaredError)(y, yPred).dataSync()[0], 5);
    }
  });
});
