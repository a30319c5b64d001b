import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

/** 1 for each row of x `[rows, width]` holding any value other than `value`, else 0, flat `[rows]`. */
export function maskFromValuesTensor(tf: Tf, x: tfc.Tensor2D, value: number): tfc.Tensor {
  return tf.cast(tf.any(tf.notEqual(x, value), 1), 'float32');
}

/** Rows whose mask `[rows, 1]` is 0 replaced by prev's (zeros when prev is null), selected rather than blended, as the wasm core. */
export function maskSelectRowsTensor(tf: Tf, mask: tfc.Tensor2D, x: tfc.Tensor2D, prev: tfc.Tensor2D | null): tfc.Tensor {
  const keep = tf.broadcastTo(tf.notEqual(mask, 0), x.shape);
  return tf.where(keep, x, prev ?? tf.zerosLike(x));
}

/** maskSelectRows' backward pass: masked rows of dx move into dPrev (added) and become 0. */
export function maskSelectRowsGradTensors(tf: Tf, mask: tfc.Tensor2D, dx: tfc.Tensor2D, dPrev: tfc.Tensor2D | null): { dx: tfc.Tensor; dPrev: tfc.Tensor | null } {
  const keep = tf.broadcastTo(tf.notEqual(mask, 0), dx.shape);
  const zeros = tf.zerosLike(dx);
  return { dx: tf.where(keep, dx, zeros), dPrev: dPrev ? tf.add(dPrev, tf.where(keep, zeros, dx)) : null };
}

/** The mean of x `[batch, steps, channels]` over each sequence's unmasked steps (mask `[batch, steps]`), 0 where none is. */
export function maskedMeanStepsTensor(tf: Tf, x: tfc.Tensor3D, mask: tfc.Tensor2D): tfc.Tensor {
  const weights = tf.div(mask, tf.maximum(tf.sum(mask, 1, true), 1));
  return tf.sum(tf.mul(x, tf.expandDims(weights, 2)), 1);
}

/** Its gradient: dx[b, s, :] = mask[b, s]·dy[b, :] / max(1, unmasked steps of b). */
export function maskedMeanStepsGradTensor(tf: Tf, dy: tfc.Tensor2D, mask: tfc.Tensor2D): tfc.Tensor {
  const weights = tf.div(mask, tf.maximum(tf.sum(mask, 1, true), 1));
  return tf.mul(tf.expandDims(weights, 2), tf.expandDims(dy, 1));
}
