import type { ColorAdjustment, FillMode, ImageTransform } from '../backend/backend.js';

// A float64 loop written from TensorFlow's ImageProjectiveTransformV3 definition (the sampling of
// tf.image.transform), one channel at a time, for the backend suites and the augmentation layers.

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

/** Image b of x sampled through transforms[b] (8 numbers each), as tf.image.transform. */
export function refTransform(x: ArrayLike<number>, transforms: ArrayLike<number>, t: ImageTransform): number[] {
  const { batch, height: h, width: w, channels: c, fillValue } = t;
  const [oh, ow] = [t.outHeight ?? h, t.outWidth ?? w];
  const read = (b: number, r: number, q: number, ch: number) => (r >= 0 && r < h && q >= 0 && q < w ? x[((b * h + r) * w + q) * c + ch] : fillValue);
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from({ length: 8 }, (_, k) => transforms[b * 8 + k]);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const k = c0 * ox + c1 * oy + 1;
        const sx = mapCoord((a0 * ox + a1 * oy + a2) / k, w, t.fillMode);
        const sy = mapCoord((b0 * ox + b1 * oy + b2) / k, h, t.fillMode);
        for (let ch = 0; ch < c; ch++) {
          if (k === 0) y.push(fillValue);
          else if (t.interpolation === 'nearest') y.push(read(b, Math.round(sy), Math.round(sx), ch));
          else {
            const [fy, fx] = [Math.floor(sy), Math.floor(sx)];
            const top = (fx + 1 - sx) * read(b, fy, fx, ch) + (sx - fx) * read(b, fy, fx + 1, ch);
            const bottom = (fx + 1 - sx) * read(b, fy + 1, fx, ch) + (sx - fx) * read(b, fy + 1, fx + 1, ch);
            y.push((fy + 1 - sy) * top + (sy - fy) * bottom);
          }
        }
      }
    }
  }
  return y;
}

/** The transpose of refTransform's linear part applied to dy: entry p is Σ dy·(the transform of the unit image e_p, fill 0). */
export function refTransformGrad(dy: ArrayLike<number>, transforms: ArrayLike<number>, t: ImageTransform): number[] {
  const n = t.batch * t.height * t.width * t.channels;
  const linear = { ...t, fillValue: 0 };
  return Array.from({ length: n }, (_, p) => {
    const unit = new Float64Array(n);
    unit[p] = 1;
    return refTransform(unit, transforms, linear).reduce((s, v, o) => s + v * dy[o], 0);
  });
}

/**
 * Five transforms for `h`×`w` images: a rotation about the centre, a translation far beyond the
 * edges by fractions of a pixel, an anisotropic zoom, a projective tilt, and one whose k is 0 on
 * the first row, so that every fill mode and the undefined case are reached.
 */
export function sampleTransforms(h: number, w: number): Float32Array {
  const [cos, sin] = [Math.cos(0.7), Math.sin(0.7)];
  return Float32Array.from([
    cos, -sin, ((w - 1) - (cos * (w - 1) - sin * (h - 1))) / 2, sin, cos, ((h - 1) - (sin * (w - 1) + cos * (h - 1))) / 2, 0, 0,
    1, 0, -2.3 * w, 0, 1, 1.7 * h, 0, 0,
    0.6, 0, 0.2 * (w - 1), 0, 1.45, -0.225 * (h - 1), 0, 0,
    1.1, 0.2, -0.5, -0.1, 0.9, 0.4, 0.03, -0.02,
    1, 0, 0.25, 0, 1, -0.75, 0, -1,
  ]);
}

/** Float64 contrast and brightness as Keras applies them: clip((x − mean)·contrast + mean + delta, lo, hi), the mean per image and channel. */
export function refAdjust(x: ArrayLike<number>, params: ArrayLike<number>, a: ColorAdjustment): number[] {
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
