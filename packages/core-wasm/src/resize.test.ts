import { describe, expect, it } from 'vitest';
import type { ResizeGeometry, ResizeInterpolation } from './geometry.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Float64 resize from the definition: the source coordinate of output index i is
// (i + 0.5)·crop/out − 0.5 clamped into the crop (bilinear) or floor((i + 0.5)·crop/out) (nearest).
function reference(mode: ResizeInterpolation, x: ArrayLike<number>, g: ResizeGeometry): number[] {
  const { batch, inH, inW, channels: c, cropTop, cropLeft, cropH, cropW, outH, outW } = g;
  const at = (b: number, r: number, q: number, ch: number) => x[((b * inH + cropTop + r) * inW + cropLeft + q) * c + ch];
  const y: number[] = [];
  const taps = (i: number, crop: number, out: number): [number, number, number] => {
    if (mode === 'nearest') {
      const k = Math.min(Math.floor(((i + 0.5) * crop) / out), crop - 1);
      return [k, k, 0];
    }
    const s = Math.min(Math.max(((i + 0.5) * crop) / out - 0.5, 0), crop - 1);
    return [Math.floor(s), Math.ceil(s), s - Math.floor(s)];
  };
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outH; i++) {
      const [r0, r1, fr] = taps(i, cropH, outH);
      for (let j = 0; j < outW; j++) {
        const [q0, q1, fq] = taps(j, cropW, outW);
        for (let ch = 0; ch < c; ch++) {
          const top = at(b, r0, q0, ch) * (1 - fq) + at(b, r0, q1, ch) * fq;
          const bottom = at(b, r1, q0, ch) * (1 - fq) + at(b, r1, q1, ch) * fq;
          y.push(top * (1 - fr) + bottom * fr);
        }
      }
    }
  }
  return y;
}

const whole = (batch: number, inH: number, inW: number, channels: number, outH: number, outW: number): ResizeGeometry =>
  ({ batch, inH, inW, channels, cropTop: 0, cropLeft: 0, cropH: inH, cropW: inW, outH, outW });

// Up- and down-scaling, odd sizes, channel counts below, at and beyond one SIMD vector, and crop windows.
const GEOMETRIES: ResizeGeometry[] = [
  whole(2, 5, 7, 3, 9, 4),
  whole(1, 28, 28, 1, 14, 14),
  whole(3, 4, 6, 4, 11, 13),
  whole(1, 9, 5, 5, 3, 8),
  whole(2, 1, 1, 2, 3, 2),
  whole(1, 6, 6, 7, 6, 6),
  { batch: 2, inH: 8, inW: 5, channels: 3, cropTop: 1, cropLeft: 0, cropH: 6, cropW: 5, outH: 4, outW: 3 },
  { batch: 1, inH: 5, inW: 11, channels: 6, cropTop: 0, cropLeft: 3, cropH: 5, cropW: 5, outH: 7, outW: 7 },
];
const MODES: ResizeInterpolation[] = ['bilinear', 'nearest'];
const name = (g: ResizeGeometry) => `${g.batch}x${g.inH}x${g.inW}x${g.channels} crop ${g.cropH}x${g.cropW}@${g.cropTop},${g.cropLeft} -> ${g.outH}x${g.outW}`;
const inSize = (g: ResizeGeometry) => g.batch * g.inH * g.inW * g.channels;
const outSize = (g: ResizeGeometry) => g.batch * g.outH * g.outW * g.channels;

describe.each(FLAVORS)('image resize (%s)', (flavor) => {
  describe.each(MODES)('%s', (mode) => {
    it.each(GEOMETRIES.map((g) => [name(g), g] as const))('forward %s matches a float64 loop', async (_, g) => {
      const core = await coreFor(flavor);
      const x = randomArray(inSize(g), 11 + inSize(g), -2, 2);
      const [px, py] = [put(core, x), put(core, new Float32Array(outSize(g)))];
      core.resize(mode, px, py, g);
      expectClose(get(core, py, outSize(g)), reference(mode, x, g), 1e-5, 1e-6);
      core.free(px);
      core.free(py);
    });

    it.each(GEOMETRIES.map((g) => [name(g), g] as const))('backward %s is the transpose of the forward map', async (_, g) => {
      const core = await coreFor(flavor);
      const dy = randomArray(outSize(g), 5 + outSize(g), -1, 1);
      const stale = randomArray(inSize(g), 3, 5, 9);
      const [pdy, pdx] = [put(core, dy), put(core, stale)];
      core.resizeBackward(mode, pdy, pdx, g);
      // Column p of the linear map is the reference resize of the unit image e_p.
      const expected = Array.from({ length: inSize(g) }, (_, p) => {
        const unit = new Float64Array(inSize(g));
        unit[p] = 1;
        return reference(mode, unit, g).reduce((s, v, o) => s + v * dy[o], 0);
      });
      expectClose(get(core, pdx, inSize(g)), expected, 1e-5, 1e-5);
      core.free(pdy);
      core.free(pdx);
    });
  });

  it('flipImages mirrors each image as its flags say, and flipping twice restores it', async () => {
    const core = await coreFor(flavor);
    const [n, h, w, c] = [4, 3, 5, 2];
    const size = n * h * w * c;
    const x = randomArray(size, 9);
    const flags = Float32Array.of(0, 1, 2, 3);
    const [px, py, pz, pf] = [put(core, x), put(core, new Float32Array(size)), put(core, new Float32Array(size)), put(core, flags)];
    core.flipImages(px, py, pf, n, h, w, c);
    const y = get(core, py, size);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          for (let ch = 0; ch < c; ch++) {
            const si = flags[b] & 2 ? h - 1 - i : i;
            const sj = flags[b] & 1 ? w - 1 - j : j;
            expect(y[((b * h + i) * w + j) * c + ch]).toBe(x[((b * h + si) * w + sj) * c + ch]);
          }
        }
      }
    }
    core.flipImages(py, pz, pf, n, h, w, c);
    expect(Array.from(get(core, pz, size))).toEqual(Array.from(x));
    for (const p of [px, py, pz, pf]) core.free(p);
  });
});
