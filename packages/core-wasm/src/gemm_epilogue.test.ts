import { describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import type { Core } from './core.js';
import { coreFor, FLAVORS, get, put, randomArray, TEST_THREADS } from './test_support.js';
import { activationDerivativeRef, activationRef, ELEMENTWISE_ACTIVATIONS } from './test_activations.js';

const ELEMENTWISE = ELEMENTWISE_ACTIVATIONS;

// [transA, transB, m, n, k]: one tile, odd edges, blocks crossing MC=120 and NC=512, k = 0,
// and shapes that the pool splits by rows (64×64×784) and by columns (64×785×64).
const CASES: [boolean, boolean, number, number, number][] = [
  [false, false, 1, 1, 1], [false, false, 3, 17, 63], [true, false, 125, 17, 300], [false, true, 7, 530, 9],
  [false, false, 64, 64, 784], [false, true, 64, 785, 64], [false, false, 5, 6, 0],
];

interface Run { c: Float32Array; a: Float32Array; b: Float32Array; bias: Float32Array; c0: Float32Array }

/** C = f(op(A)·op(B) (+ C0) + bias) fused in one gemm call, and the same through separate kernels. */
function fusedAndSeparate(core: Core, [transA, transB, m, n, k]: (typeof CASES)[number], kind: Activation, withBias: boolean, acc: boolean, seed: number): { fused: Run; separate: Float32Array } {
  const a = randomArray(m * k, seed), b = randomArray(k * n, seed + 1), c0 = randomArray(m * n, seed + 2);
  const bias = randomArray(n, seed + 3);
  const pa = put(core, a), pb = put(core, b), pBias = put(core, bias);
  const lda = transA ? m : k, ldb = transB ? k : n;
  const pFused = put(core, c0), pSeparate = put(core, c0);
  core.gemm(transA, transB, m, n, k, pa, lda, pb, ldb, pFused, n, acc, { bias: withBias ? pBias : 0, activation: kind });
  core.gemm(transA, transB, m, n, k, pa, lda, pb, ldb, pSeparate, n, acc);
  if (withBias) core.biasAdd(pSeparate, pBias, m, n);
  core.activationForward(kind, pSeparate, pSeparate, m, n);
  const fused = { c: get(core, pFused, m * n), a, b, bias: withBias ? bias : new Float32Array(n), c0: acc ? c0 : new Float32Array(m * n) };
  const separate = get(core, pSeparate, m * n);
  for (const p of [pa, pb, pBias, pFused, pSeparate]) core.free(p);
  return { fused, separate };
}

const CONFIGS = FLAVORS.flatMap((flavor) => [...new Set([TEST_THREADS, 2])].map((threads) => [flavor, threads] as const));

describe.each(CONFIGS)('gemm with a bias and activation epilogue (%s, %i threads)', (flavor, threads) => {
  for (const kind of ELEMENTWISE) {
    it(`${Activation[kind]}: matches a float64 loop and is bit-identical to gemm, biasAdd, activationForward`, async () => {
      const core = await coreFor(flavor, threads);
      let seed = 10 * kind;
      for (const shape of CASES) {
        const [transA, transB, m, n, k] = shape;
        for (const [withBias, acc] of [[true, false], [false, true], [true, true]] as const) {
          const { fused, separate } = fusedAndSeparate(core, shape, kind, withBias, acc, (seed += 4));
          // findIndex rather than toEqual on the whole array: vitest's deep equality over 50 K floats
          // was most of this file's time.
          const differs = fused.c.findIndex((v, i) => !Object.is(v, separate[i]));
          if (differs >= 0) expect.fail(`${m}x${n}x${k} bias=${withBias} acc=${acc}: C[${differs}] fused ${fused.c[differs]}, separate ${separate[differs]}`);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let z = fused.c0[i * n + j] + fused.bias[j];
              let mag = Math.abs(z);
              for (let p = 0; p < k; p++) {
                const x = transA ? fused.a[p * m + i] : fused.a[i * k + p];
                const y = transB ? fused.b[j * k + p] : fused.b[p * n + j];
                z += x * y;
                mag += Math.abs(x * y);
              }
              const want = activationRef[kind](z);
              const got = fused.c[i * n + j];
              // The float32 error in z, carried through f (|f'(z)| > 1 for selu and exponential).
              const slope = Math.max(1, Math.abs(activationDerivativeRef[kind](z)));
              if (!(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)) + 4e-7 * Math.sqrt(k + 1) * mag * slope)) expect.fail(`[${m}x${n}x${k}] C[${i},${j}] = ${got}, expected ${want}`);
            }
          }
        }
      }
    });
  }

  it('refuses to fuse softmax, naming the kernel to call instead', async () => {
    const core = await coreFor(flavor, threads);
    expect(() => core.gemm(false, false, 1, 1, 1, 0, 1, 0, 1, 0, 1, false, { activation: Activation.Softmax })).toThrow(/cannot fuse softmax.*activationForward/);
  });
});

describe.each(FLAVORS)('activationBackwardBias (%s)', (flavor) => {
  for (const kind of [...ELEMENTWISE, Activation.Softmax] as const) {
    it(`${Activation[kind]}: dx as activationBackward and dBias as colSum of it, in one pass`, async () => {
      const core = await coreFor(flavor);
      for (const [rows, cols] of [[1, 1], [3, 17], [65, 3], [64, 64]]) {
        const x = randomArray(rows * cols, rows + cols, -3, 3);
        const dy = randomArray(rows * cols, rows * cols);
        const dBias0 = randomArray(cols, cols);
        const py = put(core, x);
        core.activationForward(kind, py, py, rows, cols);
        const y = get(core, py, rows * cols);
        const pdy = put(core, dy), pdx = put(core, new Float32Array(rows * cols)), pdx2 = put(core, new Float32Array(rows * cols));
        for (const acc of [false, true]) {
          const pBias = put(core, dBias0), pBias2 = put(core, dBias0);
          core.activationBackwardBias(kind, py, pdy, pdx, pBias, rows, cols, acc);
          core.activationBackward(kind, py, pdy, pdx2, rows, cols);
          core.colSum(pdx2, pBias2, rows, cols, acc);
          const dx = get(core, pdx, rows * cols), dBias = get(core, pBias, cols);
          expect(dx).toEqual(get(core, pdx2, rows * cols));
          expect(dBias).toEqual(get(core, pBias2, cols));
          // Independent float64 check of dBias from the definition of each derivative.
          for (let c = 0; c < cols; c++) {
            let want = acc ? dBias0[c] : 0;
            for (let r = 0; r < rows; r++) {
              const i = r * cols + c;
              if (kind === Activation.Softmax) {
                let dot = 0;
                for (let j = 0; j < cols; j++) dot += dy[r * cols + j] * y[r * cols + j];
                want += y[i] * (dy[i] - dot);
              } else {
                want += dy[i] * activationDerivativeRef[kind](x[i]);
              }
            }
            expect(Math.abs(dBias[c] - want)).toBeLessThanOrEqual(1e-5 * (1 + rows));
          }
          core.free(pBias);
          core.free(pBias2);
        }
        for (const p of [py, pdy, pdx, pdx2]) core.free(p);
      }
    });
  }
});
