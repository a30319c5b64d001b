import { describe, expect, it } from 'vitest';
import type { ResizeGrid, ResizeInterpolation } from './geometry.js';
import { coreFor, FLAVORS, put, randomArray } from './test_support.js';

// tf.image.resizeBilinear and resizeNearestNeighbor as tfjs' CPU kernels define them, in float64
// (JS numbers) stored to float32: the core's grid kernels must give these values to the bit.
function reference(mode: ResizeInterpolation, x: ArrayLike<number>, g: ResizeGrid): Float32Array {
  const { batch, inH, inW, channels: c, outH, outW, alignCorners, halfPixelCenters } = g;
  const scale = (inSize: number, outSize: number) => (alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize);
  const [sh, sw] = [scale(inH, outH), scale(inW, outW)];
  const at = (b: number, r: number, q: number, ch: number) => x[((b * inH + r) * inW + q) * c + ch];
  const linear = (i: number, s: number, size: number): [number, number, number] => {
    const source = halfPixelCenters ? s * (i + 0.5) - 0.5 : s * i;
    const lower = Math.max(0, Math.floor(source));
    return [lower, Math.min(size - 1, Math.ceil(source)), source - lower];
  };
  const nearest = (i: number, s: number, size: number): number => {
    const source = halfPixelCenters ? s * (i + 0.5) : s * i;
    const k = Math.min(size - 1, alignCorners ? Math.round(source) : Math.floor(source));
    return halfPixelCenters ? Math.max(0, k) : k;
  };
  const y = new Float32Array(batch * outH * outW * c);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        for (let ch = 0; ch < c; ch++) {
          if (mode === 'nearest') {
            y[o++] = at(b, nearest(i, sh, inH), nearest(j, sw, inW), ch);
            continue;
          }
          const [r0, r1, fr] = linear(i, sh, inH);
          const [q0, q1, fq] = linear(j, sw, inW);
          const top = at(b, r0, q0, ch) + (at(b, r0, q1, ch) - at(b, r0, q0, ch)) * fq;
          const bottom = at(b, r1, q0, ch) + (at(b, r1, q1, ch) - at(b, r1, q0, ch)) * fq;
          y[o++] = top + (bottom - top) * fr;
        }
      }
    }
  }
  return y;
}

/**
 * The gradient of the reference with respect to x, from the same taps: bilinear adds each output
 * gradient into its four taps by float64 weights, in output order, into a Float32Array (each `+=`
 * rounded to float32); nearest sums in float64 and rounds once. kerasm's host loops, to the bit.
 */
function referenceGrad(mode: ResizeInterpolation, dy: Float32Array, g: ResizeGrid): Float32Array {
  const { batch, inH, inW, channels: c, outH, outW } = g;
  const n = batch * inH * inW * c;
  // The reference resize of the elements' indices gives nearest's sources; of unit images, bilinear's taps.
  if (mode === 'nearest') {
    const sources = reference('nearest', Float32Array.from({ length: n }, (_, i) => i), g);
    const sums = new Float64Array(n);
    sources.forEach((k, o) => (sums[k] += dy[o]));
    return Float32Array.from(sums);
  }
  const dx = new Float32Array(n);
  const scale = (inSize: number, outSize: number) => (g.alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize);
  const taps = (i: number, s: number, size: number): [number, number, number] => {
    const source = g.halfPixelCenters ? s * (i + 0.5) - 0.5 : s * i;
    const lower = Math.max(0, Math.floor(source));
    return [lower, Math.min(size - 1, Math.ceil(source)), source - lower];
  };
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outH; i++) {
      const [r0, r1, down] = taps(i, scale(inH, outH), inH);
      for (let j = 0; j < outW; j++) {
        const [q0, q1, right] = taps(j, scale(inW, outW), inW);
        const at = (r: number, q: number) => ((b * inH + r) * inW + q) * c;
        const weights: [number, number][] = [[at(r0, q0), (1 - down) * (1 - right)], [at(r0, q1), (1 - down) * right], [at(r1, q0), down * (1 - right)], [at(r1, q1), down * right]];
        for (let ch = 0; ch < c; ch++, o++) for (const [p, weight] of weights) dx[p + ch] += dy[o] * weight;
      }
    }
  }
  return dx;
}

/** Each value's float32 bits, NaN (of any payload) as 'NaN': equal lists are equal to the bit. */
const bits = (v: Float32Array): (number | string)[] => Array.from(new Int32Array(v.buffer, v.byteOffset, v.length), (b, i) => (Number.isNaN(v[i]) ? 'NaN' : b));

const GRIDS = [
  { alignCorners: false, halfPixelCenters: false },
  { alignCorners: true, halfPixelCenters: false },
  { alignCorners: false, halfPixelCenters: true },
];
const grid = (batch: number, inH: number, inW: number, channels: number, outH: number, outW: number) => ({ batch, inH, inW, channels, outH, outW });
// Up- and down-scaling, odd sizes, 1-pixel inputs and outputs, channel counts around the f64x2 pair.
const SHAPES = [
  grid(2, 5, 7, 3, 9, 4),
  grid(1, 32, 32, 16, 48, 48),
  grid(3, 4, 6, 4, 11, 13),
  grid(1, 9, 5, 5, 3, 8),
  grid(2, 1, 1, 2, 3, 2),
  grid(1, 6, 7, 1, 1, 1),
  grid(2, 7, 3, 2, 1, 5),
  grid(1, 3, 3, 1, 3, 3),
];
const CASES = GRIDS.flatMap((flags) => SHAPES.map((s): [string, ResizeGrid] => [`${s.batch}x${s.inH}x${s.inW}x${s.channels} -> ${s.outH}x${s.outW} ${JSON.stringify(flags)}`, { ...s, ...flags }]));
const inSize = (g: ResizeGrid) => g.batch * g.inH * g.inW * g.channels;
const outSize = (g: ResizeGrid) => g.batch * g.outH * g.outW * g.channels;

/** Random floats with NaN, ±Infinity, ±0 and large magnitudes sprinkled in. */
function specialValues(n: number, seed: number): Float32Array {
  const x = randomArray(n, seed, -3, 3);
  const specials = [NaN, Infinity, -Infinity, 0, -0, 3e38, -3e38, 1e-40];
  for (let i = 0; i < n; i += 7) x[i] = specials[(i / 7) % specials.length];
  return x;
}

describe.each(FLAVORS)('image resize on tfjs grids (%s)', (flavor) => {
  const run = async (mode: ResizeInterpolation, x: Float32Array | Int32Array, g: ResizeGrid): Promise<Float32Array> => {
    const core = await coreFor(flavor);
    const [px, py] = [put(core, x), put(core, new Float32Array(outSize(g)))];
    core.resizeOnGrid(mode, px, py, g);
    const y = core.f32().slice(py / 4, py / 4 + outSize(g));
    core.free(px);
    core.free(py);
    return y;
  };

  describe.each(['bilinear', 'nearest'] as ResizeInterpolation[])('%s', (mode) => {
    it.each(CASES)('%s equals tfjs to the bit', async (_, g) => {
      const x = randomArray(inSize(g), 11 + inSize(g), -2, 2);
      expect(bits(await run(mode, x, g))).toEqual(bits(reference(mode, x, g)));
    });

    it.each(CASES.slice(0, 4))('%s with NaN, ±Infinity, ±0 and ±3e38 equals tfjs to the bit', async (_, g) => {
      const x = specialValues(inSize(g), 5);
      expect(bits(await run(mode, x, g))).toEqual(bits(reference(mode, x, g)));
    });
  });

  it.each(CASES.filter((_, i) => i % 3 === 0))('bilinear of int32 values (beyond 2^24 too) %s equals tfjs to the bit', async (_, g) => {
    const x = Int32Array.from(randomArray(inSize(g), 3), (v, i) => (i % 5 === 0 ? Math.round(v * 2 ** 31) : Math.round(v * 255)));
    expect(bits(await run('bilinear', x, { ...g, int32Input: true }))).toEqual(bits(reference('bilinear', x, g)));
  });

  describe.each(['bilinear', 'nearest'] as ResizeInterpolation[])('%s backward', (mode) => {
    it.each(CASES)('%s equals the host loop to the bit', async (_, g) => {
      const core = await coreFor(flavor);
      const dy = randomArray(outSize(g), 7 + outSize(g), -2, 2);
      const [pdy, pdx] = [put(core, dy), put(core, randomArray(inSize(g), 3, 5, 9))];
      core.resizeOnGridBackward(mode, pdy, pdx, g);
      expect(bits(core.f32().slice(pdx / 4, pdx / 4 + inSize(g)))).toEqual(bits(referenceGrad(mode, dy, g)));
      core.free(pdy);
      core.free(pdx);
    });
  });

  it('nearest copies int32 values bit for bit', async () => {
    const g: ResizeGrid = { ...grid(2, 5, 7, 3, 9, 4), alignCorners: true, halfPixelCenters: false };
    const x = Int32Array.from(randomArray(inSize(g), 4), (v) => Math.round(v * 2 ** 31));
    // The reference over the elements' own indices gives the element each output copies.
    const sources = reference('nearest', Float32Array.from(x.keys()), g);
    const y = await run('nearest', x, g);
    expect(Array.from(new Int32Array(y.buffer))).toEqual(Array.from(sources, (k) => x[k]));
  });
});
