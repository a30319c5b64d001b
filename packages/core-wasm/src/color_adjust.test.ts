import { describe, expect, it } from 'vitest';
import type { ColorAdjustment } from './image_transform.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Float64 loops of Keras' contrast/brightness adjustment and of its gradient by finite differences.
function reference(x: ArrayLike<number>, params: ArrayLike<number>, a: ColorAdjustment): number[] {
  const { batch, pixels, channels: c, lo, hi } = a;
  const y = new Array<number>(batch * pixels * c);
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < c; ch++) {
      let mean = 0;
      for (let p = 0; p < pixels; p++) mean += x[(b * pixels + p) * c + ch] / pixels;
      for (let p = 0; p < pixels; p++) {
        const at = (b * pixels + p) * c + ch;
        y[at] = Math.min(Math.max((x[at] - mean) * params[2 * b] + mean + params[2 * b + 1], lo), hi);
      }
    }
  }
  return y;
}

const CASES: [string, ColorAdjustment][] = [
  ['5 images of 4x3 RGB in [0, 1]', { batch: 5, pixels: 12, channels: 3, lo: 0, hi: 1 }],
  ['3 images of 7x1 grey in [-1, 2]', { batch: 3, pixels: 7, channels: 1, lo: -1, hi: 2 }],
];
// Per image (contrast, delta): shrink, stretch (clipping), identity, brightness only, both.
const PARAMS = Float32Array.of(0.5, 0, 1.8, 0, 1, 0, 1, 0.3, 0.7, -0.2);

describe.each(FLAVORS)('contrast and brightness (%s)', (flavor) => {
  it.each(CASES)('forward %s matches a float64 loop; contrast 1 and delta 0 is the identity', async (_, a) => {
    const core = await coreFor(flavor);
    const n = a.batch * a.pixels * a.channels;
    const x = randomArray(n, 13 + n, a.lo - 0.2, a.hi);
    const [px, py, pp] = [put(core, x), put(core, new Float32Array(n)), put(core, PARAMS)];
    core.adjustImages(px, py, pp, a);
    const y = get(core, py, n);
    expectClose(y, reference(x, PARAMS, a), 1e-5, 1e-6);
    const image = a.pixels * a.channels;
    const identity = Array.from(x.subarray(2 * image, 3 * image), (v) => Math.min(Math.max(v, a.lo), a.hi));
    expect(Array.from(y.subarray(2 * image, 3 * image))).toEqual(identity.map(Math.fround));
    for (const p of [px, py, pp]) core.free(p);
  });

  it.each(CASES)('backward %s matches finite differences of Σ dy·y', async (_, a) => {
    const core = await coreFor(flavor);
    const n = a.batch * a.pixels * a.channels;
    const x = randomArray(n, 29 + n, a.lo - 0.2, a.hi);
    const dy = randomArray(n, 3 + n);
    const [px, pdy, pdx, pp] = [put(core, x), put(core, dy), put(core, randomArray(n, 2, 5, 6)), put(core, PARAMS)];
    core.adjustImagesBackward(px, pdy, pdx, pp, a);
    const loss = (v: Float64Array) => reference(v, PARAMS, a).reduce((s, y, i) => s + y * dy[i], 0);
    const step = 1e-4;
    const expected = Array.from({ length: n }, (_, i) => {
      const [up, down] = [Float64Array.from(x), Float64Array.from(x)];
      up[i] += step;
      down[i] -= step;
      return (loss(up) - loss(down)) / (2 * step);
    });
    expectClose(get(core, pdx, n), expected, 1e-3, 1e-3);
    for (const p of [px, pdy, pdx, pp]) core.free(p);
  });
});
