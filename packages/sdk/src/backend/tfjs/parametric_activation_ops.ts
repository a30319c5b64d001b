import type * as tfc from '@tensorflow/tfjs-core';
import type { ParametricActivation, PreluGeometry } from '../backend.js';

type Tf = typeof tfc;

/** f(x) of an activation layer as tfjs ops, the same formulas as core-wasm's parametric kernels. */
export function parametricActivate(tf: Tf, f: ParametricActivation, x: tfc.Tensor): tfc.Tensor {
  if (f.kind === 'elu') return tf.where(tf.greater(x, 0), x, tf.mul(tf.expm1(x), f.alpha));
  const positive = tf.where(tf.greater(x, f.threshold), x, tf.zerosLike(x));
  const clipped = tf.minimum(tf.maximum(positive, f.lo), f.hi);
  // Without a negative part it is skipped, so that x = −∞ gives 0 rather than 0·∞ = NaN.
  return f.negativeSlope === 0 ? clipped : tf.sub(clipped, tf.mul(tf.relu(tf.sub(f.threshold, x)), f.negativeSlope));
}

/** dy · f'(x) from the forward input x (see core-wasm's piecewiseLinearBackward for the values at the breakpoints). */
export function parametricActivationGrad(tf: Tf, f: ParametricActivation, x: tfc.Tensor, dy: tfc.Tensor): tfc.Tensor {
  if (f.kind === 'elu') return tf.where(tf.greater(x, 0), dy, tf.mul(dy, tf.mul(tf.exp(x), f.alpha)));
  const inside = tf.logicalAnd(tf.greater(x, f.threshold), tf.logicalAnd(tf.greaterEqual(x, f.lo), tf.lessEqual(x, f.hi)));
  const slope = tf.mul(tf.cast(tf.lessEqual(x, f.threshold), 'float32'), f.negativeSlope);
  return tf.mul(dy, tf.add(tf.cast(inside, 'float32'), slope));
}

/** x as [batch, outer, shared, inner] and alpha as [1, outer, 1, inner], so that broadcasting spreads alpha. */
function preluViews(tf: Tf, x: tfc.Tensor, alpha: tfc.Tensor, g: PreluGeometry): [tfc.Tensor, tfc.Tensor] {
  return [tf.reshape(x, [g.batch, g.outer, g.shared, g.inner]), tf.reshape(alpha, [1, g.outer, 1, g.inner])];
}

/**
 * PReLU forward: x < 0 ? alpha·x : x. Written with where rather than tf.prelu, whose
 * tfjs-backend-wasm kernel repeats alpha along the last axis only (wrong for alpha [1, outer, 1, 1]).
 */
export function preluTensor(tf: Tf, x: tfc.Tensor, alpha: tfc.Tensor, g: PreluGeometry): tfc.Tensor {
  const [x4, a4] = preluViews(tf, x, alpha, g);
  return tf.where(tf.less(x4, 0), tf.mul(x4, a4), x4);
}

/**
 * PReLU's gradients as tfjs' own Prelu gradient defines them: dx, and dAlpha summed over the batch
 * and shared axes. Each is computed when asked for, so a frozen layer's caller skips dAlpha.
 */
export function preluGradTensors(tf: Tf, x: tfc.Tensor, alpha: tfc.Tensor, dy: tfc.Tensor, g: PreluGeometry): { dx: () => tfc.Tensor; dAlpha: () => tfc.Tensor } {
  const [x4, a4] = preluViews(tf, x, alpha, g);
  const dy4 = tf.reshape(dy, x4.shape);
  const positive = tf.greater(x4, 0);
  return {
    dx: () => tf.where(positive, dy4, tf.mul(dy4, a4)),
    dAlpha: () => tf.sum(tf.where(positive, tf.zerosLike(dy4), tf.mul(dy4, x4)), [0, 2]),
  };
}
