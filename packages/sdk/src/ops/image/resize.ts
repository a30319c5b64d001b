// tfjs' resizeBilinear and resizeNearestNeighbor: NHWC images resampled to a new height and width,
// with the sampling conventions of tfjs' CPU kernels, and their gradients with respect to the images.
import { Tensor, type DType, type TensorLike } from '../../tensor.js';
import { hostValues, operand, typedArray } from '../operand.js';
import { record, taping } from '../tape.js';
import { batchShape, booleanOption, imageSize } from './image_shape.js';

/** How the output index i of one axis maps onto the input axis: `scale·i`, or `scale·(i + ½)` with half-pixel centres. */
interface AxisMap {
  readonly inSize: number;
  readonly outSize: number;
  readonly scale: number;
  readonly halfPixelCenters: boolean;
  readonly alignCorners: boolean;
}

function axisMap(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): AxisMap {
  // alignCorners maps the corner pixels' centres onto each other: n − 1 intervals on each side.
  const corners = alignCorners && outSize > 1;
  return { inSize, outSize, scale: (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize), halfPixelCenters, alignCorners };
}

/** The two source indices each output index blends along one axis, and the weight of the upper one. */
function linearTaps(m: AxisMap): { lower: Int32Array; upper: Int32Array; frac: Float64Array } {
  const lower = new Int32Array(m.outSize);
  const upper = new Int32Array(m.outSize);
  const frac = new Float64Array(m.outSize);
  for (let i = 0; i < m.outSize; i++) {
    const source = m.halfPixelCenters ? m.scale * (i + 0.5) - 0.5 : m.scale * i;
    lower[i] = Math.max(0, Math.floor(source));
    upper[i] = Math.min(m.inSize - 1, Math.ceil(source));
    frac[i] = source - lower[i];
  }
  return { lower, upper, frac };
}

/** The source index each output index copies along one axis (tfjs rounds halves up with alignCorners, else floors). */
function nearestTaps(m: AxisMap): Int32Array {
  const index = new Int32Array(m.outSize);
  for (let i = 0; i < m.outSize; i++) {
    const source = m.halfPixelCenters ? m.scale * (i + 0.5) : m.scale * i;
    const nearest = Math.min(m.inSize - 1, m.alignCorners ? Math.round(source) : Math.floor(source));
    index[i] = m.halfPixelCenters ? Math.max(0, nearest) : nearest;
  }
  return index;
}

interface Resize {
  readonly t: Tensor;
  readonly batch: number;
  readonly channels: number;
  readonly rows: AxisMap;
  readonly cols: AxisMap;
  /** The output shape, rank 3 for a rank-3 input. */
  readonly shape: number[];
}

function parseResize(fn: string, images: Tensor | TensorLike, size: unknown, alignCorners: unknown, halfPixelCenters: unknown): Resize {
  const t = operand(fn, 'images', images);
  const [batch, h, w, channels] = batchShape(fn, 'images', t);
  const [outH, outW] = imageSize(fn, 'size', size);
  const align = booleanOption(fn, 'alignCorners', alignCorners);
  const half = booleanOption(fn, 'halfPixelCenters', halfPixelCenters);
  if (align && half) {
    throw new Error(`${fn}: alignCorners and halfPixelCenters cannot both be true (they place the sampling grid differently). Set one of them to false. Received: alignCorners=true, halfPixelCenters=true.`);
  }
  const shape = t.rank === 3 ? [outH, outW, channels] : [batch, outH, outW, channels];
  return { t, batch, channels, rows: axisMap(h, outH, align, half), cols: axisMap(w, outW, align, half), shape };
}

/**
 * `images` (`[batch, height, width, channels]` or one `[height, width, channels]` image) resized to
 * `size` = [newHeight, newWidth] by bilinear interpolation, as `tf.image.resizeBilinear`, to the bit
 * of tfjs' CPU kernel. `alignCorners` maps the corner pixels onto each other; `halfPixelCenters`
 * samples at pixel centres (TensorFlow 2's convention; the two cannot both be true). The result is
 * float32. Its gradient with respect to `images` is the exact adjoint of the resampling; tfjs' ignores
 * halfPixelCenters, and swaps height and width, so it fails for non-square images.
 * @example `km.image.resizeBilinear(images, [224, 224], false, true)`
 */
export function resizeBilinear(images: Tensor | TensorLike, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor<'float32'> {
  const fn = 'km.image.resizeBilinear()';
  const { t, batch, channels: d, rows, cols, shape } = parseResize(fn, images, size, alignCorners, halfPixelCenters);
  const r = linearTaps(rows);
  const c = linearTaps(cols);
  const x = hostValues(fn, t);
  const [inRow, inImage, outImage] = [cols.inSize * d, rows.inSize * cols.inSize * d, rows.outSize * cols.outSize * d];
  const out = new Float32Array(batch * outImage);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows.outSize; i++) {
      const [top, bottom] = [b * inImage + r.lower[i] * inRow, b * inImage + r.upper[i] * inRow];
      for (let j = 0; j < cols.outSize; j++) {
        const [left, right] = [c.lower[j] * d, c.upper[j] * d];
        for (let k = 0; k < d; k++) {
          const [tl, tr, bl, br] = [x[top + left + k], x[top + right + k], x[bottom + left + k], x[bottom + right + k]];
          const upperRow = tl + (tr - tl) * c.frac[j];
          const lowerRow = bl + (br - bl) * c.frac[j];
          out[o++] = upperRow + (lowerRow - upperRow) * r.frac[i];
        }
      }
    }
  }
  const result = new Tensor(out, shape, 'float32');
  if (taping()) {
    record(result, [t], (dy) => {
      const g = new Float32Array(t.size);
      let at = 0;
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < rows.outSize; i++) {
          const [top, bottom] = [b * inImage + r.lower[i] * inRow, b * inImage + r.upper[i] * inRow];
          const [down, up] = [r.frac[i], 1 - r.frac[i]];
          for (let j = 0; j < cols.outSize; j++) {
            const [left, right] = [c.lower[j] * d, c.upper[j] * d];
            const [rightward, leftward] = [c.frac[j], 1 - c.frac[j]];
            const [wtl, wtr, wbl, wbr] = [up * leftward, up * rightward, down * leftward, down * rightward];
            for (let k = 0; k < d; k++) {
              const v = dy[at++];
              g[top + left + k] += v * wtl;
              g[top + right + k] += v * wtr;
              g[bottom + left + k] += v * wbl;
              g[bottom + right + k] += v * wbr;
            }
          }
        }
      }
      return [g];
    });
  }
  return result;
}

/**
 * `images` resized to `size` = [newHeight, newWidth] by copying the nearest pixel, as
 * `tf.image.resizeNearestNeighbor` (same options as {@link resizeBilinear}); the dtype is kept.
 * Its gradient with respect to `images` adds each output's cotangent into the pixel it copied;
 * tfjs' ignores halfPixelCenters and mixes up the images of a batch, and kerasm's does neither.
 * @example `km.image.resizeNearestNeighbor(masks, [64, 64])`
 */
export function resizeNearestNeighbor<D extends DType>(images: Tensor<D> | TensorLike, size: readonly [number, number], alignCorners = false, halfPixelCenters = false): Tensor<D> {
  const fn = 'km.image.resizeNearestNeighbor()';
  const { t, batch, channels: d, rows, cols, shape } = parseResize(fn, images, size, alignCorners, halfPixelCenters);
  const r = nearestTaps(rows);
  const c = nearestTaps(cols);
  // source[o] is the input element output element o copies.
  const source = new Int32Array(batch * rows.outSize * cols.outSize * d);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows.outSize; i++) {
      for (let j = 0; j < cols.outSize; j++) {
        const pixel = ((b * rows.inSize + r[i]) * cols.inSize + c[j]) * d;
        for (let k = 0; k < d; k++) source[o++] = pixel + k;
      }
    }
  }
  const x = hostValues(fn, t) as ArrayLike<number>;
  const out = typedArray(t.dtype as D, source.length);
  for (let i = 0; i < source.length; i++) out[i] = x[source[i]];
  const result = new Tensor(out, shape, t.dtype as D);
  if (taping()) {
    record(result, [t], (dy) => {
      // Summed in float64 and rounded once, as tfjs' kernel.
      const g = new Float64Array(t.size);
      for (let i = 0; i < source.length; i++) g[source[i]] += dy[i];
      return [Float32Array.from(g)];
    });
  }
  return result;
}
