import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, ODD_SIZES, put, randomArray } from './test_support.js';

/** A naive transpose: output index walks the permuted shape, input index is recomputed from it. */
function naiveTranspose(x: Float32Array, dims: number[], perm: number[]): Float32Array {
  const outDims = perm.map((p) => dims[p]);
  const strides = dims.map((_, k) => dims.slice(k + 1).reduce((a, b) => a * b, 1));
  const y = new Float32Array(x.length);
  for (let o = 0; o < y.length; o++) {
    let rest = o, from = 0;
    for (let k = outDims.length - 1; k >= 0; k--) {
      from += (rest % outDims[k]) * strides[perm[k]];
      rest = Math.floor(rest / outDims[k]);
    }
    y[o] = x[from];
  }
  return y;
}

describe.each(FLAVORS)('shape, merge and noise kernels (%s)', (flavor) => {
  it.each([
    [[3, 4], [1, 0]], [[2, 3, 5], [0, 2, 1]], [[2, 3, 4, 5], [0, 3, 1, 2]], [[2, 1, 3, 4, 2], [0, 4, 2, 3, 1]], [[4, 7], [0, 1]],
  ])('transpose %j by %j as a naive index walk does', async (dims, perm) => {
    const core = await coreFor(flavor);
    const n = dims.reduce((a, b) => a * b, 1);
    const x = randomArray(n, n);
    const px = put(core, x), py = put(core, new Float32Array(n));
    core.transpose(px, py, dims, perm);
    expect(Array.from(get(core, py, n))).toEqual(Array.from(naiveTranspose(x, dims, perm)));
    expect(() => core.transpose(px, py, [1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5])).toThrow(/up to 5 axes.*Received: dims=\[1,1,1,1,1,1\]/);
  });

  it('minMax and routeToFirstMatch: the gradient goes to the first input equal to the output, ties included', async () => {
    const core = await coreFor(flavor);
    for (const n of ODD_SIZES) {
      // Values on a coarse grid, so that ties between the inputs are common (+ 0 turns −0 into 0).
      const [a, b] = [randomArray(n, 3 * n), randomArray(n, 5 * n)].map((v) => v.map((t) => Math.round(t * 2) / 2 + 0));
      const pa = put(core, a), pb = put(core, b), py = put(core, new Float32Array(n));
      for (const takeMax of [true, false]) {
        core.minMax(takeMax, pa, pb, py, n);
        const y = get(core, py, n);
        expect(Array.from(y)).toEqual(Array.from(a, (v, i) => (takeMax ? Math.max(v, b[i]) : Math.min(v, b[i]))));
        const dy = randomArray(n, 7 * n);
        const pending = put(core, dy), da = put(core, new Float32Array(n)), db = put(core, new Float32Array(n));
        core.routeToFirstMatch(pa, py, pending, da, n);
        core.routeToFirstMatch(pb, py, pending, db, n);
        // tf.maximum's gradient: a gets dy where a >= b, b where a < b (mirrored for minimum).
        const aWins = (i: number) => (takeMax ? a[i] >= b[i] : a[i] <= b[i]);
        expect(Array.from(get(core, da, n))).toEqual(Array.from(dy, (g, i) => (aWins(i) ? g : 0)));
        expect(Array.from(get(core, db, n))).toEqual(Array.from(dy, (g, i) => (aWins(i) ? 0 : g)));
        expect(get(core, pending, n).every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('normalNoise: seeded, mean and standard deviation within bounds, same values for the same seed', async () => {
    const core = await coreFor(flavor);
    const n = 40000;
    const p = put(core, new Float32Array(n)), q = put(core, new Float32Array(n));
    core.normalNoise(p, n, 1.5, 0.5, 99);
    const z = get(core, p, n).slice();
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    // 5 standard errors: mean's is 0.5/√n = 0.0025, the variance's about 0.25·√(2/n) = 0.0018.
    expect(Math.abs(mean - 1.5)).toBeLessThan(0.0125);
    expect(Math.abs(variance - 0.25)).toBeLessThan(0.009);
    expect(z.every(Number.isFinite)).toBe(true);
    // A normal puts 68.3 % of its mass within one standard deviation.
    expect(Math.abs(z.filter((v) => Math.abs(v - 1.5) < 0.5).length / n - 0.6827)).toBeLessThan(0.012);
    core.normalNoise(q, n, 1.5, 0.5, 99);
    expect(Array.from(get(core, q, n))).toEqual(Array.from(z));
    core.normalNoise(q, n, 1.5, 0.5, 100);
    expect(get(core, q, n).filter((v, i) => v === z[i]).length).toBeLessThan(10);
    expectClose([mean], [1.5], 0.01, 0.01);
  });
});
