import type { ResizeGeometry, ResizeGrid, ResizeInterpolation } from '../backend/backend.js';

/** One output index's taps along an axis: the lower and upper source indices, and the upper one's weight. */
type Taps = [number, number, number];

/**
 * Float64 bilinear blends of a batch of NHWC images, `c` channels, to `outH`×`outW`: each output row
 * and column blends the taps `rowTaps(i)` and `colTaps(j)` give (nearest: both taps the same), and
 * `at(b, r, q, ch)` reads a source value.
 */
function blend(batch: number, c: number, outH: number, outW: number, rowTaps: (i: number) => Taps, colTaps: (j: number) => Taps, at: (b: number, r: number, q: number, ch: number) => number): number[] {
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outH; i++) {
      const [r0, r1, fr] = rowTaps(i);
      for (let j = 0; j < outW; j++) {
        const [q0, q1, fq] = colTaps(j);
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

/** The gradient of Σ dy·resize(x) with respect to the `n` values of x: column p of a linear resize is the resize of the unit image e_p. */
function adjoint(resize: (x: Float64Array) => number[], n: number, dy: ArrayLike<number>): number[] {
  return Array.from({ length: n }, (_, p) => {
    const unit = new Float64Array(n);
    unit[p] = 1;
    return resize(unit).reduce((s, v, o) => s + v * dy[o], 0);
  });
}

/**
 * Float64 resize from the definition, with TensorFlow's half-pixel centres: output index i reads
 * source (i + 0.5)·crop/out − 0.5 clamped into the crop window (bilinear) or floor((i + 0.5)·crop/out) (nearest).
 */
export function refResize(mode: ResizeInterpolation, x: ArrayLike<number>, g: ResizeGeometry): number[] {
  const { batch, inH, inW, channels: c, cropTop, cropLeft, cropH, cropW, outH, outW } = g;
  const taps = (i: number, crop: number, out: number): Taps => {
    if (mode === 'nearest') {
      const k = Math.min(Math.floor(((i + 0.5) * crop) / out), crop - 1);
      return [k, k, 0];
    }
    const s = Math.min(Math.max(((i + 0.5) * crop) / out - 0.5, 0), crop - 1);
    return [Math.floor(s), Math.ceil(s), s - Math.floor(s)];
  };
  return blend(batch, c, outH, outW, (i) => taps(i, cropH, outH), (j) => taps(j, cropW, outW), (b, r, q, ch) => x[((b * inH + cropTop + r) * inW + cropLeft + q) * c + ch]);
}

/** The gradient of Σ dy·refResize(x) with respect to x. */
export function refResizeGrad(mode: ResizeInterpolation, dy: ArrayLike<number>, g: ResizeGeometry): number[] {
  return adjoint((x) => refResize(mode, x, g), g.batch * g.inH * g.inW * g.channels, dy);
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
  const taps = (i: number, size: number, out: number): Taps => {
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
  return blend(batch, c, outH, outW, (i) => taps(i, inH, outH), (j) => taps(j, inW, outW), (b, r, q, ch) => x[((b * inH + r) * inW + q) * c + ch]);
}

/** The gradient of Σ dy·refResizeOnGrid(x) with respect to x. */
export function refResizeOnGridGrad(mode: ResizeInterpolation, dy: ArrayLike<number>, g: ResizeGrid): number[] {
  return adjoint((x) => refResizeOnGrid(mode, x, g), g.batch * g.inH * g.inW * g.channels, dy);
}
