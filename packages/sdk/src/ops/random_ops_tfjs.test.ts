// randomStandardNormal, randomUniformInt, rand, randomGamma, multinomial and dropout against
// tfjs-core 4.22 (CPU backend). kerasm draws from its own seeded generator, so the draws cannot equal
// tfjs': shapes and dtypes are compared with tfjs', the draws statistically (moments and frequencies
// within 5 standard errors of the sample size, ranges, integer values), and seeds for repeatability.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmPublic from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 20000;

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

/** Expects a frequency of `count` in `n` draws within 5 standard errors of probability `p`. */
function expectFrequency(count: number, n: number, p: number, what: string): void {
  expect(Math.abs(count / n - p), `${what}: ${count / n} against ${p}`).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
}

function expectSameShapeAndDtype(ours: Tensor, theirs: tf.Tensor, what: string): void {
  expect({ what, shape: [...ours.shape], dtype: ours.dtype }).toEqual({ what, shape: theirs.shape, dtype: theirs.dtype });
  theirs.dispose();
}

describe('random ops: tfjs-core 4.22 shapes and dtypes, kerasm draws', () => {
  it('randomStandardNormal: mean 0 and variance 1, rounded int32, repeatable by seed', () => {
    expectSameShapeAndDtype(km.randomStandardNormal([2, 3]), tf.randomStandardNormal([2, 3]), 'float32');
    expectSameShapeAndDtype(km.randomStandardNormal([4], 'int32'), tf.randomStandardNormal([4], 'int32'), 'int32');
    const { mean, variance } = moments(km.randomStandardNormal([N], 'float32', 1).dataSync());
    expect(Math.abs(mean)).toBeLessThanOrEqual(5 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThanOrEqual(5 * Math.sqrt(2 / N));
    const ints = km.randomStandardNormal([1000], 'int32', 2).dataSync();
    expect(ints.every((v) => Number.isInteger(v))).toBe(true);
    expectFrequency(ints.filter((v) => v === 0).length, 1000, 0.3829, 'round(z) = 0 for |z| < 0.5');
    expect(km.randomStandardNormal([5], 'float32', 7).arraySync()).toEqual(km.randomStandardNormal([5], 'float32', 7).arraySync());
    expect(km.randomStandardNormal([5], 'float32', 7).arraySync()).not.toEqual(km.randomStandardNormal([5], 'float32', 8).arraySync());
    expect(() => km.randomStandardNormal([2], 'bool' as 'int32')).toThrow(/km\.randomStandardNormal\(\): dtype must be 'float32' or 'int32'.*'int32' with 0 and 1/);
    expect(() => km.randomStandardNormal([2], 'float32', 1.5)).toThrow(/km\.randomStandardNormal\(\): seed must be an integer; received seed=1\.5/);
  });

  it('randomUniformInt: int32, each integer of [minval, maxval) equally often, repeatable by seed', () => {
    expectSameShapeAndDtype(km.randomUniformInt([3, 2], 0, 5), tf.randomUniformInt([3, 2], 0, 5), 'int32');
    const values = km.randomUniformInt([N], -3, 4, 11).dataSync();
    for (let v = -3; v < 4; v++) expectFrequency(values.filter((x) => x === v).length, N, 1 / 7, `value ${v}`);
    expect(values.every((v) => v >= -3 && v < 4)).toBe(true);
    expect(km.randomUniformInt([6], 0, 100, 3).arraySync()).toEqual(km.randomUniformInt([6], 0, 100, 3).arraySync());
    expect(() => km.randomUniformInt([2], 5, 5)).toThrow(/km\.randomUniformInt\(\): minval must be less than maxval; received minval=5, maxval=5/);
    expect(() => km.randomUniformInt([2], 0, 2.5)).toThrow(/km\.randomUniformInt\(\): maxval must be a 32-bit integer.*received maxval=2\.5/);
    expect(() => km.randomUniformInt([2, -1], 0, 2)).toThrow(/km\.randomUniformInt\(\): shape dimensions must be non-negative integers/);
  });

  it('rand: the same values as tf.rand for the same function, float32 and (truncated) int32', () => {
    for (const dtype of ['float32', 'int32'] as const) {
      let [i, j] = [0, 0];
      const ours = km.rand([2, 3], () => 1.75 * i++ - 4, dtype);
      const theirs = tf.rand([2, 3], () => 1.75 * j++ - 4, dtype);
      expect({ shape: [...ours.shape], dtype: ours.dtype, values: Array.from(ours.dataSync()) }).toEqual({ shape: theirs.shape, dtype: theirs.dtype, values: Array.from(theirs.dataSync()) });
    }
    expect(km.rand([2], () => 0.5).dtype).toBe('float32');
    expect(() => km.rand([2], 3 as unknown as () => number)).toThrow(/km\.rand\(\): randFunction must be a function.*Received: randFunction=number 3/);
    expect(() => km.rand([2], () => 'a' as unknown as number)).toThrow(/km\.rand\(\): randFunction must return a number; call 1 returned/);
    expect(() => km.rand([2], () => 1, 'string' as 'int32')).toThrow(/km\.rand\(\): dtype must be 'float32' or 'int32'/);
  });

  it('randomGamma: mean alpha·beta and variance alpha·beta² (as tfjs draws), positive, rounded int32, repeatable by seed', () => {
    expectSameShapeAndDtype(km.randomGamma([2, 2], 1), tf.randomGamma([2, 2], 1), 'float32');
    expectSameShapeAndDtype(km.randomGamma([3], 2, 1, 'int32'), tf.randomGamma([3], 2, 1, 'int32'), 'int32');
    for (const [alpha, beta] of [[0.5, 1], [2, 0.5], [7.5, 3]]) {
      const [mean, variance] = [alpha * beta, alpha * beta * beta];
      // The standard errors of the sample mean and variance (the gamma's excess kurtosis is 6 / alpha).
      const [meanError, varianceError] = [Math.sqrt(variance / N), variance * Math.sqrt((2 + 6 / alpha) / N)];
      for (const [who, values] of [['kerasm', km.randomGamma([N], alpha, beta, 'float32', 5).dataSync()], ['tfjs', tf.randomGamma([N], alpha, beta, 'float32', 5).dataSync()]] as const) {
        const m = moments(values);
        expect(Math.abs(m.mean - mean), `${who} alpha ${alpha} beta ${beta}: mean ${m.mean}`).toBeLessThanOrEqual(5 * meanError);
        expect(Math.abs(m.variance - variance), `${who} alpha ${alpha} beta ${beta}: variance ${m.variance}`).toBeLessThanOrEqual(5 * varianceError);
      }
    }
    expect(km.randomGamma([1000], 0.3).dataSync().every((v) => v >= 0)).toBe(true);
    expect(km.randomGamma([100], 4, 2, 'int32').dataSync().every((v) => Number.isInteger(v))).toBe(true);
    expect(km.randomGamma([4], 2, 1, 'float32', 9).arraySync()).toEqual(km.randomGamma([4], 2, 1, 'float32', 9).arraySync());
    expect(() => km.randomGamma([2], 0)).toThrow(/km\.randomGamma\(\): alpha must be > 0.*Received: alpha=0/);
    expect(() => km.randomGamma([2], 1, -2)).toThrow(/km\.randomGamma\(\): beta must be > 0.*Received: beta=-2/);
    expect(() => km.randomGamma([2], NaN)).toThrow(/km\.randomGamma\(\): alpha must be a finite number/);
  });

  it('multinomial: frequencies of softmax(logits) per row, or of the probabilities given when normalized', () => {
    expectSameShapeAndDtype(km.multinomial(tensor([[1, 2, 3], [0, 0, 0]]), 5), tf.multinomial(tf.tensor2d([[1, 2, 3], [0, 0, 0]]), 5), '2d');
    expectSameShapeAndDtype(km.multinomial(tensor([1, 2]), 3), tf.multinomial(tf.tensor1d([1, 2]), 3), '1d');
    const logits = [[0.5, -1, 2, 0], [3, 3, -2, 1]];
    const samples = km.multinomial(tensor(logits), N, 13).arraySync() as number[][];
    logits.forEach((row, r) => {
      const exps = row.map((v) => Math.exp(v));
      const total = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, c) => expectFrequency(samples[r].filter((s) => s === c).length, N, e / total, `row ${r} class ${c}`));
    });
    const probabilities = [0.1, 0, 0.6, 0.3];
    const drawn = km.multinomial(tensor(probabilities), N, 14, true).dataSync();
    probabilities.forEach((p, c) => expectFrequency(drawn.filter((s) => s === c).length, N, p, `normalized class ${c}`));
    expect(km.multinomial(tensor([1, 2, 3]), 10, 4).arraySync()).toEqual(km.multinomial(tensor([1, 2, 3]), 10, 4).arraySync());
    expect(() => km.multinomial(tensor([[[1, 2]]]), 2)).toThrow(/km\.multinomial\(\): logits must be \[classes\] or \[batch, classes\]. Received: logits\.shape=\[1, 1, 2\]/);
    expect(() => km.multinomial(tensor([[1], [2]]), 2)).toThrow(/km\.multinomial\(\): there must be at least 2 classes/);
    expect(() => km.multinomial(tensor([1, 2]), 1.5)).toThrow(/km\.multinomial\(\): numSamples must be a non-negative integer. Received: numSamples=1\.5/);
    expect(() => km.multinomial(tensor([1, 2], [2], 'int32'), 2)).toThrow(/km\.multinomial\(\) takes float32 logits.*Received: logits\.dtype='int32'/);
  });

  it('are reachable as km.xxx', () => {
    for (const name of ['randomStandardNormal', 'randomUniformInt', 'rand', 'randomGamma', 'multinomial', 'dropout'] as const) expect(kmPublic[name], name).toBe(km[name]);
  });
});

describe('dropout: tfjs-core 4.22 shapes and dtypes, kerasm draws', () => {
  it('keeps 1 - rate of the values, scaled by 1 / (1 - rate) as tfjs scales them (in float32), repeatable by seed', () => {
    expectSameShapeAndDtype(km.dropout(kmPublic.ones([3, 4]), 0.5), tf.dropout(tf.ones([3, 4]), 0.5), 'dropout');
    for (const rate of [0.1, 0.5, 0.9]) {
      const x = kmPublic.randomUniform([N], 1, 2, 'float32', 21);
      const y = km.dropout(x, rate, undefined, 22);
      const [xs, ys] = [x.dataSync(), y.dataSync()];
      const scale = Math.fround(1 / Math.fround(1 - rate));
      let kept = 0;
      for (let i = 0; i < N; i++) {
        if (ys[i] !== 0) {
          kept++;
          expect(ys[i]).toBe(Math.fround(xs[i] * scale));
        }
      }
      expectFrequency(kept, N, 1 - rate, `rate ${rate}: kept fraction`);
      expect(Math.abs(moments(ys).mean - moments(xs).mean)).toBeLessThanOrEqual(5 * Math.sqrt((rate / (1 - rate)) * 2.34 / N)); // E[x²] < 2.34 on [1, 2)
      expect(km.dropout(x, rate, undefined, 22).arraySync()).toEqual(y.arraySync());
    }
    const x = tensor([[1, 2], [3, 4]]);
    const copy = km.dropout(x, 0);
    expect(copy).not.toBe(x);
    expect(copy.arraySync()).toEqual([[1, 2], [3, 4]]);
  });

  it('noiseShape draws one keep-or-drop per entry and broadcasts it (null entries taking x\'s size)', () => {
    const x = kmPublic.ones([50, 6, 8]);
    for (const noiseShape of [[50, 1, 8], [null, 1, null], [1, 8]] as const) {
      const y = km.dropout(x, 0.5, noiseShape, 31).arraySync() as number[][][];
      let kept = 0;
      for (const sample of y) {
        for (let c = 0; c < 8; c++) {
          const column = sample.map((step) => step[c]);
          expect(new Set(column).size, `noiseShape ${JSON.stringify(noiseShape)}: one draw along axis 1`).toBe(1);
          if (column[0] !== 0) kept++;
        }
      }
      if (noiseShape.length === 2) expect(new Set(y.map((s) => JSON.stringify(s))).size).toBe(1); // also shared along axis 0
      else expectFrequency(kept, 400, 0.5, `noiseShape ${JSON.stringify(noiseShape)}: kept fraction`);
    }
    expectSameShapeAndDtype(km.dropout(x, 0.3, [50, 1, 8]), tf.dropout(tf.ones([50, 6, 8]), 0.3, [50, 1, 8]), 'with noiseShape');
    expect(() => km.dropout(x, 0.5, [50, 2, 8])).toThrow(/km\.dropout\(\): noiseShape must broadcast to x's shape \[50, 6, 8\].*Received: noiseShape=\[50,2,8\]/);
  });

  it('its gradient is dy times the same mask and scale', () => {
    const x = kmPublic.randomUniform([40, 30], 1, 2, 'float32', 41);
    const dy = kmPublic.randomUniform([40, 30], -1, 1, 'float32', 42);
    const y = km.dropout(x, 0.4, undefined, 43);
    const { value, grads } = km.valueAndGrads((t: Tensor) => km.dropout(t, 0.4, undefined, 43))([x], dy);
    expect(value.arraySync()).toEqual(y.arraySync());
    const [ys, dys, g] = [y.dataSync(), dy.dataSync(), grads[0].dataSync()];
    const scale = Math.fround(1 / Math.fround(0.6));
    for (let i = 0; i < g.length; i++) expect(g[i]).toBe(Math.fround(dys[i] * (ys[i] === 0 ? 0 : scale)));
  });

  it('bad input gets clear errors', () => {
    expect(() => km.dropout(tensor([1, 2], [2], 'int32'), 0.5)).toThrow(/km\.dropout\(\) takes a float32 tensor.*Received: x\.dtype='int32'/);
    expect(() => km.dropout(tensor([1, 2]), 1)).toThrow(/km\.dropout\(\): rate.*must be a number in \[0, 1\). Received: rate=1/);
    expect(() => km.dropout(tensor([1, 2]), -0.1)).toThrow(/Received: rate=-0\.1/);
  });
});
