import { describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

/** Sparsemax of one row by Martins & Astudillo's sort-based algorithm, in float64. */
function sparsemaxRef(row: number[]): number[] {
  const sorted = [...row].sort((a, b) => b - a);
  let cumulative = 0, support = 0, supportSum = 0;
  sorted.forEach((z, j) => {
    cumulative += z;
    if (1 + (j + 1) * z > cumulative) {
      support = j + 1;
      supportSum = cumulative;
    }
  });
  const tau = (supportSum - 1) / support;
  return row.map((v) => Math.max(v - tau, 0));
}

const gluRef = (row: number[]): number[] => {
  const half = row.length / 2;
  return row.slice(0, half).map((a, c) => a / (1 + Math.exp(-row[half + c])));
};

/** dy·J of a row function by central differences in float64. */
function vjp(f: (row: number[]) => number[], row: number[], dy: ArrayLike<number>, h = 1e-6): number[] {
  const dot = (v: number[]) => v.reduce((s, y, j) => s + y * dy[j], 0);
  return row.map((_, c) => {
    const up = row.slice(), down = row.slice();
    up[c] += h;
    down[c] -= h;
    return (dot(f(up)) - dot(f(down))) / (2 * h);
  });
}

const rowsOf = (x: ArrayLike<number>, rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => x[r * cols + c]));

describe.each(FLAVORS)('sparsemax and glu (%s)', (flavor) => {
  it('sparsemax: forward against the sort-based float64 algorithm, rows sum to 1 with exact zeros; in place too', async () => {
    const core = await coreFor(flavor);
    for (const [rows, cols] of [[1, 1], [3, 2], [4, 7], [2, 33], [3, 130]]) {
      const x = randomArray(rows * cols, rows * 31 + cols, -3, 3);
      const expected = rowsOf(x, rows, cols).flatMap(sparsemaxRef);
      const px = put(core, x), py = core.malloc(4 * rows * cols);
      core.activationForward(Activation.Sparsemax, px, py, rows, cols);
      const y = get(core, py, rows * cols);
      expectClose(y, expected, 1e-5, 1e-6);
      for (const row of rowsOf(y, rows, cols)) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      // Exact zeros outside the support, where the float64 reference is 0.
      expected.forEach((e, i) => { if (e === 0) expect(y[i]).toBe(0); });
      core.activationForward(Activation.Sparsemax, px, px, rows, cols);
      expectClose(get(core, px, rows * cols), expected, 1e-5, 1e-6);
      [px, py].forEach((p) => core.free(p));
    }
  });

  it('sparsemax: a row far from zero and a tied row (shift invariance, equal shares)', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.from([1000.5, 1000, 999, -5e3, 2, 2, 2, 2]);
    const py = put(core, x);
    core.activationForward(Activation.Sparsemax, py, py, 2, 4);
    expectClose(get(core, py, 8), [0.75, 0.25, 0, 0, 0.25, 0.25, 0.25, 0.25], 1e-6, 1e-6);
    core.free(py);
  });

  it('sparsemax: backward from the output against central differences, and the bias gradient', async () => {
    const core = await coreFor(flavor);
    for (const [rows, cols] of [[3, 5], [2, 33]]) {
      const x = randomArray(rows * cols, rows + cols, -2, 2);
      const dy = randomArray(rows * cols, rows * cols);
      const expected = rowsOf(x, rows, cols).flatMap((row, r) => vjp(sparsemaxRef, row, dy.subarray(r * cols, (r + 1) * cols)));
      const px = put(core, x), pdy = put(core, dy), pdx = core.malloc(4 * rows * cols), pb = put(core, new Float32Array(cols).fill(1));
      core.activationForward(Activation.Sparsemax, px, px, rows, cols);
      core.activationBackward(Activation.Sparsemax, px, pdy, pdx, rows, cols);
      expectClose(get(core, pdx, rows * cols), expected, 1e-4, 1e-5);
      core.activationBackwardBias(Activation.Sparsemax, px, pdy, pdy, pb, rows, cols, true);
      expectClose(get(core, pdy, rows * cols), expected, 1e-4, 1e-5);
      const dBias = Array.from({ length: cols }, (_, c) => 1 + rowsOf(expected, rows, cols).reduce((s, row) => s + row[c], 0));
      expectClose(get(core, pb, cols), dBias, 1e-4, 1e-5);
      [px, pdy, pdx, pb].forEach((p) => core.free(p));
    }
  });

  it('gemm refuses to fuse sparsemax, which needs whole rows', async () => {
    const core = await coreFor(flavor);
    expect(() => core.gemm(false, false, 1, 1, 1, 0, 1, 0, 1, 0, 1, false, { activation: Activation.Sparsemax })).toThrow(/cannot fuse sparsemax/);
  });

  it('squareplus stays finite and exact for huge and tiny |x|, where x² overflows or x + √(x² + 4) cancels', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.from([1e20, -1e20, 3e38, -3e38, 1e4, -1e4, 0, -1e-3]);
    const px = put(core, x), pd = put(core, new Float32Array(8).fill(1));
    core.activationForward(Activation.Squareplus, px, px, 1, 8);
    const y = get(core, px, 8);
    // For x → −∞, squareplus → 1/|x|; for x → +∞, → x.
    expectClose(y, [1e20, 1e-20, 3e38, 1 / 3e38, 1e4 + 1e-4, 1e-4, 1, (-1e-3 + Math.sqrt(1e-6 + 4)) / 2], 1e-6, 0);
    core.activationBackward(Activation.Squareplus, px, pd, pd, 1, 8);
    expectClose(get(core, pd, 8), Array.from(x, (v) => (1 + v / Math.sqrt(v * v + 4)) / 2), 1e-6, 1e-30);
    [px, pd].forEach((p) => core.free(p));
  });

  it('glu: forward a ⊙ σ(b) per row and backward against central differences, on odd halves', async () => {
    const core = await coreFor(flavor);
    for (const [rows, half] of [[1, 1], [3, 5], [2, 8], [4, 33]]) {
      const cols = 2 * half;
      const x = randomArray(rows * cols, rows * 3 + half, -6, 6);
      const dy = randomArray(rows * half, rows + half);
      const px = put(core, x), py = core.malloc(4 * rows * half), pdy = put(core, dy), pdx = core.malloc(4 * rows * cols);
      core.gluForward(px, py, rows, half);
      expectClose(get(core, py, rows * half), rowsOf(x, rows, cols).flatMap(gluRef), 1e-5, 1e-6);
      core.gluBackward(px, pdy, pdx, rows, half);
      const expected = rowsOf(x, rows, cols).flatMap((row, r) => vjp(gluRef, row, dy.subarray(r * half, (r + 1) * half)));
      expectClose(get(core, pdx, rows * cols), expected, 1e-4, 1e-5);
      [px, py, pdy, pdx].forEach((p) => core.free(p));
    }
  });
});
