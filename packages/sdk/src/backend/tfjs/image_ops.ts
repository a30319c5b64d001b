import type * as tfc from '@tensorflow/tfjs-core';
import type { ResizeGeometry, ResizeInterpolation } from '../backend.js';

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
 * dx of {@link resizeTensor} as two matrix products by the axis matrices transposed, then zeros
 * around the crop window. tfjs' own ResizeBilinearGrad ignores halfPixelCenters (it assumes the
 * legacy convention), so its gradient does not match the forward op used here.
 */
export function resizeGradTensor(tf: Tf, mode: ResizeInterpolation, dy: tfc.Tensor, g: ResizeGeometry): tfc.Tensor1D {
  const { batch, channels, cropH, cropW, outH, outW } = g;
  const rows = tf.tensor2d(resizeMatrix(mode, outH, cropH), [outH, cropH]);
  const cols = tf.tensor2d(resizeMatrix(mode, outW, cropW), [outW, cropW]);
  // [outH, batch·outW·C] → Rhᵀ· → [cropH, batch, outW, C] → [outW, batch·cropH·C] → Rwᵀ· → [cropW, batch, cropH, C].
  const byRow = tf.reshape(tf.transpose(tf.reshape(dy, [batch, outH, outW, channels]), [1, 0, 2, 3]), [outH, -1]);
  const alongH = tf.reshape(tf.matMul(rows, byRow, true, false), [cropH, batch, outW, channels]);
  const byCol = tf.reshape(tf.transpose(alongH, [2, 1, 0, 3]), [outW, -1]);
  const alongW = tf.reshape(tf.matMul(cols, byCol, true, false), [cropW, batch, cropH, channels]);
  const crop = tf.transpose(alongW, [1, 2, 0, 3]);
  const padded = tf.pad(crop, [[0, 0], [g.cropTop, g.inH - g.cropTop - cropH], [g.cropLeft, g.inW - g.cropLeft - cropW], [0, 0]]);
  return tf.reshape(padded, [-1]);
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
