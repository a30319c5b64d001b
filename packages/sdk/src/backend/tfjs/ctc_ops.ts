import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

// Keras 3's CTC loss as tfjs ops, on the device: the forward–backward recursion of core-wasm's
// ctc.ts is a JavaScript loop over the steps, each step a few ops on the whole batch's states.
// tfjs ops are float32 and −∞ − (−∞) is NaN, so an unreachable state holds a large negative
// number instead of −∞, far below any reachable one; tfjs-webgl clamps magnitudes near 1e20, so it
// stays below that, and a sample with no alignment has loss IMPOSSIBLE, which the backend reads as +∞.
const UNREACHABLE = -1e15;
const INFEASIBLE = -1e14;
const IMPOSSIBLE = 1e18;
/** A summed loss at least this large includes an impossible sample. */
export const IMPOSSIBLE_SUM = 1e16;

/** log(e^a + e^b + e^c) over three [batch, states] tensors, any of whose terms may be UNREACHABLE. */
function logAdd3(tf: Tf, a: tfc.Tensor2D, b: tfc.Tensor2D, c: tfc.Tensor2D): tfc.Tensor2D {
  return tf.logSumExp(tf.stack([a, b, c]), 0) as tfc.Tensor2D;
}

/**
 * Per-sample CTC loss [batch] (IMPOSSIBLE where the labels cannot fit in the steps) and its gradient w.r.t.
 * logits [batch, steps, classes], for int32 labels [batch, labelCap] padded with `blank`.
 */
export function ctcLossTensors(tf: Tf, logits: tfc.Tensor3D, labels: tfc.Tensor2D, blank: number): [tfc.Tensor1D, tfc.Tensor3D] {
  const [batch, steps, classes] = logits.shape;
  const labelCap = labels.shape[1];
  const states = 2 * labelCap + 1;
  const logp = tf.logSoftmax(logits) as tfc.Tensor3D;
  // The extended sequence: a blank before each label and after the last.
  const blanks = tf.fill([batch, labelCap], blank, 'int32');
  const extended = tf.concat([tf.reshape(tf.stack([blanks, tf.cast(labels, 'int32')], 2), [batch, 2 * labelCap]), tf.fill([batch, 1], blank, 'int32')], 1) as tfc.Tensor2D;
  const previousLabel = tf.concat([tf.fill([batch, 2], blank, 'int32'), tf.slice(extended, [0, 0], [-1, states - 2])], 1);
  const canSkip = tf.logicalAnd(tf.notEqual(extended, blank), tf.notEqual(extended, previousLabel)) as tfc.Tensor2D;
  // Where each step's state reads its class in the flat logits, time-major [steps, batch, states]:
  // (b·steps + t)·classes + extended[b, s]. A plain gather reads the states' log-probabilities and a
  // scatter (which sums repeated positions) adds their posteriors back per class; in tfjs 4.22 the
  // batched gather (wasm) and a batched matMul over a one-hot (webgl) give wrong values.
  const rowStarts = tf.reshape(tf.transpose(tf.reshape(tf.range(0, batch * steps * classes, classes, 'int32'), [batch, steps])), [steps, batch, 1]);
  const positions = tf.add(rowStarts, tf.reshape(extended, [1, batch, states])) as tfc.Tensor3D;
  const emits = tf.unstack(tf.gather(tf.reshape(logp, [-1]), positions)) as tfc.Tensor2D[];
  const unreachable = tf.fill([batch, states], UNREACHABLE) as tfc.Tensor2D;
  const [fill1, fill2] = [tf.fill([batch, 1], UNREACHABLE), tf.fill([batch, 2], UNREACHABLE)];
  const shiftRight = (x: tfc.Tensor2D, by: number) => tf.concat([by === 1 ? fill1 : fill2, tf.slice(x, [0, 0], [-1, states - by])], 1) as tfc.Tensor2D;
  const shiftLeft = (x: tfc.Tensor2D, by: number) => tf.concat([tf.slice(x, [0, by], [-1, -1]), by === 1 ? fill1 : fill2], 1) as tfc.Tensor2D;
  const stateIndex = tf.range(0, states, 1, 'int32');

  const alphas: tfc.Tensor2D[] = [tf.where(tf.tile(tf.reshape(tf.less(stateIndex, 2), [1, states]), [batch, 1]), emits[0], unreachable)];
  for (let t = 1; t < steps; t++) {
    const prev = alphas[t - 1];
    const skipped = tf.where(canSkip, shiftRight(prev, 2), unreachable);
    alphas.push(tf.add(logAdd3(tf, prev, shiftRight(prev, 1), skipped), emits[t]));
  }
  // The end states 2L − 1 and 2L of each sample's own label length L.
  const lengths = tf.sum(tf.cast(tf.notEqual(labels, blank), 'int32'), 1, true);
  const fromEnd = tf.sub(tf.mul(lengths, 2), tf.reshape(stateIndex, [1, states]));
  const isEnd = tf.logicalAnd(tf.greaterEqual(fromEnd, 0), tf.lessEqual(fromEnd, 1));
  const logP = tf.logSumExp(tf.where(isEnd, alphas[steps - 1], unreachable), 1);

  const skipNext = tf.greater(shiftLeft(tf.cast(canSkip, 'float32') as tfc.Tensor2D, 2), 0);
  const betas: tfc.Tensor2D[] = new Array(steps);
  betas[steps - 1] = tf.where(isEnd, tf.zerosLike(unreachable), unreachable);
  for (let t = steps - 2; t >= 0; t--) {
    const next = tf.add(betas[t + 1], emits[t + 1]) as tfc.Tensor2D;
    const skipped = tf.where(skipNext, shiftLeft(next, 2), unreachable);
    betas[t] = logAdd3(tf, next, shiftLeft(next, 1), skipped);
  }
  const feasible = tf.greater(logP, INFEASIBLE);
  const posterior = tf.exp(tf.sub(tf.add(tf.stack(alphas), tf.stack(betas)), tf.reshape(logP, [1, batch, 1])));
  const perClass = tf.reshape(tf.scatterND(tf.reshape(positions, [-1, 1]), tf.reshape(posterior, [-1]), [batch * steps * classes]), [batch, steps, classes]);
  const grad = tf.sub(tf.exp(logp), perClass);
  const loss = tf.where(feasible, tf.neg(logP), tf.fill([batch], IMPOSSIBLE));
  return [loss as tfc.Tensor1D, tf.mul(grad, tf.reshape(tf.cast(feasible, 'float32'), [batch, 1, 1])) as tfc.Tensor3D];
}
