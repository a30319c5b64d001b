import { describe, expect, it } from 'vitest';
import { coreFor, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive references of the masking kernels, in float64.
const maskOf = (x: Float32Array, rows: number, width: number, value: number) =>
  Array.from({ length: rows }, (_, r) => (Array.from(x.subarray(r * width, (r + 1) * width)).some((v) => v !== value) ? 1 : 0));

function meanSteps(x: Float32Array, mask: number[], batch: number, steps: number, channels: number): number[] {
  const out = new Array<number>(batch * channels).fill(0);
  for (let n = 0; n < batch; n++) {
    const count = mask.slice(n * steps, (n + 1) * steps).reduce((a, b) => a + b, 0);
    for (let s = 0; s < steps; s++) for (let c = 0; c < channels; c++) out[n * channels + c] += (mask[n * steps + s] * x[(n * steps + s) * channels + c]) / Math.max(1, count);
  }
  return out;
}

describe.each(FLAVORS)('masking kernels (%s)', (flavor) => {
  it.each([[1, 1], [5, 3], [9, 8], [6, 13]])('rows %i, width %i: the mask marks rows with any value other than the mask value', async (rows, width) => {
    const core = await coreFor(flavor);
    const value = 0.5;
    // Row r keeps its values when r is odd; even rows are all `value` but for row 2, which differs in its last column only.
    const x = randomArray(rows * width, 7);
    for (let r = 0; r < rows; r += 2) x.fill(value, r * width, (r + 1) * width);
    if (rows > 2) x[3 * width - 1] = -value;
    const [px, pm] = [x, new Float32Array(rows).fill(9)].map((a) => put(core, a));
    core.maskFromValues(px, pm, rows, width, value);
    expect(Array.from(get(core, pm, rows))).toEqual(maskOf(x, rows, width, value));
    expect(Array.from(get(core, pm, rows))).toContain(0);
    [px, pm].forEach((p) => core.free(p));
  });

  it.each([[4, 1], [7, 5], [8, 12]])('rows %i, width %i: masked rows take the previous rows (or zeros), and the gradient routes them back', async (rows, width) => {
    const core = await coreFor(flavor);
    const mask = Float32Array.from({ length: rows }, (_, r) => (r % 3 === 1 ? 0 : 1));
    const [h, prev, dh, dPrev] = [1, 2, 3, 4].map((seed) => randomArray(rows * width, seed));
    const [pm, ph, pp, pdh, pdp, pz] = [mask, h, prev, dh, dPrev, h].map((a) => put(core, a));
    core.maskSelectRows(pm, ph, pp, rows, width);
    core.maskSelectRows(pm, pz, 0, rows, width);
    core.maskSelectRowsGrad(pm, pdh, pdp, rows, width);
    const [outH, outZ, outDh, outDp] = [ph, pz, pdh, pdp].map((p) => get(core, p, rows * width));
    for (let i = 0; i < rows * width; i++) {
      const kept = mask[Math.floor(i / width)] === 1;
      expect(outH[i]).toBe(kept ? h[i] : prev[i]);
      expect(outZ[i]).toBe(kept ? h[i] : 0);
      expect(outDh[i]).toBe(kept ? dh[i] : 0);
      expect(outDp[i]).toBeCloseTo(kept ? dPrev[i] : dPrev[i] + dh[i], 6);
    }
    [pm, ph, pp, pdh, pdp, pz].forEach((p) => core.free(p));
  });

  it.each([[1, 1, 1], [3, 5, 4], [2, 7, 9], [4, 6, 17]])('batch %i, steps %i, channels %i: the mean over the unmasked steps and its gradient', async (batch, steps, channels) => {
    const core = await coreFor(flavor);
    // Sample n keeps its first steps − n steps; a sample with none kept averages to 0.
    const mask = Array.from({ length: batch * steps }, (_, i): number => (i % steps < steps - Math.floor(i / steps) ? 1 : 0));
    const x = randomArray(batch * steps * channels, 11);
    const dy = randomArray(batch * channels, 12);
    const [px, pm, po, pdy, pdx] = [x, Float32Array.from(mask), new Float32Array(batch * channels), dy, randomArray(x.length, 13)].map((a) => put(core, a));
    core.maskedMeanSteps(px, pm, po, batch, steps, channels);
    const expected = meanSteps(x, mask, batch, steps, channels);
    get(core, po, batch * channels).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    core.maskedMeanStepsGrad(pdy, pm, pdx, batch, steps, channels);
    // The gradient of Σ dy·out with respect to x, from the reference's linearity: mask·dy/count.
    const dx = get(core, pdx, x.length);
    for (let n = 0; n < batch; n++) {
      const count = Math.max(1, mask.slice(n * steps, (n + 1) * steps).reduce((a, b) => a + b, 0));
      for (let s = 0; s < steps; s++) for (let c = 0; c < channels; c++) expect(dx[(n * steps + s) * channels + c]).toBeCloseTo((mask[n * steps + s] * dy[n * channels + c]) / count, 6);
    }
    [px, pm, po, pdy, pdx].forEach((p) => core.free(p));
  });
});
