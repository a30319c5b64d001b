// tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh and atan2 against tfjs-core 4.22 (CPU
// backend): values, dtypes and shapes at special and random inputs, and gradients against tf.grads,
// to the bit.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmPublic from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { broadcastableShape, expectSameAsTfjs, expectSameGradients, pairOf, randomShape, uniformPair, type Twin } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 0.5, -0.5, 1, -1, 1.5, -1.5, 2, 3.14159, -100, 100, 1e-8, 0.999, -0.999];

const unaryOps: readonly (readonly [string, (x: Tensor) => Tensor, (x: tf.Tensor) => tf.Tensor, number, number])[] = [
  ['tan', km.tan, tf.tan, -1.5, 1.5],
  ['asin', km.asin, tf.asin, -1, 1],
  ['acos', km.acos, tf.acos, -1, 1],
  ['atan', km.atan, tf.atan, -6, 6],
  ['sinh', km.sinh, tf.sinh, -5, 5],
  ['cosh', km.cosh, tf.cosh, -5, 5],
  ['asinh', km.asinh, tf.asinh, -6, 6],
  ['acosh', km.acosh, tf.acosh, 1, 6],
  ['atanh', km.atanh, tf.atanh, -1, 1],
];

describe('trigonometric ops match tfjs-core 4.22', () => {
  it('unary ops: values at special and random inputs of random shapes, and gradients against tf.grads', () => {
    const rng = new Random(51);
    const special = pairOf(Float32Array.from(SPECIAL), [SPECIAL.length]);
    for (const [name, ours, theirs, low, high] of unaryOps) {
      expectSameAsTfjs(ours(special.km), theirs(special.tf), `${name} special values`);
      const twin: Twin = { km: (x) => ours(x), tf: (x) => theirs(x) };
      expectSameGradients(rng, twin, [pairOf(Float32Array.of(0, -0, 0.5, -0.5, 1, -1, 2, -2, 6, NaN), [10])], `${name} gradient at special values`);
      for (let trial = 0; trial < 8; trial++) {
        const x = uniformPair(rng, randomShape(rng, Math.floor(rng.next() * 4), 5), low, high);
        expectSameAsTfjs(ours(x.km), theirs(x.tf), `${name} [${x.km.shape.join(', ')}]`);
        expectSameGradients(rng, twin, [x], `${name} [${x.km.shape.join(', ')}]`);
      }
    }
  });

  it('unary ops refuse int32, which tfjs truncates to integers, naming the cast', () => {
    for (const [name, ours] of unaryOps) {
      expect(() => ours(tensor([1, 2], [2], 'int32')), name).toThrow(new RegExp(`km\\.${name}\\(\\) takes a float32 tensor.*Received: x\\.dtype='int32'`));
    }
  });

  it('atan2: values over random broadcast shapes and every quadrant and zero, and gradients for both operands', () => {
    const rng = new Random(52);
    const ys = [0, -0, 1, -1, 0, -0, 1, -1, NaN, Infinity, -Infinity, Infinity, 2.5];
    const xs = [0, 0, 0, 0, -0, -0, -1, -1, 1, Infinity, Infinity, -Infinity, -3];
    const [a, b] = [pairOf(Float32Array.from(ys), [ys.length]), pairOf(Float32Array.from(xs), [xs.length])];
    expectSameAsTfjs(km.atan2(a.km, b.km), tf.atan2(a.tf, b.tf), 'atan2 special values');
    const twin: Twin = { km: (p, q) => km.atan2(p, q), tf: (p, q) => tf.atan2(p, q) };
    for (let trial = 0; trial < 30; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 4), 5);
      const p = uniformPair(rng, broadcastableShape(rng, out), -3, 3);
      const q = uniformPair(rng, broadcastableShape(rng, out), -3, 3);
      const what = `atan2 [${p.km.shape.join(', ')}] [${q.km.shape.join(', ')}]`;
      expectSameAsTfjs(km.atan2(p.km, q.km), tf.atan2(p.tf, q.tf), what);
      expectSameGradients(rng, twin, [p, q], what);
    }
    const i = pairOf(Int32Array.of(1, -2, 3), [3]);
    const f = pairOf(Float32Array.of(2, 2, -0.5), [3]);
    expectSameAsTfjs(km.atan2(i.km, f.km), tf.atan2(tf.cast(i.tf, 'float32'), f.tf), 'atan2 int32 with float32 is float32');
    expect(() => km.atan2(i.km, i.km)).toThrow(/km\.atan2\(\) takes float32 operands.*Received: a\.dtype='int32', b\.dtype='int32'/);
    expect(() => km.atan2(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/km\.atan2\(\): shapes \[3\] and \[2\] do not broadcast/);
  });

  it('are reachable as km.xxx and as tensor methods', () => {
    const x = tensor([0.25, -0.5]);
    for (const [name, ours] of unaryOps) {
      const method = (x as unknown as Record<string, () => Tensor>)[name].call(x);
      expect(Array.from(method.dataSync()), name).toEqual(Array.from(ours(x).dataSync()));
      expect((kmPublic as unknown as Record<string, unknown>)[name], name).toBe(ours);
    }
    expect(kmPublic.atan2).toBe(km.atan2);
    expect(Array.from(x.atan2(tensor([1, -1])).dataSync())).toEqual(Array.from(km.atan2(x, tensor([1, -1])).dataSync()));
  });
});
