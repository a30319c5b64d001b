import type { BufferId, Scalar } from './backend.js';

/** Optimizer updates over flat parameter buffers, one sweep each. */
export interface OptimizerOps {
  adamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
  sgdUpdate(params: BufferId, grads: BufferId, velocity: BufferId, n: number, lr: number, momentum: number, nesterov: boolean): void;
  /** Adam with AMSGrad: `vHat = max(vHat, v)` drives the step. */
  amsgradUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, vHat: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
  /** Nadam with the momentum schedule folded into `mCoef`, `gCoef` and `vScale = 1/(1 − β2ᵗ)`. */
  nadamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lr: number, beta1: number, beta2: number, epsilon: number, mCoef: number, gCoef: number, vScale: number): void;
  adamaxUpdate(params: BufferId, grads: BufferId, m: BufferId, u: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
  adagradUpdate(params: BufferId, grads: BufferId, accumulator: BufferId, n: number, lr: number, epsilon: number): void;
  /** `avgGrad` (centered) and `momentum` buffers are 0 when unused. */
  rmspropUpdate(params: BufferId, grads: BufferId, velocity: BufferId, avgGrad: BufferId, momentumBuffer: BufferId, n: number, lr: number, rho: number, momentum: number, epsilon: number): void;
  /** Keras Adadelta: running means of g² (`accumGrad`) and of the squared step (`accumDelta`). */
  adadeltaUpdate(params: BufferId, grads: BufferId, accumGrad: BufferId, accumDelta: BufferId, n: number, lr: number, rho: number, epsilon: number): void;
  /** Keras Lion: `p −= lr·sign(β1·m + (1−β1)·g)`, then `m = β2·m + (1−β2)·g`. */
  lionUpdate(params: BufferId, grads: BufferId, m: BufferId, n: number, lr: number, beta1: number, beta2: number): void;
  /** Keras Ftrl; `power` is −learning_rate_power and `l2` already holds β/(2·lr). */
  ftrlUpdate(params: BufferId, grads: BufferId, accumulator: BufferId, linear: BufferId, n: number, lr: number, power: number, l1: number, l2: number, l2Shrinkage: number): void;
  /**
   * Keras Lamb on ONE weight tensor of `n` values (its trust ratio ‖p‖/‖u‖ is per weight):
   * moments as Adam's, u = (m/bias1)/(√(v/bias2) + ε), p −= lr·ratio·u; bias1 = 1−β1ᵗ, bias2 = 1−β2ᵗ.
   */
  lambUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lr: number, beta1: number, beta2: number, epsilon: number, bias1: number, bias2: number): void;
  /**
   * Keras Adafactor on ONE weight seen as batches × rows × cols: when `factored`, row means `r`
   * (batches·rows) and column means `c` (batches·cols) of g² + ε1 give v = (r/mean(r)) ⊗ c, else v is
   * a running mean of its own (r, c unused). p −= max(ε2, rms(p))·rho · u / max(1, rms(u)/clipThreshold)
   * with u = g/√v; rho = min(lr, 1/√t), beta = 1 − t^beta2Decay.
   */
  adafactorUpdate(params: BufferId, grads: BufferId, r: BufferId, c: BufferId, v: BufferId, batches: number, rows: number, cols: number, factored: boolean, rho: number, beta: number, epsilon1: number, epsilon2: number, clipThreshold: number): void;
  /** Rescales `n` values in place so their L2 norm is at most `maxNorm` (x · maxNorm / max(‖x‖, maxNorm)), on the device. */
  clipByNorm(x: BufferId, n: number, maxNorm: number): void;
  /** Returns l1·Σ|w| + l2·Σw² over `n` weights; when `grad` is not 0 adds l1·sign(w) + 2·l2·w into it. */
  regularize(weights: BufferId, grad: BufferId, n: number, l1: number, l2: number): Scalar;
  /**
   * Weight constraint: views `weights` as [outer, reduce, inner] and rescales each norm over
   * `reduce` to rate·clamp(norm, lo, hi) + (1 − rate)·norm, dividing by norm + 1e-7 as Keras does.
   */
  normConstraint(weights: BufferId, outer: number, reduce: number, inner: number, lo: number, hi: number, rate: number): void;
  /** Clamps `n` values to [lo, hi] in place. */
  clipByValue(x: BufferId, n: number, lo: number, hi: number): void;
  /** Multiplies `n` values by `factor` in place. */
  scale(x: BufferId, n: number, factor: number): void;
}
