import { describe, expect, it } from 'vitest';
import type { ColorAdjustment } from './image_transform.js';
import { coreFor, FLAVORS, get, put, randomArray } from './test_support.js';

// Keras 3's Equalization kernel against a loop of Keras' steps: its float32 tensor arithmetic
// emulated with Math.fround (the value's bin hangs on it at bin edges), the lookup table in
// float64 as Keras divides the integer counts, rounded half to even; and against hand-worked images.
const f = Math.fround;

function halfEven(v: number): number {
  const r = Math.round(v);
  return v % 1 === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function reference(x: ArrayLike<number>, a: ColorAdjustment, bins: number): number[] {
  const out = Array.from(x);
  const toUnit = 255 / (a.hi - a.lo);
  const [scale, offset, back, top] = [f(toUnit), f(-a.lo * toUnit), f((a.hi - a.lo) / 255), bins - 1];
  const bin = (s: number) => (s > 0 ? Math.trunc(Math.min(s, top)) : 0);
  for (let b = 0; b < a.batch; b++) {
    for (let ch = 0; ch < a.channels; ch++) {
      const at = Array.from({ length: a.pixels }, (_, p) => (b * a.pixels + p) * a.channels + ch);
      const unit = at.map((i) => f(f(x[i] * scale) + offset));
      const hist = new Array<number>(bins).fill(0);
      for (const u of unit) hist[bin(f(f(u * top) / 255))]++;
      const filled = hist.filter((h) => h > 0);
      if (filled.length <= 1) continue;
      let cdf = 0;
      const lut = hist.map((h) => {
        cdf += h;
        return Math.min(Math.max(halfEven(((cdf - filled[0]) * 255) / (a.pixels - filled[0])), 0), 255);
      });
      at.forEach((i, p) => (out[i] = f(f(lut[bin(f(f(unit[p] / 255) * top))] * back) + a.lo)));
    }
  }
  return out;
}

function run(core: Awaited<ReturnType<typeof coreFor>>, x: ArrayLike<number>, a: ColorAdjustment, bins: number, inPlace = false): Float32Array {
  const n = a.batch * a.pixels * a.channels;
  const [px, table] = [put(core, Float32Array.from(x)), core.malloc(4 * bins)];
  const py = inPlace ? px : put(core, new Float32Array(n));
  core.equalizeImages(px, py, table, a, bins);
  const y = get(core, py, n);
  for (const p of new Set([px, py, table])) core.free(p);
  return y;
}

describe.each(FLAVORS)('equalizeImages (%s)', (flavor) => {
  it.each([
    [256, 0, 255],
    [16, 0, 1],
    [100, -1, 2],
    [3, 0, 255],
  ])('%i bins over [%d, %d] match the loop of Keras\' steps', async (bins, lo, hi) => {
    const core = await coreFor(flavor);
    const a: ColorAdjustment = { batch: 3, pixels: 40, channels: 3, lo, hi };
    // Integer levels, as 8-bit images hold, put many values on bin edges.
    const x = Array.from(randomArray(a.batch * a.pixels * a.channels, 7 + bins, 0, 256), (v) => f(lo + (Math.floor(v) / 255) * (hi - lo)));
    const expected = reference(x, a, bins);
    expect(Array.from(run(core, x, a, bins))).toEqual(expected);
    expect(Array.from(run(core, x, a, bins, true))).toEqual(expected);
    const smooth = randomArray(x.length, 3 * bins, lo, hi);
    expect(Array.from(run(core, smooth, a, bins))).toEqual(reference(smooth, a, bins));
  });

  it('rounds the lookup table half to even and leaves one-bin channels, constant or not, as they are', async () => {
    const core = await coreFor(flavor);
    // Channel 0: one 0, one 10, five 20s: 10 maps to 255/6 = 42.5, so 42. Channel 1: constant.
    // Channel 2: three values within one of 4 bins.
    const x = [0, 7, 1, 10, 7, 2, ...Array.from({ length: 5 }, (_, i) => [20, 7, 3 + i]).flat()];
    const a: ColorAdjustment = { batch: 1, pixels: 7, channels: 3, lo: 0, hi: 255 };
    const y = Array.from(run(core, x, a, 256));
    expect(y.filter((_, i) => i % 3 === 0)).toEqual([0, 42, 255, 255, 255, 255, 255]);
    expect(y.filter((_, i) => i % 3 === 1)).toEqual(new Array(7).fill(7));
    expect(Array.from(run(core, x, a, 4)).filter((_, i) => i % 3 === 2)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // One bin: every channel passes through.
    expect(Array.from(run(core, x, a, 1))).toEqual(x);
  });

  it("spreads Keras' three constant regions (50, 100, 200) to 0, 125 and 255", async () => {
    const core = await coreFor(flavor);
    const a: ColorAdjustment = { batch: 1, pixels: 64, channels: 1, lo: 0, hi: 255 };
    const x = Array.from({ length: 64 }, (_, i) => (i < 21 ? 50 : i < 42 ? 100 : 200));
    // cdf_min 21, the rest 43: 100 maps to 21·255/43 = 124.53.
    expect(Array.from(run(core, x, a, 256))).toEqual(x.map((v) => ({ 50: 0, 100: 125, 200: 255 })[v]));
  });
});
