// Shared test helpers (not part of the build): seeded data, buffer transfer, tolerances.
import { expect } from 'vitest';
import type { Core, Flavor } from './core.js';
import { loadCore } from './loader.js';

export const FLAVORS: Flavor[] = ['simd', 'relaxed-simd'];

/**
 * Threads of the Cores coreFor hands out: vitest.threads.config.ts sets KERASM_CORE_THREADS so
 * that every kernel test also runs on the shared-memory builds with worker threads.
 */
export const TEST_THREADS = Number(process.env.KERASM_CORE_THREADS ?? 1);

const cores = new Map<string, Promise<Core>>();
/** One Core per flavor and thread count per test file; tests free what they allocate. */
export function coreFor(flavor: Flavor, threads = TEST_THREADS): Promise<Core> {
  const key = `${flavor}/${threads}`;
  let core = cores.get(key);
  if (!core) {
    core = loadCore({ flavor, threads });
    cores.set(key, core);
  }
  return core;
}

/** Deterministic uniform numbers in [lo, hi) (mulberry32). */
export function rng(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + (hi - lo) * u;
  };
}

/** n random f32-representable values. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r(lo, hi);
  return out;
}

/** Copies data into a fresh heap buffer and returns its pointer. */
export function put(core: Core, data: Float32Array | Int32Array | number[]): number {
  const ptr = core.malloc(4 * Math.max(data.length, 1));
  if (data instanceof Int32Array) core.i32().set(data, ptr / 4);
  else core.f32().set(data, ptr / 4);
  return ptr;
}

/** Reads n floats at ptr. */
export function get(core: Core, ptr: number, n: number): Float32Array {
  return core.f32().slice(ptr / 4, ptr / 4 + n);
}

/** float64 reference of C = (acc ? C : 0) + op(A)·op(B); also returns Σ|a·b| per element. */
export function referenceGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, lda: number, b: Float32Array, ldb: number, c0: Float32Array, ldc: number, acc: boolean,
): { c: Float64Array; mag: Float64Array } {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = acc ? c0[i * ldc + j] : 0;
      let g = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * lda + i] : a[i * lda + p];
        const y = transB ? b[j * ldb + p] : b[p * ldb + j];
        s += x * y;
        g += Math.abs(x * y);
      }
      c[i * n + j] = s;
      mag[i * n + j] = g;
    }
  }
  return { c, mag };
}

/** Element-wise |actual − expected| ≤ atol + rtol·|expected| with the first failure reported. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Odd sizes the kernels must handle: tails of 1-3 beyond multiples of 4, 8, 120. */
export const ODD_SIZES = [1, 3, 17, 63, 65, 784];

/** Central differences in float64 of f over each entry of values (step 1e-4). */
export function finiteDifferences(values: ArrayLike<number>, f: (v: number[]) => number): number[] {
  return Array.from(values, (_, i) => {
    const up = Array.from(values);
    const down = Array.from(values);
    up[i] += 1e-4;
    down[i] -= 1e-4;
    return (f(up) - f(down)) / 2e-4;
  });
}
