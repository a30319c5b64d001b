// km.image.resizeBilinear and resizeNearestNeighbor on the WASM core (the 'wasm' backend, resizes of
// CORE_EXACT_READS = 4,096 reads or more, a bilinear output counting its four taps) against
// tfjs-core 4.22's CPU kernels, to the bit on every grid: float32 and int32 images, odd sizes, up
// and down, 1-pixel inputs and outputs, NaN, ±Infinity, -0 and huge values; against kerasm's own
// host loops (on 'tfjs-cpu', where they always run); and small resizes staying on the host.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../../index.js';
import { backend } from '../../backend/registry.js';
import type { Tensor } from '../../tensor.js';
import { pairOf, randomPair, type Pair } from '../../testing/tfjs_op_parity.js';
import { Random } from '../../utils/random.js';
import { kernelCallCount } from '../../testing/core_calls.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.setBackend('wasm');
});

const GRIDS: readonly [boolean, boolean][] = [[false, false], [true, false], [false, true]];
const MODES = ['bilinear', 'nearest'] as const;
const kmOps = { bilinear: km.image.resizeBilinear, nearest: km.image.resizeNearestNeighbor } as const;
const tfOps = { bilinear: tf.image.resizeBilinear, nearest: tf.image.resizeNearestNeighbor } as const;

/**
 * The first index where `ours` and `expected` differ (Object.is: -0 is not 0, NaN is NaN), or -1:
 * a failing toEqual over 10^5 values would spend minutes printing its diff.
 */
function firstDifference(ours: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (ours.length !== expected.length) return Math.min(ours.length, expected.length);
  for (let i = 0; i < ours.length; i++) if (!Object.is(ours[i], expected[i])) return i;
  return -1;
}

/** `resize` ran on the core and its result equals `expected` in shape, dtype and every value. */
function expectCoreResult(resize: () => Tensor, expected: { shape: readonly number[]; dtype: string; values: ArrayLike<number> }, what: string): void {
  let ours: Tensor | undefined;
  expect(kernelCallCount('resizeOnGrid', () => (ours = resize())), `${what}: on the core`).toBe(1);
  expect({ what, shape: [...ours!.shape], dtype: ours!.dtype }).toEqual({ what, shape: [...expected.shape], dtype: expected.dtype });
  const at = firstDifference(ours!.dataSync(), expected.values);
  expect(at, `${what}: first difference at ${at}: ${ours!.dataSync()[at]} against ${expected.values[at]}`).toBe(-1);
}

/** Resizes `x` with km (asserting it ran on the core) and tfjs, and compares every value to the bit (NaN as NaN). */
function expectCoreSameAsTfjs(mode: (typeof MODES)[number], x: Pair, size: [number, number], alignCorners: boolean, halfPixelCenters: boolean, what: string): void {
  const theirs = tfOps[mode](x.tf as tf.Tensor4D, size, alignCorners, halfPixelCenters);
  expectCoreResult(() => kmOps[mode](x.km, size, alignCorners, halfPixelCenters), { shape: theirs.shape, dtype: theirs.dtype, values: theirs.dataSync() }, what);
  theirs.dispose();
}

/** [shape, size]: odd sizes and channel counts, up and down, batches, 1-pixel inputs and outputs, each ≥ 4,096 reads. */
const CASES: readonly [number[], [number, number]][] = [
  [[8, 32, 32, 16], [48, 48]],
  [[3, 17, 13, 5], [29, 31]],
  [[6, 45, 39, 9], [11, 7]],
  [[8, 9, 20, 7], [23, 5]],
  [[5, 1, 1, 9], [13, 17]],
  [[64, 9, 7, 65], [1, 1]],
  [[16, 1, 40, 6], [1, 45]],
  [[14, 25, 1, 10], [30, 1]],
  [[41, 37, 4], [43, 29]],
];

describe('km.image resizes on the WASM core equal tfjs-core 4.22 to the bit', () => {
  it('float32 images, every grid, both interpolations', () => {
    const rng = new Random(11);
    for (const [shape, size] of CASES) {
      const x = randomPair(rng, shape, 'float32', 3);
      for (const mode of MODES) {
        for (const [align, half] of GRIDS) expectCoreSameAsTfjs(mode, x, size, align, half, `${mode} align=${align} half=${half} [${shape}] -> [${size}]`);
      }
    }
  });

  it('int32 images (camera frames, and values beyond 2^24): bilinear gives float32, nearest keeps int32 values exactly', () => {
    const rng = new Random(12);
    for (const [shape, size] of CASES.slice(0, 5)) {
      const n = shape.reduce((a, b) => a * b, 1);
      const pixels = pairOf(Int32Array.from({ length: n }, () => Math.floor(rng.uniform(0, 256))), shape);
      const large = pairOf(Int32Array.from({ length: n }, () => Math.floor(rng.uniform(-(2 ** 31), 2 ** 31))), shape);
      for (const mode of MODES) {
        for (const [align, half] of GRIDS) {
          expectCoreSameAsTfjs(mode, pixels, size, align, half, `${mode} align=${align} half=${half} int32 pixels [${shape}] -> [${size}]`);
        }
      }
      for (const [align, half] of GRIDS) {
        const what = `align=${align} half=${half} large int32 [${shape}] -> [${size}]`;
        expectCoreSameAsTfjs('bilinear', large, size, align, half, `bilinear ${what}`);
        // tfjs' nearest rounds int32 values through float32; kerasm copies them. tfjs' nearest of
        // the elements' indices (exact in float32) gives the element each output copies.
        const indices = tf.tensor(Float32Array.from({ length: n }, (_, i) => i), shape);
        const sources = tf.image.resizeNearestNeighbor(indices as tf.Tensor4D, size, align, half);
        const largeValues = large.km.dataSync();
        const values = Int32Array.from(sources.dataSync(), (k) => largeValues[k]);
        expectCoreResult(() => km.image.resizeNearestNeighbor(large.km, size, align, half), { shape: sources.shape, dtype: 'int32', values }, `nearest ${what}`);
        tf.dispose([indices, sources]);
      }
    }
  });

  it('NaN, ±Infinity, -0 and values whose differences overflow float32', () => {
    const rng = new Random(13);
    const shape = [4, 23, 19, 5];
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
    const specials = [NaN, Infinity, -Infinity, -0, 0, 3e38, -3e38];
    for (let i = 0; i < n; i += 5) values[i] = specials[Math.floor(rng.next() * specials.length)];
    const x = pairOf(values, shape);
    for (const mode of MODES) {
      for (const [align, half] of GRIDS) expectCoreSameAsTfjs(mode, x, [37, 11], align, half, `${mode} align=${align} half=${half} with special values`);
    }
  });

  it('agrees with the host loops (the tfjs-cpu backend), gradients (on the core too) included, and small resizes stay on the host', async () => {
    const rng = new Random(14);
    for (const [shape, size] of [[[4, 31, 27, 9], [40, 13]], ...CASES.slice(1, 8)] as [number[], [number, number]][]) {
      const x = randomPair(rng, shape, 'float32', 2).km as Tensor<'float32'>;
      for (const mode of MODES) {
        for (const [align, half] of GRIDS) {
          const what = `${mode} align=${align} half=${half} [${shape}] -> [${size}]`;
          const f = (t: Tensor<'float32'>) => kmOps[mode](t, size, align, half) as Tensor;
          const grad = km.grad((t: Tensor<'float32'>) => km.sum(km.mul(f(t), f(t))));
          await km.setBackend('tfjs-cpu');
          const [host, hostGrad] = [f(x), grad(x).dataSync()];
          await km.setBackend('wasm');
          expectCoreResult(() => f(x), { shape: host.shape, dtype: 'float32', values: host.dataSync() }, what);
          let ours: ArrayLike<number> = [];
          expect(kernelCallCount('resizeOnGridGrad', () => (ours = grad(x).dataSync())), `${what}: gradient on the core`).toBe(2);
          expect(firstDifference(ours, hostGrad), `${what} gradient`).toBe(-1);
        }
      }
    }
    // 1,023 bilinear outputs (4,092 reads) and 4,095 nearest ones: below the threshold.
    const small = randomPair(rng, [1, 20, 20, 3], 'float32', 2).km;
    expect(kernelCallCount('resizeOnGrid', () => [km.image.resizeBilinear(small, [11, 31]), km.image.resizeNearestNeighbor(small, [21, 65])])).toBe(0);
    expect(kernelCallCount('resizeOnGrid', () => [km.image.resizeBilinear(small, [16, 22]), km.image.resizeNearestNeighbor(small, [16, 86])])).toBe(2);
  });

  it("alignCorners' exact halves round up as tfjs' Math.round, and a row of more than 2^16 outputs", () => {
    const rng = new Random(16);
    // alignCorners from 2 pixels to 3 samples at 0, 0.5 and 1 (the 0.5 copies pixel 1), from 3 to 5 at 0, 0.5, ..., 2.
    const cases: [number[], [number, number], boolean, boolean][] = [
      [[1, 2, 2, 512], [3, 3], true, false], [[1, 3, 3, 512], [5, 5], true, false], [[1, 2, 2, 512], [3, 5], false, true],
      [[1, 2, 2, 1], [1, 70000], false, true], [[1, 3, 2, 1], [2, 70001], true, false], [[1, 2, 3, 1], [70000, 1], false, false],
    ];
    for (const [shape, size, align, half] of cases) {
      const x = randomPair(rng, shape, 'float32', 3);
      for (const mode of MODES) expectCoreSameAsTfjs(mode, x, size, align, half, `${mode} align=${align} half=${half} [${shape}] -> [${size}]`);
    }
  });

  it('frees every buffer it allocates on the core', () => {
    const x = randomPair(new Random(15), [2, 24, 24, 7], 'float32', 2).km;
    const before = backend().memoryBytes();
    for (const mode of MODES) {
      for (const [align, half] of GRIDS) kmOps[mode](x, [41, 41], align, half);
    }
    expect(backend().memoryBytes()).toBe(before);
  });
});
