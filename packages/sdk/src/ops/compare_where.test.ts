// Comparisons, logical ops, isNaN/isInf/isFinite and where against tfjs-core 4.22 (CPU backend):
// tfjs' bool results as kerasm's int32 1s and 0s, over random broadcast shapes with ties, NaN and
// ±Infinity; where's gradients against tf.grads to the bit, and a Huber loss written with where
// against float64 finite differences.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { tensor, type DType, type Tensor } from '../tensor.js';
import { zeros } from '../tensor_create.js';
import { broadcastableShape, expectSameAsTfjs, expectSameAsTfjsBool, expectSameGradients, pairOf, pick, randomPair, randomShape, uniformPair, type Pair, type Twin } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5];

/** Values with many ties: halves in [-4, 4] for float32 (some of them NaN, ±Infinity, ±0), whole numbers in [-2, 2] for int32. */
function tiedPair(rng: Random, shape: readonly number[], dtype: DType): Pair {
  if (dtype === 'int32') return randomPair(rng, shape, 'int32', 2);
  const size = shape.reduce((a, b) => a * b, 1);
  return pairOf(Float32Array.from({ length: size }, () => (rng.next() < 0.3 ? pick(rng, SPECIAL) : Math.round(rng.uniform(-8, 8)) / 2)), shape);
}

/** A condition for kerasm (any values, 0 false) and the same one cast to bool for tfjs. */
function conditionPair(rng: Random, shape: readonly number[]): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  const c = rng.next() < 0.5
    ? pairOf(Int32Array.from({ length: size }, () => pick(rng, [0, 1, 1, -1])), shape)
    : pairOf(Float32Array.from({ length: size }, () => pick(rng, [0, -0, 1, 2, NaN, 0.5])), shape);
  return { km: c.km, tf: tf.cast(c.tf, 'bool') };
}

const shapes = (...ts: Pair[]): string => ts.map((t) => `${t.km.dtype} [${t.km.shape.join(', ')}]`).join(' ');

const comparisons = [
  ['equal', km.equal, tf.equal],
  ['notEqual', km.notEqual, tf.notEqual],
  ['greater', km.greater, tf.greater],
  ['greaterEqual', km.greaterEqual, tf.greaterEqual],
  ['less', km.less, tf.less],
  ['lessEqual', km.lessEqual, tf.lessEqual],
] as const;

describe('comparisons, logical ops and where match tfjs-core 4.22, bool as int32 0/1', () => {
  it('comparisons over random broadcast shapes of every dtype pairing, with ties, NaN, ±Infinity and ±0', () => {
    const rng = new Random(51);
    for (let trial = 0; trial < 80; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 4));
      const a = tiedPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const));
      const b = tiedPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const));
      for (const [name, ours, theirs] of comparisons) expectSameAsTfjsBool(ours(a.km, b.km), theirs(a.tf, b.tf), `${name} ${shapes(a, b)}`);
    }
    const x = pairOf(Float32Array.of(NaN, NaN, Infinity, -Infinity, 0, -0, 1, 2), [8]);
    const y = pairOf(Float32Array.of(NaN, 1, Infinity, Infinity, -0, 0, NaN, 2), [8]);
    for (const [name, ours, theirs] of comparisons) {
      expectSameAsTfjsBool(ours(x.km, y.km), theirs(x.tf, y.tf), `${name} specials`);
      expectSameAsTfjsBool(ours(x.km, 0.5), theirs(x.tf, 0.5), `${name} with a number`);
    }
    // An int32 past float32's exact range against a float32: tfjs compares the exact values.
    const big = pairOf(Int32Array.of(16777217, 16777216, -2147483648), [3]);
    const near = pairOf(Float32Array.of(16777216, 16777216, -2147483648), [3]);
    for (const [name, ours, theirs] of comparisons) expectSameAsTfjsBool(ours(big.km, near.km), theirs(big.tf, near.tf), `${name} large int32`);
  });

  it('comparison methods on km.Tensor', () => {
    const rng = new Random(52);
    const a = tiedPair(rng, [3, 4], 'float32');
    const b = tiedPair(rng, [4], 'float32');
    expectSameAsTfjsBool(a.km.equal(b.km), tf.equal(a.tf, b.tf), 'x.equal');
    expectSameAsTfjsBool(a.km.notEqual(b.km), tf.notEqual(a.tf, b.tf), 'x.notEqual');
    expectSameAsTfjsBool(a.km.greater(b.km), tf.greater(a.tf, b.tf), 'x.greater');
    expectSameAsTfjsBool(a.km.greaterEqual(0), tf.greaterEqual(a.tf, 0), 'x.greaterEqual');
    expectSameAsTfjsBool(a.km.less(b.km), tf.less(a.tf, b.tf), 'x.less');
    expectSameAsTfjsBool(a.km.lessEqual([1, 2, 3, 4]), tf.lessEqual(a.tf, [1, 2, 3, 4]), 'x.lessEqual');
  });

  it('logical ops take any values, non-zero (NaN too) as true, as tfjs casts them to bool', () => {
    const rng = new Random(53);
    const values = [0, -0, 1, 1, -1, 2, 0.5, NaN];
    const logical = [
      ['logicalAnd', km.logicalAnd, tf.logicalAnd],
      ['logicalOr', km.logicalOr, tf.logicalOr],
      ['logicalXor', km.logicalXor, tf.logicalXor],
    ] as const;
    const truthPair = (shape: number[]): Pair => {
      const size = shape.reduce((p, d) => p * d, 1);
      const int = rng.next() < 0.5;
      const v = Array.from({ length: size }, () => pick(rng, int ? [0, 1, -3] : values));
      return pairOf(int ? Int32Array.from(v) : Float32Array.from(v), shape);
    };
    for (let trial = 0; trial < 60; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 4));
      const a = truthPair(broadcastableShape(rng, out));
      const b = truthPair(broadcastableShape(rng, out));
      const [ta, tb] = [tf.cast(a.tf, 'bool'), tf.cast(b.tf, 'bool')];
      for (const [name, ours, theirs] of logical) expectSameAsTfjsBool(ours(a.km, b.km), theirs(ta, tb), `${name} ${shapes(a, b)}`);
      expectSameAsTfjsBool(km.logicalNot(a.km), tf.logicalNot(ta), `logicalNot ${shapes(a)}`);
    }
    const x = tensor([0, 1, 0, 1]);
    expect(km.logicalXor(x, [0, 0, 1, 1]).arraySync()).toEqual([0, 1, 1, 0]);
  });

  it('isNaN, isInf and isFinite on special and random values, int32 too', () => {
    const rng = new Random(54);
    const tests = [
      ['isNaN', km.isNaN, tf.isNaN],
      ['isInf', km.isInf, tf.isInf],
      ['isFinite', km.isFinite, tf.isFinite],
    ] as const;
    const cases = [
      pairOf(Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 3.5, -1e38, 3.4e38), [2, 4]),
      pairOf(Int32Array.of(0, -5, 2147483647), [3]),
      ...Array.from({ length: 10 }, () => tiedPair(rng, randomShape(rng, Math.floor(rng.next() * 4)), pick(rng, ['float32', 'int32'] as const))),
    ];
    for (const x of cases) for (const [name, ours, theirs] of tests) expectSameAsTfjsBool(ours(x.km), theirs(x.tf), `${name} ${shapes(x)}`);
  });

  it('where: values of three random broadcast shapes, both dtypes, with NaN and ±Infinity', () => {
    const rng = new Random(55);
    for (let trial = 0; trial < 80; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 5));
      const dtype = pick(rng, ['float32', 'int32'] as const);
      const c = conditionPair(rng, broadcastableShape(rng, out));
      const a = tiedPair(rng, broadcastableShape(rng, out), dtype);
      const b = tiedPair(rng, broadcastableShape(rng, out), dtype);
      expectSameAsTfjs(km.where(c.km, a.km, b.km), tf.where(c.tf, a.tf, b.tf), `where ${shapes(c, a, b)}`);
    }
    const c = km.greater(tensor([[1, -1, 3]]), 0);
    expect(km.where(c, tensor([[10], [20]]), 0).arraySync()).toEqual([[10, 0, 10], [20, 0, 20]]);
  });

  it('where: gradients of a and b against tf.grads, broadcast ones summed, at random and at NaN, ±Infinity and negative dy', () => {
    const rng = new Random(56);
    for (let trial = 0; trial < 60; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 5), 3);
      const c = conditionPair(rng, broadcastableShape(rng, out));
      const a = uniformPair(rng, broadcastableShape(rng, out), -3, 3);
      const b = uniformPair(rng, broadcastableShape(rng, out), -3, 3);
      const twin: Twin = { km: (p, q) => km.where(c.km, p, q), tf: (p, q) => tf.where(c.tf, p, q) };
      expectSameGradients(rng, twin, [a, b], `where ${shapes(c, a, b)}`);
      // Each operand alone, the other a constant.
      expectSameGradients(rng, { km: (p) => km.where(c.km, p, b.km), tf: (p) => tf.where(c.tf, p, b.tf) }, [a], `where a only ${shapes(c, a, b)}`);
    }
    const c = pairOf(Int32Array.of(1, 0, 1, 0, 0, 1), [2, 3]);
    const cb = { km: c.km, tf: tf.cast(c.tf, 'bool') };
    const a = uniformPair(rng, [3], -1, 1);
    const b = uniformPair(rng, [2, 1], -1, 1);
    const dy = pairOf(Float32Array.of(NaN, NaN, Infinity, -Infinity, -2, -0), [2, 3]);
    for (const [p, q, what] of [[a, b, 'broadcast'], [uniformPair(rng, [2, 3], -1, 1), uniformPair(rng, [2, 3], -1, 1), 'same shape']] as const) {
      const ours = km.grads((x, y) => km.where(cb.km, x, y))([p.km, q.km], dy.km);
      const theirs = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.where(cb.tf, x, y))([p.tf, q.tf], dy.tf);
      expectSameAsTfjs(ours[0], theirs[0], `where ${what}, special dy: gradient 0`);
      expectSameAsTfjs(ours[1], theirs[1], `where ${what}, special dy: gradient 1`);
    }
    // A condition computed from the argument itself (a leaky relu written with where). tfjs has no
    // gradient for its comparisons, so tf.grads throws there; its reference takes the condition
    // from a copy of the values, outside the function.
    const x = uniformPair(rng, [4, 5], -2, 2);
    const positive = tf.greater(tf.clone(x.tf), 0);
    expect(() => tf.grads((t: tf.Tensor) => tf.where(tf.greater(t, 0), t, tf.mul(t, 0.1)))([x.tf])).toThrow(/gradient function not found for Greater/);
    expectSameGradients(rng, { km: (t) => km.where(km.greater(t, 0), t, t.mul(0.1)), tf: (t) => tf.where(positive, t, tf.mul(t, 0.1)) }, [x], 'leaky relu by where');
  });

  it('where: the gradient of a broadcast operand past rank 4 (where tfjs stops) against a float64 loop', () => {
    const rng = new Random(58);
    const out = [2, 3, 2, 2, 3];
    const c = conditionPair(rng, out);
    const cond = Array.from(c.km.dataSync(), (v) => v !== 0);
    const a = uniformPair(rng, [3, 1, 1, 3], -1, 1);
    // Whole-number dy, so that float32 sums are exact and any order of adding gives the same result.
    const dyValues = Float32Array.from({ length: 72 }, () => Math.round(rng.uniform(-3, 3)));
    const [ga, gb] = km.grads((p, q) => km.where(c.km, p, q))([a.km, tensor(0)], tensor(dyValues, out));
    const expectA = new Float64Array(9);
    let expectB = 0;
    dyValues.forEach((g, i) => {
      // a's [3, 1, 1, 3] lines up with the output's last four axes: its index is (axis 1, axis 4).
      if (cond[i]) expectA[(Math.floor(i / 12) % 3) * 3 + (i % 3)] += g;
      else expectB += g;
    });
    expect([...ga.shape, ...gb.shape]).toEqual([3, 1, 1, 3]);
    expect(Array.from(ga.dataSync())).toEqual(Array.from(expectA));
    expect(gb.dataSync()[0]).toBe(expectB);
  });

  it('a Huber loss written with where(less(abs(e), delta), ...): gradient against float64 finite differences and tf.grads', () => {
    const rng = new Random(57);
    const delta = 1.5;
    const shape = [6, 5];
    const n = 30;
    const yTrue = Float32Array.from({ length: n }, () => rng.normal() * 2);
    // Errors kept away from ±delta, where the loss's second derivative jumps.
    const yPred = yTrue.map((t) => {
      let e = rng.normal() * 2;
      while (Math.abs(Math.abs(e) - delta) < 0.05) e = rng.normal() * 2;
      return t - e;
    });
    const huber64 = (p: Float64Array): number => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.abs(yTrue[i] - p[i]);
        total += e < delta ? 0.5 * e * e : delta * (e - 0.5 * delta);
      }
      return total / n;
    };
    const t = tensor(yTrue, shape);
    const huber = (p: Tensor<'float32'>): Tensor => {
      const e = km.sub(t, p);
      const ae = km.abs(e);
      return km.where(km.less(ae, delta), e.square().mul(0.5), ae.sub(0.5 * delta).mul(delta)).mean();
    };
    const { value, grad } = km.valueAndGrad(huber)(tensor(yPred, shape));
    const p64 = Float64Array.from(yPred);
    expect(Math.abs(value.dataSync()[0] - huber64(p64))).toBeLessThan(1e-6 * huber64(p64));
    const g = grad.dataSync();
    const h = 1e-6;
    let quadratic = 0;
    for (let i = 0; i < n; i++) {
      const [up, down] = [p64.slice(), p64.slice()];
      up[i] += h;
      down[i] -= h;
      const fd = (huber64(up) - huber64(down)) / (2 * h);
      expect(Math.abs(g[i] - fd), `element ${i}`).toBeLessThan(1e-7 + 1e-5 * Math.abs(fd));
      if (Math.abs(yTrue[i] - yPred[i]) < delta) quadratic++;
    }
    expect(quadratic).toBeGreaterThan(3);
    expect(quadratic).toBeLessThan(n - 3);
    // tf.grads cannot differentiate through tf.less (tfjs has no gradient for it): the condition is
    // computed outside tfjs' function, from the same values.
    const tt = tf.tensor(yTrue, shape);
    const quadraticPart = tf.less(tf.abs(tf.sub(tt, tf.tensor(yPred, shape))), delta);
    const tfHuber = (p: tf.Tensor): tf.Tensor => {
      const e = tf.sub(tt, p);
      const ae = tf.abs(e);
      return tf.mean(tf.where(quadraticPart, tf.mul(tf.square(e), 0.5), tf.mul(tf.sub(ae, 0.5 * delta), delta)));
    };
    expectSameGradients(rng, { km: huber, tf: tfHuber }, [pairOf(yPred, shape)], 'Huber by where');
  });

  it('result types, mixed dtypes upcast, and errors naming the problem: shapes that do not broadcast, no gradient through int32', () => {
    const f = tensor([[1, 2], [3, 4]]);
    const i = tensor([[1, 2], [3, 4]], undefined, 'int32');
    expectTypeOf(km.equal(f, 1)).toEqualTypeOf<Tensor<'int32'>>();
    expectTypeOf(f.greater(i)).toEqualTypeOf<Tensor<'int32'>>();
    expectTypeOf(km.logicalNot(km.isNaN(f))).toEqualTypeOf<Tensor<'int32'>>();
    expectTypeOf(km.where(f.less(2), f, f)).toEqualTypeOf<Tensor<'float32'>>();
    expectTypeOf(km.where(f.less(2), i, i)).toEqualTypeOf<Tensor<'int32'>>();
    expect([km.equal(f, 1).dtype, km.isInf(f).dtype, km.logicalOr(f, 0).dtype, km.where(f.less(2), i, i).dtype]).toEqual(['int32', 'int32', 'int32', 'int32']);

    const c = tensor([1, 0]);
    // Mixed dtypes upcast, as tfjs 4.22's where does.
    expect(km.where(c, tensor([1, 2], undefined, 'int32'), tensor([1.5, 2.5])).arraySync()).toEqual([1, 2.5]);
    expect(km.where(c, i.slice([0, 0], [1, 2]).reshape([2]), 0).dtype).toBe('float32');
    expect(() => km.where(c, zeros([3]), zeros([3]))).toThrow(/^km\.where\(\): shapes \[2\] and \[3\] do not broadcast: axis -1 has 2 and 3/);
    expect(() => km.where(tensor([1, 0, 1]), zeros([3]), zeros([2, 2]))).toThrow(/^km\.where\(\): shapes \[3\] and \[2, 2\] do not broadcast/);
    expect(() => km.greater(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/^km\.greater\(\): shapes \[2\] and \[3\] do not broadcast/);
    expect(() => km.logicalAnd(tensor([[1, 0]]), tensor([1, 0, 1]))).toThrow(/^km\.logicalAnd\(\): shapes \[1, 2\] and \[3\] do not broadcast/);
    expect(() => km.grad((x) => km.greater(x, 0))(tensor([3, 4]))).toThrow(/f returned an int32 tensor, which carries no gradient/);
    // The condition gets no gradient: a function of it alone through where is unconnected.
    expect(() => km.grad((cond) => km.where(cond, f, f.neg()))(tensor([[1, 0], [0, 1]]))).toThrow(/y does not depend on it/);
  });
});
