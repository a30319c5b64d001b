// Kernel wrappers of a model's activations, losses, metrics and optimizer updates.
import { Activation } from './activation.js';
import { CoreBase } from './core_base.js';
import type { InputActivation } from './input_activation.js';
import type { LossKind, RowLossKind } from './loss_kind.js';
import { KernelId } from './parallel_kernels.js';

/** The kernels of a training step's dense math: activations, losses, metrics, optimizer updates, regularizers and constraints. */
export abstract class ModelKernels extends CoreBase {
  /**
   * dx = dy · f'(x) from the forward output y (dx may alias dy), and in the same pass
   * dBias = (accumulate ? dBias : 0) + Σ_rows dx: a layer's bias gradient.
   */
  activationBackwardBias(kind: Activation, y: number, dy: number, dx: number, dBias: number, rows: number, cols: number, accumulate: boolean): void {
    this.k.activationBackwardBias(kind, y, dy, dx, dBias, rows, cols, accumulate ? 1 : 0);
  }

  /** x[r, c] += bias[c], in place. */
  biasAdd(x: number, bias: number, rows: number, cols: number): void {
    this.k.biasAdd(x, bias, rows, cols);
  }

  /** out[c] = (accumulate ? out[c] : 0) + Σ_r x[r, c]. */
  colSum(x: number, out: number, rows: number, cols: number, accumulate: boolean): void {
    this.k.colSum(x, out, rows, cols, accumulate ? 1 : 0);
  }

  /** y = f(x) elementwise (softmax: along each row); y may alias x. */
  activationForward(kind: Activation, x: number, y: number, rows: number, cols: number): void {
    this.k.activationForward(kind, x, y, rows, cols);
  }

  /** dx = dy · f'(x), computed from the forward output y; dx may alias dy. */
  activationBackward(kind: Activation, y: number, dy: number, dx: number, rows: number, cols: number): void {
    this.k.activationBackward(kind, y, dy, dx, rows, cols);
  }

  /**
   * y = f(x) over n values for an activation whose derivative needs x (y may alias x).
   *
   * @example
   * ```ts
   * core.inputActivationForward(InputActivation.Gelu, z, y, rows * cols);
   * core.inputActivationBackward(InputActivation.Gelu, z, dy, dy, dBias, rows, cols);
   * ```
   */
  inputActivationForward(kind: InputActivation, x: number, y: number, n: number): void {
    this.k.inputActivationForward(kind, x, y, n);
  }

  /**
   * dx = dy · f'(x) over rows×cols from the forward input x (dx may alias dy) and, when dBias is
   * not 0, the bias gradient dBias = Σ_rows dx (overwritten) in the same pass.
   */
  inputActivationBackward(kind: InputActivation, x: number, dy: number, dx: number, dBias: number, rows: number, cols: number): void {
    this.k.inputActivationBackward(kind, x, dy, dx, dBias, rows, cols);
  }

  /**
   * Keras 3's glu along the last axis: each row of x [rows × 2·half] is [a | b], and
   * y [rows × half] = a ⊙ σ(b). y must not overlap x.
   *
   * @example
   * ```ts
   * core.gluForward(x, y, batch, units / 2);
   * core.gluBackward(x, dy, dx, batch, units / 2);
   * ```
   */
  gluForward(x: number, y: number, rows: number, half: number): void {
    this.k.gluForward(x, y, rows, half);
  }

  /** The gradient of {@link gluForward} with respect to x [rows × 2·half], from x and dy [rows × half]; dx must not overlap dy. */
  gluBackward(x: number, dy: number, dx: number, rows: number, half: number): void {
    this.k.gluBackward(x, dy, dx, rows, half);
  }

  /**
   * probs = softmax(logits) (may alias logits); returns Σ_rows −log(clip(p[label])) and, when
   * dLogits ≠ 0, writes (p − onehot(label))·gradScale. labels is an i32 buffer.
   */
  softmaxCrossEntropySparse(logits: number, labels: number, probs: number, dLogits: number, rows: number, cols: number, gradScale: number, weights = 0): number {
    return this.k.softmaxCrossEntropySparse(logits, labels, probs, dLogits, rows, cols, gradScale, weights);
  }

  /** As softmaxCrossEntropySparse with dense targets: loss −Σ t·log clip(p), grad (p·Σt − t)·gradScale. */
  softmaxCrossEntropyDense(logits: number, targets: number, probs: number, dLogits: number, rows: number, cols: number, gradScale: number, weights = 0): number {
    return this.k.softmaxCrossEntropyDense(logits, targets, probs, dLogits, rows, cols, gradScale, weights);
  }

  /**
   * On probabilities, each row q = p / Σp first (Keras): returns −Σ t·log clip(q); when dp ≠ 0 writes
   * (−t/p·[q unclipped] + T/Σp)·gradScale, T the targets' sum over the unclipped entries.
   */
  categoricalCrossEntropy(p: number, targets: number, dp: number, rows: number, cols: number, gradScale: number, weights = 0): number {
    return this.k.categoricalCrossEntropy(p, targets, dp, rows, cols, gradScale, weights);
  }

  /** On probabilities with i32 labels: returns Σ −log clip(p[label] / Σp); dp as categoricalCrossEntropy's on the one-hot row (0 where p[label] / Σp is clipped). */
  sparseCategoricalCrossEntropy(p: number, labels: number, dp: number, rows: number, cols: number, gradScale: number, weights = 0): number {
    return this.k.sparseCategoricalCrossEntropy(p, labels, dp, rows, cols, gradScale, weights);
  }

  /**
   * Returns −Σ (t·log clip p + (1−t)·log(1 − clip p)); dp = (clip p − t)/(clip p·(1 − clip p))·gradScale.
   * With `smoothing` s each target t is read as t·(1 − s) + s/2 (Keras' label smoothing); the
   * target buffer is not changed.
   * @example `core.binaryCrossEntropy(p, t, dp, n, 1 / n, 0, 1, 0.1)`
   */
  binaryCrossEntropy(p: number, targets: number, dp: number, n: number, gradScale: number, weights = 0, repeat = 1, smoothing = 0): number {
    return this.k.binaryCrossEntropy(p, targets, dp, n, gradScale, weights, repeat, smoothing);
  }

  /** Returns Σ (p − t)²; dp = 2(p − t)·gradScale. A non-zero `weights` holds one weight per `repeat` elements, multiplying their loss and gradient (so in every loss kernel: one per row). */
  meanSquaredError(p: number, targets: number, dp: number, n: number, gradScale: number, weights = 0, repeat = 1): number {
    return this.k.meanSquaredError(p, targets, dp, n, gradScale, weights, repeat);
  }

  /**
   * Rows whose argmax (first on ties) equals the i32 label; with `weights` (one float per row), the
   * sum of their weights instead of their count (a 0/1 mask leaves rows out).
   */
  countArgmaxMatchesSparse(p: number, labels: number, rows: number, cols: number, weights = 0): number {
    return this.k.countArgmaxMatchesSparse(p, labels, rows, cols, weights);
  }

  /** Rows whose argmax equals the argmax of the target row, weighted as in {@link countArgmaxMatchesSparse}. */
  countArgmaxMatchesDense(p: number, targets: number, rows: number, cols: number, weights = 0): number {
    return this.k.countArgmaxMatchesDense(p, targets, rows, cols, weights);
  }

  /** Elements where t equals (p > threshold ? 1 : 0); with `weights` (one float per `repeat` elements), the sum of their weights. */
  countBinaryMatches(p: number, targets: number, n: number, threshold: number, weights = 0, repeat = 1): number {
    return this.k.countBinaryMatches(p, targets, n, threshold, weights, repeat);
  }

  /** Keras Adam step; lrT = lr·√(1−β2^t)/(1−β1^t) is computed by the caller. */
  adamUpdate(params: number, grads: number, m: number, v: number, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    // Ranges of whole 4-float vectors: each element keeps the SIMD or scalar arithmetic it has on one thread.
    this.split(KernelId.AdamUpdate, 'adamUpdate', n, 7, 4, (s, e) =>
      [params + 4 * s, grads + 4 * s, m + 4 * s, v + 4 * s, e - s, lrT, beta1, beta2, epsilon]);
  }

  /** Keras SGD step with optional (Nesterov) momentum; velocity may be 0 when momentum is 0. */
  sgdUpdate(params: number, grads: number, velocity: number, n: number, lr: number, momentum: number, nesterov: boolean): void {
    this.k.sgdUpdate(params, grads, velocity, n, lr, momentum, nesterov ? 1 : 0);
  }

  /** Adam with AMSGrad (v̂ = max(v̂, v) drives the step); lrT as for adamUpdate. */
  amsgradUpdate(params: number, grads: number, m: number, v: number, vHat: number, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.k.amsgradUpdate(params, grads, m, v, vHat, n, lrT, beta1, beta2, epsilon);
  }

  /** Keras Nadam step; the caller folds the momentum schedule into mCoef, gCoef and vScale = 1/(1 − β2ᵗ). */
  nadamUpdate(params: number, grads: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, epsilon: number, mCoef: number, gCoef: number, vScale: number): void {
    this.k.nadamUpdate(params, grads, m, v, n, lr, beta1, beta2, epsilon, mCoef, gCoef, vScale);
  }

  /** Keras Adamax step; lrT = lr/(1 − β1ᵗ). */
  adamaxUpdate(params: number, grads: number, m: number, u: number, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.k.adamaxUpdate(params, grads, m, u, n, lrT, beta1, beta2, epsilon);
  }

  /** Keras Adagrad step: accum += g²; p −= lr·g/√(accum + ε). */
  adagradUpdate(params: number, grads: number, accum: number, n: number, lr: number, epsilon: number): void {
    this.k.adagradUpdate(params, grads, accum, n, lr, epsilon);
  }

  /** Keras RMSprop step; avgGrad (centered) and mom (momentum) are 0 when unused. */
  rmspropUpdate(params: number, grads: number, velocity: number, avgGrad: number, mom: number, n: number, lr: number, rho: number, momentum: number, epsilon: number): void {
    this.k.rmspropUpdate(params, grads, velocity, avgGrad, mom, n, lr, rho, momentum, epsilon);
  }

  /** Keras Adadelta step: accumGrad and accumDelta are the running means of g² and of the step². */
  adadeltaUpdate(params: number, grads: number, accumGrad: number, accumDelta: number, n: number, lr: number, rho: number, epsilon: number): void {
    this.k.adadeltaUpdate(params, grads, accumGrad, accumDelta, n, lr, rho, epsilon);
  }

  /** Keras Lion step: p −= lr·sign(β1·m + (1−β1)·g); m = β2·m + (1−β2)·g. */
  lionUpdate(params: number, grads: number, m: number, n: number, lr: number, beta1: number, beta2: number): void {
    this.k.lionUpdate(params, grads, m, n, lr, beta1, beta2);
  }

  /** Keras Ftrl step; power = −learning_rate_power, l2 includes beta/(2·lr). */
  ftrlUpdate(params: number, grads: number, accum: number, linear: number, n: number, lr: number, power: number, l1: number, l2: number, l2Shrinkage: number): void {
    this.k.ftrlUpdate(params, grads, accum, linear, n, lr, power, l1, l2, l2Shrinkage);
  }

  /** Keras Lamb step on one weight of n values; bias1 = 1 − β1ᵗ, bias2 = 1 − β2ᵗ. */
  lambUpdate(params: number, grads: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, epsilon: number, bias1: number, bias2: number): void {
    this.k.lambUpdate(params, grads, m, v, n, lr, beta1, beta2, epsilon, bias1, bias2);
  }

  /**
   * Keras Adafactor step on one weight seen as batches × rows × cols (factored: r holds
   * batches·rows row means, c batches·cols column means); rho = min(lr, 1/√t), beta = 1 − t^beta2Decay.
   */
  adafactorUpdate(params: number, grads: number, r: number, c: number, v: number, batches: number, rows: number, cols: number, factored: boolean, rho: number, beta: number, epsilon1: number, epsilon2: number, clipThreshold: number): void {
    this.k.adafactorUpdate(params, grads, r, c, v, batches, rows, cols, factored, rho, beta, epsilon1, epsilon2, clipThreshold);
  }

  /**
   * A per-element loss (see {@link LossKind}): returns Σ loss(p, t) over n elements and, when
   * dp ≠ 0, writes dLoss/dp·gradScale. param: Huber's delta, or label smoothing for BCE from logits.
   */
  elementwiseLoss(kind: LossKind, p: number, targets: number, dp: number, n: number, gradScale: number, param = 0, weights = 0, repeat = 1): number {
    return this.k.elementwiseLoss(kind, p, targets, dp, n, gradScale, param, weights, repeat);
  }

  /**
   * A loss whose per-sample term couples a row (see {@link RowLossKind}): returns Σ_rows loss over
   * `rows`×`cols` row-major values and, when dp ≠ 0, writes dLoss/dp·gradScale.
   */
  rowwiseLoss(kind: RowLossKind, p: number, targets: number, dp: number, rows: number, cols: number, gradScale: number, weights = 0): number {
    return this.k.rowwiseLoss(kind, p, targets, dp, rows, cols, gradScale, weights);
  }

  /**
   * Keras' binary focal cross-entropy: returns Σ balance·(1 − p_t)^γ·BCE over n elements (targets
   * smoothed towards 0.5 by `smoothing`; balance α for class 1 and 1 − α for 0 when `balance`) and,
   * when dp ≠ 0, writes dLoss/dp·gradScale (w.r.t. the logits when `fromLogits`).
   */
  binaryFocalCrossEntropy(p: number, targets: number, dp: number, n: number, gradScale: number, gamma: number, alpha: number, balance: boolean, smoothing: number, fromLogits: boolean, weights = 0, repeat = 1): number {
    return this.k.binaryFocalCrossEntropy(p, targets, dp, n, gradScale, gamma, alpha, balance ? 1 : 0, smoothing, fromLogits ? 1 : 0, weights, repeat);
  }

  /**
   * Keras' categorical focal cross-entropy over rows of `cols` classes: returns
   * Σ_rows Σ_c α·(1 − q_c)^γ·(−t_c·log q_c), q each row normalised and clipped. `fromLogits` writes
   * the softmax to `probs` (which may alias p) and the gradient w.r.t. the logits.
   */
  categoricalFocalCrossEntropy(p: number, targets: number, probs: number, dp: number, rows: number, cols: number, gradScale: number, alpha: number, gamma: number, smoothing: number, fromLogits: boolean, weights = 0): number {
    return this.k.categoricalFocalCrossEntropy(p, targets, probs, dp, rows, cols, gradScale, alpha, gamma, smoothing, fromLogits ? 1 : 0, weights);
  }

  /**
   * Dice and Tversky: Σ over `groups` of 1 − numerator·TP / (tpCoef·TP + tCoef·Σt + pCoef·Σp + 1e-7),
   * TP = Σ t·p over each group of `groupSize` values; dp = dLoss/dp·gradScale when dp ≠ 0. With
   * `weights` (one per `repeat` values), each group's loss and gradient are multiplied by the sum of
   * its values' weights.
   */
  overlapLoss(p: number, targets: number, dp: number, groups: number, groupSize: number, gradScale: number, numerator: number, tpCoef: number, tCoef: number, pCoef: number, weights = 0, repeat = 1): number {
    return this.k.overlapLoss(p, targets, dp, groups, groupSize, gradScale, numerator, tpCoef, tCoef, pCoef, weights, repeat);
  }

  /**
   * Keras 3's CTC loss: returns Σ_samples weight·(−log p(labels | softmax(logits))) over logits
   * [batch, steps, classes] and i32 labels [batch, labelCap] (the sequence, then `blank` as padding);
   * when dp ≠ 0 writes dLoss/dLogits·gradScale. An impossible sample adds +∞ with a zero gradient.
   * `weights`: 0 or one f32 per step, summed per sample. `scratch`: {@link ctcScratchBytes} bytes.
   */
  ctcLoss(logits: number, labels: number, dp: number, batch: number, steps: number, classes: number, labelCap: number, blank: number, gradScale: number, weights: number, scratch: number): number {
    return this.k.ctcLoss(logits, labels, dp, batch, steps, classes, labelCap, blank, gradScale, weights, scratch);
  }

  /** The scratch {@link ctcLoss} needs, in bytes. */
  ctcScratchBytes(steps: number, classes: number, labelCap: number): number {
    return this.k.ctcScratchBytes(steps, classes, labelCap);
  }

  /** Returns l1·Σ|w| + l2·Σw² over n weights; when grad ≠ 0 adds l1·sign(w) + 2·l2·w into it. */
  regularize(w: number, grad: number, n: number, l1: number, l2: number): number {
    return this.k.regularize(w, grad, n, l1, l2);
  }

  /**
   * Rescales w, viewed as [outer, reduce, inner], so each norm over `reduce` becomes
   * rate·clamp(norm, lo, hi) + (1 − rate)·norm (Keras' MaxNorm, UnitNorm and MinMaxNorm), in place.
   */
  normConstraint(w: number, outer: number, reduce: number, inner: number, lo: number, hi: number, rate: number): void {
    this.k.normConstraint(w, outer, reduce, inner, lo, hi, rate);
  }
}
