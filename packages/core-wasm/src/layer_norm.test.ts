import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, finiteDifferences, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive float64 layer normalization of each row of [rows, cols], written from the definition.
function forwardReference(x: ArrayLike<number>, rows: number, cols: number, gamma: ArrayLike<number> | null, beta: ArrayLike<number> | null, eps: number) {
  const y: number[] = [];
  const mean: number[] = [];
  const invStd: number[] = [];
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < cols; c++) m += x[r * cols + c];
    m /= cols;
    let v = 0;
    for (let c = 0; c < cols; c++) v += (x[r * cols + c] - m) ** 2;
    const s = 1 / Math.sqrt(v / cols + eps);
    mean.push(m);
    invStd.push(s);
    for (let c = 0; c < cols; c++) y.push((x[r * cols + c] - m) * s * (gamma ? gamma[c] : 1) + (beta ? beta[c] : 0));
  }
  return { y, mean, invStd };
}

const EPS = 1e-3;

describe.each(FLAVORS)('layer normalization (%s)', (flavor) => {
  // Row lengths around the 4-lane width exercise the SIMD body, the remainder loop, and both.
  it.each([[3, 1], [2, 3], [4, 4], [5, 7], [3, 17], [2, 63], [2, 65], [1, 784]])('forward over %i rows of %i: output, row means and inverse std', async (rows, cols) => {
    const core = await coreFor(flavor);
    const x = randomArray(rows * cols, 11 + cols, -2, 3);
    const gamma = randomArray(cols, 12, 0.5, 2);
    const beta = randomArray(cols, 13);
    const [px, py, pg, pb, pmean, pinv] = [x, new Float32Array(rows * cols), gamma, beta, new Float32Array(rows), new Float32Array(rows)].map((a) => put(core, a));
    core.layerNormForward(px, py, pg, pb, pmean, pinv, rows, cols, EPS);
    const ref = forwardReference(x, rows, cols, gamma, beta, EPS);
    expectClose(get(core, py, rows * cols), ref.y, 1e-4, 1e-5);
    expectClose(get(core, pmean, rows), ref.mean, 1e-5, 1e-6);
    expectClose(get(core, pinv, rows), ref.invStd, 1e-4);
    // Without scale and offset (null pointers) it is the plain normalisation.
    core.layerNormForward(px, py, 0, 0, pmean, pinv, rows, cols, EPS);
    expectClose(get(core, py, rows * cols), forwardReference(x, rows, cols, null, null, EPS).y, 1e-4, 1e-5);
    [px, py, pg, pb, pmean, pinv].forEach((p) => core.free(p));
  });

  it('a constant row normalises to beta (variance 0, ε keeps it finite)', async () => {
    const core = await coreFor(flavor);
    const cols = 6;
    const beta = randomArray(cols, 14);
    const [px, py, pb, pmean, pinv] = [new Float32Array(cols).fill(2.5), new Float32Array(cols), beta, new Float32Array(1), new Float32Array(1)].map((a) => put(core, a));
    core.layerNormForward(px, py, 0, pb, pmean, pinv, 1, cols, EPS);
    expectClose(get(core, py, cols), Array.from(beta), 1e-6, 1e-6);
    expect(get(core, pinv, 1)[0]).toBeCloseTo(1 / Math.sqrt(EPS), 3);
    [px, py, pb, pmean, pinv].forEach((p) => core.free(p));
  });

  it.each([[4, 3], [3, 4], [3, 9], [2, 13]])('backward over %i rows of %i: gradients of Σ w·y against float64 finite differences', async (rows, cols) => {
    const core = await coreFor(flavor);
    const n = rows * cols;
    const x = randomArray(n, 21 + cols, -1, 2);
    const gamma = randomArray(cols, 22, 0.5, 2);
    const beta = randomArray(cols, 23);
    const w = randomArray(n, 24);
    const loss = (xs: ArrayLike<number>, g: ArrayLike<number> | null, b: ArrayLike<number> | null) =>
      forwardReference(xs, rows, cols, g, b, EPS).y.reduce((s, v, i) => s + w[i] * v, 0);
    const [px, py, pg, pb, pmean, pinv, pw, pdx, pdg, pdb] = [x, new Float32Array(n), gamma, beta, new Float32Array(rows), new Float32Array(rows), w, new Float32Array(n), new Float32Array(cols).fill(9), new Float32Array(cols).fill(9)].map((a) => put(core, a));
    core.layerNormForward(px, py, pg, pb, pmean, pinv, rows, cols, EPS);
    core.layerNormBackward(px, pw, pdx, pg, pmean, pinv, pdg, pdb, rows, cols);
    expectClose(get(core, pdx, n), finiteDifferences(x, (v) => loss(v, gamma, beta)), 2e-3, 2e-4);
    expectClose(get(core, pdg, cols), finiteDifferences(gamma, (g) => loss(x, g, beta)), 1e-3, 1e-4);
    expectClose(get(core, pdb, cols), finiteDifferences(beta, (b) => loss(x, gamma, b)), 1e-3, 1e-4);

    // No scale: the input gradient is that of the plain normalisation; null gradient pointers are skipped.
    core.layerNormForward(px, py, 0, 0, pmean, pinv, rows, cols, EPS);
    core.layerNormBackward(px, pw, pdx, 0, pmean, pinv, 0, 0, rows, cols);
    expectClose(get(core, pdx, n), finiteDifferences(x, (v) => loss(v, null, null)), 2e-3, 2e-4);

    // dx may overwrite dy in place.
    const expected = get(core, pdx, n);
    core.layerNormBackward(px, pw, pw, 0, pmean, pinv, 0, 0, rows, cols);
    expectClose(get(core, pw, n), Array.from(expected), 1e-6, 1e-7);
    [px, py, pg, pb, pmean, pinv, pw, pdx, pdg, pdb].forEach((p) => core.free(p));
  });
});
