import { describe, it } from 'vitest';
import type { Core } from './core.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Lamb and Adafactor step one weight tensor at a time (their norms are per weight), so each size
// is one weight; these are odd to reach the kernels' scalar tails.
const SIZES = [1, 3, 17, 63, 65];
const STEPS = 5;
const f = Math.fround;

interface Buffers { p: Float64Array; state: Float64Array[] }

/** Runs the kernel and a float64 loop for STEPS steps from the same start, then compares all buffers. */
function checkSteps(
  core: Core, n: number, stateLengths: number[],
  kernel: (p: number, g: number, state: number[], t: number) => void,
  reference: (b: Buffers, g: Float32Array, t: number) => void,
): void {
  const p = Float64Array.from(randomArray(n, 7 * n + 1));
  const state = stateLengths.map((length) => new Float64Array(length));
  const pp = put(core, Float32Array.from(p)), pg = core.malloc(4 * n);
  const ps = stateLengths.map((length) => put(core, new Float32Array(length)));
  for (let t = 1; t <= STEPS; t++) {
    const g = randomArray(n, 31 * n + t);
    core.f32().set(g, pg / 4);
    kernel(pp, pg, ps, t);
    reference({ p, state }, g, t);
  }
  expectClose(get(core, pp, n), p, 2e-5, 1e-6);
  state.forEach((s, i) => expectClose(get(core, ps[i], s.length), s, 2e-5, 1e-7));
  for (const ptr of [pp, pg, ...ps]) core.free(ptr);
}

const sumSq = (x: ArrayLike<number>): number => Array.from(x).reduce((a, v) => a + v * v, 0);

describe.each(FLAVORS)('per-weight optimizer kernels (%s)', (flavor) => {
  it('lambUpdate: Adam moments, then a step scaled by the trust ratio ‖p‖/‖u‖', async () => {
    const core = await coreFor(flavor);
    // β as doubles: the kernel rounds 1 − β from them and updates the moments as m += (g − m)·(1 − β).
    const [b1, b2, eps, lr] = [0.9, 0.999, f(1e-6), f(0.01)];
    for (const n of SIZES) {
      checkSteps(core, n, [n, n],
        (p, g, [m, v], t) => core.lambUpdate(p, g, m, v, n, lr, b1, b2, eps, 1 - 0.9 ** t, 1 - 0.999 ** t),
        ({ p, state: [m, v] }, g, t) => {
          const u = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            m[i] += (g[i] - m[i]) * f(1 - b1);
            v[i] += (g[i] * g[i] - v[i]) * f(1 - b2);
            u[i] = m[i] / (1 - 0.9 ** t) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + eps);
          }
          const ratio = Math.sqrt(sumSq(p)) / Math.sqrt(sumSq(u));
          for (let i = 0; i < n; i++) p[i] -= lr * ratio * u[i];
        });
    }
  });

  it('lambUpdate: a weight of norm 0 takes the plain step (ratio 1), as Keras does', async () => {
    const core = await coreFor(flavor);
    const n = 5;
    const pp = put(core, new Float32Array(n)), pg = put(core, Float32Array.of(1, -2, 3, 0.5, -0.25));
    const pm = put(core, new Float32Array(n)), pv = put(core, new Float32Array(n));
    // First step with ε = 0: m̂ = g and v̂ = g², so u = sign(g) and p = −lr·sign(g).
    core.lambUpdate(pp, pg, pm, pv, n, 0.1, 0.9, 0.999, 0, 1 - 0.9, 1 - 0.999);
    expectClose(get(core, pp, n), [-0.1, 0.1, -0.1, -0.1, 0.1], 1e-5, 1e-6);
    for (const ptr of [pp, pg, pm, pv]) core.free(ptr);
  });

  for (const [batches, rows, cols] of [[1, 1, 1], [1, 3, 5], [1, 17, 3], [2, 4, 63], [3, 5, 17], [1, 2, 65]]) {
    it(`adafactorUpdate factored over ${batches}×${rows}×${cols}: row and column means, rank-one v`, async () => {
      const core = await coreFor(flavor);
      const n = batches * rows * cols;
      const [rho, e1, e2, clip] = [f(0.01), f(1e-30), f(1e-3), f(1)];
      checkSteps(core, n, [batches * rows, batches * cols, n],
        (p, g, [r, c, v], t) => core.adafactorUpdate(p, g, r, c, v, batches, rows, cols, true, rho, 1 - t ** -0.8, e1, e2, clip),
        ({ p, state: [r, c, v] }, g, t) => {
          // β and 1 − β = t^−0.8 each rounded from the double.
          const [beta, rest] = [f(1 - t ** -0.8), f(t ** -0.8)];
          const alpha = Math.max(e2, Math.sqrt(sumSq(p) / n)) * rho;
          for (let b = 0; b < batches; b++) {
            const at = (i: number, j: number) => (b * rows + i) * cols + j;
            for (let i = 0; i < rows; i++) {
              let mean = 0;
              for (let j = 0; j < cols; j++) mean += (g[at(i, j)] ** 2 + e1) / cols;
              r[b * rows + i] = beta * r[b * rows + i] + rest * mean;
            }
            for (let j = 0; j < cols; j++) {
              let mean = 0;
              for (let i = 0; i < rows; i++) mean += (g[at(i, j)] ** 2 + e1) / rows;
              c[b * cols + j] = beta * c[b * cols + j] + rest * mean;
            }
            let rMean = 0;
            for (let i = 0; i < rows; i++) rMean += r[b * rows + i] / rows;
            for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) v[at(i, j)] = (r[b * rows + i] / rMean) * c[b * cols + j];
          }
          const u = Float64Array.from(g, (gi, i) => gi / Math.sqrt(v[i]));
          const scale = alpha / Math.max(1, Math.sqrt(sumSq(u) / n) / clip);
          for (let i = 0; i < n; i++) p[i] -= scale * u[i];
        });
    });
  }

  it('adafactorUpdate unfactored (vectors): a full running mean of g² + ε1, with the update clipped to rms ≤ clipThreshold', async () => {
    const core = await coreFor(flavor);
    // clipThreshold 0.5 is below the first steps' rms(u) (about 1), so the clip is active.
    const [rho, e1, e2, clip] = [f(0.05), f(1e-30), f(1e-3), f(0.5)];
    for (const n of SIZES) {
      checkSteps(core, n, [n],
        (p, g, [v], t) => core.adafactorUpdate(p, g, 0, 0, v, 1, 1, n, false, rho, 1 - t ** -0.8, e1, e2, clip),
        ({ p, state: [v] }, g, t) => {
          const [beta, rest] = [f(1 - t ** -0.8), f(t ** -0.8)];
          const alpha = Math.max(e2, Math.sqrt(sumSq(p) / n)) * rho;
          for (let i = 0; i < n; i++) v[i] = beta * v[i] + rest * (g[i] ** 2 + e1);
          const u = Float64Array.from(g, (gi, i) => gi / Math.sqrt(v[i]));
          const scale = alpha / Math.max(1, Math.sqrt(sumSq(u) / n) / clip);
          for (let i = 0; i < n; i++) p[i] -= scale * u[i];
        });
    }
  });
});
