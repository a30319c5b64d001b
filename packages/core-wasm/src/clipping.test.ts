import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, ODD_SIZES, put, randomArray } from './test_support.js';

describe.each(FLAVORS)('clipping kernels (%s)', (flavor) => {
  it('sumSquares matches a float64 loop, including long buffers', async () => {
    const core = await coreFor(flavor);
    for (const n of [...ODD_SIZES, 5000]) {
      const x = randomArray(n, n, -3, 3);
      const ptr = put(core, x);
      const expected = x.reduce((s, v) => s + v * v, 0);
      expect(Math.abs(core.sumSquares(ptr, n) - expected) / expected).toBeLessThan(1e-6);
      core.free(ptr);
    }
    expect(core.sumSquares(0, 0)).toBe(0);
  });

  it('clipByValue clamps every element to [lo, hi]', async () => {
    const core = await coreFor(flavor);
    for (const n of ODD_SIZES) {
      const x = randomArray(n, 2 * n, -2, 2);
      const ptr = put(core, x);
      core.clipByValue(ptr, n, -0.5, 0.25);
      expectClose(get(core, ptr, n), Array.from(x, (v) => Math.min(Math.max(v, -0.5), 0.25)), 0, 0);
      core.free(ptr);
    }
  });

  it('scale multiplies every element', async () => {
    const core = await coreFor(flavor);
    for (const n of ODD_SIZES) {
      const x = randomArray(n, 5 * n);
      const ptr = put(core, x);
      core.scale(ptr, n, 0.375);
      expectClose(get(core, ptr, n), Array.from(x, (v) => Math.fround(v * 0.375)), 0, 0);
      core.free(ptr);
    }
  });
});
