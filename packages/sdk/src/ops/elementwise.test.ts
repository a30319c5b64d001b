import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../tensor.js';
import { broadcastableShape, expectSameAsTfjs, pairOf, pick, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { abs, clipByValue, exp, log, log1p, maximum, minimum, neg, pow, relu, sigmoid, softplus, sqrt, square, tanh } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Values that reach each op's special cases: 0 and -0, NaN, ±Infinity, softplus' thresholds, overflow.
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, -13.94, -13.95, 13.94, 13.95, 88.8, -88.8, 100, -100, 1e-8, -0.999];

const floatOps: readonly (readonly [string, (x: Tensor) => Tensor, (x: tf.Tensor) => tf.Tensor])[] = [
  ['neg', neg, tf.neg],
  ['abs', abs, tf.abs],
  ['square', square, tf.square],
  ['sqrt', sqrt, tf.sqrt],
  ['exp', exp, tf.exp],
  ['log', log, tf.log],
  ['log1p', log1p, tf.log1p],
  ['sigmoid', sigmoid, tf.sigmoid],
  ['tanh', tanh, tf.tanh],
  ['relu', relu, tf.relu],
  ['softplus', softplus, tf.softplus],
];

describe('element-wise ops match tfjs-core 4.22 (CPU backend)', () => {
  it('unary float32 ops: random values and the special ones, to the bit', () => {
    const rng = new Random(21);
    const special = pairOf(Float32Array.from(SPECIAL), [SPECIAL.length]);
    for (const [name, ours, theirs] of floatOps) {
      expectSameAsTfjs(ours(special.km), theirs(special.tf), `${name} special values`);
      for (let trial = 0; trial < 10; trial++) {
        const x = randomPair(rng, randomShape(rng, Math.floor(rng.next() * 4)), 'float32', 20);
        expectSameAsTfjs(ours(x.km), theirs(x.tf), `${name} [${x.km.shape.join(', ')}]`);
      }
    }
    const x = randomPair(rng, [3, 4], 'float32');
    expectSameAsTfjs(x.km.abs().neg().exp().log1p(), tf.log1p(tf.exp(tf.neg(tf.abs(x.tf)))), 'chained methods');
  });

  it('neg, abs, square and relu keep int32, and exp makes it float32, as tfjs does', () => {
    const i = pairOf(Int32Array.of(-3, 0, 7, 46341, -2147483647), [5]);
    expectSameAsTfjs(neg(i.km), tf.neg(i.tf), 'neg int32');
    expectSameAsTfjs(abs(i.km), tf.abs(i.tf), 'abs int32');
    expectSameAsTfjs(square(i.km), tf.square(i.tf), 'square int32 (overflow wraps as tfjs)');
    expectSameAsTfjs(relu(i.km), tf.relu(i.tf), 'relu int32');
    const small = pairOf(Int32Array.of(-3, 0, 7), [3]);
    expectSameAsTfjs(exp(small.km), tf.exp(small.tf), 'exp int32');
  });

  it('clipByValue: bounds included, NaN kept, int32 kept with fractional bounds truncating as tfjs', () => {
    const x = pairOf(Float32Array.of(-2, -1, 0, 1, 1.5, 2, NaN, Infinity), [8]);
    expectSameAsTfjs(clipByValue(x.km, -1, 1.5), tf.clipByValue(x.tf, -1, 1.5), 'clipByValue float32');
    expectSameAsTfjs(x.km.clipByValue(0, 0), tf.clipByValue(x.tf, 0, 0), 't.clipByValue(0, 0)');
    const i = pairOf(Int32Array.of(-1, 2, 5), [3]);
    expectSameAsTfjs(clipByValue(i.km, 0.5, 3.5), tf.clipByValue(i.tf, 0.5, 3.5), 'clipByValue int32');
  });

  it('pow, maximum and minimum broadcast random shapes of every dtype pairing to tfjs values and dtypes', () => {
    const rng = new Random(22);
    const ops = [
      ['pow', pow, tf.pow],
      ['maximum', maximum, tf.maximum],
      ['minimum', minimum, tf.minimum],
    ] as const;
    for (let trial = 0; trial < 80; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 4));
      const a = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const), 3);
      const b = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const), 3);
      for (const [name, ours, theirs] of ops) {
        expectSameAsTfjs(ours(a.km, b.km), theirs(a.tf, b.tf), `${name} ${a.km.dtype} [${a.km.shape.join(', ')}] ${b.km.dtype} [${b.km.shape.join(', ')}]`);
      }
    }
  });

  it('pow: int32 powers truncate and wrap as tfjs, a number exponent is float32; NaN wins in maximum and minimum', () => {
    const a = pairOf(Int32Array.of(2, 3, -2, 0, 1, 3, 2), [7]);
    const b = pairOf(Int32Array.of(-1, -2, 3, -1, -3, 25, 31), [7]);
    expectSameAsTfjs(pow(a.km, b.km), tf.pow(a.tf, b.tf), 'int32 pow');
    expectSameAsTfjs(a.km.pow(0.5), tf.pow(a.tf, 0.5), 'int32 pow 0.5');
    const f = pairOf(Float32Array.of(1, NaN, 2, -0, 0), [5]);
    const g = pairOf(Float32Array.of(NaN, 1, 2, 0, -0), [5]);
    expectSameAsTfjs(maximum(f.km, g.km), tf.maximum(f.tf, g.tf), 'maximum NaN and ±0');
    expectSameAsTfjs(f.km.minimum(g.km), tf.minimum(f.tf, g.tf), 'minimum NaN and ±0');
  });

  it('names int32 input where only float32 makes sense, and clip bounds in the wrong order', () => {
    const i = tensor([1, 2], undefined, 'int32');
    expect(() => sqrt(i)).toThrow("km.sqrt() takes a float32 tensor (tfjs rejects int32 here, or truncates the result to an integer). Cast it first: km.sqrt(km.cast(x, 'float32')). Received: x.dtype='int32'.");
    for (const op of [log, log1p, sigmoid, tanh, softplus]) expect(() => op(i)).toThrow(/takes a float32 tensor .* Received: x\.dtype='int32'/);
    expect(() => i.sqrt()).toThrow(/km\.sqrt\(\) takes a float32 tensor/);
    expect(() => clipByValue(tensor([1]), 2, 1)).toThrow('km.clipByValue(): clipValueMin must be a number no larger than clipValueMax. Received: clipValueMin=2, clipValueMax=1.');
    expect(() => pow(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/km\.pow\(\): shapes \[2\] and \[3\] do not broadcast/);
  });
});
