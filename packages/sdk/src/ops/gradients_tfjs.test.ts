// Every op's gradient against tfjs-core's own tf.grads (CPU backend) for the same function, inputs
// and dy: values to the bit, shapes and dtypes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../tensor.js';
import { broadcastableShape, expectSameAsTfjs, expectSameGradients, pairOf, randomAxis, randomPair, randomShape, uniformPair, type Twin } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { fill } from '../tensor_create.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('gradients match tf.grads (tfjs-core 4.22)', () => {
  it('add, sub, mul, div and pow over random broadcast shapes, both operands watched', () => {
    const rng = new Random(31);
    const ops: readonly [string, Twin, number, number][] = [
      ['add', { km: (a, b) => km.add(a, b), tf: (a, b) => tf.add(a, b) }, -3, 3],
      ['sub', { km: (a, b) => km.sub(a, b), tf: (a, b) => tf.sub(a, b) }, -3, 3],
      ['mul', { km: (a, b) => km.mul(a, b), tf: (a, b) => tf.mul(a, b) }, -3, 3],
      ['div', { km: (a, b) => km.div(a, b), tf: (a, b) => tf.div(a, b) }, 0.5, 3],
      ['pow', { km: (a, b) => km.pow(a, b), tf: (a, b) => tf.pow(a, b) }, 0.1, 2],
    ];
    for (let trial = 0; trial < 40; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 4));
      const [sa, sb] = [broadcastableShape(rng, out), broadcastableShape(rng, out)];
      for (const [name, f, low, high] of ops) {
        const a = uniformPair(rng, sa, name === 'div' ? -3 : low, high);
        const b = uniformPair(rng, sb, low, high);
        expectSameGradients(rng, f, [a, b], `${name} [${sa.join(', ')}] [${sb.join(', ')}]`);
      }
    }
  });

  it('pow at a base <= 0, an int32 exponent, and a number exponent', () => {
    const rng = new Random(32);
    const base = pairOf(Float32Array.of(-2, 0, 2, 3, 0, -2, 1.5), [7]);
    const exponent = pairOf(Float32Array.of(2, 2, 0.5, -1, 0, 0.5, 3), [7]);
    expectSameGradients(rng, { km: (a, b) => km.pow(a, b), tf: (a, b) => tf.pow(a, b) }, [base, exponent], 'pow edge values');
    const ints = pairOf(Int32Array.of(2, 2, 0, -1, 3, 1, 2), [7]);
    expectSameGradients(rng, { km: (a) => km.pow(a, ints.km), tf: (a) => tf.pow(a, ints.tf) }, [base], 'pow int32 exponent');
    expectSameGradients(rng, { km: (a) => a.pow(3), tf: (a) => tf.pow(a, 3) }, [base], 'pow(x, 3)');
    expectSameGradients(rng, { km: (b) => km.pow(2, b), tf: (b) => tf.pow(2, b) }, [exponent], 'pow(2, x)');
  });

  it('maximum and minimum send a tie to a, as tfjs; a broadcast operand gets its summed gradient (tfjs throws there)', () => {
    const rng = new Random(33);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3));
      const a = uniformPair(rng, shape, -2, 2);
      const b = uniformPair(rng, shape, -2, 2);
      expectSameGradients(rng, { km: (p, q) => km.maximum(p, q), tf: (p, q) => tf.maximum(p, q) }, [a, b], `maximum [${shape.join(', ')}]`);
      expectSameGradients(rng, { km: (p, q) => km.minimum(p, q), tf: (p, q) => tf.minimum(p, q) }, [a, b], `minimum [${shape.join(', ')}]`);
      // tfjs throws for a broadcast operand; its own convention elsewhere (tf.add, tf.mul) is the
      // same-shape gradient summed over the broadcast axes, which is the reference here.
      const dy = randomPair(rng, shape, 'float32', 2);
      const zero = fill([1], 0) as Tensor<'float32'>;
      const tiled = tf.zeros(shape);
      for (const [name, ours, theirs] of [['maximum', km.maximum, tf.maximum], ['minimum', km.minimum, tf.minimum]] as const) {
        const [ga, gb] = km.grads((p, q) => ours(p, q))([a.km, zero], dy.km);
        const [ta, tb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => theirs(p, q))([a.tf, tiled], dy.tf);
        expectSameAsTfjs(ga, ta, `${name}(x, [0]) [${shape.join(', ')}]: gradient 0`);
        const summed = shape.length === 1 && shape[0] === 1 ? tb : tf.reshape(tf.sum(tb), [1]);
        expectSameAsTfjs(gb, summed, `${name}(x, [0]) [${shape.join(', ')}]: gradient 1`);
      }
    }
    const ties = pairOf(Float32Array.of(1, 2, 3, NaN, 1), [5]);
    const other = pairOf(Float32Array.of(1, 3, 2, 1, NaN), [5]);
    expectSameGradients(rng, { km: (p, q) => km.maximum(p, q), tf: (p, q) => tf.maximum(p, q) }, [ties, other], 'maximum ties and NaN');
    expectSameGradients(rng, { km: (p, q) => km.minimum(p, q), tf: (p, q) => tf.minimum(p, q) }, [ties, other], 'minimum ties and NaN');
  });

  it('element-wise ops, at random values and at 0, NaN and the bounds of clipByValue', () => {
    const rng = new Random(34);
    const ops: readonly [string, Twin, number, number][] = [
      ['neg', { km: (x) => km.neg(x), tf: (x) => tf.neg(x) }, -3, 3],
      ['abs', { km: (x) => km.abs(x), tf: (x) => tf.abs(x) }, -3, 3],
      ['square', { km: (x) => x.square(), tf: (x) => tf.square(x) }, -3, 3],
      ['sqrt', { km: (x) => km.sqrt(x), tf: (x) => tf.sqrt(x) }, 0, 5],
      ['exp', { km: (x) => km.exp(x), tf: (x) => tf.exp(x) }, -5, 5],
      ['log', { km: (x) => km.log(x), tf: (x) => tf.log(x) }, 0.01, 5],
      ['log1p', { km: (x) => km.log1p(x), tf: (x) => tf.log1p(x) }, -0.9, 5],
      ['sigmoid', { km: (x) => km.sigmoid(x), tf: (x) => tf.sigmoid(x) }, -8, 8],
      ['tanh', { km: (x) => km.tanh(x), tf: (x) => tf.tanh(x) }, -4, 4],
      ['relu', { km: (x) => km.relu(x), tf: (x) => tf.relu(x) }, -3, 3],
      ['softplus', { km: (x) => km.softplus(x), tf: (x) => tf.softplus(x) }, -20, 20],
      ['clipByValue', { km: (x) => km.clipByValue(x, -1, 1), tf: (x) => tf.clipByValue(x, -1, 1) }, -2, 2],
    ];
    const special = pairOf(Float32Array.of(0, -0, NaN, 1, -1, 2, -2), [7]);
    for (const [name, f, low, high] of ops) {
      expectSameGradients(rng, f, [special], `${name} at special values`);
      for (let trial = 0; trial < 5; trial++) {
        const x = uniformPair(rng, randomShape(rng, Math.floor(rng.next() * 4)), low, high);
        expectSameGradients(rng, f, [x], `${name} [${x.km.shape.join(', ')}]`);
      }
    }
  });

  it('sum, mean, max and min over random axes (negative ones too), with and without keepDims', () => {
    const rng = new Random(35);
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 4));
      const axis = randomAxis(rng, shape.length);
      const keepDims = rng.next() < 0.5;
      const a = axis ?? undefined;
      // Whole numbers in a small range, so that max and min have ties (tfjs sends dy to each).
      const x = uniformPair(rng, shape, -2, 2);
      const what = `[${shape.join(', ')}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
      expectSameGradients(rng, { km: (t) => km.sum(t, axis, keepDims), tf: (t) => tf.sum(t, a, keepDims) }, [x], `sum ${what}`);
      expectSameGradients(rng, { km: (t) => t.mean(axis, keepDims), tf: (t) => tf.mean(t, a, keepDims) }, [x], `mean ${what}`);
      expectSameGradients(rng, { km: (t) => km.max(t, axis, keepDims), tf: (t) => tf.max(t, a, keepDims) }, [x], `max ${what}`);
      expectSameGradients(rng, { km: (t) => t.min(axis, keepDims), tf: (t) => tf.min(t, a, keepDims) }, [x], `min ${what}`);
    }
  });

  it('reshape, expandDims, squeeze, transpose, slice, clone and a float32 cast', () => {
    const rng = new Random(36);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 4));
      const x = randomPair(rng, shape, 'float32');
      const rank = shape.length;
      const what = `[${shape.join(', ')}]`;
      const perm = shape.map((_, i) => i);
      rng.shuffle(perm);
      const begin = shape.map((d) => Math.floor(rng.next() * d));
      const size = shape.map((d, i) => (rng.next() < 0.3 ? -1 : 1 + Math.floor(rng.next() * (d - begin[i]))));
      const axis = Math.floor(rng.next() * (rank + 1)) - (rng.next() < 0.5 ? rank + 1 : 0);
      const cases: [string, Twin][] = [
        ['reshape', { km: (t) => t.reshape([-1]), tf: (t) => tf.reshape(t, [-1]) }],
        ['expandDims', { km: (t) => km.expandDims(t, axis), tf: (t) => tf.expandDims(t, axis) }],
        ['squeeze', { km: (t) => km.squeeze(t), tf: (t) => tf.squeeze(t) }],
        ['transpose', { km: (t) => km.transpose(t, perm), tf: (t) => tf.transpose(t, perm) }],
        ['slice', { km: (t) => t.slice(begin, size), tf: (t) => tf.slice(t, begin, size) }],
        ['clone', { km: (t) => t.clone().mul(t), tf: (t) => tf.mul(tf.clone(t), t) }],
        ['cast', { km: (t) => km.cast(t, 'float32'), tf: (t) => tf.cast(t, 'float32') }],
      ];
      for (const [name, f] of cases) expectSameGradients(rng, f, [x], `${name} ${what}`);
    }
  });

  it('concat and stack along random axes, each input watched', () => {
    const rng = new Random(37);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3));
      const rank = shape.length;
      const axis = Math.floor(rng.next() * rank) - (rng.next() < 0.5 ? rank : 0);
      const withAxis = (d: number) => shape.map((s, i) => (i === (axis + rank) % rank ? d : s));
      const parts = [1, 3, 2].map((d) => randomPair(rng, withAxis(d), 'float32'));
      expectSameGradients(rng, { km: (...ts) => km.concat(ts, axis), tf: (...ts) => tf.concat(ts, axis) }, parts, `concat [${shape.join(', ')}] axis ${axis}`);
      const same = [0, 1, 2].map(() => randomPair(rng, shape, 'float32'));
      const stackAxis = Math.floor(rng.next() * (rank + 1));
      expectSameGradients(rng, { km: (...ts) => km.stack(ts, stackAxis), tf: (...ts) => tf.stack(ts, stackAxis) }, same, `stack [${shape.join(', ')}] axis ${stackAxis}`);
    }
  });

  it('a tensor used twice accumulates, and a [batch, classes] loss of yPred with an explicit dy', () => {
    const rng = new Random(38);
    const x = randomPair(rng, [3, 4], 'float32');
    expectSameGradients(rng, { km: (t) => t.mul(t).add(t.exp()).sum(-1), tf: (t) => tf.sum(tf.add(tf.mul(t, t), tf.exp(t)), -1) }, [x], 'fan-out');
    const yTrue = uniformPair(rng, [8, 5], 0, 1);
    const yPred = uniformPair(rng, [8, 5], 0.05, 0.95);
    const crossentropy: Twin = {
      km: (p) => yTrue.km.mul(p.clipByValue(1e-7, 1 - 1e-7).log()).sum(-1).neg(),
      tf: (p) => tf.neg(tf.sum(tf.mul(yTrue.tf, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1)),
    };
    expectSameGradients(rng, crossentropy, [yPred], 'categorical crossentropy per sample');
    const huber: Twin = {
      km: (p) => {
        const err = km.abs(yTrue.km.sub(p));
        const quadratic = km.minimum(err, 1);
        return quadratic.square().mul(0.5).add(err.sub(quadratic)).mean(-1);
      },
      tf: (p) => {
        const err = tf.abs(tf.sub(yTrue.tf, p));
        const quadratic = tf.minimum(err, 1);
        return tf.mean(tf.add(tf.mul(tf.square(quadratic), 0.5), tf.sub(err, quadratic)), -1);
      },
    };
    expectSameGradients(rng, huber, [yPred], 'Huber per sample');
    expect(yPred.km.isDisposed).toBe(false);
  });
});
