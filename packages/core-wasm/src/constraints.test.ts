import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

/** Keras' formula in float64 with plain index arithmetic, one norm per (outer, inner) pair. */
function reference(w: Float32Array, outer: number, reduce: number, inner: number, lo: number, hi: number, rate: number): number[] {
  const out = Array.from(w);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (r: number) => (o * reduce + r) * inner + j;
      let sum = 0;
      for (let r = 0; r < reduce; r++) sum += w[at(r)] ** 2;
      const norm = Math.sqrt(sum);
      const desired = rate * Math.min(Math.max(norm, lo), hi) + (1 - rate) * norm;
      for (let r = 0; r < reduce; r++) out[at(r)] = w[at(r)] * (desired / (1e-7 + norm));
    }
  }
  return out;
}

describe.each(FLAVORS)('normConstraint (%s)', (flavor) => {
  it.each([
    ['maxNorm over axis 0 of a [7, 5] kernel', 1, 7, 5, 0, 1.1, 1],
    ['unitNorm over the middle axis of [3, 4, 2]', 3, 4, 2, 1, 1, 1],
    ['minMaxNorm with rate 0.5 over the last axis', 6, 9, 1, 1.5, 1.8, 0.5],
  ])('%s matches a direct computation', async (_name, outer, reduce, inner, lo, hi, rate) => {
    const core = await coreFor(flavor);
    const n = outer * reduce * inner;
    const w = randomArray(n, 7, -1, 1);
    const pw = put(core, w);
    core.normConstraint(pw, outer, reduce, inner, lo, hi, rate);
    const expected = reference(w, outer, reduce, inner, lo, hi, rate);
    expectClose(get(core, pw, n), expected);
    // The case must actually change something, or the comparison proves nothing.
    expect(expected.some((v, i) => Math.abs(v - w[i]) > 1e-3)).toBe(true);
    core.free(pw);
  });
});
