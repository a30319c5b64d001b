// sign, floor, ceil, round, reciprocal, rsqrt, sin, cos, elu, selu, leakyRelu, relu6,
// squaredDifference, mod and floorDiv against tfjs-core 4.22 (CPU backend): values and dtypes, and
// gradients against tf.grads, to the bit.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../tensor.js';
import { broadcastableShape, expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, randomShape, uniformPair, type Twin } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// 0 and -0, NaN, ±Infinity, halves (round's ties), 6 (relu6's bound), values past exp's range.
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1, -1, 6, 6.5, -100, 100, 1e-8, 3.14159];

const unaryOps: readonly (readonly [string, (x: Tensor) => Tensor, (x: tf.Tensor) => tf.Tensor, number, number])[] = [
  ['sign', km.sign, tf.sign, -3, 3],
  ['floor', km.floor, tf.floor, -3, 3],
  ['ceil', km.ceil, tf.ceil, -3, 3],
  ['round', km.round, tf.round, -3, 3],
  ['reciprocal', km.reciprocal, tf.reciprocal, 0.2, 3],
  ['rsqrt', km.rsqrt, tf.rsqrt, 0.05, 5],
  ['sin', km.sin, tf.sin, -7, 7],
  ['cos', km.cos, tf.cos, -7, 7],
  ['elu', km.elu, tf.elu, -4, 4],
  ['selu', km.selu, tf.selu, -4, 4],
  ['leakyRelu', (x) => km.leakyRelu(x), (x) => tf.leakyRelu(x), -3, 3],
  ['leakyRelu 0.01', (x) => km.leakyRelu(x, 0.01), (x) => tf.leakyRelu(x, 0.01), -3, 3],
  ['relu6', km.relu6, tf.relu6, -2, 8],
];

describe('more element-wise ops match tfjs-core 4.22', () => {
  it('unary ops: values at special and random inputs, and gradients against tf.grads', () => {
    const rng = new Random(41);
    const special = pairOf(Float32Array.from(SPECIAL), [SPECIAL.length]);
    for (const [name, ours, theirs, low, high] of unaryOps) {
      expectSameAsTfjs(ours(special.km), theirs(special.tf), `${name} special values`);
      const twin: Twin = { km: (x) => ours(x), tf: (x) => theirs(x) };
      expectSameGradients(rng, twin, [pairOf(Float32Array.of(0, -0, 1, -1, 2, -2, 6, 0.5, NaN), [9])], `${name} gradient at special values`);
      for (let trial = 0; trial < 8; trial++) {
        const x = uniformPair(rng, randomShape(rng, Math.floor(rng.next() * 4)), low, high);
        expectSameAsTfjs(ours(x.km), theirs(x.tf), `${name} [${x.km.shape.join(', ')}]`);
        expectSameGradients(rng, twin, [x], `${name} [${x.km.shape.join(', ')}]`);
      }
    }
  });

  it('keeps int32 where tfjs does (sign, round, relu6), and leakyRelu makes it float32', () => {
    const i = pairOf(Int32Array.of(-9, -1, 0, 3, 7), [5]);
    for (const [name, ours, theirs] of unaryOps.filter(([n]) => ['sign', 'round', 'relu6', 'leakyRelu'].includes(n))) {
      expectSameAsTfjs(ours(i.km), theirs(i.tf), `${name} int32`);
    }
    expect(tensor([1.5]).round().dataSync()[0]).toBe(2);
    expect(tensor([[0.5, 2.5]]).round().arraySync()).toEqual([[0, 2]]);
  });

  it('squaredDifference, mod and floorDiv: values and dtypes over random broadcast shapes of every dtype pairing', () => {
    const rng = new Random(42);
    const ops = [
      ['squaredDifference', km.squaredDifference, tf.squaredDifference],
      ['mod', km.mod, tf.mod],
      ['floorDiv', km.floorDiv, tf.floorDiv],
    ] as const;
    for (let trial = 0; trial < 60; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 4));
      const a = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const), 6);
      const b = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const), 6);
      for (const [name, ours, theirs] of ops) {
        expectSameAsTfjs(ours(a.km, b.km), theirs(a.tf, b.tf), `${name} ${a.km.dtype} [${a.km.shape.join(', ')}] ${b.km.dtype} [${b.km.shape.join(', ')}]`);
      }
    }
    const a = pairOf(Int32Array.of(7, -7, 7, -7, 5, 0), [6]);
    const b = pairOf(Int32Array.of(3, 3, -3, -3, 0, 0), [6]);
    expectSameAsTfjs(km.mod(a.km, b.km), tf.mod(a.tf, b.tf), 'int32 mod signs and 0');
    expectSameAsTfjs(km.floorDiv(a.km, b.km), tf.floorDiv(a.tf, b.tf), 'int32 floorDiv signs and 0');
    const f = pairOf(Float32Array.of(7.5, -7.5, 1, -1, NaN, Infinity), [6]);
    const g = pairOf(Float32Array.of(2, 2, 0, -0, 1, 3), [6]);
    expectSameAsTfjs(km.mod(f.km, g.km), tf.mod(f.tf, g.tf), 'float32 mod specials');
    expectSameAsTfjs(f.km.squaredDifference(g.km), tf.squaredDifference(f.tf, g.tf), 't.squaredDifference');
    expectSameAsTfjs(km.floorDiv(f.km, g.km), tf.floorDiv(f.tf, g.tf), 'float32 floorDiv is int32');
  });

  it('squaredDifference and mod: gradients of both operands against tf.grads, broadcast ones summed', () => {
    const rng = new Random(43);
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng, Math.floor(rng.next() * 4));
      const a = uniformPair(rng, shape, -4, 4);
      const b = uniformPair(rng, shape, 0.5, 3);
      const what = `[${shape.join(', ')}]`;
      expectSameGradients(rng, { km: (p, q) => km.squaredDifference(p, q), tf: (p, q) => tf.squaredDifference(p, q) }, [a, b], `squaredDifference ${what}`);
      expectSameGradients(rng, { km: (p, q) => km.mod(p, q), tf: (p, q) => tf.mod(p, q) }, [a, b], `mod ${what}`);
      // tfjs' squaredDifference gradient keeps the broadcast shape (tfjs then throws); the same
      // function as square(sub(a, b)) has tfjs' reduced gradient, to the bit.
      const out = randomShape(rng, 1 + Math.floor(rng.next() * 3));
      const [sa, sb] = [broadcastableShape(rng, out), broadcastableShape(rng, out)];
      const [p, q] = [uniformPair(rng, sa, -3, 3), uniformPair(rng, sb, -3, 3)];
      const dy = randomPair(rng, km.squaredDifference(p.km, q.km).shape, 'float32', 2);
      const [ga, gb] = km.grads((x, y) => km.squaredDifference(x, y))([p.km, q.km], dy.km);
      const [ta, tb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.square(tf.sub(x, y)))([p.tf, q.tf], dy.tf);
      expectSameAsTfjs(ga, ta, `squaredDifference [${sa.join(', ')}] [${sb.join(', ')}]: gradient 0`);
      expectSameAsTfjs(gb, tb, `squaredDifference [${sa.join(', ')}] [${sb.join(', ')}]: gradient 1`);
      const m = uniformPair(rng, sb, 0.5, 3);
      expectSameGradients(rng, { km: (x, y) => km.mod(x, y), tf: (x, y) => tf.mod(x, y) }, [p, m], `mod [${sa.join(', ')}] [${sb.join(', ')}]`);
    }
  });

  it('floorDiv is int32, so it carries no gradient; float32-only ops name int32 input; leakyRelu names a bad alpha', () => {
    expect(() => km.grad((x) => km.floorDiv(x, 2))(tensor([3, 4]))).toThrow(/f returned an int32 tensor, which carries no gradient/);
    const i = tensor([1, 2], undefined, 'int32');
    expect(() => km.reciprocal(i)).toThrow("km.reciprocal() takes a float32 tensor (tfjs rejects int32 here, or truncates the result to an integer). Cast it first: km.reciprocal(km.cast(x, 'float32')). Received: x.dtype='int32'.");
    for (const op of [km.floor, km.ceil, km.rsqrt, km.sin, km.cos, km.elu, km.selu]) expect(() => op(i)).toThrow(/takes a float32 tensor .* Received: x\.dtype='int32'/);
    expect(() => km.leakyRelu(tensor([1]), Number.NaN)).toThrow('km.leakyRelu(): alpha must be a finite number, the slope below 0 (default 0.2). Received: alpha=NaN.');
    expect(() => km.mod(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/km\.mod\(\): shapes \[2\] and \[3\] do not broadcast/);
  });
});
