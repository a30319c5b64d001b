import { describe, expect, it } from 'vitest';
import { coreFor, FLAVORS, put, randomArray, rng } from './test_support.js';

function argmax(x: ArrayLike<number>, offset: number, cols: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (x[offset + c] > x[offset + best]) best = c;
  return best;
}

describe.each(FLAVORS)('metrics (%s)', (flavor) => {
  it('countArgmaxMatchesSparse and Dense agree with a reference, ties go to the first index', async () => {
    const core = await coreFor(flavor);
    for (const [rows, cols] of [[1, 1], [3, 17], [64, 10], [65, 3]]) {
      // Quantised values produce plenty of ties.
      const p = randomArray(rows * cols, rows + cols, 0, 4).map(Math.floor);
      const t = randomArray(rows * cols, 2 * rows + cols, 0, 4).map(Math.floor);
      const r = rng(rows * cols);
      const labels = Int32Array.from({ length: rows }, (_, i) => (r() > 0 ? argmax(p, i * cols, cols) : Math.floor(r(0, cols))));
      let sparse = 0, dense = 0;
      for (let i = 0; i < rows; i++) {
        if (argmax(p, i * cols, cols) === labels[i]) sparse++;
        if (argmax(p, i * cols, cols) === argmax(t, i * cols, cols)) dense++;
      }
      const pp = put(core, p), pt = put(core, t), pl = put(core, labels);
      expect(core.countArgmaxMatchesSparse(pp, pl, rows, cols)).toBe(sparse);
      expect(core.countArgmaxMatchesDense(pp, pt, rows, cols)).toBe(dense);
      for (const ptr of [pp, pt, pl]) core.free(ptr);
    }
  });

  it('countArgmaxMatchesSparse picks the first of tied maxima', async () => {
    const core = await coreFor(flavor);
    const pp = put(core, [1, 3, 3, 0]), l1 = put(core, Int32Array.from([1])), l2 = put(core, Int32Array.from([2]));
    expect(core.countArgmaxMatchesSparse(pp, l1, 1, 4)).toBe(1);
    expect(core.countArgmaxMatchesSparse(pp, l2, 1, 4)).toBe(0);
    for (const ptr of [pp, l1, l2]) core.free(ptr);
  });

  it('countBinaryMatches compares t with (p > threshold)', async () => {
    const core = await coreFor(flavor);
    for (const n of [1, 3, 17, 65]) {
      const p = randomArray(n, n, 0, 1);
      const t = randomArray(n, 3 * n, 0, 1).map(Math.round);
      for (const threshold of [0.5, 0.2]) {
        const expected = Array.from(p).filter((v, i) => (v > threshold ? 1 : 0) === t[i]).length;
        const pp = put(core, p), pt = put(core, t);
        expect(core.countBinaryMatches(pp, pt, n, threshold)).toBe(expected);
        core.free(pp);
        core.free(pt);
      }
    }
  });
});
