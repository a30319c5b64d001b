import { describe, it } from 'vitest';
import { coreFor, expectClose, finiteDifferences, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive float64 RMS normalization of each row of [rows, cols], written from Keras 3's definition.
function forwardReference(x: ArrayLike<number>, rows: number, cols: number, scale: ArrayLike<number> | null, eps: number) {
  const y: number[] = [];
  const invRms: number[] = [];
  for (let r = 0; r < rows; r++) {
    let meanSquare = 0;
    for (let c = 0; c < cols; c++) meanSquare += x[r * cols + c] ** 2;
    const s = 1 / Math.sqrt(meanSquare / cols + eps);
    invRms.push(s);
    for (let c = 0; c < cols; c++) y.push(x[r * cols + c] * s * (scale ? scale[c] : 1));
  }
  return { y, invRms };
}

const EPS = 1e-6;

describe.each(FLAVORS)('RMS normalization (%s)', (flavor) => {
  // Row lengths around the 4-lane width exercise the SIMD body, the remainder loop, and both.
  it.each([[3, 1], [2, 3], [4, 4], [5, 7], [3, 17], [2, 65], [1, 784]])('forward over %i rows of %i: output and inverse RMS', async (rows, cols) => {
    const core = await coreFor(flavor);
    const x = randomArray(rows * cols, 31 + cols, -2, 3);
    const scale = randomArray(cols, 32, 0.5, 2);
    const [px, py, ps, pinv] = [x, new Float32Array(rows * cols), scale, new Float32Array(rows)].map((a) => put(core, a));
    core.rmsNormForward(px, py, ps, pinv, rows, cols, EPS);
    const ref = forwardReference(x, rows, cols, scale, EPS);
    expectClose(get(core, py, rows * cols), ref.y, 1e-4, 1e-5);
    expectClose(get(core, pinv, rows), ref.invRms, 1e-4);
    core.rmsNormForward(px, py, 0, pinv, rows, cols, EPS);
    expectClose(get(core, py, rows * cols), forwardReference(x, rows, cols, null, EPS).y, 1e-4, 1e-5);
    [px, py, ps, pinv].forEach((p) => core.free(p));
  });

  it.each([[4, 3], [3, 4], [3, 9], [2, 13]])('backward over %i rows of %i: gradients of Σ w·y against float64 finite differences', async (rows, cols) => {
    const core = await coreFor(flavor);
    const n = rows * cols;
    // Values away from 0 on average, so the mean is not 0 and a centred gradient would differ.
    const x = randomArray(n, 41 + cols, -1, 2);
    const scale = randomArray(cols, 42, 0.5, 2);
    const w = randomArray(n, 43);
    const loss = (xs: ArrayLike<number>, s: ArrayLike<number> | null) => forwardReference(xs, rows, cols, s, EPS).y.reduce((t, v, i) => t + w[i] * v, 0);
    const [px, py, ps, pinv, pw, pdx, pds] = [x, new Float32Array(n), scale, new Float32Array(rows), w, new Float32Array(n), new Float32Array(cols).fill(9)].map((a) => put(core, a));
    core.rmsNormForward(px, py, ps, pinv, rows, cols, EPS);
    core.rmsNormBackward(px, pw, pdx, ps, pinv, pds, rows, cols);
    expectClose(get(core, pdx, n), finiteDifferences(x, (v) => loss(v, scale)), 2e-3, 2e-4);
    expectClose(get(core, pds, cols), finiteDifferences(scale, (s) => loss(x, s)), 1e-3, 1e-4);

    // dx may overwrite dy in place; a null dScale is skipped.
    const expected = get(core, pdx, n);
    core.rmsNormBackward(px, pw, pw, ps, pinv, 0, rows, cols);
    expectClose(get(core, pw, n), Array.from(expected), 1e-6, 1e-7);
    [px, py, ps, pinv, pw, pdx, pds].forEach((p) => core.free(p));
  });
});
