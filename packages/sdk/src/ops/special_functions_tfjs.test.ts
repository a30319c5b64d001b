// erf, expm1, logSigmoid, step and clone, and the binary divNoNan and prelu, against tfjs-core 4.22
// (CPU backend): values, dtypes and shapes at special and random inputs, and gradients against
// tf.grads, to the bit; divNoNan's gradient where b is 0 (NaN in tfjs) against TensorFlow's 0.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kmPublic from '../index.js';
import { tensor, type Tensor } from '../tensor.js';
import { broadcastableShape, expectSameAsTfjs, expectSameGradients, pairOf, pick, randomPair, randomShape, uniformPair, type Twin } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import * as km from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 0.5, -0.5, 1, -1, 2, -3, 5, -5, 20, -20, 100, -100, 1e-8, -1e-8, 3.9, -3.9];

const unaryOps: readonly (readonly [string, (x: Tensor) => Tensor, (x: tf.Tensor) => tf.Tensor])[] = [
  ['erf', km.erf, tf.erf],
  ['expm1', km.expm1, tf.expm1],
  ['logSigmoid', km.logSigmoid, tf.logSigmoid],
  ['step', (x) => km.step(x), (x) => tf.step(x)],
  ['step -0.5', (x) => km.step(x, -0.5), (x) => tf.step(x, -0.5)],
  ['clone', km.clone, tf.clone],
];

describe('special functions match tfjs-core 4.22', () => {
  it('unary ops: values at special and random inputs of random shapes, and gradients against tf.grads', () => {
    const rng = new Random(61);
    const special = pairOf(Float32Array.from(SPECIAL), [SPECIAL.length]);
    for (const [name, ours, theirs] of unaryOps) {
      expectSameAsTfjs(ours(special.km), theirs(special.tf), `${name} special values`);
      const twin: Twin = { km: (x) => ours(x), tf: (x) => theirs(x) };
      expectSameGradients(rng, twin, [pairOf(Float32Array.of(0, -0, 0.5, -1, 2, -20, 20, NaN), [8])], `${name} gradient at special values`);
      for (let trial = 0; trial < 8; trial++) {
        const x = uniformPair(rng, randomShape(rng, Math.floor(rng.next() * 4), 5), -6, 6);
        expectSameAsTfjs(ours(x.km), theirs(x.tf), `${name} [${x.km.shape.join(', ')}]`);
        expectSameGradients(rng, twin, [x], `${name} [${x.km.shape.join(', ')}]`);
      }
    }
  });

  it('dtypes: erf makes int32 float32, step and clone keep int32 (a fractional alpha truncating), expm1 and logSigmoid refuse it', () => {
    const i = pairOf(Int32Array.of(-3, -1, 0, 1, 4), [5]);
    expectSameAsTfjs(km.erf(i.km), tf.erf(i.tf), 'erf int32');
    expectSameAsTfjs(km.step(i.km), tf.step(i.tf), 'step int32');
    expectSameAsTfjs(km.step(i.km, -1.7), tf.step(i.tf, -1.7), 'step int32 alpha -1.7');
    expectSameAsTfjs(km.clone(i.km), tf.clone(i.tf), 'clone int32');
    expect(() => km.expm1(i.km)).toThrow(/km\.expm1\(\) takes a float32 tensor.*Received: x\.dtype='int32'/);
    expect(() => km.logSigmoid(i.km)).toThrow(/km\.logSigmoid\(\) takes a float32 tensor.*Received: x\.dtype='int32'/);
    expect(() => km.step(i.km, '1' as unknown as number)).toThrow(/km\.step\(\): alpha must be a number.*Received: alpha="1"/);
  });

  it('clone copies: a new tensor whose values survive the original', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const copy = km.clone(x);
    expect(copy).not.toBe(x);
    x.dispose();
    expect(copy.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(km.clone([5, 6]).arraySync()).toEqual([5, 6]);
  });

  it('divNoNan: values over random broadcast shapes of every dtype pairing, zeros in b included', () => {
    const rng = new Random(62);
    for (let trial = 0; trial < 40; trial++) {
      const out = randomShape(rng, Math.floor(rng.next() * 4), 4);
      const a = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const), 3);
      const b = randomPair(rng, broadcastableShape(rng, out), pick(rng, ['float32', 'int32'] as const), 2);
      expectSameAsTfjs(km.divNoNan(a.km, b.km), tf.divNoNan(a.tf, b.tf), `divNoNan ${a.km.dtype} [${a.km.shape.join(', ')}] ${b.km.dtype} [${b.km.shape.join(', ')}]`);
    }
    const a = pairOf(Float32Array.of(1, 0, NaN, Infinity, -2, 7), [6]);
    const b = pairOf(Float32Array.of(0, 0, 0, 0, -0, 2), [6]);
    expectSameAsTfjs(km.divNoNan(a.km, b.km), tf.divNoNan(a.tf, b.tf), 'divNoNan by 0');
  });

  it('divNoNan: gradients are d/da = dy/b and d/db = -dy·a/b², summed over broadcast axes, and 0 where b is 0 (tfjs has none: tf.grads throws)', () => {
    const rng = new Random(63);
    for (let trial = 0; trial < 25; trial++) {
      const out = randomShape(rng, 1 + Math.floor(rng.next() * 3), 4);
      const [aShape, bShape] = [broadcastableShape(rng, out), broadcastableShape(rng, out)];
      const a = uniformPair(rng, aShape, -3, 3);
      const b = randomPair(rng, bShape, 'int32', 2).km.cast('float32'); // integers in [-2, 2]: zeros are common
      const rank = Math.max(aShape.length, bShape.length);
      const outShape = Array.from({ length: rank }, (_, k) => Math.max(aShape[k - rank + aShape.length] ?? 1, bShape[k - rank + bShape.length] ?? 1));
      const dy = uniformPair(rng, outShape, -2, 2).km;
      const { grads } = km.valueAndGrads((p: Tensor, q: Tensor) => km.divNoNan(p, q))([a.km, b], dy);
      // float64 reference: each output element's share, by naive broadcast indexing.
      const [av, bv, dyv] = [a.km.dataSync(), b.dataSync(), dy.dataSync()];
      const [ga, gb] = [new Float64Array(av.length), new Float64Array(bv.length)];
      for (let i = 0; i < dyv.length; i++) {
        const [ia, ib] = [broadcastIndex(i, outShape, aShape), broadcastIndex(i, outShape, bShape)];
        if (bv[ib] === 0) continue;
        ga[ia] += dyv[i] / bv[ib];
        gb[ib] -= (dyv[i] * av[ia]) / (bv[ib] * bv[ib]);
      }
      const what = `divNoNan gradient [${aShape.join(', ')}] [${bShape.join(', ')}]`;
      expectClose(grads[0].dataSync(), ga, `${what}: a`);
      expectClose(grads[1].dataSync(), gb, `${what}: b`);
    }
    const [ta, tb] = [tf.tensor([1, 2]), tf.tensor([0, 2])];
    expect(() => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.divNoNan(p, q))([ta, tb])).toThrow(/gradient function not found for Equal/);
  });

  it('prelu: values (always float32) over random broadcast alphas, and gradients for x and alpha', () => {
    const rng = new Random(64);
    const twin: Twin = { km: (x, a) => km.prelu(x, a), tf: (x, a) => tf.prelu(x, a) };
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng, 1 + Math.floor(rng.next() * 3), 5);
      const x = uniformPair(rng, shape, -3, 3);
      const alpha = uniformPair(rng, broadcastableShape(rng, shape), -0.5, 0.5);
      const what = `prelu [${shape.join(', ')}] alpha [${alpha.km.shape.join(', ')}]`;
      expectSameAsTfjs(km.prelu(x.km, alpha.km), tf.prelu(x.tf, alpha.tf), what);
      expectSameGradients(rng, twin, [x, alpha], what);
    }
    const special = pairOf(Float32Array.from(SPECIAL), [SPECIAL.length]);
    const slope = pairOf(Float32Array.of(0.25), [1]);
    expectSameAsTfjs(km.prelu(special.km, slope.km), tf.prelu(special.tf, slope.tf), 'prelu special values');
    expectSameGradients(rng, twin, [pairOf(Float32Array.of(0, -0, 1, -1, NaN), [5]), pairOf(Float32Array.of(0.1), [1])], 'prelu gradient at 0 and NaN');
    const i = pairOf(Int32Array.of(-3, 2, 0), [3]);
    expectSameAsTfjs(km.prelu(i.km, i.km), tf.prelu(i.tf, i.tf), 'prelu int32 gives float32');
    expect(() => km.prelu(tensor([1, 2, 3]), tensor([0.1, 0.2]))).toThrow(/km\.prelu\(\): shapes \[3\] and \[2\] do not broadcast/);
  });

  it('are reachable as km.xxx and as tensor methods', () => {
    const x = tensor([0.25, -0.5, 2]);
    for (const name of ['erf', 'expm1', 'logSigmoid', 'step', 'clone'] as const) {
      expect(Array.from(x[name]().dataSync()), name).toEqual(Array.from(km[name](x).dataSync()));
      expect(kmPublic[name], name).toBe(km[name]);
    }
    expect(Array.from(x.step(-2).dataSync())).toEqual([1, -2, 1]);
    expect(Array.from(x.divNoNan(tensor([0, 2, 4])).dataSync())).toEqual([0, -0.25, 0.5]);
    expect(Array.from(x.prelu(tensor([0.5])).dataSync())).toEqual([0.25, -0.25, 2]);
    expect([kmPublic.divNoNan, kmPublic.prelu]).toEqual([km.divNoNan, km.prelu]);
  });
});

/** The flat index into an operand of `shape` that broadcasts to output element `i` of `out`. */
function broadcastIndex(i: number, out: readonly number[], shape: readonly number[]): number {
  let index = 0;
  let stride = 1;
  let rest = i;
  for (let k = out.length - 1; k >= 0; k--) {
    const coordinate = rest % out[k];
    rest = Math.floor(rest / out[k]);
    const d = shape[k - (out.length - shape.length)];
    if (d === undefined) continue;
    if (d !== 1) index += coordinate * stride;
    stride *= d;
  }
  return index;
}

function expectClose(ours: ArrayLike<number>, reference: Float64Array, what: string): void {
  expect(ours.length, what).toBe(reference.length);
  reference.forEach((r, i) => expect(Math.abs(ours[i] - r), `${what} [${i}]: ${ours[i]} against ${r}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(r))));
}
