import { describe, expect, it } from 'vitest';
import { FILL_MODES, type FillMode, type ImageTransform } from './image_transform.js';
import type { ResizeInterpolation } from './geometry.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// A float64 loop written from TensorFlow's ImageProjectiveTransformV3 definition, one channel at a
// time with its nested bilinear form, as a reference the SIMD kernel must match.
function mapCoord(c: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return c;
  if (mode === 'nearest' || len <= 1) return Math.min(Math.max(c, 0), len - 1);
  if (mode === 'reflect') {
    const period = 2 * len;
    if (c < 0) {
      c += period * Math.trunc(-c / period);
      c = c < -len ? c + period : -c - 1;
    } else if (c > len - 1) {
      c -= period * Math.trunc(c / period);
      if (c >= len) c = period - c - 1;
    }
  } else if (c < 0) c += len * (Math.trunc(-c / (len - 1)) + 1);
  else if (c > len - 1) c -= len * Math.trunc(c / (len - 1));
  return Math.min(Math.max(c, 0), len - 1);
}

function reference(x: ArrayLike<number>, transforms: ArrayLike<number>, t: ImageTransform): number[] {
  const { batch, height: h, width: w, channels: c, fillValue } = t;
  const [oh, ow] = [t.outHeight ?? h, t.outWidth ?? w];
  const read = (b: number, r: number, q: number, ch: number) => (r >= 0 && r < h && q >= 0 && q < w ? x[((b * h + r) * w + q) * c + ch] : fillValue);
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from({ length: 8 }, (_, k) => transforms[b * 8 + k]);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch++) {
          const k = c0 * ox + c1 * oy + 1;
          if (k === 0) {
            y.push(fillValue);
            continue;
          }
          const sx = mapCoord((a0 * ox + a1 * oy + a2) / k, w, t.fillMode);
          const sy = mapCoord((b0 * ox + b1 * oy + b2) / k, h, t.fillMode);
          if (t.interpolation === 'nearest') {
            y.push(read(b, Math.round(sy), Math.round(sx), ch));
            continue;
          }
          const [fy, fx] = [Math.floor(sy), Math.floor(sx)];
          const top = (fx + 1 - sx) * read(b, fy, fx, ch) + (sx - fx) * read(b, fy, fx + 1, ch);
          const bottom = (fx + 1 - sx) * read(b, fy + 1, fx, ch) + (sx - fx) * read(b, fy + 1, fx + 1, ch);
          y.push((fy + 1 - sy) * top + (sy - fy) * bottom);
        }
      }
    }
  }
  return y;
}

// Per image: a rotation about the centre, a translation by a fraction of a pixel far beyond the
// edge, a zoom, a projective tilt, and one whose k is 0 on the first row (every pixel fills).
function transformsFor(h: number, w: number): Float32Array {
  const [cos, sin] = [Math.cos(0.7), Math.sin(0.7)];
  const rotation = [cos, -sin, ((w - 1) - (cos * (w - 1) - sin * (h - 1))) / 2, sin, cos, ((h - 1) - (sin * (w - 1) + cos * (h - 1))) / 2, 0, 0];
  return Float32Array.from([
    ...rotation,
    1, 0, -2.3 * w, 0, 1, 1.7 * h, 0, 0,
    0.6, 0, 0.2 * (w - 1), 0, 1.45, -0.225 * (h - 1), 0, 0,
    1.1, 0.2, -0.5, -0.1, 0.9, 0.4, 0.03, -0.02,
    1, 0, 0.25, 0, 1, -0.75, 0, -1,
  ]);
}

// Odd sizes, channel counts below, at and beyond one SIMD vector, and images of one row or column.
const SHAPES: [number, number, number][] = [[5, 7, 3], [6, 6, 4], [9, 4, 5], [1, 6, 2], [7, 1, 1]];
const INTERPOLATIONS: ResizeInterpolation[] = ['bilinear', 'nearest'];
const CASES = SHAPES.flatMap(([h, w, c]) => INTERPOLATIONS.flatMap((interpolation) => FILL_MODES.map((fillMode): [string, ImageTransform] => [
  `${h}x${w}x${c} ${interpolation} ${fillMode}`,
  { batch: 5, height: h, width: w, channels: c, interpolation, fillMode, fillValue: fillMode === 'constant' ? 0.75 : 0 },
])));
// Outputs of another size than the input, as tf.image.transform's outputShape (RandomCrop's windows).
CASES.push(
  ['9x8x3 -> 4x5 bilinear reflect', { batch: 5, height: 9, width: 8, channels: 3, outHeight: 4, outWidth: 5, interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0 }],
  ['3x4x5 -> 6x7 nearest constant', { batch: 5, height: 3, width: 4, channels: 5, outHeight: 6, outWidth: 7, interpolation: 'nearest', fillMode: 'constant', fillValue: 2 }],
);
const size = (t: ImageTransform) => t.batch * t.height * t.width * t.channels;
const outSize = (t: ImageTransform) => t.batch * (t.outHeight ?? t.height) * (t.outWidth ?? t.width) * t.channels;

describe.each(FLAVORS)('image transform (%s)', (flavor) => {
  it.each(CASES)('forward %s matches a float64 loop', async (_, t) => {
    const core = await coreFor(flavor);
    const x = randomArray(size(t), 31 + size(t), -2, 2);
    const transforms = transformsFor(t.height, t.width);
    const [px, py, pt] = [put(core, x), put(core, new Float32Array(outSize(t)).fill(NaN)), put(core, transforms)];
    core.transformImages(px, py, pt, t);
    expectClose(get(core, py, outSize(t)), reference(x, transforms, t), 1e-5, 1e-5);
    for (const p of [px, py, pt]) core.free(p);
  });

  it.each(CASES)('backward %s is the transpose of the forward map', async (_, t) => {
    const core = await coreFor(flavor);
    const n = size(t);
    const dy = randomArray(outSize(t), 7 + n, -1, 1);
    const transforms = transformsFor(t.height, t.width);
    const [pdy, pdx, pt] = [put(core, dy), put(core, randomArray(n, 3, 5, 9)), put(core, transforms)];
    core.transformImagesBackward(pdy, pdx, pt, t);
    // The fill value is no input, so the linear part is the map with a fill of 0; column p is the
    // reference transform of the unit image e_p.
    const linear = { ...t, fillValue: 0 };
    const expected = Array.from({ length: n }, (_, p) => {
      const unit = new Float64Array(n);
      unit[p] = 1;
      return reference(unit, transforms, linear).reduce((s, v, o) => s + v * dy[o], 0);
    });
    expectClose(get(core, pdx, n), expected, 1e-5, 1e-5);
    for (const p of [pdy, pdx, pt]) core.free(p);
  });

  it('the identity transform copies the images exactly', async () => {
    const core = await coreFor(flavor);
    const t: ImageTransform = { batch: 2, height: 4, width: 5, channels: 3, interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0 };
    const x = randomArray(size(t), 5);
    const [px, py, pt] = [put(core, x), put(core, new Float32Array(size(t))), put(core, Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0))];
    core.transformImages(px, py, pt, t);
    expect(Array.from(get(core, py, size(t)))).toEqual(Array.from(x));
    for (const p of [px, py, pt]) core.free(p);
  });
});
