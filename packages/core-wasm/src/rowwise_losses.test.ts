import { describe, expect, it } from 'vitest';
import { RowLossKind } from './loss_kind.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Keras' per-sample formulas in float64, written independently of the kernel.
const norm = (v: number[]) => Math.sqrt(Math.max(v.reduce((s, x) => s + x * x, 0), 1e-12));
const REFERENCE: Record<RowLossKind, (p: number[], t: number[]) => number> = {
  [RowLossKind.CategoricalHinge]: (p, t) => {
    const pos = p.reduce((s, v, j) => s + t[j] * v, 0);
    const neg = Math.max(...p.map((v, j) => (1 - t[j]) * v));
    return Math.max(neg - pos + 1, 0);
  },
  [RowLossKind.CosineSimilarity]: (p, t) => -p.reduce((s, v, j) => s + (v / norm(p)) * (t[j] / norm(t)), 0),
};

const KINDS = Object.values(RowLossKind).filter((k): k is RowLossKind => typeof k === 'number');

describe.each(FLAVORS)('rowwiseLoss (%s)', (flavor) => {
  it.each(KINDS)('kind %i: loss matches the float64 formula and the gradient its finite differences', async (kind) => {
    const core = await coreFor(flavor);
    const [rows, cols] = [7, 5];
    const p = randomArray(rows * cols, 5 + kind, -2, 2);
    const t = kind === RowLossKind.CategoricalHinge
      ? Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === (i * 7) % cols ? 1 : 0))
      : randomArray(rows * cols, 31 + kind, -1, 1);
    const pp = put(core, p), pt = put(core, t), pd = core.malloc(4 * rows * cols);
    const loss = core.rowwiseLoss(kind, pp, pt, pd, rows, cols, 0.5);
    const row = (a: Float32Array, r: number) => Array.from(a.subarray(r * cols, (r + 1) * cols));
    const f = REFERENCE[kind];
    let expected = 0;
    const fd: number[] = [];
    const h = 1e-6;
    for (let r = 0; r < rows; r++) {
      const pr = row(p, r), tr = row(t, r);
      expected += f(pr, tr);
      for (let j = 0; j < cols; j++) {
        const up = pr.slice(), down = pr.slice();
        up[j] += h;
        down[j] -= h;
        fd.push((0.5 * (f(up, tr) - f(down, tr))) / (2 * h));
      }
    }
    expect(Math.abs(loss - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(1e-6);
    expect(fd.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    expectClose(get(core, pd, rows * cols), fd, 1e-4, 1e-4);
    for (const ptr of [pp, pt, pd]) core.free(ptr);
  });
});
