import { describe, expect, it } from 'vitest';
import { coreFor, FLAVORS, get, put, randomArray, referenceGemm, TEST_THREADS } from './test_support.js';

// [m, n, k]: odd sizes, the MNIST training shapes, and blocks crossing MC=120, NC=512, KC=256.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 17, 63], [17, 3, 65], [63, 65, 1], [65, 63, 17], [1, 784, 3], [784, 1, 3],
  [5, 9, 784], [64, 64, 784], [784, 64, 64], [64, 10, 64], [64, 64, 10], [125, 17, 300],
];

// Every flavor on one thread and split across 2 and 3 (the larger shapes split; see gemm_partition).
const CONFIGS = FLAVORS.flatMap((flavor) => [...new Set([TEST_THREADS, 2, 3])].map((threads) => [flavor, threads] as const));

describe.each(CONFIGS)('gemm (%s, %i threads)', (flavor, threads) => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const acc of [false, true]) {
        it(`transA=${transA} transB=${transB} accumulate=${acc}`, async () => {
          const core = await coreFor(flavor, threads);
          let seed = 1;
          for (const [m, n, k] of SHAPES) {
            // Padded strides on odd shapes so row strides are not multiples of 4.
            const pad = m % 2;
            const lda = (transA ? m : k) + pad;
            const ldb = (transB ? k : n) + pad;
            const ldc = n + pad;
            const aLen = (transA ? k : m) * lda;
            const bLen = (transB ? n : k) * ldb;
            const a = randomArray(aLen, seed++);
            const b = randomArray(bLen, seed++);
            const c0 = randomArray(m * ldc, seed++);
            const pa = put(core, a), pb = put(core, b), pc = put(core, c0);
            core.gemm(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, acc);
            const got = get(core, pc, m * ldc);
            const { c, mag } = referenceGemm(transA, transB, m, n, k, a, lda, b, ldb, c0, ldc, acc);
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < ldc; j++) {
                const actual = got[i * ldc + j];
                if (j >= n) {
                  // Padding columns must be untouched.
                  expect(actual).toBe(c0[i * ldc + j]);
                  continue;
                }
                const tol = 1e-6 + 4e-7 * Math.sqrt(k + 1) * mag[i * n + j];
                if (!(Math.abs(actual - c[i * n + j]) <= tol)) {
                  expect.fail(`[${m}x${n}x${k}] C[${i},${j}] = ${actual}, expected ${c[i * n + j]} ± ${tol}`);
                }
              }
            }
            core.free(pa);
            core.free(pb);
            core.free(pc);
          }
        });
      }
    }
  }

  it('k = 0 zeroes C, or leaves it when accumulating', async () => {
    const core = await coreFor(flavor, threads);
    const c = put(core, [1, 2, 3, 4, 5, 6]);
    core.gemm(false, false, 2, 3, 0, 0, 0, 0, 3, c, 3, true);
    expect(Array.from(get(core, c, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    core.gemm(false, false, 2, 3, 0, 0, 0, 0, 3, c, 3, false);
    expect(Array.from(get(core, c, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    core.free(c);
  });

  it('gives bit-identical results to one thread', async () => {
    const single = await coreFor(flavor, 1);
    const core = await coreFor(flavor, threads);
    expect(core.threads).toBe(threads);
    // [transA, transB, m, n, k]: row splits (m ≥ n), column splits, and ragged last parts.
    const cases: [boolean, boolean, number, number, number][] = [
      [false, false, 64, 64, 784], [true, false, 784, 64, 64], [false, true, 64, 785, 64], [true, true, 131, 29, 301],
    ];
    let seed = 500;
    for (const [transA, transB, m, n, k] of cases) {
      const a = randomArray(m * k, seed++), b = randomArray(k * n, seed++);
      const out: Float32Array[] = [];
      for (const c of [single, core]) {
        const pa = put(c, a), pb = put(c, b), pc = put(c, new Float32Array(m * n));
        c.gemm(transA, transB, m, n, k, pa, transA ? m : k, pb, transB ? k : n, pc, n, false);
        out.push(get(c, pc, m * n));
        c.free(pa);
        c.free(pb);
        c.free(pc);
      }
      expect(out[1]).toEqual(out[0]);
    }
  });

  it('crosses the NC=512 column block', async () => {
    const core = await coreFor(flavor, threads);
    const [m, n, k] = [7, 530, 9];
    const a = randomArray(m * k, 90), b = randomArray(k * n, 91), c0 = new Float32Array(m * n);
    const pa = put(core, a), pb = put(core, b), pc = put(core, c0);
    core.gemm(false, false, m, n, k, pa, k, pb, n, pc, n, false);
    const got = get(core, pc, m * n);
    const { c, mag } = referenceGemm(false, false, m, n, k, a, k, b, n, c0, n, false);
    for (let i = 0; i < m * n; i++) expect(Math.abs(got[i] - c[i])).toBeLessThanOrEqual(1e-6 + 2e-6 * mag[i]);
    core.free(pa);
    core.free(pb);
    core.free(pc);
  });
});
