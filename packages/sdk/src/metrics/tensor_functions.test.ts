import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
// tfjs' r2Score calls chained tensor methods, which the union package registers and tfjs-core alone does not.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import type { DType } from '../tensor.js';
import type { Pair } from '../testing/tfjs_op_parity.js';
import { drawn, expectTfjsValue, oneHot, shapeOf } from '../testing/tensor_function_parity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type TfjsName = keyof typeof tfl.metrics;
const dtypeOf = (rng: Random): DType => (rng.next() < 0.5 ? 'int32' : 'float32');
const bit = (rng: Random) => () => (rng.next() < 0.5 ? 0 : 1);

/** yTrue and yPred for a metric, drawn for `shape` (rank ≥ 1), with the edge values each one has. */
const DATA: Record<string, (rng: Random, shape: number[]) => [Pair, Pair]> = {
  // Outputs exactly at the 0.5 threshold count as 0; 0/1 outputs may be int32.
  binaryAccuracy: (rng, shape) => [drawn(shape, dtypeOf(rng), bit(rng)), rng.next() < 0.2 ? drawn(shape, 'int32', bit(rng)) : drawn(shape, 'float32', () => (rng.next() < 0.2 ? 0.5 : rng.next()))],
  // Small integer scores tie often: the first of the tied classes is the argmax.
  categoricalAccuracy: (rng, shape) => [oneHot(rng, shape, dtypeOf(rng)), drawn(shape, dtypeOf(rng), () => Math.floor(rng.uniform(0, 3)))],
  precision: (rng, shape) => [drawn(shape, dtypeOf(rng), bit(rng)), rng.next() < 0.2 ? drawn(shape, 'float32', () => 0) : drawn(shape, dtypeOf(rng), bit(rng))],
  // Soft or 0/1 targets; outputs at 0 and 1 exactly are clipped to ε and 1 − ε.
  binaryCrossentropy: (rng, shape) => [drawn(shape, 'float32', rng.next() < 0.5 ? bit(rng) : () => rng.next()), drawn(shape, 'float32', () => (rng.next() < 0.15 ? Math.round(rng.next()) : rng.next()))],
  // Unnormalised outputs (each row is divided by its sum), some zero.
  categoricalCrossentropy: (rng, shape) => [rng.next() < 0.5 ? oneHot(rng, shape, dtypeOf(rng)) : drawn(shape, 'float32', () => rng.next()), drawn(shape, 'float32', () => (rng.next() < 0.15 ? 0 : rng.uniform(0, 2)))],
  // A row of zeros has its norm floored at √ε.
  cosineProximity: (rng, shape) => [drawn(shape, dtypeOf(rng), () => Math.round(rng.normal() * 2)), drawn(shape, 'float32', () => (rng.next() < 0.3 ? 0 : rng.normal()))],
  meanSquaredError: (rng, shape) => [drawn(shape, dtypeOf(rng), () => Math.round(rng.normal() * 4)), drawn(shape, dtypeOf(rng), () => Math.round(rng.normal() * 4) + (rng.next() < 0.5 ? 0 : 0.3))],
  // Zero targets divide by ε (float32 yTrue) or by 0 (int32 yTrue, as in tfjs); int32 pairs divide as integers.
  meanAbsolutePercentageError: (rng, shape) => [drawn(shape, dtypeOf(rng), () => Math.round(rng.normal() * 3)), drawn(shape, dtypeOf(rng), () => Math.round(rng.normal() * 3) + (rng.next() < 0.5 ? 0 : 0.7))],
  r2Score: (rng, shape) => {
    const constant = rng.next() < 0.15;
    return [drawn(shape, dtypeOf(rng), () => (constant ? 2 : Math.round(rng.normal() * 5))), drawn(shape, dtypeOf(rng), () => Math.round(rng.normal() * 5))];
  },
};
DATA.recall = DATA.precision;
DATA.meanAbsoluteError = DATA.meanSquaredError;
for (const alias of ['mse', 'MSE'] as const) DATA[alias] = DATA.meanSquaredError;
for (const alias of ['mape', 'MAPE'] as const) DATA[alias] = DATA.meanAbsolutePercentageError;

/** Integer labels of yPred's rows, shaped [...] or [..., 1], int32 or float32, with yPred. */
function sparseData(rng: Random, shape: number[]): [Pair, Pair] {
  const classes = shape[shape.length - 1];
  const labelShape = rng.next() < 0.5 ? [...shape.slice(0, -1), 1] : shape.slice(0, -1);
  return [drawn(labelShape, dtypeOf(rng), () => Math.floor(rng.next() * classes)), drawn(shape, dtypeOf(rng), () => Math.floor(rng.uniform(0, 3)))];
}

describe("km.metrics.X(yTrue, yPred) gives tfjs-layers 4.22's tf.metrics.X: shape, dtype and values", () => {
  const names = Object.keys(tfl.metrics) as TfjsName[];

  it('covers every tf.metrics function', () => {
    expect(names.filter((name) => !(name in DATA) && name !== 'sparseCategoricalAccuracy')).toEqual([]);
  });

  it.each(names)('%s on random shapes of rank 1 to 4 (rank 0 too for precision, recall and r2Score)', (name) => {
    const rng = new Random(name.length * 7919 + name.charCodeAt(0));
    const scalarToo = name === 'precision' || name === 'recall' || name === 'r2Score';
    for (let trial = 0; trial < 24; trial++) {
      const rank = scalarToo && trial === 0 ? 0 : 1 + (trial % 4);
      const shape = shapeOf(rng, rank);
      const [yTrue, yPred] = name === 'sparseCategoricalAccuracy' ? sparseData(rng, shape) : DATA[name](rng, shape);
      const ours = (km.metrics[name] as (t: km.Tensor, p: km.Tensor) => km.Tensor)(yTrue.km, yPred.km);
      const theirs = tfl.metrics[name](yTrue.tf, yPred.tf);
      expectTfjsValue(ours, theirs, `${name} [${shape.join(', ')}] ${yTrue.km.dtype}/${yPred.km.dtype} trial ${trial}`);
    }
  });

  it("Keras' mae and MAE compute tfjs-layers' meanAbsoluteError, and nested arrays work as tensors", () => {
    const [t, p] = [[[0, 1], [2, 3]], [[0.5, 1], [-2, 3.25]]];
    for (const fn of [km.metrics.mae, km.metrics.MAE]) expectTfjsValue(fn(t, p), tfl.metrics.meanAbsoluteError(tf.tensor(t), tf.tensor(p)), 'mae');
    expectTfjsValue(km.metrics.binaryAccuracy([1, 0, 1], [0.9, 0.2, 0.4]), tfl.metrics.binaryAccuracy(tf.tensor([1, 0, 1]), tf.tensor([0.9, 0.2, 0.4])), 'binaryAccuracy of arrays');
    expect(Array.from(km.metrics.binaryAccuracy([1, 0, 1], [0.9, 0.2, 0.4]).dataSync())).toEqual([Math.fround(2 / 3)]);
  });

  it('an axis of size 0 gives tfjs\' shapes and values (no samples, or no values per sample)', () => {
    for (const shape of [[0, 3], [3, 0]]) {
      for (const name of Object.keys(tfl.metrics) as TfjsName[]) {
        if (name === 'sparseCategoricalAccuracy') continue;
        const ours = (km.metrics[name] as (t: km.Tensor, p: km.Tensor) => km.Tensor)(km.zeros(shape), km.zeros(shape));
        expectTfjsValue(ours, tfl.metrics[name](tf.zeros(shape), tf.zeros(shape)), `${name} [${shape.join(', ')}]`);
      }
    }
  });

  it('types each form exactly', () => {
    const t = km.tensor([[0, 1]]);
    expectTypeOf(km.metrics.binaryAccuracy(t, t)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.metrics.precision(t, [[1, 0]])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.metrics.binaryAccuracy({ threshold: 0.7 })).toEqualTypeOf<km.metrics.Metric>();
    expectTypeOf(km.metrics.mse()).toEqualTypeOf<km.metrics.Metric>();
    expectTypeOf(km.metrics.r2Score({ classAggregation: 'variance_weighted_average' })).toEqualTypeOf<km.metrics.Metric>();
  });
});

describe('km.metrics on tensors refuses what tfjs would broadcast or misread, saying what to pass', () => {
  const t = km.tensor([[0, 1, 0], [1, 0, 0]]);

  it('mismatched shapes, labels out of range, probabilities to precision, a scalar, one tensor, a tfjs tensor', () => {
    expect(() => km.metrics.binaryAccuracy(t, km.zeros([3, 2]))).toThrow(/km\.metrics\.binaryAccuracy: yTrue and yPred must have the same shape\. Received: yTrue \[2, 3\], yPred \[3, 2\]\. They hold as many values: reshape one, e\.g\. yTrue\.reshape\(\[3, 2\]\)/);
    expect(() => km.metrics.meanSquaredError(t, km.zeros([2, 1]))).toThrow(/same shape\..*Pass one yTrue value for each yPred value/);
    expect(() => km.metrics.sparseCategoricalAccuracy(km.tensor([0, 3]), t)).toThrow(/integers in \[0, 3\) for yPred's 3 classes; it holds 3 at index 1/);
    expect(() => km.metrics.sparseCategoricalAccuracy(km.tensor([0.5, 1]), t)).toThrow(/it holds 0\.5 at index 0/);
    expect(() => km.metrics.sparseCategoricalAccuracy(km.tensor([0, 1, 2]), t)).toThrow(/shape must be yPred's without the last axis \(\[2\], or \[2, 1\]\)\. Received: yTrue \[3\].*categoricalAccuracy/);
    expect(() => km.metrics.precision(t, km.tensor([[0.7, 0, 1], [1, 0, 0]]))).toThrow(/must hold 0s and 1s; yPred holds 0\.7 at index 0\. Threshold probabilities first.*km\.metrics\.precision\(\{ thresholds: 0\.5 \}\)/);
    expect(() => km.metrics.binaryAccuracy(km.tensor(1), km.tensor(1))).toThrow(/yTrue is a scalar, but this reduces over the last axis/);
    expect(() => km.metrics.binaryAccuracy(t as never)).toThrow(/km\.metrics\.binaryAccuracy\(yTrue, yPred\) computes on two tensors, but received only yTrue.*km\.metrics\.binaryAccuracy\(\) with no tensors/);
    expect(() => km.metrics.categoricalAccuracy(tf.tensor([[1, 0]]) as never, tf.tensor([[1, 0]]) as never)).toThrow(/km\.metrics\.categoricalAccuracy: yTrue is a TensorFlow\.js tensor.*km\.tensor\(await t\.data\(\), t\.shape\)/);
    expect(() => km.metrics.recall(t, { name: 'r' } as never)).toThrow(/recall: yPred must be a km\.Tensor, a number or nested arrays.*Received: an object with keys \[name\]/);
  });

  it('a factory with no tensor form (Keras-only, or none in tf.metrics) says so and lists those that compute on tensors', () => {
    for (const fn of [km.metrics.auc, km.metrics.topKCategoricalAccuracy, km.metrics.sparseCategoricalCrossentropy, km.metrics.hinge] as ((...a: unknown[]) => unknown)[]) {
      expect(() => fn(t, t)).toThrow(/^km\.metrics\.\w+ was called with a tensor, as tf\.metrics functions are \(yTrue, yPred\), but it has no tensor form.*compute on tensors, as tfjs' do, are binaryAccuracy, .*r2Score, confusionMatrix\. .*model\.evaluate\(x, yTrue\)/);
    }
  });
});

describe('the factory form is unchanged next to the tensor form', () => {
  it("compile + evaluate with the factories logs the batch mean of their tensor forms' values", async () => {
    const rng = new Random(3);
    const x = km.tensor(Array.from({ length: 8 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)]));
    const y = km.tensor(Array.from({ length: 8 }, () => [rng.next() < 0.5 ? 0 : 1, rng.next() < 0.5 ? 0 : 1]));
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3], activation: 'sigmoid' })]);
    model.compile({ optimizer: 'sgd', loss: km.losses.meanSquaredError(), metrics: [km.metrics.binaryAccuracy(), km.metrics.mse(), km.metrics.binaryCrossentropy(), km.metrics.cosineProximity()] });
    const logs = await model.evaluate(x, y, { verbose: 0, returnDict: true, batchSize: 8 });
    const yPred = model.predict(x) as km.Tensor;
    const batchMean = (t: km.Tensor) => km.mean(t).dataSync()[0];
    expect(Object.keys(logs)).toEqual(['loss', 'binary_accuracy', 'mean_squared_error', 'binary_crossentropy', 'cosine_proximity']);
    expect(logs.loss).toBeCloseTo(km.losses.meanSquaredError(y, yPred).dataSync()[0], 5);
    expect(logs.binary_accuracy).toBeCloseTo(batchMean(km.metrics.binaryAccuracy(y, yPred)), 6);
    expect(logs.mean_squared_error).toBeCloseTo(batchMean(km.metrics.mse(y, yPred)), 5);
    expect(logs.binary_crossentropy).toBeCloseTo(batchMean(km.metrics.binaryCrossentropy(y, yPred)), 4);
    expect(logs.cosine_proximity).toBeCloseTo(batchMean(km.metrics.cosineProximity(y, yPred)), 5);
  });

  it('options and no arguments still make metrics; an unknown option is still refused', () => {
    expect(km.metrics.binaryAccuracy({ threshold: 0.7, name: 'acc' }).name).toBe('acc');
    expect(km.metrics.precision().name).toBe('precision');
    expect(km.metrics.r2Score({ name: 'r2' }).name).toBe('r2');
    expect(() => km.metrics.binaryAccuracy({ treshold: 0.7 } as never)).toThrow(/has no option 'treshold'; did you mean 'threshold'/);
  });
});
