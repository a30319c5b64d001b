import { describe, expect, it } from 'vitest';
import type { PiecewiseLinear, PreluGeometry } from './parametric_activation.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive float64 loops written from Keras' definitions (its ReLU: x·[x > t], clipped, minus
// slope·relu(t − x)), with every breakpoint planted in the data so that ties are exercised.
function piecewiseRef(p: PiecewiseLinear, x: number): number {
  let y = x > p.threshold ? x : 0;
  y = Math.min(Math.max(y, p.lo), p.hi);
  return p.negativeSlope === 0 ? y : y - p.negativeSlope * Math.max(p.threshold - x, 0);
}

function piecewiseDerivativeRef(p: PiecewiseLinear, x: number): number {
  return (x > p.threshold && x >= p.lo && x <= p.hi ? 1 : 0) + (x <= p.threshold ? p.negativeSlope : 0);
}

const PIECEWISE: Record<string, PiecewiseLinear> = {
  'relu': { threshold: 0, negativeSlope: 0, lo: -Infinity, hi: Infinity },
  'leakyReLU alpha 0.2': { threshold: 0, negativeSlope: 0.2, lo: -Infinity, hi: Infinity },
  'reLU maxValue 6': { threshold: 0, negativeSlope: 0, lo: 0, hi: 6 },
  'reLU maxValue 1.5, slope 0.1, threshold 0.5': { threshold: 0.5, negativeSlope: 0.1, lo: 0, hi: 1.5 },
  'reLU negative threshold −0.5, no max': { threshold: -0.5, negativeSlope: 0.3, lo: -Infinity, hi: Infinity },
  'thresholdedReLU theta 1': { threshold: 1, negativeSlope: 0, lo: -Infinity, hi: Infinity },
};

// Odd sizes: SIMD body plus a scalar tail, and a single value.
const SIZES = [1, 7, 33, 130];

/** Random values in ±3 with the breakpoints (0, ±0.5, 1, 1.5, 6) planted every few places. */
function withBreakpoints(n: number, seed: number): Float32Array {
  const x = randomArray(n, seed, -3, 7);
  const points = [0, -0.5, 0.5, 1, 1.5, 6, -0];
  for (let i = 0; i < n; i += 3) x[i] = points[(i / 3) % points.length];
  return x;
}

describe.each(FLAVORS)('parametric activations (%s)', (flavor) => {
  for (const [name, p] of Object.entries(PIECEWISE)) {
    it(`piecewise linear, ${name}: forward (in place too) and backward from x`, async () => {
      const core = await coreFor(flavor);
      for (const n of SIZES) {
        const x = withBreakpoints(n, n + 3);
        const dy = randomArray(n, n + 5);
        const px = put(core, x), py = core.malloc(4 * n), pdy = put(core, dy), pdx = core.malloc(4 * n);
        core.piecewiseLinearForward(px, py, n, p);
        expectClose(get(core, py, n), Array.from(x, (v) => piecewiseRef(p, v)), 1e-6, 1e-7);
        core.piecewiseLinearBackward(px, pdy, pdx, n, p);
        expectClose(get(core, pdx, n), Array.from(x, (v, i) => dy[i] * piecewiseDerivativeRef(p, v)), 1e-6, 1e-7);
        core.piecewiseLinearBackward(px, pdy, pdy, n, p);
        expectClose(get(core, pdy, n), Array.from(x, (v, i) => dy[i] * piecewiseDerivativeRef(p, v)), 1e-6, 1e-7);
        core.piecewiseLinearForward(px, px, n, p);
        expectClose(get(core, px, n), Array.from(x, (v) => piecewiseRef(p, v)), 1e-6, 1e-7);
        [px, py, pdy, pdx].forEach((ptr) => core.free(ptr));
      }
    });
  }

  it('the breakpoints themselves: x == threshold gives 0 and the slope, x == maxValue passes', async () => {
    const core = await coreFor(flavor);
    const p: PiecewiseLinear = { threshold: 1, negativeSlope: 0.25, lo: 0, hi: 4 };
    const x = [1, 4, 0, -1, 5, 2];
    const px = put(core, x), pdy = put(core, [1, 1, 1, 1, 1, 1]), py = core.malloc(24);
    core.piecewiseLinearForward(px, py, 6, p);
    expect(Array.from(get(core, py, 6))).toEqual([0, 4, -0.25, -0.5, 4, 2]);
    core.piecewiseLinearBackward(px, pdy, pdy, 6, p);
    expect(Array.from(get(core, pdy, 6))).toEqual([0.25, 1, 0.25, 0.25, 0, 1]);
    [px, py, pdy].forEach((ptr) => core.free(ptr));
  });

  it('ReLU without a negative part maps −∞ to 0 (no 0·∞)', async () => {
    const core = await coreFor(flavor);
    const px = put(core, [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity]);
    core.piecewiseLinearForward(px, px, 5, PIECEWISE.relu);
    expect(Array.from(get(core, px, 5))).toEqual([0, 0, 0, 0, 0]);
    core.free(px);
  });

  for (const alpha of [1, 0.5, 2.5]) {
    it(`elu alpha ${alpha}: forward and backward from x`, async () => {
      const core = await coreFor(flavor);
      for (const n of SIZES) {
        const x = withBreakpoints(n, n + 9);
        const dy = randomArray(n, n + 11);
        const px = put(core, x), py = core.malloc(4 * n), pdy = put(core, dy);
        core.eluForward(px, py, n, alpha);
        expectClose(get(core, py, n), Array.from(x, (v) => (v > 0 ? v : alpha * (Math.exp(v) - 1))), 1e-6, 1e-7);
        core.eluBackward(px, pdy, pdy, n, alpha);
        expectClose(get(core, pdy, n), Array.from(x, (v, i) => dy[i] * (v > 0 ? 1 : alpha * Math.exp(v))), 1e-6, 1e-7);
        [px, py, pdy].forEach((ptr) => core.free(ptr));
      }
    });
  }

  const GEOMETRIES: PreluGeometry[] = [
    { batch: 3, outer: 1, shared: 1, inner: 13 }, // alpha per value
    { batch: 2, outer: 1, shared: 5, inner: 7 }, // shared over the leading axes (channels keep their own)
    { batch: 2, outer: 3, shared: 5, inner: 1 }, // shared over the last axis
    { batch: 1, outer: 3, shared: 4, inner: 6 },
  ];
  for (const g of GEOMETRIES) {
    it(`prelu [${g.batch}, ${g.outer}, ${g.shared}, ${g.inner}]: forward, dx and dAlpha`, async () => {
      const core = await coreFor(flavor);
      const n = g.batch * g.outer * g.shared * g.inner;
      const na = g.outer * g.inner;
      const x = withBreakpoints(n, n + 1), dy = randomArray(n, n + 2), alpha = randomArray(na, n + 4, -0.5, 1);
      const alphaAt = (i: number): number => {
        const inner = i % g.inner, o = Math.floor(i / (g.inner * g.shared)) % g.outer;
        return alpha[o * g.inner + inner];
      };
      const expectedDAlpha = new Array<number>(na).fill(0);
      x.forEach((v, i) => {
        if (v <= 0) expectedDAlpha[(Math.floor(i / (g.inner * g.shared)) % g.outer) * g.inner + (i % g.inner)] += dy[i] * v;
      });
      const px = put(core, x), pa = put(core, alpha), py = core.malloc(4 * n), pdy = put(core, dy), pdx = core.malloc(4 * n);
      const pda = put(core, new Float32Array(na).fill(7)); // overwritten, not accumulated
      core.preluForward(px, pa, py, g);
      expectClose(get(core, py, n), Array.from(x, (v, i) => (v < 0 ? alphaAt(i) * v : v)), 1e-6, 1e-7);
      core.preluBackward(px, pa, pdy, pdx, pda, g);
      expectClose(get(core, pdx, n), Array.from(x, (v, i) => (v > 0 ? dy[i] : dy[i] * alphaAt(i))), 1e-6, 1e-7);
      expectClose(get(core, pda, na), expectedDAlpha, 1e-5, 1e-6);
      core.preluBackward(px, pa, pdy, 0, pda, g);
      expectClose(get(core, pda, na), expectedDAlpha, 1e-5, 1e-6);
      // A frozen layer passes no dAlpha: dx alone, the same values.
      const pdx2 = core.malloc(4 * n);
      core.preluBackward(px, pa, pdy, pdx2, 0, g);
      expectClose(get(core, pdx2, n), Array.from(x, (v, i) => (v > 0 ? dy[i] : dy[i] * alphaAt(i))), 1e-6, 1e-7);
      core.free(pdx2);
      [px, pa, py, pdy, pdx, pda].forEach((ptr) => core.free(ptr));
    });
  }
});
