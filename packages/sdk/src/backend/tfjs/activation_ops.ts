import type * as tfc from '@tensorflow/tfjs-core';
import type { ActivationKind, FusableActivation } from '../backend.js';

type Tf = typeof tfc;

// Klambauer et al.'s SELU constants, as tfjs-core's selu uses them.
const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_SCALE_ALPHA = SELU_SCALE * 1.6732632423543772848170429916717;

// Keras 3's `leaky_relu` activation slope (the LeakyReLU layer's default is 0.3).
const LEAKY_SLOPE = 0.2;

/** The activations tf.fused.matMul applies itself; the others run on its output. */
const TFJS_FUSED: ReadonlySet<FusableActivation> = new Set(['linear', 'relu', 'sigmoid', 'elu', 'relu6']);

/** The activation tf.fused.matMul is given for `kind` ('linear' when it must run afterwards). */
export function fusedMatMulActivation(kind: FusableActivation): 'linear' | 'relu' | 'sigmoid' | 'elu' | 'relu6' {
  return TFJS_FUSED.has(kind) ? (kind as 'linear' | 'relu' | 'sigmoid' | 'elu' | 'relu6') : 'linear';
}

// Keras 3's defaults: squareplus' b and the shrink activations' threshold.
const SQUAREPLUS_B = 4;
const SHRINK_THRESHOLD = 0.5;

/**
 * Sparsemax along the last axis of a matrix by Martins & Astudillo's algorithm: sort each row
 * descending (topk), find the support size k = max{j : 1 + j·z_(j) > Σ_{i≤j} z_(i)} and
 * τ = (Σ_{i≤k} z_(i) − 1)/k, then max(x − τ, 0).
 */
function sparsemax(tf: Tf, x: tfc.Tensor): tfc.Tensor {
  const axis = x.rank - 1;
  const cols = x.shape[axis] ?? 1;
  const sorted = tf.topk(x, cols).values;
  // tfjs' cumsum takes a non-negative axis.
  const cumulative = tf.cumsum(sorted, axis);
  const ranks = tf.range(1, cols + 1);
  const inSupport = tf.cast(tf.greater(tf.add(1, tf.mul(ranks, sorted)), cumulative), 'float32');
  const support = tf.sum(inSupport, -1, true);
  const tau = tf.div(tf.sub(tf.sum(tf.mul(sorted, inSupport), -1, true), 1), support);
  return tf.relu(tf.sub(x, tau));
}

/** f(x) as tfjs ops, the same formulas as core-wasm's kernels; softmax, log-softmax and sparsemax along the last axis. */
export function activate(tf: Tf, kind: ActivationKind, x: tfc.Tensor): tfc.Tensor {
  switch (kind) {
    case 'relu': return tf.relu(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'tanh': return tf.tanh(x);
    case 'softmax': return tf.softmax(x);
    case 'elu': return tf.elu(x);
    case 'selu': return tf.selu(x);
    case 'softplus': return tf.softplus(x);
    case 'softsign': return tf.div(x, tf.add(1, tf.abs(x)));
    case 'relu6': return tf.relu6(x);
    case 'exponential': return tf.exp(x);
    case 'hardSigmoid': return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'leaky_relu': return tf.leakyRelu(x, LEAKY_SLOPE);
    case 'hard_tanh': return tf.clipByValue(x, -1, 1);
    case 'log_sigmoid': return tf.logSigmoid(x);
    case 'logSoftmax': return tf.logSoftmax(x);
    case 'squareplus': return tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), SQUAREPLUS_B))), 2);
    case 'soft_shrink': return tf.sub(x, tf.clipByValue(x, -SHRINK_THRESHOLD, SHRINK_THRESHOLD));
    case 'hard_shrink': return tf.mul(x, tf.cast(tf.greater(tf.abs(x), SHRINK_THRESHOLD), 'float32'));
    case 'sparse_plus': return tf.where(tf.greaterEqual(x, 1), x, tf.mul(tf.square(tf.add(tf.clipByValue(x, -1, 1), 1)), 0.25));
    case 'sparsemax': return sparsemax(tf, x);
    case 'linear': return tf.clone(x);
  }
}

/** dy · f'(x) from the forward output y (softmax and log-softmax along the last axis of a matrix). */
export function activationGradFromOutput(tf: Tf, kind: ActivationKind, y: tfc.Tensor, dy: tfc.Tensor): tfc.Tensor {
  const inside = (lo: number, hi: number): tfc.Tensor => tf.cast(tf.logicalAnd(tf.greater(y, lo), tf.less(y, hi)), 'float32');
  switch (kind) {
    case 'relu': return tf.mul(dy, tf.cast(tf.greater(y, 0), 'float32'));
    case 'sigmoid': return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'tanh': return tf.mul(dy, tf.sub(1, tf.square(y)));
    case 'softmax': return tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true)));
    case 'elu': return tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, 1)));
    case 'selu': return tf.where(tf.greater(y, 0), tf.mul(dy, SELU_SCALE), tf.mul(dy, tf.add(y, SELU_SCALE_ALPHA)));
    // σ(x) = 1 − e^(−y), as −expm1(−y) so that a tiny y (very negative x) keeps its value.
    case 'softplus': return tf.mul(dy, tf.neg(tf.expm1(tf.neg(y))));
    case 'softsign': return tf.mul(dy, tf.square(tf.sub(1, tf.abs(y))));
    case 'relu6': return tf.mul(dy, inside(0, 6));
    case 'exponential': return tf.mul(dy, y);
    case 'hardSigmoid': return tf.mul(dy, tf.mul(inside(0, 1), 0.2));
    case 'leaky_relu': return tf.where(tf.greater(y, 0), dy, tf.mul(dy, LEAKY_SLOPE));
    case 'hard_tanh': return tf.mul(dy, inside(-1, 1));
    // 1 − σ(x) = −expm1(y), exact for the tiny y of a large x.
    case 'log_sigmoid': return tf.mul(dy, tf.neg(tf.expm1(y)));
    case 'logSoftmax': return tf.sub(dy, tf.mul(tf.exp(y), tf.sum(dy, -1, true)));
    // y²/(y² + b/4), as 1/(1 + (b/4)/y²) so that neither a huge nor a tiny y overflows.
    case 'squareplus': return tf.div(dy, tf.add(1, tf.div(SQUAREPLUS_B / 4, tf.square(y))));
    case 'soft_shrink':
    case 'hard_shrink': return tf.mul(dy, tf.cast(tf.notEqual(y, 0), 'float32'));
    // (x + 1)/2 = √y on the quadratic part, 1 from y = 1 up.
    case 'sparse_plus': return tf.mul(dy, tf.minimum(tf.sqrt(y), 1));
    case 'sparsemax': {
      // s ⊙ (dy − mean of dy over the support s = {y > 0}).
      const inSupport = tf.cast(tf.greater(y, 0), 'float32');
      const mean = tf.div(tf.sum(tf.mul(dy, inSupport), -1, true), tf.sum(inSupport, -1, true));
      return tf.mul(inSupport, tf.sub(dy, mean));
    }
    case 'linear': return tf.clone(dy);
  }
}
