import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../tensor.js';
import { broadcastableShape, expectSameAsTfjs, pairOf, pick, randomPair, randomShape } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { add, div, mul, sub } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ops = [
  ['add', add, tf.add],
  ['sub', sub, tf.sub],
  ['mul', mul, tf.mul],
  ['div', div, tf.div],
] as const;

describe('add, sub, mul and div match tfjs-core 4.22', () => {
  it('broadcast random shapes of every dtype pairing to tfjs values, shapes and dtypes', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 120; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 5));
      const a = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const));
      const b = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const));
      for (const [name, ours, theirs] of ops) {
        const what = `${name} ${a.km.dtype} [${a.km.shape.join(', ')}] ${b.km.dtype} [${b.km.shape.join(', ')}]`;
        expectSameAsTfjs(ours(a.km, b.km), theirs(a.tf, b.tf), what);
      }
    }
  });

  it('int32 div floors as tfjs does, a division by zero giving 0', () => {
    const a = pairOf(Int32Array.of(7, -7, 7, -7, 5, 0), [6]);
    const b = pairOf(Int32Array.of(2, 2, -2, -2, 0, 0), [6]);
    expectSameAsTfjs(div(a.km, b.km), tf.div(a.tf, b.tf), 'int32 div');
    expect(div(a.km, b.km).arraySync()).toEqual([3, -4, -4, 3, 0, 0]);
  });

  it('takes numbers and arrays as tfjs does: a number is a float32 scalar, even against int32', () => {
    const i = pairOf(Int32Array.of(1, 2, -7), [3]);
    const f = pairOf(Float32Array.of(1.5, -2, 3), [3]);
    for (const [name, ours, theirs] of ops) {
      expectSameAsTfjs(ours(i.km, 2), theirs(i.tf, 2), `${name} int32 and 2`);
      expectSameAsTfjs(ours(3, f.km), theirs(3, f.tf), `${name} 3 and float32`);
      expectSameAsTfjs(ours([[1], [2]], f.km), theirs([[1], [2]], f.tf), `${name} [[1], [2]] and float32`);
    }
    expect(i.km.add(1).dtype).toBe('float32');
    expect(i.km.div(2).arraySync()).toEqual([0.5, 1, -3.5]);
  });

  it('chains as tfjs code writes it: x.sub(mean).div(std)', () => {
    const x = randomPair(new Random(5), [6, 3], 'float32');
    const m = x.km.mean(0);
    const ours = x.km.sub(m).div(x.km.sub(m).mul(x.km.sub(m)).mean(0).add(1e-7));
    const tm = tf.mean(x.tf, 0);
    const theirs = tf.div(tf.sub(x.tf, tm), tf.add(tf.mean(tf.mul(tf.sub(x.tf, tm), tf.sub(x.tf, tm)), 0), 1e-7));
    expectSameAsTfjs(ours, theirs, 'standardise');
  });

  it('names shapes that do not broadcast, and the axis where they differ', () => {
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(
      'km.add(): shapes [1, 3] and [2] do not broadcast: axis -1 has 3 and 2, and sizes must be equal or 1. Reshape or expandDims one operand so that its axes line up from the last one, e.g. a [n] vector against [n, 1].',
    );
    expect(() => tensor([1, 2, 3]).mul(tensor([[1, 2], [3, 4]]))).toThrow(/km\.mul\(\): shapes \[3\] and \[2, 2\] do not broadcast/);
  });
});
