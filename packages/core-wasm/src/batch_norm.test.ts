import { describe, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive float64 batch normalization of a [rows, cols] matrix, per column, written from the formulas.
function reference(x: Float32Array, rows: number, cols: number, gamma: Float32Array, beta: Float32Array, eps: number) {
  const mean = Array.from({ length: cols }, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c];
    return s / rows;
  });
  const variance = mean.map((m, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += (x[r * cols + c] - m) ** 2;
    return s / rows;
  });
  const y = Array.from(x, (v, i) => gamma[i % cols] * (v - mean[i % cols]) / Math.sqrt(variance[i % cols] + eps) + beta[i % cols]);
  return { mean, variance, y };
}

describe.each(FLAVORS)('batch normalization (%s)', (flavor) => {
  it.each([[1, 3], [7, 5], [130, 4]])('training on %i×%i: batch statistics, output and moving statistics', async (rows, cols) => {
    const core = await coreFor(flavor);
    const x = randomArray(rows * cols, 3, -2, 3);
    const gamma = randomArray(cols, 4, 0.5, 2);
    const beta = randomArray(cols, 5);
    const moving = randomArray(2 * cols, 6, 0.1, 1);
    const [px, py, pg, pb, pmm, pmv, pmean, pinv] = [x, new Float32Array(rows * cols), gamma, beta, moving.subarray(0, cols), moving.subarray(cols), new Float32Array(cols), new Float32Array(cols)].map((a) => put(core, a));
    core.batchNormTrain(px, py, pg, pb, pmm, pmv, pmean, pinv, rows, cols, 1e-3, 0.99);
    const ref = reference(x, rows, cols, gamma, beta, 1e-3);
    expectClose(get(core, py, rows * cols), ref.y, 1e-4, 1e-5);
    expectClose(get(core, pmean, cols), ref.mean, 1e-5, 1e-6);
    expectClose(get(core, pinv, cols), ref.variance.map((v) => 1 / Math.sqrt(v + 1e-3)), 1e-5);
    expectClose(get(core, pmm, cols), ref.mean.map((m, c) => moving[c] * 0.99 + m * 0.01), 1e-5, 1e-6);
    expectClose(get(core, pmv, cols), ref.variance.map((v, c) => moving[cols + c] * 0.99 + v * 0.01), 1e-5, 1e-6);

    // Inference uses the moving statistics, so its output differs from training's.
    const pinfer = put(core, new Float32Array(rows * cols));
    core.batchNormInfer(px, pinfer, pg, pb, pmm, pmv, pinv, rows, cols, 1e-3);
    const mm = get(core, pmm, cols);
    const mv = get(core, pmv, cols);
    expectClose(get(core, pinfer, rows * cols), Array.from(x, (v, i) => gamma[i % cols] * (v - mm[i % cols]) / Math.sqrt(mv[i % cols] + 1e-3) + beta[i % cols]), 1e-5, 1e-5);
    [px, py, pg, pb, pmm, pmv, pmean, pinv, pinfer].forEach((p) => core.free(p));
  });

  it('gradients of Σ w·y against float64 finite differences; no scale or offset when their pointers are 0', async () => {
    const core = await coreFor(flavor);
    const [rows, cols] = [9, 3];
    const x = randomArray(rows * cols, 7, -1, 2);
    const gamma = randomArray(cols, 8, 0.5, 2);
    const beta = randomArray(cols, 9);
    const w = randomArray(rows * cols, 10);
    // Central differences in float64 over plain arrays.
    const fd = (values: ArrayLike<number>, f: (v: number[]) => number) => Array.from(values, (_, i) => {
      const up = Array.from(values);
      const down = Array.from(values);
      up[i] += 1e-4;
      down[i] -= 1e-4;
      return (f(up) - f(down)) / 2e-4;
    });
    const refLoss = (xs: number[], g: ArrayLike<number>, b: ArrayLike<number>) => {
      const mean = Array.from({ length: cols }, (_, c) => xs.filter((_, i) => i % cols === c).reduce((s, v) => s + v, 0) / rows);
      const variance = mean.map((m, c) => xs.filter((_, i) => i % cols === c).reduce((s, v) => s + (v - m) ** 2, 0) / rows);
      return xs.reduce((s, v, i) => s + w[i] * (g[i % cols] * (v - mean[i % cols]) / Math.sqrt(variance[i % cols] + 1e-3) + b[i % cols]), 0);
    };
    const [px, py, pg, pb, pmm, pmv, pmean, pinv, pw, pdx, pdg, pdb] = [x, new Float32Array(rows * cols), gamma, beta, new Float32Array(cols), new Float32Array(cols).fill(1), new Float32Array(cols), new Float32Array(cols), w, new Float32Array(rows * cols), new Float32Array(cols), new Float32Array(cols)].map((a) => put(core, a));
    core.batchNormTrain(px, py, pg, pb, pmm, pmv, pmean, pinv, rows, cols, 1e-3, 0.99);
    core.batchNormGrad(px, pw, pdx, pg, pmean, pinv, pdg, pdb, rows, cols);
    expectClose(get(core, pdx, rows * cols), fd(x, (v) => refLoss(v, gamma, beta)), 1e-3, 1e-4);
    expectClose(get(core, pdg, cols), fd(gamma, (g) => refLoss(Array.from(x), g, beta)), 1e-3, 1e-4);
    expectClose(get(core, pdb, cols), fd(beta, (b) => refLoss(Array.from(x), gamma, b)), 1e-3, 1e-4);

    const ones = new Float32Array(cols).fill(1);
    const zeros = new Float32Array(cols);
    core.batchNormTrain(px, py, 0, 0, pmm, pmv, pmean, pinv, rows, cols, 1e-3, 0.99);
    expectClose(get(core, py, rows * cols), reference(x, rows, cols, ones, zeros, 1e-3).y, 1e-4, 1e-5);
    core.batchNormGrad(px, pw, pdx, 0, pmean, pinv, 0, 0, rows, cols);
    expectClose(get(core, pdx, rows * cols), fd(x, (v) => refLoss(v, ones, zeros)), 1e-3, 1e-4);
    [px, py, pg, pb, pmm, pmv, pmean, pinv, pw, pdx, pdg, pdb].forEach((p) => core.free(p));
  });
});
