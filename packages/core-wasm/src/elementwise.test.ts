import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, ODD_SIZES, put, randomArray } from './test_support.js';

describe.each(FLAVORS)('elementwise kernels (%s)', (flavor) => {
  it('fill and copy handle every tail length', async () => {
    const core = await coreFor(flavor);
    for (const n of ODD_SIZES) {
      const guard = n + 4;
      const p = put(core, new Float32Array(guard).fill(-9));
      core.fill(p, n, 2.5);
      const got = get(core, p, guard);
      expect(got.slice(0, n).every((v) => v === 2.5)).toBe(true);
      expect(Array.from(got.slice(n))).toEqual([-9, -9, -9, -9]);
      const src = randomArray(n, n);
      const q = put(core, src);
      core.copy(p, q, n);
      expect(Array.from(get(core, p, n))).toEqual(Array.from(src));
      core.free(p);
      core.free(q);
    }
  });

  it('biasAdd adds the bias to every row', async () => {
    const core = await coreFor(flavor);
    for (const rows of [1, 3, 64]) {
      for (const cols of ODD_SIZES) {
        const x = randomArray(rows * cols, rows + cols);
        const bias = randomArray(cols, 7 * cols);
        const px = put(core, x), pb = put(core, bias);
        core.biasAdd(px, pb, rows, cols);
        const expected = Array.from(x, (v, i) => Math.fround(v + bias[i % cols]));
        expect(Array.from(get(core, px, rows * cols))).toEqual(expected);
        core.free(px);
        core.free(pb);
      }
    }
  });

  it('colSum sums columns, optionally accumulating', async () => {
    const core = await coreFor(flavor);
    for (const rows of [1, 17, 784]) {
      for (const cols of ODD_SIZES) {
        const x = randomArray(rows * cols, rows * 31 + cols);
        const out0 = randomArray(cols, cols);
        for (const acc of [false, true]) {
          const px = put(core, x), po = put(core, out0);
          core.colSum(px, po, rows, cols, acc);
          const expected = Array.from(out0, (v, c) => {
            let s = acc ? v : 0;
            for (let r = 0; r < rows; r++) s += x[r * cols + c];
            return s;
          });
          expectClose(get(core, po, cols), expected, 1e-5, 1e-5 * Math.sqrt(rows));
          core.free(px);
          core.free(po);
        }
      }
    }
  });

  it('gatherRows copies the indexed rows', async () => {
    const core = await coreFor(flavor);
    for (const rowLen of [1, 3, 784]) {
      const rows = 9;
      const src = randomArray(rows * rowLen, rowLen);
      const indices = Int32Array.from([8, 0, 3, 3, 5]);
      const ps = put(core, src), pi = put(core, indices), pd = core.malloc(4 * indices.length * rowLen);
      core.gatherRows(pd, ps, pi, indices.length, rowLen);
      const got = get(core, pd, indices.length * rowLen);
      indices.forEach((row, i) => {
        expect(Array.from(got.slice(i * rowLen, (i + 1) * rowLen))).toEqual(Array.from(src.slice(row * rowLen, (row + 1) * rowLen)));
      });
      core.free(ps);
      core.free(pi);
      core.free(pd);
    }
  });

  it('hasNonFinite finds NaN and ±Infinity anywhere, including tails', async () => {
    const core = await coreFor(flavor);
    for (const n of ODD_SIZES) {
      const x = randomArray(n, n, -1e30, 1e30);
      const p = put(core, x);
      expect(core.hasNonFinite(p, n)).toBe(false);
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const at of new Set([0, n >> 1, n - 1])) {
          core.f32()[p / 4 + at] = bad;
          expect(core.hasNonFinite(p, n)).toBe(true);
          core.f32()[p / 4 + at] = x[at];
        }
      }
      core.free(p);
    }
  });

  it('log and atan2 match Math.log and Math.atan2 (float64), with the edge cases of each', async () => {
    const core = await coreFor(flavor);
    for (const n of ODD_SIZES) {
      const x = randomArray(n, 3 * n, 1e-30, 1e4);
      const y = randomArray(n, 5 * n, -2, 2);
      const px = put(core, x), py = put(core, y), out = core.malloc(4 * n);
      core.log(px, out, n);
      expectClose(get(core, out, n), Array.from(x, Math.log), 1e-6, 1e-6);
      core.atan2(py, px, out, n);
      expectClose(get(core, out, n), Array.from(y, (v, i) => Math.atan2(v, x[i])), 1e-6, 1e-6);
      core.free(px);
      core.free(py);
      core.free(out);
    }
    const edges = put(core, [0, -1, 1, Infinity]);
    core.log(edges, edges, 4);
    expect(Array.from(get(core, edges, 4))).toEqual([-Infinity, NaN, 0, Infinity]);
    const [ys, xs] = [put(core, [0, 1, -1, 0]), put(core, [-1, 0, 0, 1])];
    core.atan2(ys, xs, ys, 4);
    expectClose(get(core, ys, 4), [Math.PI, Math.PI / 2, -Math.PI / 2, 0], 1e-6, 1e-6);
    for (const p of [edges, ys, xs]) core.free(p);
  });
});
