// Typed, allocation-free wrappers over the wasm kernels plus the JS heap that owns buffers.
import { Activation } from './activation.js';
import type { InputActivation } from './input_activation.js';
import type { LossKind, RowLossKind } from './loss_kind.js';
import { depthAxis, type ResizeGeometry, type ResizeInterpolation, type WindowGeometry } from './geometry.js';
import { transformArgs, type ColorAdjustment, type ImageTransform } from './image_transform.js';
import type { PiecewiseLinear, PreluGeometry } from './parametric_activation.js';
import { gemmPartArgs, partitionGemm } from './gemm_partition.js';
import { Heap } from './heap.js';
import { invokeKernel, KernelId } from './parallel_kernels.js';
import { partitionRange } from './range_partition.js';
import { SLOWEST_FLOATS_PER_MS, SLOWEST_FLOP_PER_MS, type ThreadPool } from './thread_pool.js';
import type { KernelExports } from './wasm_exports.js';

/** Which build of the kernels is running. */
export type Flavor = 'simd' | 'relaxed-simd';

/** What {@link Core.gemm} applies to C in the same call: a bias row (pointer to n floats) and an element-wise activation. */
export interface GemmEpilogue {
  bias?: number;
  /** Any kind but Softmax; Linear (the default) applies none. */
  activation?: Activation;
}

/**
 * The loaded kernels over one linear memory. Buffers are byte offsets returned by
 * {@link Core.malloc}; element counts are in elements; offset 0 means "no buffer".
 *
 * @example
 * ```ts
 * const core = await loadCore();
 * const x = core.malloc(4 * 6);
 * core.f32().set([1, -2, 3, -4, 5, -6], x / 4);
 * core.activationForward(Activation.Relu, x, x, 2, 3);
 * ```
 */
export class Core {
  private readonly heap: Heap;
  private readonly scratch: number;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private pool: ThreadPool | null = null;

  constructor(
    /** The kernel build in use. */
    readonly flavor: Flavor,
    /** The linear memory the kernels and the heap work in. */
    readonly memory: WebAssembly.Memory,
    private readonly k: KernelExports,
  ) {
    this.heap = new Heap(memory, k.heapBase());
    // One packing buffer for every gemm call, sized by the kernels' own block sizes.
    this.scratch = this.heap.malloc(k.gemmScratchBytes());
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
  }

  /**
   * Threads that run gemm and the other big kernels of a training step (im2col/col2im, pooling,
   * dropout masks, Adam): 1 + worker threads. Set with `loadCore({ threads })`;
   * results are bit-identical for every thread count. Drops to 1 when a worker thread dies
   * between calls (see {@link Core.gemm}).
   */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** @internal For tests: the worker threads, or null when gemm runs on the calling thread alone. */
  get threadPool(): ThreadPool | null {
    return this.pool;
  }

  /** @internal Used by loadCore: routes the splittable kernels through worker threads from now on. */
  attachThreadPool(pool: ThreadPool): void {
    this.pool = pool;
    pool.whenWorkerDies((reason) => {
      this.pool = null;
      console.warn(`core-wasm: ${reason}; kernels run on the calling thread alone from now on, with the same results. To use threads again load a new core (km.setThreads(n) in @kerasm/sdk, or loadCore({ threads: n })), and check that the process has memory to spare.`);
    });
  }

  /**
   * Stops the worker threads, if any; the Core keeps working on the calling thread alone,
   * except after a gemm timed out (see {@link Core.gemm}).
   */
  dispose(): void {
    this.pool?.dispose();
    // A pool that timed out stays attached so that gemm keeps refusing: its worker may still write.
    if (!this.pool?.timedOut) this.pool = null;
  }

  /** Allocates `bytes` bytes, 16-byte aligned; may grow the memory (then call f32()/i32() again). */
  malloc(bytes: number): number {
    return this.heap.malloc(bytes);
  }

  /** Frees a pointer returned by malloc; throws on a double free or an unknown pointer. */
  free(ptr: number): void {
    this.heap.free(ptr);
  }

  /** A Float32Array over the whole memory (index = ptr / 4), re-created after the memory grew. */
  f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.f32View = new Float32Array(this.memory.buffer);
    return this.f32View;
  }

  /** An Int32Array over the whole memory (index = ptr / 4), re-created after the memory grew. */
  i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.i32View = new Int32Array(this.memory.buffer);
    return this.i32View;
  }

  /** Current size of the memory in bytes. */
  byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** @internal Used by loadCore: the calling thread's gemm packing buffer. */
  get scratchOffset(): number {
    return this.scratch;
  }

  /** Bytes currently allocated through malloc (including the gemm packing buffer). */
  allocatedBytes(): number {
    return this.heap.allocatedBytes;
  }

  /**
   * C[m×n] = (accumulate ? C : 0) + op(A)·op(B), row-major. op(A) is m×k (A stored k×m when
   * transA), op(B) is k×n (B stored n×k when transB); lda/ldb/ldc are row strides in elements.
   * With an `epilogue`, C = f(… + bias) in the same call: each block of C gets the bias and the
   * activation while it is still in cache, bit-identical to biasAdd then activationForward.
   *
   * With worker threads, a worker that dies between calls (Node: its 'exit' or 'error' event;
   * browsers: 'error') makes the Core stop the others, warn once, and run every later kernel on
   * the calling thread, with the same results. A worker that does not answer within
   * max(10 s, 2mnk / 0.5 GFLOP/s) (it died while the caller was blocked, or it hangs) makes the
   * call throw, and every later threaded kernel call on this Core throws too: the worker might
   * still write its part into memory that has been reused. Load a new core then
   * (`loadCore({ threads: 1 })`). The other threaded kernels handle dead workers the same way.
   *
   * @example
   * // A Dense layer's forward pass: out = relu(x · W + b).
   * core.gemm(false, false, batch, units, inputs, x, inputs, w, units, out, units, false, { bias: b, activation: Activation.Relu });
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean,
    epilogue: GemmEpilogue = {},
  ): void {
    const bias = epilogue.bias ?? 0;
    const activation = epilogue.activation ?? Activation.Linear;
    if (activation === Activation.Sparsemax) {
      throw new Error('core-wasm: gemm cannot fuse sparsemax (it needs whole rows); call activationForward(Activation.Sparsemax, …) after it.');
    }
    if (activation === Activation.Softmax) {
      throw new Error('core-wasm: gemm cannot fuse softmax (it needs whole rows); call activationForward(Activation.Softmax, …) after it.');
    }
    const [tA, tB, acc] = [transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0];
    if (!this.pool) {
      this.k.gemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc, acc, this.scratch, bias, activation);
      return;
    }
    const args = [tA, tB, m, n, k, a, lda, b, ldb, c, ldc, acc, 0, bias, activation];
    this.pool.run(KernelId.Gemm, () => `gemm(m=${m}, n=${n}, k=${k})`, (2 * m * n * k) / SLOWEST_FLOP_PER_MS, (threads) => {
      const { byRows, parts } = partitionGemm(m, n, k, threads);
      return parts.map((part) => gemmPartArgs(args, byRows, part));
    });
  }

  /**
   * Runs kernel `id` over [0, length) of one dimension: on the calling thread alone, or split
   * into contiguous ranges of whole `align` units where the pool's threads pay (at least
   * rangeSplit.minWorkPerPart floats of work each, at `unitWork` per index). `partArgs(start,
   * end)` gives the export's arguments for a range; each range must write outputs no other
   * range writes.
   */
  private split(id: KernelId, name: string, length: number, unitWork: number, align: number, partArgs: (start: number, end: number) => number[]): void {
    if (!this.pool) {
      invokeKernel(this.k, id, partArgs(0, length), this.scratch);
      return;
    }
    this.pool.run(id, () => `${name}(${length} × ${unitWork})`, (length * unitWork) / SLOWEST_FLOATS_PER_MS, (threads) =>
      partitionRange(length, threads, unitWork, align).map(({ start, end }) => partArgs(start, end)));
  }

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

  /** On probabilities: returns −Σ t·log clip(p); when dp ≠ 0 writes −t/clip(p)·gradScale. */
  categoricalCrossEntropy(p: number, targets: number, dp: number, rows: number, cols: number, gradScale: number, weights = 0): number {
    return this.k.categoricalCrossEntropy(p, targets, dp, rows, cols, gradScale, weights);
  }

  /** On probabilities with i32 labels: returns Σ −log clip(p[label]); dp is −1/clip(p)·gradScale at the label, 0 elsewhere. */
  sparseCategoricalCrossEntropy(p: number, labels: number, dp: number, rows: number, cols: number, gradScale: number, weights = 0): number {
    return this.k.sparseCategoricalCrossEntropy(p, labels, dp, rows, cols, gradScale, weights);
  }

  /** Returns −Σ (t·log clip p + (1−t)·log(1 − clip p)); dp = (clip p − t)/(clip p·(1 − clip p))·gradScale. */
  binaryCrossEntropy(p: number, targets: number, dp: number, n: number, gradScale: number, weights = 0, repeat = 1): number {
    return this.k.binaryCrossEntropy(p, targets, dp, n, gradScale, weights, repeat);
  }

  /** Returns Σ (p − t)²; dp = 2(p − t)·gradScale. A non-zero `weights` holds one weight per `repeat` elements, multiplying their loss and gradient (so in every loss kernel: one per row). */
  meanSquaredError(p: number, targets: number, dp: number, n: number, gradScale: number, weights = 0, repeat = 1): number {
    return this.k.meanSquaredError(p, targets, dp, n, gradScale, weights, repeat);
  }

  /** Rows whose argmax (first on ties) equals the i32 label; with a `mask` (one float per row), only rows where it is not 0. */
  countArgmaxMatchesSparse(p: number, labels: number, rows: number, cols: number, mask = 0): number {
    return this.k.countArgmaxMatchesSparse(p, labels, rows, cols, mask);
  }

  /** Rows whose argmax equals the argmax of the target row. */
  countArgmaxMatchesDense(p: number, targets: number, rows: number, cols: number, mask = 0): number {
    return this.k.countArgmaxMatchesDense(p, targets, rows, cols, mask);
  }

  /** Elements where t equals (p > threshold ? 1 : 0); with a `mask` (one float per `repeat` elements), only where it is not 0. */
  countBinaryMatches(p: number, targets: number, n: number, threshold: number, mask = 0, repeat = 1): number {
    return this.k.countBinaryMatches(p, targets, n, threshold, mask, repeat);
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
   * TP = Σ t·p over each group of `groupSize` values; dp = dLoss/dp·gradScale when dp ≠ 0.
   */
  overlapLoss(p: number, targets: number, dp: number, groups: number, groupSize: number, gradScale: number, numerator: number, tpCoef: number, tCoef: number, pCoef: number): number {
    return this.k.overlapLoss(p, targets, dp, groups, groupSize, gradScale, numerator, tpCoef, tCoef, pCoef);
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

  /** Σ x² over n floats (f64 accumulation across blocks). */
  sumSquares(ptr: number, n: number): number {
    return this.k.sumSquares(ptr, n);
  }

  /** Clamps n floats to [lo, hi] in place. */
  clipByValue(ptr: number, n: number, lo: number, hi: number): void {
    this.k.clipByValue(ptr, n, lo, hi);
  }

  /** Multiplies n floats by factor in place. */
  scale(ptr: number, n: number, factor: number): void {
    this.k.scale(ptr, n, factor);
  }

  /** ptr[i] = value for i < n. */
  fill(ptr: number, n: number, value: number): void {
    this.k.fill(ptr, n, value);
  }

  /** dst[i] = src[i] for i < n (ranges may overlap). */
  copy(dst: number, src: number, n: number): void {
    this.k.copy(dst, src, n);
  }

  /** Row i of dst (rowLen floats) = row indices[i] of src; indices is an i32 buffer. */
  gatherRows(dst: number, src: number, indices: number, count: number, rowLen: number): void {
    this.k.gatherRows(dst, src, indices, count, rowLen);
  }

  /** True when any of the n floats at ptr is NaN or ±Infinity. */
  hasNonFinite(ptr: number, n: number): boolean {
    return this.k.hasNonFinite(ptr, n) !== 0;
  }

  /** out[i] = a[i] + b[i]; out may alias a or b. */
  add(a: number, b: number, out: number, n: number): void {
    this.k.add(a, b, out, n);
  }

  /** out[i] = a[i] · b[i]; out may alias a or b. */
  mul(a: number, b: number, out: number, n: number): void {
    this.k.mul(a, b, out, n);
  }

  /** Row r of dst (stride dstStride) = row r of src (stride srcStride); strides and cols in floats. */
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, cols: number): void {
    this.k.copyRows(src, srcStride, dst, dstStride, rows, cols);
  }

  /** Every receptive field of x (NHWC or NDHWC) as one row of cols: [batch·outD·outH·outW, kD·kH·kW·channels]. */
  im2col(x: number, cols: number, g: WindowGeometry): void {
    const [inImage, colsImage] = convImageSizes(g);
    this.split(KernelId.Im2col, 'im2col', g.batch, colsImage, 1, (s, e) => [x + 4 * s * inImage, cols + 4 * s * colsImage, ...convArgs(g, e - s)]);
  }

  /** The adjoint of im2col: sums the rows of cols back into dx (overwritten). */
  col2im(cols: number, dx: number, g: WindowGeometry): void {
    // Each image's dx gets only its own rows of cols, in the same order whoever runs it.
    const [inImage, colsImage] = convImageSizes(g);
    this.split(KernelId.Col2im, 'col2im', g.batch, colsImage, 1, (s, e) => [cols + 4 * s * colsImage, dx + 4 * s * inImage, ...convArgs(g, e - s)]);
  }

  /** Max pooling over windows of inside positions (dilation must be 1). */
  maxPool(x: number, y: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.MaxPool, 'maxPool', g.batch, outImage * windowSize(g), 1, (s, e) => [x + 4 * s * inImage, y + 4 * s * outImage, ...poolArgs(g, e - s)]);
  }

  /** Routes dy to the first maximum of each window (overwrites dx). */
  maxPoolGrad(x: number, y: number, dy: number, dx: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.MaxPoolGrad, 'maxPoolGrad', g.batch, 2 * outImage * windowSize(g), 1, (s, e) =>
      [x + 4 * s * inImage, y + 4 * s * outImage, dy + 4 * s * outImage, dx + 4 * s * inImage, ...poolArgs(g, e - s)]);
  }

  /** Average pooling; each window averages its inside positions only. */
  avgPool(x: number, y: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.AvgPool, 'avgPool', g.batch, outImage * windowSize(g), 1, (s, e) => [x + 4 * s * inImage, y + 4 * s * outImage, ...poolArgs(g, e - s)]);
  }

  /** Spreads dy/count over each window's inside positions (overwrites dx). */
  avgPoolGrad(dy: number, dx: number, g: WindowGeometry): void {
    const [inImage, outImage] = imageSizes(g);
    this.split(KernelId.AvgPoolGrad, 'avgPoolGrad', g.batch, 2 * outImage * windowSize(g), 1, (s, e) => [dy + 4 * s * outImage, dx + 4 * s * inImage, ...poolArgs(g, e - s)]);
  }

  /** mask[i] = 0 with probability rate, else 1/(1 − rate), from a hash of (seed, i). */
  dropoutMask(mask: number, n: number, rate: number, seed: number): void {
    // The hash takes seed + (i + 1)·0x6d2b79f5 (mod 2³²): a range from s keeps its global index
    // by starting from seed + s·0x6d2b79f5. The hash is about 8 float moves' worth of work.
    this.split(KernelId.DropoutMask, 'dropoutMask', n, 8, 4, (s, e) => [mask + 4 * s, e - s, rate, (seed + Math.imul(s, 0x6d2b79f5)) >>> 0]);
  }

  /** out[i] = mean + stddev·z, z standard normal from the dropout hash of (seed, 2i) and (seed, 2i + 1). */
  normalNoise(out: number, n: number, mean: number, stddev: number, seed: number): void {
    this.k.normalNoise(out, n, mean, stddev, seed >>> 0);
  }

  /**
   * y = x with its axes permuted: `dims` is x's shape (at most 5 axes) and output axis k is input
   * axis perm[k], as tf.transpose takes it.
   */
  transpose(x: number, y: number, dims: readonly number[], perm: readonly number[]): void {
    if (dims.length > 5 || perm.length !== dims.length) throw new Error(`transpose takes up to 5 axes and a permutation of them. Received: dims=[${dims}], perm=[${perm}].`);
    const strides = dims.map((_, k) => dims.slice(k + 1).reduce((a, b) => a * b, 1));
    const pad = 5 - dims.length;
    const outDims = [...Array<number>(pad).fill(1), ...perm.map((p) => dims[p])];
    const outStrides = [...Array<number>(pad).fill(0), ...perm.map((p) => strides[p])];
    this.k.transpose(x, y, outDims[0], outDims[1], outDims[2], outDims[3], outDims[4], outStrides[0], outStrides[1], outStrides[2], outStrides[3], outStrides[4]);
  }

  /** out[i] = max(a[i], b[i]) (takeMax) or min(a[i], b[i]); out may alias a or b. */
  minMax(takeMax: boolean, a: number, b: number, out: number, n: number): void {
    this.k.minMax(takeMax, a, b, out, n);
  }

  /** dx = x == y ? pending : 0, then pending = 0 where x == y: in input order, a max's gradient goes to the first input equal to it. */
  routeToFirstMatch(x: number, y: number, pending: number, dx: number, n: number): void {
    this.k.routeToFirstMatch(x, y, pending, dx, n);
  }

  /** Depthwise product of im2col columns [rows, taps·channels] with a [taps, channels, multiplier] kernel. */
  depthwiseForward(cols: number, kernel: number, out: number, rows: number, taps: number, channels: number, multiplier: number): void {
    this.k.depthwiseForward(cols, kernel, out, rows, taps, channels, multiplier);
  }

  /** Kernel gradient (overwritten) and, when dCols is not 0, the columns' gradient (may alias cols). */
  depthwiseBackward(cols: number, kernel: number, dy: number, dCols: number, dKernel: number, rows: number, taps: number, channels: number, multiplier: number): void {
    this.k.depthwiseBackward(cols, kernel, dy, dCols, dKernel, rows, taps, channels, multiplier);
  }

  /**
   * Embedding lookup: out[i, :] = table[indices[i], :] for `n` indices stored as floats, rows of
   * `dim` floats. An index outside [0, inputDim) (or NaN) is clamped into it, so a bad index never
   * reads outside the table.
   */
  embeddingForward(indices: number, table: number, out: number, n: number, dim: number, inputDim: number): void {
    this.k.embeddingForward(indices, table, out, n, dim, inputDim);
  }

  /** The table's gradient: dTable (inputDim·dim floats) = 0, then dTable[indices[i], :] += dy[i, :]; indices are clamped as in embeddingForward. */
  embeddingBackward(indices: number, dy: number, dTable: number, n: number, dim: number, inputDim: number): void {
    this.k.embeddingBackward(indices, dy, dTable, n, dim, inputDim);
  }

  /** mask[r] = 1 when any of x[r, 0..width) differs from `value`, else 0: one float per step of a padded sequence. */
  maskFromValues(x: number, mask: number, rows: number, width: number, value: number): void {
    this.k.maskFromValues(x, mask, rows, width, value);
  }

  /** In place: rows r of x [rows, width] whose mask[r] is 0 become row r of prev (zeros when prev is 0). */
  maskSelectRows(mask: number, x: number, prev: number, rows: number, width: number): void {
    this.k.maskSelectRows(mask, x, prev, rows, width);
  }

  /** maskSelectRows' backward pass: rows whose mask is 0 add dx's row into dPrev (when not 0), then dx's row becomes 0. */
  maskSelectRowsGrad(mask: number, dx: number, dPrev: number, rows: number, width: number): void {
    this.k.maskSelectRowsGrad(mask, dx, dPrev, rows, width);
  }

  /** out [batch, channels] = the mean of x [batch, steps, channels] over each sequence's unmasked steps (mask [batch, steps]; 0 when all are masked). */
  maskedMeanSteps(x: number, mask: number, out: number, batch: number, steps: number, channels: number): void {
    this.k.maskedMeanSteps(x, mask, out, batch, steps, channels);
  }

  /** Its gradient: dx[b, s, :] = mask[b, s]·dy[b, :] / max(1, unmasked steps of b); overwrites dx. */
  maskedMeanStepsGrad(dy: number, mask: number, dx: number, batch: number, steps: number, channels: number): void {
    this.k.maskedMeanStepsGrad(dy, mask, dx, batch, steps, channels);
  }

  /** Σ mask over n steps: how many positions a masked loss or metric averages over. */
  maskSum(mask: number, n: number): number {
    return this.k.maskSum(mask, n);
  }

  /**
   * Weights of a masked, weighted mean loss over n positions (Keras' apply_mask): out[i] =
   * m[i]·w[i / repeat] / Σm (n without a mask), m and w 1 where mask or weights is 0; all 0 when
   * every position is masked.
   */
  lossWeights(mask: number, weights: number, repeat: number, out: number, n: number): void {
    this.k.lossWeights(mask, weights, repeat, out, n);
  }

  /**
   * One LSTM step over `rows` samples: z [rows, 4·units] (gate order i, f, c̃, o) holds the gates'
   * pre-activations and is replaced by the gates; writes c = f·cPrev + i·c̃, ac = activation(c) and
   * h = o·ac. cPrev 0 is a zero state. Activations are element-wise kinds (not Softmax).
   */
  lstmCellForward(z: number, cPrev: number, c: number, ac: number, h: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.lstmCellForward(z, cPrev, c, ac, h, rows, units, activation, recurrentActivation);
  }

  /**
   * Backward through one LSTM step: overwrites the gates in z with the gradient of their
   * pre-activations and dc (the gradient of c) with the gradient of cPrev, given dh.
   */
  lstmCellBackward(z: number, cPrev: number, ac: number, dh: number, dc: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.lstmCellBackward(z, cPrev, ac, dh, dc, rows, units, activation, recurrentActivation);
  }

  /**
   * GRU step (reset_after false), first half: z [rows, 3·units] holds x·W + b with blocks z, r, h̃;
   * the z and r blocks become recurrentActivation(z + p) (p = hPrev·U_zr [rows, 2·units], 0: none)
   * and rh = r⊙hPrev. hPrev 0 is a zero state.
   */
  gruGatesForward(z: number, p: number, hPrev: number, rh: number, rows: number, units: number, recurrentActivation: Activation): void {
    this.k.gruGatesForward(z, p, hPrev, rh, rows, units, recurrentActivation);
  }

  /** Second half: h̃ = activation(z_h + q) in place (q = rh·U_h [rows, units], 0: none), h = z⊙hPrev + (1 − z)⊙h̃. */
  gruOutputForward(z: number, q: number, hPrev: number, h: number, rows: number, units: number, activation: Activation): void {
    this.k.gruOutputForward(z, q, hPrev, h, rows, units, activation);
  }

  /** Backward through h: the z and h̃ blocks' pre-activation gradients (h̃'s also into dHh); dhPrev += dh⊙z when not 0. */
  gruOutputBackward(z: number, hPrev: number, dh: number, dhPrev: number, dHh: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.gruOutputBackward(z, hPrev, dh, dhPrev, dHh, rows, units, activation, recurrentActivation);
  }

  /** Backward through the gates given dRh (0: none): r's pre-activation gradient, both gate gradients into s [rows, 2·units], dhPrev += dRh⊙r. */
  gruGatesBackward(z: number, hPrev: number, dRh: number, dhPrev: number, s: number, rows: number, units: number, recurrentActivation: Activation): void {
    this.k.gruGatesBackward(z, hPrev, dRh, dhPrev, s, rows, units, recurrentActivation);
  }

  /**
   * GRU step in Keras' reset_after=True form: z [rows, 3·units] holds x·W + b_input (blocks z, r, h̃),
   * inner holds hPrev·U [rows, 3·units] (zeros at the first step); recurrentBias [3·units] (0: none)
   * is added to inner. z's blocks become the gates z, r, h̃ with h̃ = activation(z_h + r⊙(inner_h +
   * b_rh)), and h = z⊙hPrev + (1 − z)⊙h̃. hPrev 0 is a zero state.
   */
  gruResetAfterForward(z: number, inner: number, recurrentBias: number, hPrev: number, h: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.gruResetAfterForward(z, inner, recurrentBias, hPrev, h, rows, units, activation, recurrentActivation);
  }

  /**
   * Its backward pass from dh: z gets the gradient of x·W + b_input, inner the gradient of hPrev·U +
   * b_recurrent (in place), and dhPrev (when not 0) gets dh⊙z added; the caller adds inner·Uᵀ to it.
   */
  gruResetAfterBackward(z: number, inner: number, recurrentBias: number, hPrev: number, dh: number, dhPrev: number, rows: number, units: number, activation: Activation, recurrentActivation: Activation): void {
    this.k.gruResetAfterBackward(z, inner, recurrentBias, hPrev, dh, dhPrev, rows, units, activation, recurrentActivation);
  }

  /**
   * Batch normalization in training, per column of [rows, cols]: writes y, the batch mean and
   * 1/√(var + ε) (for batchNormGrad), and moves the moving statistics by `momentum`. gamma and
   * beta may be 0 (no scale, no offset).
   */
  batchNormTrain(x: number, y: number, gamma: number, beta: number, movingMean: number, movingVar: number, mean: number, invStd: number, rows: number, cols: number, epsilon: number, momentum: number): void {
    this.k.batchNormTrain(x, y, gamma, beta, movingMean, movingVar, mean, invStd, rows, cols, epsilon, momentum);
  }

  /** Batch normalization with the moving statistics; `invStd` is `cols` floats of scratch. */
  batchNormInfer(x: number, y: number, gamma: number, beta: number, movingMean: number, movingVar: number, invStd: number, rows: number, cols: number, epsilon: number): void {
    this.k.batchNormInfer(x, y, gamma, beta, movingMean, movingVar, invStd, rows, cols, epsilon);
  }

  /** Gradients of batchNormTrain; dx, dGamma and dBeta may be 0 when not wanted. */
  batchNormGrad(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, rows: number, cols: number): void {
    this.k.batchNormGrad(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols);
  }

  /**
   * Layer normalization of each row of [rows, cols] (a sample's normalised axes): writes y, and the
   * row's mean and 1/√(var + ε) (`rows` floats each, for layerNormBackward). gamma and beta (`cols`
   * floats) may be 0 (no scale, no offset).
   */
  layerNormForward(x: number, y: number, gamma: number, beta: number, mean: number, invStd: number, rows: number, cols: number, epsilon: number): void {
    this.k.layerNormForward(x, y, gamma, beta, mean, invStd, rows, cols, epsilon);
  }

  /** Gradients of layerNormForward; dx (which may alias dy), dGamma and dBeta may be 0 when not wanted. */
  layerNormBackward(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, rows: number, cols: number): void {
    this.k.layerNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, rows, cols);
  }
  /**
   * L2 normalization along the middle axis of [outer, reduce, inner]: y = x / √max(Σx², ε), one norm
   * per (outer, inner) pair. y may alias x.
   */
  l2NormalizeForward(x: number, y: number, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.k.l2NormalizeForward(x, y, outer, reduce, inner, epsilon);
  }

  /** dx of l2NormalizeForward, from its input x; dx may alias dy. */
  l2NormalizeBackward(x: number, dy: number, dx: number, outer: number, reduce: number, inner: number, epsilon: number): void {
    this.k.l2NormalizeBackward(x, dy, dx, outer, reduce, inner, epsilon);
  }

  /**
   * Group normalization of channels-last samples [batch, spatial, channels]: each sample's channels
   * split into `groups` equal runs, each normalised over its spatial × channels/groups values. Writes
   * y, and each (sample, group)'s mean and 1/√(var + ε) (`batch·groups` floats each, for
   * groupNormBackward). gamma and beta (`channels` floats) may be 0 (no scale, no offset).
   */
  groupNormForward(x: number, y: number, gamma: number, beta: number, mean: number, invStd: number, batch: number, spatial: number, channels: number, groups: number, epsilon: number): void {
    this.k.groupNormForward(x, y, gamma, beta, mean, invStd, batch, spatial, channels, groups, epsilon);
  }

  /** Gradients of groupNormForward; dx (which may alias dy), dGamma and dBeta may be 0 when not wanted. */
  groupNormBackward(x: number, dy: number, dx: number, gamma: number, mean: number, invStd: number, dGamma: number, dBeta: number, batch: number, spatial: number, channels: number, groups: number): void {
    this.k.groupNormBackward(x, dy, dx, gamma, mean, invStd, dGamma, dBeta, batch, spatial, channels, groups);
  }

  /**
   * Resizes each image's crop window (see {@link ResizeGeometry}) with half-pixel centres, as
   * TensorFlow's resize ops (and so Keras' Resizing layer) do. y must not alias x.
   */
  resize(interpolation: ResizeInterpolation, x: number, y: number, g: ResizeGeometry): void {
    const kernel = interpolation === 'bilinear' ? this.k.resizeBilinear : this.k.resizeNearest;
    kernel(x, y, ...resizeArgs(g));
  }

  /** dx of {@link resize} (overwritten): each output gradient added into the pixels it read, by their weights. */
  resizeBackward(interpolation: ResizeInterpolation, dy: number, dx: number, g: ResizeGeometry): void {
    const kernel = interpolation === 'bilinear' ? this.k.resizeBilinearBackward : this.k.resizeNearestBackward;
    kernel(dy, dx, ...resizeArgs(g));
  }

  /**
   * Mirrors image b of an NHWC batch left-right where bit 0 of the float flags[b] is set and
   * top-bottom where bit 1 is; its own backward pass. y must not alias x.
   */
  flipImages(x: number, y: number, flags: number, batch: number, h: number, w: number, c: number): void {
    this.k.flipImages(x, y, flags, batch, h, w, c);
  }

  /** Samples each image through its 8-float projective transform (see {@link ImageTransform}); y must not alias x. */
  transformImages(x: number, y: number, transforms: number, t: ImageTransform): void {
    this.k.transformImages(x, y, transforms, ...transformArgs(t), t.fillValue);
  }

  /** dx of {@link transformImages} (overwritten): each output gradient added into the pixels it read, by their weights. */
  transformImagesBackward(dy: number, dx: number, transforms: number, t: ImageTransform): void {
    this.k.transformImagesBackward(dy, dx, transforms, ...transformArgs(t));
  }

  /** Per-image contrast and brightness (see {@link ColorAdjustment}); y may alias x. */
  adjustImages(x: number, y: number, params: number, a: ColorAdjustment): void {
    this.k.adjustImages(x, y, params, a.batch, a.pixels, a.channels, a.lo, a.hi);
  }

  /** dx of {@link adjustImages} from its input x (overwritten). */
  adjustImagesBackward(x: number, dy: number, dx: number, params: number, a: ColorAdjustment): void {
    this.k.adjustImagesBackward(x, dy, dx, params, a.batch, a.pixels, a.channels, a.lo, a.hi);
  }

  // The activation layers' kernels: their backward passes read the forward input x (dx may alias dy).

  /** y = clamp(x > t ? x : 0, lo, hi) − slope·max(t − x, 0) over n values (see {@link PiecewiseLinear}); y may alias x. */
  piecewiseLinearForward(x: number, y: number, n: number, p: PiecewiseLinear): void {
    this.k.piecewiseLinearForward(x, y, n, p.threshold, p.negativeSlope, p.lo, p.hi);
  }

  /** dx = dy·f'(x): 1 where x > t and lo ≤ x ≤ hi, plus the slope where x ≤ t. */
  piecewiseLinearBackward(x: number, dy: number, dx: number, n: number, p: PiecewiseLinear): void {
    this.k.piecewiseLinearBackward(x, dy, dx, n, p.threshold, p.negativeSlope, p.lo, p.hi);
  }

  /** y = x > 0 ? x : alpha·(eˣ − 1); y may alias x. */
  eluForward(x: number, y: number, n: number, alpha: number): void {
    this.k.eluForward(x, y, n, alpha);
  }

  /** dx = dy·(x > 0 ? 1 : alpha·eˣ). */
  eluBackward(x: number, dy: number, dx: number, n: number, alpha: number): void {
    this.k.eluBackward(x, dy, dx, n, alpha);
  }

  /** y = x < 0 ? alpha·x : x, alpha spread over the batch as {@link PreluGeometry} says; y may alias x. */
  preluForward(x: number, alpha: number, y: number, g: PreluGeometry): void {
    this.k.preluForward(x, alpha, y, g.batch, g.outer, g.shared, g.inner);
  }

  /** dx = x > 0 ? dy : alpha·dy (skipped when dx is 0) and dAlpha = Σ of dy·x where x ≤ 0 (overwritten). */
  preluBackward(x: number, alpha: number, dy: number, dx: number, dAlpha: number, g: PreluGeometry): void {
    this.k.preluBackward(x, alpha, dy, dx, dAlpha, g.batch, g.outer, g.shared, g.inner);
  }
}

/** The resize kernels' geometry arguments, in their order. */
function resizeArgs(g: ResizeGeometry): number[] {
  return [g.batch, g.inH, g.inW, g.channels, g.cropTop, g.cropLeft, g.cropH, g.cropW, g.outH, g.outW];
}

/** Floats in one image (or volume) of the input and in its rows of im2col's columns. */
function convImageSizes(g: WindowGeometry): [number, number] {
  const [inD, kD, , , , outD] = depthAxis(g);
  return [inD * g.inH * g.inW * g.channels, outD * g.outH * g.outW * kD * g.kH * g.kW * g.channels];
}

/** Floats in one image (or volume) of the input and of the pooled output. */
function imageSizes(g: WindowGeometry): [number, number] {
  const [inD, , , , , outD] = depthAxis(g);
  return [inD * g.inH * g.inW * g.channels, outD * g.outH * g.outW * g.channels];
}

/** Taps in one pooling window. */
function windowSize(g: WindowGeometry): number {
  return (g.kD ?? 1) * g.kH * g.kW;
}

function convArgs(g: WindowGeometry, batch = g.batch): number[] {
  return [batch, g.inH, g.inW, g.channels, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW, ...depthAxis(g)];
}

function poolArgs(g: WindowGeometry, batch = g.batch): number[] {
  const [inD, kD, strideD, dilationD, padFront, outD] = depthAxis(g);
  if (g.dilationH !== 1 || g.dilationW !== 1 || dilationD !== 1) {
    throw new Error(`Pooling supports dilation 1 only. Received: dilation=[${g.dilationH}, ${g.dilationW}]${g.inD === undefined ? '' : `, dilationD=${dilationD}`}.`);
  }
  return [batch, g.inH, g.inW, g.channels, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW, inD, kD, strideD, padFront, outD];
}
