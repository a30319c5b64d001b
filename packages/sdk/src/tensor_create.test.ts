// km.zeros … km.truncatedNormal against tfjs-core's functions of the same names: the same shapes,
// dtypes and values where kerasm follows tfjs, and the documented departures where it does not.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from './index.js';
import { Random } from './utils/random.js';

beforeAll(() => tf.setBackend('cpu'));

const described = (t: km.Tensor | tf.Tensor) => [t.shape, t.dtype, Array.from(t.dataSync() as ArrayLike<number>)];

/** Calls km[name] and tf[name] with the same arguments and expects the same tensor. */
function sameAsTfjs(name: string, args: unknown[]): void {
  const ours = (km as unknown as Record<string, (...a: unknown[]) => km.Tensor>)[name](...args);
  const theirs = (tf as unknown as Record<string, (...a: unknown[]) => tf.Tensor>)[name](...args);
  expect(described(ours), `${name}(${JSON.stringify(args)})`).toEqual(described(theirs));
}

function meanAndStd(values: ArrayLike<number>): [number, number] {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return [mean, Math.sqrt(squares / values.length)];
}

describe('deterministic creation functions', () => {
  it('zeros, ones and fill give what tfjs gives', () => {
    for (const args of [[[2, 3]], [[2, 3], 'int32'], [[]], [[0, 4]], [[1, 2, 1, 2], 'float32']]) {
      sameAsTfjs('zeros', args);
      sameAsTfjs('ones', args);
    }
    for (const args of [[[2, 2], 4], [[3], -Infinity], [[2, 3], 7, 'int32'], [[], 2.5], [[2], -3, 'int32'], [[0], 1]]) sameAsTfjs('fill', args);
  });

  it('zerosLike and onesLike copy the shape and dtype, as tfjs does', () => {
    const cases: [km.Tensor, tf.Tensor][] = [
      [km.tensor([[1, 2, 3], [4, 5, 6]]), tf.tensor([[1, 2, 3], [4, 5, 6]])],
      [km.tensor([1, 2], undefined, 'int32'), tf.tensor([1, 2], undefined, 'int32')],
      [km.tensor(3), tf.scalar(3)],
    ];
    for (const [ours, theirs] of cases) {
      expect(described(km.zerosLike(ours))).toEqual(described(tf.zerosLike(theirs)));
      expect(described(km.onesLike(ours))).toEqual(described(tf.onesLike(theirs)));
    }
    expect(described(km.onesLike([[1, 2]]))).toEqual(described(tf.onesLike([[1, 2]])));
  });

  it('oneHot gives what tfjs gives, int32 by default', () => {
    const cases: unknown[][] = [
      [[0, 2, 1], 3],
      [[[0, 2], [1, 1]], 4],
      [[1, 0], 2, 5, -1],
      [[1, 0, 2], 3, 0.9, 0.05, 'float32'],
      [[-1, 1], 3], // a negative index gives a row of offValue, as in TensorFlow
      [[], 3],
      [Int32Array.from([2, 0]), 3],
    ];
    for (const args of cases) sameAsTfjs('oneHot', args);
    expect(described(km.oneHot(km.tensor(1, undefined, 'int32'), 3))).toEqual(described(tf.oneHot(tf.scalar(1, 'int32'), 3)));
    // Whole numbers in a float32 tensor (km.tensor's default dtype) are class ids too; tfjs refuses them.
    expect(described(km.oneHot(km.tensor([2, 0]), 3))).toEqual(described(tf.oneHot([2, 0], 3)));
    // Depth 1 (tfjs asks for 2, TensorFlow takes it).
    expect(described(km.oneHot([0, 0], 1))).toEqual([[2, 1], 'int32', [1, 1]]);
  });

  it('range gives what tfjs gives, counting down by default when stop < start', () => {
    const cases: unknown[][] = [
      [0, 5], [5, 0], [0, 10, 3, 'int32'], [10, 0, -3, 'int32'], [0, 5, -1], [5, 0, 2], [3, 3],
      [0, 1, 0.25], [-3, 3, 1.5], [0, 2.5, 1, 'int32'], [2, -2, -0.5],
    ];
    for (const args of cases) sameAsTfjs('range', args);
  });

  it('range counts start + i * step, where tfjs drifts by adding the step again and again', () => {
    const ours = km.range(0, 10, 0.1).dataSync();
    const theirs = tf.range(0, 10, 0.1).dataSync();
    expect(ours.length).toBe(theirs.length);
    expect(Array.from(ours)).toEqual(Array.from({ length: 100 }, (_, i) => Math.fround(i * 0.1)));
    // 100 float32 additions of 0.1 drift by at most 100 ulps of 10 (about 1e-4): the same numbers otherwise.
    ours.forEach((v, i) => expect(Math.abs(v - theirs[i])).toBeLessThan(1e-4));
    expect(theirs[99]).not.toBe(Math.fround(9.9));
  });

  it("range gives NumPy's count where tfjs' CPU kernel miscounts", () => {
    expect(Array.from(km.range(5, 0.5).dataSync())).toEqual([5, 4, 3, 2, 1]);
    expect(Array.from(tf.range(5, 0.5).dataSync())).toEqual([5, 4, 3, 2]);
    // A positive step never reaches a lower stop: empty, as tfjs gives for step 2 (it counts up from 5 for 0.5).
    expect(km.range(5, 0, 0.5).shape).toEqual([0]);
    expect(tf.range(5, 0, 0.5).shape).toEqual([10]);
  });

  it('linspace gives what tfjs gives, and ends at stop exactly where tfjs overshoots', () => {
    for (const args of [[0, 1, 5], [1, -1, 5], [3, 7, 1], [-2, 2, 9], [0, 10, 2]]) sameAsTfjs('linspace', args);
    const ours = km.linspace(-1, 1, 100).dataSync();
    const theirs = tf.linspace(-1, 1, 100).dataSync();
    expect(ours[99]).toBe(1);
    expect(theirs[99]).toBeGreaterThan(1);
    expect(Array.from(ours)).toEqual(Array.from({ length: 100 }, (_, i) => Math.fround(i === 99 ? 1 : -1 + (i * 2) / 99)));
    ours.forEach((v, i) => expect(Math.abs(v - theirs[i])).toBeLessThan(1e-5));
  });
});

describe('random creation functions', () => {
  const n = 100_000;
  // Tolerances are 5 standard errors: a correct generator fails one of these about once in 10^6 seeds.
  const normalStdError = (std: number) => std / Math.sqrt(2 * n); // of a sample std; smaller for a truncated normal

  it('randomNormal has the asked mean and standard deviation', () => {
    const t = km.randomNormal([n / 100, 10, 10], 2, 3, 'float32', 11);
    expect([t.shape, t.dtype]).toEqual([[1000, 10, 10], 'float32']);
    const [mean, std] = meanAndStd(t.dataSync());
    expect(Math.abs(mean - 2)).toBeLessThan((5 * 3) / Math.sqrt(n));
    expect(Math.abs(std - 3)).toBeLessThan(5 * normalStdError(3));
  });

  it('truncatedNormal lies within 2 standard deviations, with the truncated spread', () => {
    const values = km.truncatedNormal([n], 1, 2, undefined, 12).dataSync();
    const [mean, std] = meanAndStd(values);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1 - 2 * 2);
    expect(Math.max(...values)).toBeLessThanOrEqual(1 + 2 * 2);
    // Reaching close to the bound shows the draws are truncated, not clipped to a narrower range.
    expect(Math.max(...values)).toBeGreaterThan(1 + 1.95 * 2);
    // 0.8796… is the standard deviation of a unit normal cut at ±2.
    const truncatedStd = 2 * 0.8796256610342398;
    expect(Math.abs(mean - 1)).toBeLessThan((5 * truncatedStd) / Math.sqrt(n));
    expect(Math.abs(std - truncatedStd)).toBeLessThan(5 * normalStdError(truncatedStd));
  });

  it('randomUniform fills [minval, maxval) evenly', () => {
    const values = km.randomUniform([n], -3, 5, undefined, 13).dataSync();
    const sigma = 8 / Math.sqrt(12);
    const [mean, std] = meanAndStd(values);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...values)).toBeLessThan(5);
    expect(Math.min(...values)).toBeLessThan(-3 + 0.001);
    expect(Math.max(...values)).toBeGreaterThan(5 - 0.001);
    expect(Math.abs(mean - 1)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    // A uniform's kurtosis is 1.8, so its sample std has standard error sigma * sqrt(0.8 / (4n)).
    expect(Math.abs(std - sigma)).toBeLessThan(5 * sigma * Math.sqrt(0.8 / (4 * n)));
  });

  it('int32 randomUniform draws each integer in [minval, maxval) equally often, where tfjs doubles 0', () => {
    const values = km.randomUniform([n], -5, 5, 'int32', 14).dataSync();
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]);
    const binomialStdError = Math.sqrt(n * 0.1 * 0.9);
    for (const count of counts.values()) expect(Math.abs(count - n / 10)).toBeLessThan(5 * binomialStdError);
  });

  it('int32 normal draws are the float draws rounded, as in tfjs', () => {
    for (const name of ['randomNormal', 'truncatedNormal'] as const) {
      const ints = km[name]([50], 0, 3, 'int32', 15);
      expect(ints.dtype).toBe('int32');
      expect(Array.from(ints.dataSync())).toEqual(Array.from(km[name]([50], 0, 3, 'float32', 15).dataSync(), (v) => Math.round(v) + 0)); // + 0: an Int32Array has no -0
    }
  });

  it('a seed gives the same values every time, and another seed others (0 included)', () => {
    const draws = [
      (seed: number) => km.randomNormal([20], 0, 1, 'float32', seed),
      (seed: number) => km.truncatedNormal([20], 0, 1, 'float32', seed),
      (seed: number) => km.randomUniform([20], 0, 1, 'float32', seed),
    ];
    for (const draw of draws) {
      for (const seed of [0, 42, -7]) expect(Array.from(draw(seed).dataSync())).toEqual(Array.from(draw(seed).dataSync()));
      expect(Array.from(draw(0).dataSync())).not.toEqual(Array.from(draw(42).dataSync()));
    }
    const expected = new Random(42);
    expect(Array.from(km.randomUniform([4], 0, 1, 'float32', 42).dataSync())).toEqual(Array.from({ length: 4 }, () => Math.fround(expected.uniform(0, 1))));
  });

  it('without a seed, draws come from the generator setRandomSeed seeds', () => {
    km.utils.setRandomSeed(7);
    const expected = new Random(7);
    expect(Array.from(km.randomUniform([5]).dataSync())).toEqual(Array.from({ length: 5 }, () => Math.fround(expected.next())));

    const program = () => [km.randomNormal([8]), km.truncatedNormal([8]), km.randomUniform([8], 0, 10, 'int32')].map((t) => Array.from(t.dataSync()));
    km.utils.setRandomSeed(3);
    const first = program();
    km.utils.setRandomSeed(3);
    expect(program()).toEqual(first);
    // Unseeded draws advance the generator: a second run without reseeding differs.
    expect(program()).not.toEqual(first);
    // A seeded draw uses its own generator and leaves the global one where it was.
    km.utils.setRandomSeed(3);
    km.randomNormal([100], 0, 1, 'float32', 99);
    expect(program()).toEqual(first);
  });
});

describe('creation errors', () => {
  it('refuse dtypes kerasm lacks, naming the supported ones', () => {
    const calls: (() => unknown)[] = [
      () => km.zeros([2], 'bool' as km.DType),
      () => km.ones([2], 'complex64' as km.DType),
      () => km.fill([2], 1, 'string' as km.DType),
      () => km.oneHot([0], 2, 1, 0, 'bool' as km.DType),
      () => km.range(0, 3, 1, 'bool' as km.DType),
      () => km.randomNormal([2], 0, 1, 'bool' as km.DType),
      () => km.truncatedNormal([2], 0, 1, 'float16' as km.DType),
      () => km.randomUniform([2], 0, 1, 'complex64' as km.DType),
    ];
    for (const call of calls) expect(call).toThrow("dtype must be 'float32' or 'int32', the dtypes kerasm supports; received");
    expect(() => km.zeros([2], 'bool' as km.DType)).toThrow("For a mask, use 'int32' with 0 and 1.");
  });

  it('refuse bad shapes', () => {
    expect(() => km.zeros([2, -1])).toThrow('km.zeros(): shape dimensions must be non-negative integers; received [2, -1].');
    expect(() => km.ones([1.5])).toThrow('km.ones(): shape dimensions must be non-negative integers; received [1.5].');
    expect(() => km.fill([NaN], 1)).toThrow('km.fill(): shape dimensions must be non-negative integers; received [NaN].');
    expect(() => km.randomNormal([-3])).toThrow('km.randomNormal(): shape dimensions must be non-negative integers');
    expect(() => km.randomUniform([2.5])).toThrow('km.randomUniform(): shape dimensions must be non-negative integers');
    expect(() => km.truncatedNormal([-1])).toThrow('km.truncatedNormal(): shape dimensions must be non-negative integers');
    // @ts-expect-error a number where the shape array goes
    expect(() => km.zeros(3)).toThrow('km.zeros(): shape must be an array of dimensions, e.g. [2, 3]; received 3.');
  });

  it('refuse fill values that are NaN, not numbers, or not int32', () => {
    expect(() => km.fill([2], NaN)).toThrow('km.fill(): value must be a number; received value=NaN.');
    // @ts-expect-error tfjs makes a string tensor
    expect(() => km.fill([2], 'a')).toThrow('km.fill(): value must be a number; received value="a".');
    expect(() => km.fill([2], 2.7, 'int32')).toThrow("km.fill(): value must be a 32-bit integer for dtype 'int32'; received value=2.7. Round it, or use dtype 'float32'.");
    expect(() => km.fill([2], 2 ** 31, 'int32')).toThrow('must be a 32-bit integer');
  });

  it('refuse a disposed tensor or a tfjs tensor for zerosLike and onesLike', () => {
    const t = km.tensor([1, 2]);
    t.dispose();
    expect(() => km.zerosLike(t)).toThrow('km.zerosLike(): the tensor was disposed');
    expect(() => km.onesLike(t)).toThrow('km.onesLike(): the tensor was disposed');
    expect(() => km.zerosLike(tf.tensor([1, 2]) as unknown as km.Tensor)).toThrow('km.tensor() takes values, not a TensorFlow.js tensor');
  });

  it('refuse oneHot depths, indices and values that are not class ids', () => {
    expect(() => km.oneHot([0], 0)).toThrow('km.oneHot(): depth, the number of classes, must be an integer >= 1; received depth=0.');
    expect(() => km.oneHot([0], 2.5)).toThrow('received depth=2.5.');
    expect(() => km.oneHot([0, 1.5], 3)).toThrow('km.oneHot(): indices must be integers, but index 1 is 1.5.');
    expect(() => km.oneHot([1, 3], 3)).toThrow('km.oneHot(): index 1 is 3, but depth 3 allows 0 to 2. Use depth 4, or subtract 1 from labels that start at 1.');
    expect(() => km.oneHot([0], 2, 0.5)).toThrow("km.oneHot(): onValue must be a 32-bit integer for dtype 'int32'; received onValue=0.5.");
    expect(() => km.oneHot([0], 2, 1, NaN, 'float32')).toThrow('km.oneHot(): offValue must be a number; received offValue=NaN.');
  });

  it('refuse range and linspace arguments that make no sequence', () => {
    expect(() => km.range(0, 5, 0)).toThrow('km.range(): step must not be 0, or the range never reaches stop; received step=0.');
    expect(() => km.range(0, NaN)).toThrow('km.range(): stop must be a finite number; received stop=NaN.');
    expect(() => km.range(0, Infinity)).toThrow('km.range(): stop must be a finite number; received stop=Infinity.');
    expect(() => km.range(0, 3, 0.5, 'int32')).toThrow("km.range(): step must be a 32-bit integer for dtype 'int32'; received step=0.5.");
    expect(() => km.range(0.5, 3, 1, 'int32')).toThrow("km.range(): start must be a 32-bit integer for dtype 'int32'; received start=0.5.");
    expect(() => km.linspace(0, 1, 0)).toThrow('km.linspace(): num, the number of values, must be an integer >= 1; received num=0.');
    expect(() => km.linspace(0, 1, 2.5)).toThrow('received num=2.5.');
    expect(() => km.linspace(NaN, 1, 3)).toThrow('km.linspace(): start must be a finite number; received start=NaN.');
  });

  it('refuse random distributions that are not defined', () => {
    expect(() => km.randomNormal([2], 0, -1)).toThrow('km.randomNormal(): stdDev must be >= 0; received stdDev=-1. Did you mean 1?');
    expect(() => km.truncatedNormal([2], 0, -0.5)).toThrow('km.truncatedNormal(): stdDev must be >= 0; received stdDev=-0.5.');
    expect(() => km.randomNormal([2], NaN)).toThrow('km.randomNormal(): mean must be a finite number; received mean=NaN.');
    expect(() => km.randomUniform([2], 1, 1)).toThrow('km.randomUniform(): minval must be less than maxval; received minval=1, maxval=1. Swap them, or use km.fill for a constant.');
    expect(() => km.randomUniform([2], 5, 1)).toThrow('received minval=5, maxval=1.');
    expect(() => km.randomUniform([2], 0, Infinity)).toThrow('km.randomUniform(): maxval must be a finite number; received maxval=Infinity.');
    expect(() => km.randomUniform([2], 0, 2.5, 'int32')).toThrow("km.randomUniform(): maxval must be a 32-bit integer for dtype 'int32'; received maxval=2.5.");
    expect(() => km.randomNormal([2], 0, 1, 'float32', 1.5)).toThrow('km.randomNormal(): seed must be an integer; received seed=1.5.');
    // @ts-expect-error tfjs takes a string seed; kerasm's generator takes an integer
    expect(() => km.randomUniform([2], 0, 1, 'float32', 'abc')).toThrow('km.randomUniform(): seed must be an integer; received seed="abc".');
  });
});
