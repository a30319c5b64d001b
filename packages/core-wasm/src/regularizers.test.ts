import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

describe.each(FLAVORS)('regularize (%s)', (flavor) => {
  it('returns l1·Σ|w| + l2·Σw² and adds its gradient to the existing one', async () => {
    const core = await coreFor(flavor);
    const n = 23;
    const w = randomArray(n, 3);
    const g = randomArray(n, 4);
    const pw = put(core, w), pg = put(core, g);
    const penalty = core.regularize(pw, pg, n, 0.03, 0.2);
    const expected = Array.from(w).reduce((s, x) => s + 0.03 * Math.abs(x) + 0.2 * x * x, 0);
    expect(Math.abs(penalty - expected)).toBeLessThan(1e-6);
    expectClose(get(core, pg, n), Array.from(w, (x, i) => g[i] + 0.03 * Math.sign(x) + 0.4 * x));
    expect(core.regularize(pw, 0, n, 0.03, 0.2)).toBeCloseTo(expected, 6);
    core.free(pw);
    core.free(pg);
  });
});
