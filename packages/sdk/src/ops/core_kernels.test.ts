// Large pools and resizes on the WASM core (the 'wasm' backend) against tfjs-core 4.22 (CPU backend)
// and against kerasm's own host loops (on 'tfjs-cpu', where they always run): maxima to the bit,
// means within float32 rounding; inputs the core would pool differently (NaN, ±Infinity, -0,
// windows of padding only) keep the host's values to the bit; gradients unchanged; and no buffer
// left behind on the core. The resizes' own checks are in image/resize_core_tfjs.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import type { Tensor } from '../tensor.js';
import { expectCloseToTfjs, expectSameAsTfjs, pairOf, pick, randomPair, uniformPair, type Pair } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { hostAndCore, kernelCallCount } from '../testing/core_calls.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.setBackend('wasm');
});

const int = (rng: Random, low: number, high: number) => low + Math.floor(rng.next() * (high - low + 1));

/**
 * A random batch of odd sizes (channel counts from 9 to 21: mostly off the core's 4-lane SIMD, and
 * past the 16 channels its maxPool takes per walk), large enough that even a 2×2 (or 2×2×2) average
 * pool with stride 2 reads past CORE_ROUNDED_READS.
 */
function largeShape(rng: Random, rank: 4 | 5): number[] {
  const spatial = Array.from({ length: rank - 2 }, () => int(rng, rank === 5 ? 15 : 45, rank === 5 ? 19 : 57));
  return [rank === 5 ? 3 : 4, ...spatial, int(rng, 9, 21)];
}

describe('pools and resizes on the WASM core', () => {
  it('maxPool: the host\'s maxima to the bit, ties included; avgPool within float32 rounding (2-D and 3-D)', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 12; trial++) {
      const rank = trial < 8 ? 4 : 5;
      const shape = largeShape(rng, rank);
      // Normal draws (no -0, which would send maxima of 0 back to the host), or small integers with many ties.
      const x: Pair = trial % 2 === 0 ? randomPair(rng, shape, 'float32', 2) : pairOf(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => Math.floor(rng.uniform(-2, 3))), shape);
      const size = int(rng, 2, 3);
      const strides = int(rng, 1, 2);
      const pad = pick(rng, ['valid', 'same', 1] as const);
      const what = `x [${shape}] filterSize ${size} strides ${strides} pad ${pad}`;
      let ours: Tensor[] = [];
      const calls = kernelCallCount('maxPool', () => {
        ours = rank === 4 ? [km.maxPool(x.km, size, strides, pad)] : [km.maxPool3d(x.km, size, strides, pad)];
      }) + kernelCallCount('avgPool', () => {
        ours.push(rank === 4 ? km.avgPool(x.km, size, strides, pad) : km.avgPool3d(x.km, size, strides, pad));
      });
      expect(calls, what).toBe(2);
      const x4 = x.tf as tf.Tensor4D;
      const x5 = x.tf as tf.Tensor5D;
      expectSameAsTfjs(ours[0], rank === 4 ? tf.maxPool(x4, size, strides, pad) : tf.maxPool3d(x5, size, strides, pad), `maxPool ${what}`);
      expectCloseToTfjs(ours[1], rank === 4 ? tf.avgPool(x4, size, strides, pad) : tf.avgPool3d(x5, size, strides, pad), `avgPool ${what}`);
    }
  });

  it('keeps the host\'s values to the bit where the core would differ: NaN, ±Infinity, -0, windows of padding only, dilations', () => {
    const rng = new Random(6);
    const shape = [4, 48, 48, 9];
    const n = shape.reduce((a, b) => a * b);
    const special = (value: number) => {
      const values = Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
      for (let i = 0; i < 40; i++) values[int(rng, 0, n - 1)] = value;
      return pairOf(values, shape);
    };
    for (const [name, x] of [['NaN', special(NaN)], ['Infinity', special(Infinity)], ['-Infinity', special(-Infinity)]] as const) {
      expectSameAsTfjs(km.maxPool(x.km, 3, 1, 'same'), tf.maxPool(x.tf as tf.Tensor4D, 3, 1, 'same'), `maxPool with ${name}`);
      expectSameAsTfjs(km.avgPool(x.km, 3, 1, 'same'), tf.avgPool(x.tf as tf.Tensor4D, 3, 1, 'same'), `avgPool with ${name}`);
      expectSameAsTfjs(km.image.resizeBilinear(x.km, [37, 29], false, true), tf.image.resizeBilinear(x.tf as tf.Tensor4D, [37, 29], false, true), `resizeBilinear with ${name}`);
    }
    // Zeros of both signs where they are the maxima: the first of a window wins on the host, +0 on the core.
    const zeros = pairOf(Float32Array.from({ length: n }, () => pick(rng, [-0, 0, -1])), shape);
    expectSameAsTfjs(km.maxPool(zeros.km, 2, 2, 'valid'), tf.maxPool(zeros.tf as tf.Tensor4D, 2, 2, 'valid'), 'maxPool of ±0');
    // Huge values, whose float32 sums and differences overflow.
    const huge = pairOf(Float32Array.from({ length: n }, () => rng.uniform(-3e38, 3e38)), shape);
    expectSameAsTfjs(km.avgPool(huge.km, 2, 2, 'valid'), tf.avgPool(huge.tf as tf.Tensor4D, 2, 2, 'valid'), 'avgPool of huge values');
    expectSameAsTfjs(km.image.resizeBilinear(huge.km, [37, 29], false, true), tf.image.resizeBilinear(huge.tf as tf.Tensor4D, [37, 29], false, true), 'resizeBilinear of huge values');
    // 'ceil' rounding adds windows past the padding: NaN in 2-D (tfjs), 0 in 3-D.
    const x = uniformPair(rng, [4, 47, 47, 9], -1, 1);
    const v = uniformPair(rng, [2, 21, 21, 21, 5], -1, 1);
    expect(kernelCallCount('avgPool', () => {
      expectSameAsTfjs(km.avgPool(x.km, 2, 2, 1, 'ceil'), tf.avgPool(x.tf as tf.Tensor4D, 2, 2, 1, 'ceil'), 'avgPool ceil');
      expectSameAsTfjs(km.avgPool3d(v.km, 2, 2, 1, 'ceil'), tf.avgPool3d(v.tf as tf.Tensor5D, 2, 2, 1, 'ceil'), 'avgPool3d ceil');
    })).toBe(0);
    expect(kernelCallCount('avgPool', () => [km.avgPool(x.km, 2, 2, 1, 'floor'), km.avgPool3d(v.km, 2, 2, 1, 'floor')]), 'the same pools rounded down, on the core').toBe(2);
    expect(kernelCallCount('maxPool', () => expectSameAsTfjs(km.pool(x.km, 3, 'max', 'same', 2), tf.pool(x.tf as tf.Tensor4D, 3, 'max', 'same', 2), 'dilated pool'))).toBe(0);
  });

  it('agrees with the host loops (the tfjs-cpu backend), gradients included', async () => {
    const rng = new Random(8);
    const x = randomPair(rng, [4, 31, 27, 9], 'float32', 2).km as Tensor<'float32'>;
    const ops: [string, (t: Tensor<'float32'>) => Tensor, 'maxPool' | 'avgPool', boolean][] = [
      ['maxPool', (t) => km.maxPool(t, 3, 2, 'same'), 'maxPool', true],
      ['avgPool', (t) => km.avgPool(t, 3, 2, 'same'), 'avgPool', false],
    ];
    for (const [name, f, kernel, exact] of ops) {
      const [host, core] = await hostAndCore(() => f(x).dataSync());
      expect(kernelCallCount(kernel, () => f(x)), name).toBe(1);
      if (exact) expect(Array.from(core), name).toEqual(Array.from(host));
      else expect(Math.max(...Array.from(core, (v, i) => Math.abs(v - host[i]))), name).toBeLessThanOrEqual(1e-5);
      const [hostGrad, coreGrad] = await hostAndCore(() => km.grad((t: Tensor<'float32'>) => km.sum(f(t)))(x).dataSync());
      expect(Array.from(coreGrad), `${name} gradient`).toEqual(Array.from(hostGrad));
    }
  });

  it('frees every buffer it allocates on the core, on the paths that fall back too', () => {
    const rng = new Random(9);
    const x = uniformPair(rng, [2, 24, 24, 7], -2, 2).km; // past the thresholds for each op below
    const values = x.dataSync().slice();
    values[100] = NaN;
    const withNaN = km.tensor(values, x.shape);
    const zeros = km.tensor(Float32Array.from(values, (_, i) => (i % 3 === 0 ? -0 : -1)), x.shape);
    const before = backend().memoryBytes();
    for (const t of [x, withNaN, zeros]) {
      km.maxPool(t, 2, 2, 'valid');
      km.avgPool(t, 3, 1, 'same');
      km.maxPool3d(t.reshape([1, ...t.shape]), 2, 1, 'valid');
      km.image.resizeBilinear(t, [41, 41], false, true);
      km.image.resizeNearestNeighbor(t, [41, 41], false, true);
    }
    expect(backend().memoryBytes()).toBe(before);
  });
});
