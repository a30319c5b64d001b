import type * as tfc from '@tensorflow/tfjs-core';
import type { ResizeGeometry, ResizeGrid, ResizeInterpolation } from '../backend.js';

type Tf = typeof tfc;

/** The crop window of each image, `[batch, cropH, cropW, channels]`. */
function cropOf(tf: Tf, x: tfc.Tensor, g: ResizeGeometry): tfc.Tensor4D {
  const image = tf.reshape(x, [g.batch, g.inH, g.inW, g.channels]) as tfc.Tensor4D;
  if (g.cropH === g.inH && g.cropW === g.inW) return image;
  return tf.slice(image, [0, g.cropTop, g.cropLeft, 0], [g.batch, g.cropH, g.cropW, g.channels]);
}

/**
 * Resizes with tfjs' own ops and TensorFlow's half-pixel centres (alignCorners false,
 * halfPixelCenters true), the convention of tf.image.resize and so of Keras' Resizing.
 */
export function resizeTensor(tf: Tf, mode: ResizeInterpolation, x: tfc.Tensor, g: ResizeGeometry): tfc.Tensor1D {
  const crop = cropOf(tf, x, g);
  const size: [number, number] = [g.outH, g.outW];
  const y = mode === 'bilinear' ? tf.image.resizeBilinear(crop, size, false, true) : tf.image.resizeNearestNeighbor(crop, size, false, true);
  return tf.reshape(y, [-1]);
}

/** tfjs' own resize op on the grid `g` names; bilinear gives float32, nearest keeps x's dtype. */
export function resizeOnGridTensor(tf: Tf, mode: ResizeInterpolation, x: tfc.Tensor, g: ResizeGrid): tfc.Tensor1D {
  const images = tf.reshape(x, [g.batch, g.inH, g.inW, g.channels]) as tfc.Tensor4D;
  const size: [number, number] = [g.outH, g.outW];
  const resize = mode === 'bilinear' ? tf.image.resizeBilinear : tf.image.resizeNearestNeighbor;
  return tf.reshape(resize(images, size, g.alignCorners, g.halfPixelCenters), [-1]);
}

/**
 * The resize along one axis as a matrix `[out, crop]`: row i holds the weights output index i
 * gives each source index, with the taps of the wasm kernels.
 */
export function resizeMatrix(mode: ResizeInterpolation, out: number, crop: number): Float32Array {
  const m = new Float32Array(out * crop);
  const scale = crop / out;
  for (let i = 0; i < out; i++) {
    if (mode === 'nearest') {
      m[i * crop + Math.max(0, Math.min(Math.floor((i + 0.5) * scale), crop - 1))] = 1;
      continue;
    }
    const s = (i + 0.5) * scale - 0.5;
    const lower = Math.floor(s);
    const frac = s - lower;
    m[i * crop + Math.max(lower, 0)] += 1 - frac;
    m[i * crop + Math.min(Math.ceil(s), crop - 1)] += frac;
  }
  return m;
}

/**
 * The resize along one axis on tfjs' grid `g` names, as a matrix `[out, size]`: output index i
 * samples i·scale (half-pixel: (i + 0.5)·scale, − 0.5 for bilinear), scale = size/out or, with
 * alignCorners, (size − 1)/(out − 1).
 */
function gridMatrix(mode: ResizeInterpolation, out: number, size: number, g: ResizeGrid): Float32Array {
  const m = new Float32Array(out * size);
  const corners = g.alignCorners && out > 1;
  const scale = (corners ? size - 1 : size) / (corners ? out - 1 : out);
  for (let i = 0; i < out; i++) {
    if (mode === 'nearest') {
      const s = g.halfPixelCenters ? scale * (i + 0.5) : scale * i;
      m[i * size + Math.max(0, Math.min(size - 1, g.alignCorners ? Math.round(s) : Math.floor(s)))] = 1;
      continue;
    }
    const s = g.halfPixelCenters ? scale * (i + 0.5) - 0.5 : scale * i;
    const lower = Math.max(0, Math.floor(s));
    m[i * size + lower] += 1 - (s - lower);
    m[i * size + Math.min(size - 1, Math.ceil(s))] += s - lower;
  }
  return m;
}

/** dy `[batch, outH, outW, C]` through the transposed axis matrices rows `[outH, inH]` and cols `[outW, inW]`: `[batch, inH, inW, C]`. */
function adjointTensor(tf: Tf, dy: tfc.Tensor, rows: Float32Array, cols: Float32Array, [batch, inH, inW, channels, outH, outW]: number[]): tfc.Tensor {
  const [rh, rw] = [tf.tensor2d(rows, [outH, inH]), tf.tensor2d(cols, [outW, inW])];
  // [outH, batch·outW·C] → Rhᵀ· → [inH, batch, outW, C] → [outW, batch·inH·C] → Rwᵀ· → [inW, batch, inH, C].
  const byRow = tf.reshape(tf.transpose(tf.reshape(dy, [batch, outH, outW, channels]), [1, 0, 2, 3]), [outH, -1]);
  const alongH = tf.reshape(tf.matMul(rh, byRow, true, false), [inH, batch, outW, channels]);
  const byCol = tf.reshape(tf.transpose(alongH, [2, 1, 0, 3]), [outW, -1]);
  const alongW = tf.reshape(tf.matMul(rw, byCol, true, false), [inW, batch, inH, channels]);
  return tf.transpose(alongW, [1, 2, 0, 3]);
}

/**
 * dx of {@link resizeTensor} as two matrix products by the axis matrices transposed, then zeros
 * around the crop window. tfjs' own ResizeBilinearGrad ignores halfPixelCenters (it assumes the
 * legacy convention), so its gradient does not match the forward op used here.
 */
export function resizeGradTensor(tf: Tf, mode: ResizeInterpolation, dy: tfc.Tensor, g: ResizeGeometry): tfc.Tensor1D {
  const { batch, channels, cropH, cropW, outH, outW } = g;
  const crop = adjointTensor(tf, dy, resizeMatrix(mode, outH, cropH), resizeMatrix(mode, outW, cropW), [batch, cropH, cropW, channels, outH, outW]);
  const padded = tf.pad(crop, [[0, 0], [g.cropTop, g.inH - g.cropTop - cropH], [g.cropLeft, g.inW - g.cropLeft - cropW], [0, 0]]);
  return tf.reshape(padded, [-1]);
}

/** dx of {@link resizeOnGridTensor}, the exact adjoint (tfjs' own gradients ignore halfPixelCenters, and its bilinear one fails for non-square images). */
export function resizeOnGridGradTensor(tf: Tf, mode: ResizeInterpolation, dy: tfc.Tensor, g: ResizeGrid): tfc.Tensor1D {
  const { batch, inH, inW, channels, outH, outW } = g;
  return tf.reshape(adjointTensor(tf, dy, gridMatrix(mode, outH, inH, g), gridMatrix(mode, outW, inW, g), [batch, inH, inW, channels, outH, outW]), [-1]);
}

/** Image b mirrored left-right where bit 0 of flags[b] is set and top-bottom where bit 1 is. */
export function flipImagesTensor(tf: Tf, x: tfc.Tensor, flags: tfc.Tensor, [batch, h, w, c]: [number, number, number, number]): tfc.Tensor1D {
  const image = tf.reshape(x, [batch, h, w, c]);
  const bits = tf.reshape(flags, [batch, 1, 1, 1]);
  const shape = [batch, h, w, c];
  const horizontal = tf.broadcastTo(tf.equal(tf.mod(bits, 2), 1), shape);
  const vertical = tf.broadcastTo(tf.greaterEqual(bits, 2), shape);
  const once = tf.where(horizontal, tf.reverse(image, 2), image);
  return tf.reshape(tf.where(vertical, tf.reverse(once, 1), once), [-1]);
}
