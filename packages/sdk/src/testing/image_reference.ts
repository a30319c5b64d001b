import type { ResizeGeometry, ResizeGrid, ResizeInterpolation } from '../backend/backend.js';

/**
 * Float64 resize from the definition, with TensorFlow's half-pixel centres: output index i reads
 * source (i + 0.5)·crop/out − 0.5 clamped into the crop window (bilinear) or floor((i + 0.5)·crop/out) (nearest).
 */
export function refResize(mode: ResizeInterpolation, x: ArrayLike<number>, g: ResizeGeometry): number[] {
  const { batch, inH, inW, channels: c, cropTop, cropLeft, cropH, cropW, outH, outW } = g;
  const at = (b: number, r: number, q: number, ch: number) => x[((b * inH + cropTop + r) * inW + cropLeft + q) * c + ch];
  const taps = (i: number, crop: number, out: number): [number, number, number] => {
    if (mode === 'nearest') {
      const k = Math.min(Math.floor(((i + 0.5) * crop) / out), crop - 1);
      return [k, k, 0];
    }
    const s = Math.min(Math.max(((i + 0.5) * crop) / out - 0.5, 0), crop - 1);
    return [Math.floor(s), Math.ceil(s), s - Math.floor(s)];
  };
  const y: number[] = [];
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

/** The gradient of Σ dy·refResize(x) with respect to x: column p of the (linear) resize is the resize of the unit image e_p. */
export function refResizeGrad(mode: ResizeInterpolation, dy: ArrayLike<number>, g: ResizeGeometry): number[] {
  const n = g.batch * g.inH * g.inW * g.channels;
  return Array.from({ length: n }, (_, p) => {
    const unit = new Float64Array(n);
    unit[p] = 1;
    return refResize(mode, unit, g).reduce((s, v, o) => s + v * dy[o], 0);
  });
}

/** A resize of whole images (no crop). */
export function wholeImages(batch: number, inH: number, inW: number, channels: number, outH: number, outW: number): ResizeGeometry {
  return { batch, inH, inW, channels, cropTop: 0, cropLeft: 0, cropH: inH, cropW: inW, outH, outW };
}

/**
 * Float64 resize on tfjs' sampling grids, from tf.image.resizeBilinear's and resizeNearestNeighbor's
 * definition: output index i reads source s = i·scale (+ half-pixel shifts), scale = in/out or, with
 * alignCorners, (in − 1)/(out − 1); bilinear blends floor(s) and ceil(s) clamped into the image,
 * nearest reads floor(s) (round(s) with alignCorners).
 */
export function refResizeOnGrid(mode: ResizeInterpolation, x: ArrayLike<number>, g: ResizeGrid): number[] {
  const { batch, inH, inW, channels: c, outH, outW, alignCorners, halfPixelCenters } = g;
  const at = (b: number, r: number, q: number, ch: number) => x[((b * inH + r) * inW + q) * c + ch];
  const taps = (i: number, size: number, out: number): [number, number, number] => {
    const scale = alignCorners && out > 1 ? (size - 1) / (out - 1) : size / out;
    if (mode === 'nearest') {
      const s = halfPixelCenters ? (i + 0.5) * scale : i * scale;
      const k = Math.max(0, Math.min(alignCorners ? Math.round(s) : Math.floor(s), size - 1));
      return [k, k, 0];
    }
    const s = halfPixelCenters ? (i + 0.5) * scale - 0.5 : i * scale;
    const lower = Math.max(Math.floor(s), 0);
    return [lower, Math.min(Math.ceil(s), size - 1), s - lower];
  };
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outH; i++) {
      const [r0, r1, fr] = taps(i, inH, outH);
      for (let j = 0; j < outW; j++) {
        const [q0, q1, fq] = taps(j, inW, outW);
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
