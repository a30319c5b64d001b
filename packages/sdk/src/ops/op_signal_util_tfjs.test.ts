// tfjs-core's small top-level functions against tfjs-core 4.22 (CPU backend): km.op (names, tidy
// scope, gradients through it), km.cosineWindow (values to the bit), km.enclosingPowerOfTwo (exact
// where tfjs' log ratio rounds wrong), km.upcastType and km.sumOutType; and their errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectSameAsTfjs } from '../testing/tfjs_op_parity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('km.op, as tf.op', () => {
  it('names the op as tfjs does and returns what the function returns', () => {
    for (const key of ['square_', 'square', 'my_op__', '_', 'x']) {
      const f = (x: number) => x + 1;
      const ours = km.op({ [key]: f });
      expect(ours.name, key).toBe(tf.op({ [key]: f }).name);
      expect(ours(1)).toBe(2);
    }
  });

  it('disposes the tensors made inside except the result (nested results too), as a tidy', () => {
    let inner: km.Tensor | undefined;
    const rms = km.op({
      rms_: (x: km.Tensor) => {
        inner = km.square(x);
        return km.sqrt(km.mean(inner));
      },
    });
    const x = km.tensor([3, 4]);
    const r = rms(x);
    expect(inner?.isDisposed).toBe(true);
    expect(r.isDisposed).toBe(false);
    expect(x.isDisposed).toBe(false);
    expect(r.dataSync()[0]).toBeCloseTo(Math.sqrt(12.5), 6);
    const both = km.op({ both: (a: km.Tensor) => ({ twice: km.mul(a, 2), list: [km.neg(a)] }) })(x);
    expect(both.twice.isDisposed || both.list[0].isDisposed).toBe(false);
  });

  it('gradients flow through it, as through tfjs op', () => {
    const cube = km.op({ cube_: (x: km.Tensor) => km.mul(km.mul(x, x), x) });
    const tfCube = tf.op({ cube_: (x: tf.Tensor) => tf.mul(tf.mul(x, x), x) });
    const values = [-2, -0.5, 0, 1.5, 3];
    const ours = km.grad((x: km.Tensor) => cube(x))(km.tensor(values));
    const theirs = tf.grad((x: tf.Tensor) => tfCube(x))(tf.tensor(values));
    expectSameAsTfjs(ours, theirs, 'd/dx x^3');
  });

  it('refuses anything but an object with one function, naming what it got', () => {
    expect(() => tf.op({ a: () => 1, b: () => 2 } as never)).toThrow('Got an object with 2 keys');
    expect(() => km.op({ a: () => 1, b: () => 2 })).toThrow('km.op() takes an object with a single key, the op\'s name, mapping to its function: km.op({ myOp_: (x) => ... }). Received: an object with keys ["a","b"].');
    expect(() => km.op({})).toThrow('Received: Object.');
    expect(() => km.op((() => 1) as never)).toThrow('Received: function');
    expect(() => km.op({ a: 3 } as never)).toThrow('Received: an object with keys ["a"].');
  });

  it('refuses a function returning a Promise (tidy runs synchronously)', () => {
    const asyncOp = km.op({ slow_: async () => km.tensor([1]) });
    expect(() => asyncOp()).toThrow('km.tidy(): fn returned a Promise');
  });
});

describe('km.cosineWindow, as tf.cosineWindow', () => {
  it('matches tfjs to the bit for even and odd lengths and several a, b', () => {
    for (let n = 2; n <= 40; n += 1) {
      for (const [a, b] of [[0.5, 0.5], [0.54, 0.46], [1, 0], [0.3, -0.7], [2.5, 1.25]]) {
        expectSameAsTfjs(km.cosineWindow(n, a, b), tf.cosineWindow(n, a, b), `n=${n} a=${a} b=${b}`);
      }
    }
    expectSameAsTfjs(km.cosineWindow(1001, 0.42, 0.5), tf.cosineWindow(1001, 0.42, 0.5), 'n=1001');
  });

  it('gives km.signal.hannWindow and hammingWindow for their a and b', () => {
    expect(km.cosineWindow(64, 0.5, 0.5).dataSync()).toEqual(km.signal.hannWindow(64).dataSync());
    expect(km.cosineWindow(31, 0.54, 0.46).dataSync()).toEqual(km.signal.hammingWindow(31).dataSync());
  });

  it('gives [1] for length 1 (tfjs [NaN]) and refuses bad lengths and coefficients', () => {
    expect(Array.from(tf.cosineWindow(1, 0.5, 0.5).dataSync())).toEqual([NaN]);
    expect(Array.from(km.cosineWindow(1, 0.5, 0.5).dataSync())).toEqual([1]);
    expect(() => km.cosineWindow(0, 0.5, 0.5)).toThrow('km.cosineWindow(): windowLength must be a positive integer, the number of samples. Received: windowLength=0.');
    expect(() => km.cosineWindow(2.5, 0.5, 0.5)).toThrow('Received: windowLength=2.5.');
    expect(() => km.cosineWindow(8, NaN, 0.5)).toThrow('km.cosineWindow(): a must be a finite number');
    expect(() => km.cosineWindow(8, 0.5, undefined as never)).toThrow('Received: b=undefined.');
  });
});

describe('km.enclosingPowerOfTwo, as tf.enclosingPowerOfTwo', () => {
  /** The smallest 2^N >= value, found by doubling and halving exactly (floored, as tfjs floors). */
  const naive = (value: number): number => {
    let p = 1;
    while (p < value) p *= 2;
    while (p / 2 >= value) p /= 2;
    return Math.floor(p);
  };

  it('matches tfjs on frame lengths and fractions, and is exact at every power of two (tfjs is not at 2^29, 2^31, ...)', () => {
    const values = [1, 2, 3, 4, 5, 7, 8, 9, 100, 400, 511, 512, 513, 1000, 1024, 4097, 0.7, 0.5, 0.3, 1.5, 1e6];
    for (const v of values) {
      expect(km.enclosingPowerOfTwo(v), String(v)).toBe(tf.enclosingPowerOfTwo(v));
      expect(km.enclosingPowerOfTwo(v), String(v)).toBe(naive(v));
    }
    for (let k = 0; k <= 52; k++) {
      for (const v of [2 ** k, 2 ** k + 1, 2 ** k - 1].filter((x) => x > 0)) expect(km.enclosingPowerOfTwo(v), `${v}`).toBe(naive(v));
    }
    expect(tf.enclosingPowerOfTwo(2 ** 29)).toBe(2 ** 30);
    expect(km.enclosingPowerOfTwo(2 ** 29)).toBe(2 ** 29);
  });

  it('refuses values that are not positive finite numbers (tfjs gives NaN or 0)', () => {
    for (const v of [0, -1, NaN, Infinity, '8']) {
      expect(() => km.enclosingPowerOfTwo(v as never)).toThrow(`km.enclosingPowerOfTwo() takes a positive finite number, e.g. a frame length. Received: value=${JSON.stringify(v)}.`);
    }
  });
});

describe('km.upcastType and km.sumOutType, as tfjs for float32 and int32', () => {
  it('match tfjs, and agree with the dtype km.add gives', () => {
    for (const a of ['float32', 'int32'] as const) {
      expect(km.sumOutType(a)).toBe(tf.sumOutType(a));
      expect(km.sumOutType(a)).toBe(km.sum(km.zeros([2], a)).dtype);
      for (const b of ['float32', 'int32'] as const) {
        expect(km.upcastType(a, b), `${a} ${b}`).toBe(tf.upcastType(a, b));
        expect(km.upcastType(a, b)).toBe(km.add(km.zeros([1], a), km.zeros([1], b)).dtype);
      }
    }
  });

  it('refuse the dtypes kerasm lacks, saying what to use', () => {
    expect(() => km.upcastType('bool' as never, 'int32')).toThrow("km.upcastType(): dtype must be 'float32' or 'int32', the dtypes kerasm supports; received \"bool\". For a mask, use 'int32' with 0 and 1.");
    expect(() => km.sumOutType('complex64' as never)).toThrow('Keep the real and imaginary parts');
    expect(() => km.upcastType('float32', 'string' as never)).toThrow('received "string"');
  });
});
