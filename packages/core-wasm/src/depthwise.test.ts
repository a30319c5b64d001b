import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Naive float64 loops over the same layouts.
function forward(cols: Float32Array, kernel: Float32Array, rows: number, taps: number, channels: number, m: number): number[] {
  const out = new Array<number>(rows * channels * m).fill(0);
  for (let r = 0; r < rows; r++) for (let t = 0; t < taps; t++) for (let c = 0; c < channels; c++) for (let j = 0; j < m; j++) {
    out[r * channels * m + c * m + j] += cols[r * taps * channels + t * channels + c] * kernel[(t * channels + c) * m + j];
  }
  return out;
}

describe.each(FLAVORS)('depthwise products (%s)', (flavor) => {
  it.each([[1, 1, 1, 1], [5, 9, 3, 2], [17, 4, 5, 3], [6, 9, 7, 1], [5, 9, 16, 1], [3, 4, 33, 1]])('rows %i, taps %i, channels %i, multiplier %i: forward, kernel and column gradients', async (rows, taps, channels, m) => {
    const core = await coreFor(flavor);
    const cols = randomArray(rows * taps * channels, 1);
    const kernel = randomArray(taps * channels * m, 2);
    const dy = randomArray(rows * channels * m, 3);
    const [pc, pk, po, pdy, pdk, pdc] = [cols, kernel, new Float32Array(rows * channels * m), dy, randomArray(taps * channels * m, 4), new Float32Array(rows * taps * channels)].map((a) => put(core, a));
    core.depthwiseForward(pc, pk, po, rows, taps, channels, m);
    expectClose(get(core, po, rows * channels * m), forward(cols, kernel, rows, taps, channels, m), 1e-5, 1e-6);
    if (m === 1) {
      // One filter a channel: float32 products added in tap order from +0, to the bit.
      const rounded = Array.from({ length: rows * channels }, (_, i) => {
        const [r, c] = [Math.floor(i / channels), i % channels];
        let sum = 0;
        for (let t = 0; t < taps; t++) sum = Math.fround(sum + Math.fround(cols[r * taps * channels + t * channels + c] * kernel[t * channels + c]));
        return sum;
      });
      expect(Array.from(get(core, po, rows * channels))).toEqual(rounded);
    }

    // Σ dy·out is linear in the kernel and in the columns, so its gradients are exact sums.
    const dKernel = Array.from(kernel, (_, i) => { const e = new Float32Array(kernel.length); e[i] = 1; return forward(cols, e, rows, taps, channels, m).reduce((s, v, k) => s + v * dy[k], 0); });
    const dCols = Array.from(cols, (_, i) => { const e = new Float32Array(cols.length); e[i] = 1; return forward(e, kernel, rows, taps, channels, m).reduce((s, v, k) => s + v * dy[k], 0); });
    core.depthwiseBackward(pc, pk, pdy, pdc, pdk, rows, taps, channels, m);
    expectClose(get(core, pdk, kernel.length), dKernel, 1e-5, 1e-5);
    expectClose(get(core, pdc, cols.length), dCols, 1e-5, 1e-5);
    // In place: the column gradient may overwrite the columns.
    core.depthwiseBackward(pc, pk, pdy, pc, pdk, rows, taps, channels, m);
    expectClose(get(core, pdk, kernel.length), dKernel, 1e-5, 1e-5);
    expectClose(get(core, pc, cols.length), dCols, 1e-5, 1e-5);
    // A frozen layer passes no dKernel: the column gradient alone, the same values.
    core.depthwiseBackward(pc, pk, pdy, pdc, 0, rows, taps, channels, m);
    expectClose(get(core, pdc, cols.length), dCols, 1e-5, 1e-5);
    [pc, pk, po, pdy, pdk, pdc].forEach((p) => core.free(p));
  });
});
