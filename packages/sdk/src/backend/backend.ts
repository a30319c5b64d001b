import type { ColorAdjustment, FillMode, ImageTransform, PiecewiseLinear, PreluGeometry, ResizeGeometry, ResizeGrid, ResizeInterpolation, WindowGeometry } from '@kerasm/core-wasm';
import type { OptimizerOps } from './optimizer_ops.js';

/**
 * The contract between the SDK and a compute backend: storage addressed by opaque ids, plus the
 * kernel families that layers, losses, metrics and optimizers are built from. The WASM SIMD core is
 * the first implementation; others (TensorFlow.js) implement the same interface.
 *
 * Every kernel writes into buffers the caller owns, so a training step allocates nothing.
 */

/** An opaque handle to a backend buffer. 0 means "no buffer". */
export type BufferId = number;

/** Element type of a backend buffer. */
export type BufferDType = 'float32' | 'int32';

/**
 * A scalar a kernel returns: a number where the backend computes on the host's thread (wasm), a
 * promise where reading it back is asynchronous (GPU backends). Training awaits it.
 */
export type Scalar = number | Promise<number>;

/** Applies `f` to a scalar, keeping it synchronous when it is. */
export function mapScalar(s: Scalar, f: (value: number) => number): Scalar {
  return typeof s === 'number' ? f(s) : s.then(f);
}

/** Losses that are sums of independent per-element terms, run by one kernel. */
export type ElementwiseLossKind =
  | 'meanAbsoluteError' | 'meanAbsolutePercentageError' | 'meanSquaredLogarithmicError' | 'huber' | 'logCosh'
  | 'poisson' | 'kullbackLeiblerDivergence' | 'hinge' | 'squaredHinge' | 'binaryCrossentropyFromLogits';

/** Losses whose per-sample term couples a row (a max or a norm over the last axis). */
export type RowwiseLossKind = 'categoricalHinge' | 'cosineSimilarity';

/**
 * Activations the kernels implement, forward and backward (every backward pass works from the
 * forward output y), named as in TensorFlow.js' API; all but softmax are element-wise.
 */
export type ActivationKind =
  | 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax'
  | 'elu' | 'selu' | 'softplus' | 'softsign' | 'relu6' | 'exponential' | 'hardSigmoid'
  | 'leaky_relu' | 'hard_tanh' | 'log_sigmoid' | 'logSoftmax'
  | 'squareplus' | 'soft_shrink' | 'hard_shrink' | 'sparse_plus' | 'sparsemax';

/** The activations taken along whole rows (the last axis) rather than element by element. */
export type RowwiseActivation = 'softmax' | 'logSoftmax' | 'sparsemax';

/** The activations a matMul can apply as it writes its output: all but the row-wise ones. */
export type FusableActivation = Exclude<ActivationKind, RowwiseActivation>;

/** Storage: allocation, host transfers, and views into a buffer. */
export interface StorageOps {
  /**
   * Allocates `length` elements, zero-filled; with `zeroFill` false a backend may leave them
   * unspecified, for a buffer that is written whole before it is read.
   */
  alloc(length: number, dtype: BufferDType, zeroFill?: boolean): BufferId;
  free(id: BufferId): void;
  /** An id for elements `[offset, offset + length)` of `id`, sharing its storage. */
  view(id: BufferId, offset: number, length: number): BufferId;
  write(id: BufferId, values: Float32Array | Int32Array): void;
  read(id: BufferId, length: number, dtype: BufferDType): Float32Array | Int32Array;
  /** Like `read`, without blocking on the device (the only reliable read on WebGPU). */
  readAsync(id: BufferId, length: number, dtype: BufferDType): Promise<Float32Array | Int32Array>;
  /**
   * Copies rows `indices[start..start+count)` of the host array `src` (rows of `rowLength`) into
   * `dst`. With `checkFinite`, returns the position in the batch of the first row holding NaN or
   * ±Infinity (checked where it is cheapest: the wasm core scans the copy with SIMD), else −1.
   */
  gatherRows(dst: BufferId, src: Float32Array | Int32Array, indices: Int32Array, start: number, count: number, rowLength: number, checkFinite?: boolean): number;
  fill(id: BufferId, length: number, value: number): void;
  /** Bytes of memory allocated on the backend now (wasm: heap allocations; tfjs: `tf.memory().numBytes`), for leak and growth checks. */
  memoryBytes(): number;
}

/** Dense linear algebra and reductions. */
export interface LinalgOps {
  /** C[m×n] = (accumulate ? C : 0) + op(A)·op(B), row-major; op transposes when the flag is set. */
  matMul(a: BufferId, b: BufferId, c: BufferId, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  /**
   * C[m×n] = f(A·B + bias), row-major, in one kernel: a Dense or Conv2D forward pass. `bias` is n
   * values, or 0 for none; the result equals matMul, biasAdd and activation run one after another.
   */
  matMulBiasActivation(a: BufferId, b: BufferId, bias: BufferId, c: BufferId, m: number, n: number, k: number, activation: FusableActivation): void;
  /**
   * matMul over `batch` pairs of matrices stored one after another in each buffer (A_i at
   * i·m·k, B_i at i·k·n, C_i at i·m·n): attention's score and context products, one per sample and head.
   */
  batchMatMul(a: BufferId, b: BufferId, c: BufferId, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  /**
   * `groups` products side by side: C_g (+)= op(A_g)·op(B_g) for g < groups, where each stored
   * matrix is row-major with its columns in `groups` equal blocks and block g belongs to group g:
   * A is `[m, groups·k]` (`[k, groups·m]` when transA), B is `[k, groups·n]` (`[n, groups·k]` when
   * transB), C is `[m, groups·n]`. A grouped convolution's passes, over im2col's grouped columns.
   */
  groupedMatMul(a: BufferId, b: BufferId, c: BufferId, groups: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  /** x[r, c] += bias[c], in place. */
  biasAdd(x: BufferId, bias: BufferId, rows: number, cols: number): void;
  /** out[c] = (accumulate ? out[c] : 0) + Σ_r x[r, c]. */
  columnSum(x: BufferId, out: BufferId, rows: number, cols: number, accumulate: boolean): void;
}

/** Activations; backward passes use the forward output `y`. */
export interface ActivationOps {
  activation(kind: ActivationKind, x: BufferId, y: BufferId, rows: number, cols: number): void;
  activationGrad(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, rows: number, cols: number): void;
  /** activationGrad, and dBias = (accumulate ? dBias : 0) + Σ_rows dx in the same pass: a layer's bias gradient. */
  activationGradBias(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number, accumulate: boolean): void;
}

/**
 * Activations whose derivative is not a function of their output, named as TensorFlow.js writes
 * them ('gelu' is the exact x·Φ(x), 'gelu_new' the tanh approximation). A layer keeps their
 * input z from forward to backward.
 */
export type InputActivationKind = 'swish' | 'gelu' | 'gelu_new' | 'mish' | 'hard_silu' | 'tanh_shrink';

/** The kernels of {@link InputActivationKind}: the backward pass reads the forward input x. */
export interface InputActivationOps {
  /** y = f(x) over n values; y may alias x. */
  inputActivation(kind: InputActivationKind, x: BufferId, y: BufferId, n: number): void;
  /** dx = dy · f'(x) over rows×cols (dx may alias dy) and, when dBias ≠ 0, dBias = Σ_rows dx (overwritten) in the same pass. */
  inputActivationGrad(kind: InputActivationKind, x: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number): void;
}

/**
 * Keras 3's glu along the last axis: each row of x [rows × 2·half] is [a | b] and y [rows × half]
 * = a ⊙ σ(b). Both read the forward input x; y and dx must not overlap x and dy.
 */
export interface GluOps {
  glu(x: BufferId, y: BufferId, rows: number, half: number): void;
  gluGrad(x: BufferId, dy: BufferId, dx: BufferId, rows: number, half: number): void;
}

/**
 * An activation layer's element-wise function with its parameters: Keras' ReLU family as one
 * piecewise-linear function (see {@link PiecewiseLinear}), or ELU with its alpha.
 */
export type ParametricActivation = ({ readonly kind: 'piecewiseLinear' } & PiecewiseLinear) | { readonly kind: 'elu'; readonly alpha: number };

/** How PReLU's alpha spreads over a batch, and the piecewise-linear parameters, as the core defines them. */
export type { PiecewiseLinear, PreluGeometry };

/**
 * The activation layers' kernels over `n` values. Unlike {@link ActivationOps}, the backward passes
 * read the forward input x (a standalone layer keeps it); dx may alias dy.
 */
export interface ParametricActivationOps {
  parametricActivation(f: ParametricActivation, x: BufferId, y: BufferId, n: number): void;
  parametricActivationGrad(f: ParametricActivation, x: BufferId, dy: BufferId, dx: BufferId, n: number): void;
  /** y = x < 0 ? alpha·x : x, with alpha `[outer, inner]` repeated over the batch and the shared axis. */
  prelu(x: BufferId, alpha: BufferId, y: BufferId, g: PreluGeometry): void;
  /** dx = x > 0 ? dy : alpha·dy (skipped when dx is 0) and dAlpha = Σ over batch and shared of dy·x where x ≤ 0 (overwritten; skipped when dAlpha is 0: a frozen layer). */
  preluGrad(x: BufferId, alpha: BufferId, dy: BufferId, dx: BufferId, dAlpha: BufferId, g: PreluGeometry): void;
}

/**
 * Losses return the sum of per-element (or per-row) losses; when `grad` is not 0 they also write
 * the gradient scaled by `gradScale`. `weights` (0 or absent: none) multiplies the loss and the
 * gradient of each row by its weight (the row kernels: one float per row; the element kernels: one
 * per `repeat` consecutive elements): masked positions and sample weights, in the same pass.
 */
export interface LossOps {
  /** Softmax of `logits` into `probs` (may alias), cross-entropy against int labels or one-hot rows, gradient w.r.t. the logits. */
  softmaxCrossEntropy(logits: BufferId, targets: BufferId, sparse: boolean, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, weights?: BufferId): Scalar;
  /** Cross-entropy of probabilities, each row divided by its sum and clipped first (Keras 3), against int labels or target rows; gradient w.r.t. `p`. */
  categoricalCrossEntropy(p: BufferId, targets: BufferId, sparse: boolean, grad: BufferId, rows: number, cols: number, gradScale: number, weights?: BufferId): Scalar;
  /** Binary cross-entropy of clipped probabilities; `labelSmoothing` s reads each target t as t·(1 − s) + s/2 without changing the buffer. */
  binaryCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, weights?: BufferId, repeat?: number, labelSmoothing?: number): Scalar;
  meanSquaredError(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, weights?: BufferId, repeat?: number): Scalar;
  /** Σ of a per-element loss; `param` is Huber's delta or the label smoothing of BCE from logits. */
  elementwiseLoss(kind: ElementwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, param: number, weights?: BufferId, repeat?: number): Scalar;
  /** Σ over `rows` of a per-row loss on rows of `cols` values. */
  rowwiseLoss(kind: RowwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, weights?: BufferId): Scalar;
}

/** Options of {@link FocalLossOps.binaryFocalCrossEntropy}, as Keras 3's binary_focal_crossentropy takes them. */
export interface BinaryFocalOptions {
  readonly gamma: number;
  readonly alpha: number;
  readonly applyClassBalancing: boolean;
  readonly labelSmoothing: number;
  readonly fromLogits: boolean;
}

/** Options of {@link FocalLossOps.categoricalFocalCrossEntropy}, as Keras 3's categorical_focal_crossentropy takes them. */
export interface CategoricalFocalOptions {
  readonly alpha: number;
  readonly gamma: number;
  readonly labelSmoothing: number;
  readonly fromLogits: boolean;
}

/**
 * An overlap loss 1 − numerator·TP / (truePositives·TP + targets·Σt + predictions·Σp + 1e-7), TP = Σ t·p:
 * Dice is { numerator: 2, truePositives: 0, targets: 1, predictions: 1 }; Tversky(α, β) is
 * { numerator: 1, truePositives: 1 − α − β, targets: α, predictions: β }.
 */
export interface OverlapCoefficients {
  readonly numerator: number;
  readonly truePositives: number;
  readonly targets: number;
  readonly predictions: number;
}

/** Keras 3's focal cross-entropies and overlap losses; sums, gradients and weights as in {@link LossOps}. */
export interface FocalLossOps {
  /** Σ over n elements; the gradient is w.r.t. the logits when `fromLogits`. */
  binaryFocalCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, options: BinaryFocalOptions, weights?: BufferId, repeat?: number): Scalar;
  /** Σ over rows of `cols` classes; from logits the softmax goes to `probs` (may alias p) and the gradient is w.r.t. the logits. */
  categoricalFocalCrossEntropy(p: BufferId, targets: BufferId, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, options: CategoricalFocalOptions, weights?: BufferId): Scalar;
  /**
   * Σ over `groups` consecutive groups of `groupSize` values of the overlap loss of each. With
   * `weights` (one per `repeat` values), each group's loss and gradient are multiplied by the sum of
   * its values' weights.
   */
  overlapLoss(p: BufferId, targets: BufferId, grad: BufferId, groups: number, groupSize: number, gradScale: number, coefficients: OverlapCoefficients, weights?: BufferId, repeat?: number): Scalar;
}

/** Keras 3's CTC loss; sums, gradients and weights as in {@link LossOps}. */
export interface CtcOps {
  /**
   * Σ over `batch` samples of −log p(labels | softmax(logits)): logits [batch, steps, classes], int32
   * labels [batch, labelCap] (the sequence, then `blank` as padding). The gradient is w.r.t. the
   * logits; a sample whose labels cannot fit in `steps` adds +∞ and gets a zero gradient. `weights`:
   * one per step of each sample, summed into the sample's weight.
   */
  ctcLoss(logits: BufferId, labels: BufferId, grad: BufferId, batch: number, steps: number, classes: number, labelCap: number, blank: number, gradScale: number, weights?: BufferId): Scalar;
}

/**
 * Counting metrics: the number of matches, or with `weights` (one float per row, or per `repeat`
 * elements) the sum of the matches' weights, so a 0/1 mask leaves positions out and sample weights
 * count them that many times.
 */
export interface MetricOps {
  countArgmaxMatches(p: BufferId, targets: BufferId, sparse: boolean, rows: number, cols: number, weights?: BufferId): Scalar;
  countBinaryMatches(p: BufferId, targets: BufferId, n: number, threshold: number, weights?: BufferId, repeat?: number): Scalar;
}

export type { OptimizerOps } from './optimizer_ops.js';

/** Elementwise arithmetic over equal-length buffers; `out` may alias an input. */
export interface ElementwiseOps {
  add(a: BufferId, b: BufferId, out: BufferId, n: number): void;
  mul(a: BufferId, b: BufferId, out: BufferId, n: number): void;
  /** out = ln(a) (−∞ at 0, NaN below it); with the 'exponential' activation it also gives powers, square roots and reciprocals. */
  log(a: BufferId, out: BufferId, n: number): void;
  /** out = atan2(y, x), the angle of (x, y) in [−π, π]: a complex number's phase. */
  atan2(y: BufferId, x: BufferId, out: BufferId, n: number): void;
  copy(src: BufferId, dst: BufferId, n: number): void;
  /** Row r of dst (stride dstStride) = row r of src (stride srcStride): `cols` floats per row. */
  copyRows(src: BufferId, srcStride: number, dst: BufferId, dstStride: number, rows: number, cols: number): void;
}

/** The shape of one 2-D or 3-D window operation (convolution or pooling) over an NHWC or NDHWC batch, as the core defines it. */
export type { WindowGeometry };
export { depthAxis } from '@kerasm/core-wasm';

/**
 * Convolution, pooling and dropout. Conv2D is `im2col` then `matMul` against the kernel (Keras'
 * `[kH, kW, inC, outC]` layout is already the `[kH·kW·inC, outC]` matrix); its input gradient is
 * `matMul` by the kernel transposed then `col2im`. Gradient kernels overwrite their output.
 */
export interface ConvOps {
  /** cols[batch·outH·outW, kH·kW·channels]: every receptive field of x as a row, zeros outside. */
  im2col(x: BufferId, cols: BufferId, g: WindowGeometry): void;
  /** The adjoint of im2col: dx = sum of the column rows over the positions they read. */
  col2im(cols: BufferId, dx: BufferId, g: WindowGeometry): void;
  maxPool(x: BufferId, y: BufferId, g: WindowGeometry): void;
  /** Routes dy to the first maximum of each window. */
  maxPoolGrad(x: BufferId, y: BufferId, dy: BufferId, dx: BufferId, g: WindowGeometry): void;
  /** Averages each window over the positions inside the input. */
  avgPool(x: BufferId, y: BufferId, g: WindowGeometry): void;
  avgPoolGrad(dy: BufferId, dx: BufferId, g: WindowGeometry): void;
  /**
   * Depthwise convolution on im2col columns `[rows, taps·channels]` with a kernel
   * `[taps, channels, multiplier]`: out[r, c·m + j] = Σ_t cols[r, t·C + c]·kernel[t, c, j].
   */
  depthwiseForward(cols: BufferId, kernel: BufferId, out: BufferId, rows: number, taps: number, channels: number, multiplier: number): void;
  /**
   * Its kernel gradient (skipped when `dKernel` is 0: a frozen layer) and, when `dCols` is not 0, the
   * columns' gradient; `dCols` may be `cols` itself.
   */
  depthwiseBackward(cols: BufferId, kernel: BufferId, dy: BufferId, dCols: BufferId, dKernel: BufferId, rows: number, taps: number, channels: number, multiplier: number): void;
  /** mask[i] = 0 with probability `rate`, else 1/(1 − rate); the same seed gives the same mask. */
  dropoutMask(mask: BufferId, n: number, rate: number, seed: number): void;
}

/**
 * Embedding lookups over a table `[inputDim, dim]`, with indices held as floats (model inputs are
 * float32 buffers). An index outside [0, inputDim) or not a number is clamped into the table, so
 * kernels never touch memory outside it; the engine rejects such indices before any kernel runs.
 */
export interface EmbeddingOps {
  /** out[i, :] = table[indices[i], :] for `n` indices. */
  embeddingForward(indices: BufferId, table: BufferId, out: BufferId, n: number, dim: number, inputDim: number): void;
  /** dTable = Σ over i of dy[i, :] added into row indices[i] (repeated indices add up); overwrites dTable. */
  embeddingBackward(indices: BufferId, dy: BufferId, dTable: BufferId, n: number, dim: number, inputDim: number): void;
}

/**
 * Batch normalization per column of a [rows, cols] matrix (rows: every axis but the channels).
 * `gamma` and `beta` may be 0 (no scale, no offset); so may `dx`, `dGamma` and `dBeta` when unwanted.
 */
export interface NormalizationOps {
  /**
   * Training: normalizes with the batch mean and biased variance, keeps the mean and
   * 1/√(var + ε) in `mean` and `invStd` for the backward pass, and updates the moving statistics
   * in place as moving·momentum + batch·(1 − momentum).
   */
  batchNormTrain(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number, momentum: number): void;
  /** Inference: normalizes with the moving statistics; `invStd` is `cols` floats of scratch. */
  batchNormInfer(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number): void;
  /** Gradients of batchNormTrain's output (the batch statistics depend on x); overwrites dx, dGamma, dBeta. */
  batchNormGrad(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void;
}

/**
 * Normalization. Layer normalization of each row of a [rows, cols] matrix, a row being one sample's (or one
 * position's) normalised axes. `gamma` and `beta` (`cols` values) may be 0 (no scale, no offset);
 * so may `dx`, `dGamma` and `dBeta` when unwanted.
 */
export interface LayerNormalizationOps {
  /** y = gamma·(x − mean)·invStd + beta with each row's mean and biased variance; keeps the mean and 1/√(var + ε) (`rows` values each) for the backward pass. */
  layerNormForward(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number): void;
  /** Gradients of layerNormForward's output from the kept mean and invStd; overwrites dx, dGamma, dBeta. */
  layerNormBackward(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void;
  /** RMS normalization (Keras 3's rms_normalization): y = x·invRms·scale per row, keeping invRms = 1/√(mean(x²) + ε) (`rows` values) for the backward pass. `scale` may be 0 (none). */
  rmsNormForward(x: BufferId, y: BufferId, scale: BufferId, invRms: BufferId, rows: number, cols: number, epsilon: number): void;
  /** Gradients of rmsNormForward's output from the kept invRms; overwrites dx and dScale (each may be 0 when unwanted). */
  rmsNormBackward(x: BufferId, dy: BufferId, dx: BufferId, scale: BufferId, invRms: BufferId, dScale: BufferId, rows: number, cols: number): void;
  /**
   * L2 normalization along the middle axis of [outer, reduce, inner], as tfjs' l2Normalize:
   * y = x / √max(Σx², epsilon), one norm per (outer, inner) pair. y may alias x.
   */
  l2Normalize(x: BufferId, y: BufferId, outer: number, reduce: number, inner: number, epsilon: number): void;
  /** dx of l2Normalize from its input x (overwrites dx, which may alias dy). */
  l2NormalizeGrad(x: BufferId, dy: BufferId, dx: BufferId, outer: number, reduce: number, inner: number, epsilon: number): void;
}

/** The layout group normalization works on: channels-last samples [batch, spatial, channels], the channels in `groups` equal runs. */
export interface GroupNormGeometry {
  readonly batch: number;
  /** Positions per sample: the product of the axes before the channels (1 for `[channels]` rows). */
  readonly spatial: number;
  readonly channels: number;
  /** Divides `channels`. */
  readonly groups: number;
}

/**
 * Group normalization (Keras 3's GroupNormalization): each sample's channels split into groups, and
 * each group normalised over all its positions and channels. `gamma` and `beta` (`channels` values)
 * may be 0 (no scale, no offset); so may `dx`, `dGamma` and `dBeta` when unwanted.
 */
export interface GroupNormalizationOps {
  /** y = gamma·(x − mean)·invStd + beta per (sample, group), biased variance; keeps the mean and 1/√(var + ε) (`batch·groups` values each, sample-major) for the backward pass. */
  groupNormForward(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, mean: BufferId, invStd: BufferId, g: GroupNormGeometry, epsilon: number): void;
  /** Gradients of groupNormForward's output from the kept mean and invStd; overwrites dx, dGamma, dBeta. */
  groupNormBackward(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, g: GroupNormGeometry): void;
}

/**
 * The gate arithmetic of one recurrent step over `rows` samples (the matrix products run on
 * `matMul`). LSTM gates are laid out as Keras stores them: each row of `z` is `[i | f | c̃ | o]`,
 * `units` values each. Activations are element-wise kinds (not softmax); `cPrev` 0 is a zero state.
 */
export interface RecurrentOps {
  /**
   * Replaces the pre-activations in z `[rows, 4·units]` by the gates (recurrentActivation on i, f, o;
   * activation on c̃) and writes c = f·cPrev + i·c̃, ac = activation(c) and h = o·ac, each `[rows, units]`.
   */
  lstmCellForward(z: BufferId, cPrev: BufferId, c: BufferId, ac: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void;
  /**
   * Backward through that step: overwrites the gates in z with the gradient of their
   * pre-activations, and dc (the gradient of c) with the gradient of cPrev, given dh (read only).
   */
  lstmCellBackward(z: BufferId, cPrev: BufferId, ac: BufferId, dh: BufferId, dc: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void;
  /**
   * GRU (reset_after false), around its two GEMMs: rows of z `[rows, 3·units]` are blocks [z | r | h̃]
   * holding x·W + b. The z and r blocks become recurrentActivation(z + p), p = hPrev·U_zr `[rows, 2·units]`
   * (0: none); rh = r⊙hPrev.
   */
  gruGatesForward(z: BufferId, p: BufferId, hPrev: BufferId, rh: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void;
  /** h̃ = activation(z_h + q) in place, q = rh·U_h `[rows, units]` (0: none); h = z⊙hPrev + (1 − z)⊙h̃. */
  gruOutputForward(z: BufferId, q: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation): void;
  /** Overwrites the z and h̃ blocks with their pre-activation gradients (h̃'s also into dHh); dhPrev += dh⊙z when not 0. */
  gruOutputBackward(z: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, dHh: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void;
  /** Given dRh, the gradient of r⊙hPrev (0: none), overwrites the r block with its gradient, copies the z and r blocks into s `[rows, 2·units]`, and adds dRh⊙r into dhPrev when not 0. */
  gruGatesBackward(z: BufferId, hPrev: BufferId, dRh: BufferId, dhPrev: BufferId, s: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void;
  /**
   * GRU in Keras' reset_after=True form, after the GEMM inner = hPrev·U `[rows, 3·units]` (zeros at the
   * first step): rows of z hold x·W + b_input and become the gates [z | r | h̃], with the recurrent bias
   * `[3·units]` (0: none) added to inner and h̃ = activation(z_h + r⊙(inner_h + b_rh)); h = z⊙hPrev + (1 − z)⊙h̃.
   */
  gruResetAfterForward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void;
  /** Its backward pass from dh: z gets the gradient of x·W + b_input, inner (in place) that of hPrev·U + b_recurrent, dhPrev += dh⊙z when not 0. */
  gruResetAfterBackward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void;
}

/** Layout, selection and noise kernels of the shape, merge and noise layers. */
export interface ShapeOps {
  /** y = x with its axes permuted: `dims` is x's shape (at most 5 axes, batch included); output axis k is input axis perm[k]. */
  transpose(x: BufferId, y: BufferId, dims: readonly number[], perm: readonly number[]): void;
  /** out = max(a, b) (takeMax) or min(a, b) elementwise over n values; out may alias a or b. */
  minMax(takeMax: boolean, a: BufferId, b: BufferId, out: BufferId, n: number): void;
  /**
   * dx = x == y ? pending : 0, then pending = 0 where x == y. Called on a max's (or min's) inputs in
   * order, it routes the output gradient to the first input equal to the output, as tf.maximum's
   * gradient does for a chain of maxima (ties go to the earlier input).
   */
  routeToFirstMatch(x: BufferId, y: BufferId, pending: BufferId, dx: BufferId, n: number): void;
  /** out[i] = mean + stddev·z, z standard normal from a hash of (seed, i): the same seed gives the same noise. */
  normalNoise(out: BufferId, n: number, mean: number, stddev: number, seed: number): void;
}

/**
 * Masks of padded sequences: one float per step, 1 to keep it and 0 to mask it (Keras' boolean
 * masks), `[batch, steps]` batch-major as the layers after a mask source read them. A masked row is
 * taken whole from elsewhere, never blended, so a non-finite value in the unused row cannot leak.
 */
export interface MaskOps {
  /** mask[r] = 1 when any of x[r, 0..width) differs from `value`, else 0 (Masking; Embedding's maskZero with width 1). */
  maskFromValues(x: BufferId, mask: BufferId, rows: number, width: number, value: number): void;
  /** In place: rows r of x `[rows, width]` whose mask[r] is 0 become row r of prev (zeros when prev is 0). */
  maskSelectRows(mask: BufferId, x: BufferId, prev: BufferId, rows: number, width: number): void;
  /** maskSelectRows' backward pass: rows whose mask is 0 add dx's row into dPrev (when not 0), then dx's row becomes 0. */
  maskSelectRowsGrad(mask: BufferId, dx: BufferId, dPrev: BufferId, rows: number, width: number): void;
  /** out `[batch, channels]` = the mean of x `[batch, steps, channels]` over each sequence's unmasked steps (0 when every step is masked). */
  maskedMeanSteps(x: BufferId, mask: BufferId, out: BufferId, batch: number, steps: number, channels: number): void;
  /** Its gradient: dx[b, s, :] = mask[b, s]·dy[b, :] / max(1, unmasked steps of b); overwrites dx. */
  maskedMeanStepsGrad(dy: BufferId, mask: BufferId, dx: BufferId, batch: number, steps: number, channels: number): void;
  /** Σ of `n` mask values: the positions a masked loss or metric averages over. */
  maskSum(mask: BufferId, n: number): Scalar;
  /**
   * The per-position weights of a masked, weighted mean loss (Keras' apply_mask with
   * "sum_over_batch_size"): out[i] = m[i]·w[⌊i / repeat⌋] / Σm over `n` positions, with m 1 when
   * `mask` is 0 (Σm is then n) and w 1 when `weights` is 0; all 0 when every position is masked.
   * Σ out[i]·loss[i] is then the mean loss over the unmasked positions, computed on the device.
   * With `normalize` false (default true), out[i] = m[i]·w[⌊i / repeat⌋]: a weighted metric's weights.
   */
  lossWeights(mask: BufferId, weights: BufferId, repeat: number, out: BufferId, n: number, normalize?: boolean): void;
}

/** The shape of an image resize over an NHWC batch (each image's crop window to the output size), as the core defines it. */
export type { ResizeGeometry, ResizeInterpolation };

/** A resize on tf.image.resizeBilinear's and resizeNearestNeighbor's sampling grids (default, alignCorners, halfPixelCenters), as the core defines it. */
export type { ResizeGrid };

/** A per-image projective transform of an NHWC batch, as tf.image.transform samples it, and its fill modes. */
export type { FillMode, ImageTransform };

/** A per-image contrast and brightness adjustment with clipping, as Keras' RandomContrast and RandomBrightness apply it. */
export type { ColorAdjustment };

/** The kernels of the image preprocessing layers (Resizing, CenterCrop, RandomFlip). */
export interface ImageOps {
  /**
   * Resizes each image's crop window to `[outH, outW]` with half-pixel centres, as TensorFlow's
   * tf.image.resize and so Keras' Resizing layer: output index i samples (i + 0.5)·crop/out − 0.5
   * (bilinear) or floor((i + 0.5)·crop/out) (nearest). y must not alias x.
   */
  resize(interpolation: ResizeInterpolation, x: BufferId, y: BufferId, g: ResizeGeometry): void;
  /** Its input gradient: each output gradient added into the pixels it read, by their weights; overwrites dx. */
  resizeGrad(interpolation: ResizeInterpolation, dy: BufferId, dx: BufferId, g: ResizeGeometry): void;
  /**
   * Resizes as tf.image.resizeBilinear or resizeNearestNeighbor with the grid `g` names
   * (km.image's kernels), with the values of tfjs' CPU kernels: bilinear writes float32 (from
   * float32 or, with `g.int32Input`, int32 images), nearest copies the input's values. y must not alias x.
   */
  resizeOnGrid(interpolation: ResizeInterpolation, x: BufferId, y: BufferId, g: ResizeGrid): void;
  /** Its input gradient from float32 dy, the exact adjoint of the resampling (tfjs' own ignore halfPixelCenters); overwrites dx. */
  resizeOnGridGrad(interpolation: ResizeInterpolation, dy: BufferId, dx: BufferId, g: ResizeGrid): void;
  /**
   * Mirrors image b of an NHWC batch left-right where bit 0 of `flags[b]` (a float) is set and
   * top-bottom where bit 1 is. A flip is its own inverse, so this is also its backward pass. y must not alias x.
   */
  flipImages(x: BufferId, y: BufferId, flags: BufferId, batch: number, height: number, width: number, channels: number): void;
  /**
   * Samples image b of an NHWC batch through `transforms[b]` (8 floats [a0, a1, a2, b0, b1, b2,
   * c0, c1]: output pixel (x, y) reads the input at ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k),
   * k = c0·x + c1·y + 1) into an output of `t.outHeight`×`t.outWidth` (default the input's size),
   * exactly as tf.image.transform; the augmentation layers' kernel. y must not alias x.
   */
  transformImages(x: BufferId, y: BufferId, transforms: BufferId, t: ImageTransform): void;
  /** Its input gradient (the transpose of the sampling): each output gradient added into the pixels it read, by their weights; overwrites dx. */
  transformImagesGrad(dy: BufferId, dx: BufferId, transforms: BufferId, t: ImageTransform): void;
  /**
   * y = clip((x − mean)·contrast + mean + delta, lo, hi) per image and channel of an NHWC batch, the
   * mean over the image's pixels, `params[b]` = (contrast, delta); at contrast 1 the mean is not
   * used, so brightness alone is exact. y may alias x.
   */
  adjustImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void;
  /** Its input gradient from the input x (through the clip and the mean); overwrites dx. */
  adjustImagesGrad(x: BufferId, dy: BufferId, dx: BufferId, params: BufferId, a: ColorAdjustment): void;
  /**
   * Keras 3's Solarization per image of an NHWC batch with values in [a.lo, a.hi]: each value
   * mapped to [0, 255] (not when that is the range already), plus the image's addition, clipped to
   * [0, 255] as r, becomes r where r is below the image's threshold and 255 − r elsewhere, mapped
   * back; `params[b]` = (addition, threshold) in [0, 255] units. y may alias x.
   */
  solarizeImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void;
  /** Its input gradient from the input x: dy below the threshold, −dy at or above it, 0 where the clip cut; overwrites dx. */
  solarizeImagesGrad(x: BufferId, dy: BufferId, dx: BufferId, params: BufferId, a: ColorAdjustment): void;
  /**
   * Keras 3's RandomPosterization per image of an NHWC batch with values in [a.lo, a.hi]: each value
   * mapped to [0, 255] (not when that is the range already), clamped there and truncated to an
   * integer as a uint8 cast, keeps its top bits, the low `params[b]` bits zeroed (a float in 0..7),
   * then is mapped back. Its gradient is 0, as through Keras' cast. y may alias x.
   */
  posterizeImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment): void;
  /**
   * Keras 3's RandomHue (`hue`) or RandomSaturation per image of an NHWC RGB batch through Keras'
   * rgb_to_hsv and hsv_to_rgb, `params[b]` = (hue delta, saturation scale). Hue: values mapped
   * from [a.lo, a.hi] to [0, 1] (not when that is the range already), the hue plus the delta
   * wrapped into [0, 1], the result clipped to [0, 1] and mapped back. Saturation: the values as
   * they are, the saturation times the scale clipped to [a.lo, a.hi] (as Keras' code does), no
   * clip after. y may alias x.
   */
  hsvAdjustImages(x: BufferId, y: BufferId, params: BufferId, a: ColorAdjustment, hue: boolean): void;
  /**
   * Keras 3's AutoContrast per image and channel of an NHWC batch with values in [a.lo, a.hi]:
   * the channel's lowest value becomes a.lo and its highest a.hi, linearly (computed in [0, 255]
   * as Keras does, clipped there); a channel with one value, and NaN inputs, pass through. y must
   * not alias x.
   */
  autoContrast(x: BufferId, y: BufferId, a: ColorAdjustment): void;
  /** Its input gradient from the input x, through the channel bounds too (shared among ties, as TensorFlow's min and max); overwrites dx. */
  autoContrastGrad(x: BufferId, dy: BufferId, dx: BufferId, a: ColorAdjustment): void;
  /**
   * Keras 3's Equalization per image and channel of an NHWC batch with values in [a.lo, a.hi]: the
   * values seen in [0, 255] (v·255/(hi − lo) − lo·255/(hi − lo) in float32, as Keras maps them) are
   * counted into `bins` bins at ⌊u·(bins − 1)/255⌋, clipped; each becomes the lookup table's entry
   * at ⌊(u/255)·(bins − 1)⌋, round((cdf − cdf_min)·255 / (count − cdf_min)) rounded half to even and
   * clipped to [0, 255] (cdf_min the first non-empty bin's count), mapped back to [a.lo, a.hi]. A
   * channel whose values fill a single bin passes through. No gradient. y may alias x.
   */
  equalizeImages(x: BufferId, y: BufferId, a: ColorAdjustment, bins: number): void;
}

/** A compute backend: storage plus every kernel family. */
export interface Backend extends ShapeOps, StorageOps, LinalgOps, ActivationOps, InputActivationOps, GluOps, ParametricActivationOps, LossOps, FocalLossOps, CtcOps, MetricOps, OptimizerOps, ElementwiseOps, ConvOps, NormalizationOps, LayerNormalizationOps, GroupNormalizationOps, EmbeddingOps, RecurrentOps, MaskOps, ImageOps {
  /** The backend's name as `km.getBackend()` reports it, e.g. `'wasm'`. */
  readonly name: string;
  /** Which kernels run, e.g. `'wasm-simd'` or `'wasm-relaxed-simd'`. */
  readonly kernels: string;
  /**
   * Whether buffers live in the calling thread's memory (the wasm heap), so that a synchronous read
   * is only a copy. Where false (tfjs), results such as `predict`'s stay on the device until read.
   */
  readonly hostResident: boolean;
  /** Threads its kernels run on, when the backend manages its own (the WASM core); else absent. */
  readonly threads?: number;
  /** Stops the backend's worker threads; it stays usable on the calling thread (for moving weights off it). */
  stopThreads?(): void;
  /** Makes the backend's device current again, where other code may have changed it (tfjs' global backend). */
  resume?(): Promise<void>;
  /**
   * Bytes the backend holds from the host whether allocated or not: the WASM core's memory, which
   * grows in 64 KiB pages and never shrinks. Absent where the backend cannot tell (tfjs).
   */
  reservedBytes?(): number;
}
