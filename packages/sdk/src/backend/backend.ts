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

/** Element-wise activations the kernels implement, forward and backward. */
export type ActivationKind = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/** Storage: allocation, host transfers, and views into a buffer. */
export interface StorageOps {
  /** Allocates `length` elements, zero-filled. */
  alloc(length: number, dtype: BufferDType): BufferId;
  free(id: BufferId): void;
  /** An id for elements `[offset, offset + length)` of `id`, sharing its storage. */
  view(id: BufferId, offset: number, length: number): BufferId;
  write(id: BufferId, values: Float32Array | Int32Array): void;
  read(id: BufferId, length: number, dtype: BufferDType): Float32Array | Int32Array;
  /** Copies rows `indices[start..start+count)` of the host array `src` (rows of `rowLength`) into `dst`. */
  gatherRows(dst: BufferId, src: Float32Array | Int32Array, indices: Int32Array, start: number, count: number, rowLength: number): void;
  fill(id: BufferId, length: number, value: number): void;
  /** Bytes of memory the backend holds now (for leak and growth checks). */
  memoryBytes(): number;
}

/** Dense linear algebra and reductions. */
export interface LinalgOps {
  /** C[m×n] = (accumulate ? C : 0) + op(A)·op(B), row-major; op transposes when the flag is set. */
  matMul(a: BufferId, b: BufferId, c: BufferId, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  /** x[r, c] += bias[c], in place. */
  biasAdd(x: BufferId, bias: BufferId, rows: number, cols: number): void;
  /** out[c] = (accumulate ? out[c] : 0) + Σ_r x[r, c]. */
  columnSum(x: BufferId, out: BufferId, rows: number, cols: number, accumulate: boolean): void;
}

/** Activations; backward passes use the forward output `y`. */
export interface ActivationOps {
  activation(kind: ActivationKind, x: BufferId, y: BufferId, rows: number, cols: number): void;
  activationGrad(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, rows: number, cols: number): void;
}

/**
 * Losses return the sum of per-element (or per-row) losses; when `grad` is not 0 they also write
 * the gradient scaled by `gradScale`.
 */
export interface LossOps {
  /** Softmax of `logits` into `probs` (may alias), cross-entropy against int labels or one-hot rows, gradient w.r.t. the logits. */
  softmaxCrossEntropy(logits: BufferId, targets: BufferId, sparse: boolean, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number): number;
  categoricalCrossEntropy(p: BufferId, targets: BufferId, sparse: boolean, grad: BufferId, rows: number, cols: number, gradScale: number): number;
  binaryCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number): number;
  meanSquaredError(p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number): number;
}

/** Counting metrics. */
export interface MetricOps {
  countArgmaxMatches(p: BufferId, targets: BufferId, sparse: boolean, rows: number, cols: number): number;
  countBinaryMatches(p: BufferId, targets: BufferId, n: number, threshold: number): number;
}

/** Optimizer updates over flat parameter buffers, one sweep each. */
export interface OptimizerOps {
  adamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
  sgdUpdate(params: BufferId, grads: BufferId, velocity: BufferId, n: number, lr: number, momentum: number, nesterov: boolean): void;
}

/** Elementwise arithmetic over equal-length buffers; `out` may alias an input. */
export interface ElementwiseOps {
  add(a: BufferId, b: BufferId, out: BufferId, n: number): void;
  mul(a: BufferId, b: BufferId, out: BufferId, n: number): void;
  copy(src: BufferId, dst: BufferId, n: number): void;
  /** Row r of dst (stride dstStride) = row r of src (stride srcStride): `cols` floats per row. */
  copyRows(src: BufferId, srcStride: number, dst: BufferId, dstStride: number, rows: number, cols: number): void;
}

/**
 * The shape of one 2-D window operation (convolution or pooling) over an NHWC batch. `padTop` and
 * `padLeft` are the rows and columns of padding before the input (TensorFlow splits 'same'
 * padding with the extra one after).
 */
export interface WindowGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
}

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
  /** mask[i] = 0 with probability `rate`, else 1/(1 − rate); the same seed gives the same mask. */
  dropoutMask(mask: BufferId, n: number, rate: number, seed: number): void;
}

/** A compute backend: storage plus every kernel family. */
export interface Backend extends StorageOps, LinalgOps, ActivationOps, LossOps, MetricOps, OptimizerOps, ElementwiseOps, ConvOps {
  /** The backend's name as `km.getBackend()` reports it, e.g. `'wasm'`. */
  readonly name: string;
  /** Which kernels run, e.g. `'wasm-simd'` or `'wasm-relaxed-simd'`. */
  readonly kernels: string;
}
