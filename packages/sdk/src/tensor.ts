import { TensorBuffer } from './tensor_buffer.js';
import { checkDtype } from './tensor_checks.js';
import { formatTensor } from './tensor_format.js';
import { sliceBox, sliceValues, unsliceValues } from './tensor_slice.js';
import { trackTensor } from './tensor_scopes.js';
import { passingCotangent, record, taping } from './ops/tape.js';
import type { NormOrder, ReduceAxis, TensorOps, TopK, UpcastDType } from './ops/index.js';
import type { ConvPad, DimRoundingMode, SpatialPair } from './ops/index.js';
import type { Unique } from './ops/index.js';

/** Element types a {@link Tensor} can hold. */
export type DType = 'float32' | 'int32';

/** The typed array behind a tensor of each dtype. */
export type TypedArrayFor<D extends DType> = D extends 'int32' ? Int32Array : Float32Array;

/**
 * Values a tensor can be made from: a number, a typed array, or nested arrays whose innermost
 * rows are arrays of numbers or typed arrays (`[new Float32Array([1, 2]), new Float32Array([3, 4])]`
 * is a [2, 2] tensor, as in tfjs).
 */
export type TensorLike = number | NestedValues | Float32Array | Int32Array | Uint8Array;
/** A nested JavaScript array of numbers, as `arraySync()` returns it. */
export interface NestedArray extends Array<number | NestedArray> {}
/** Nested arrays whose rows may be typed arrays, as `km.tensor` takes them. */
export interface NestedValues extends Array<number | Float32Array | Int32Array | Uint8Array | NestedValues> {}
/** Nested arrays with no Int32Array rows, which `km.tensor` makes float32 by default. */
export interface NestedFloat32Values extends Array<number | Float32Array | Uint8Array | NestedFloat32Values> {}
/** Nested arrays whose rows are all Int32Arrays, which `km.tensor` makes int32 by default. */
export interface NestedInt32Rows extends Array<Int32Array | NestedInt32Rows> {}
/** Values `km.tensor` makes a float32 tensor of when no dtype is given. */
export type Float32Values = number | Float32Array | Uint8Array | NestedFloat32Values;
/** Values `km.tensor` makes an int32 tensor of when no dtype is given. */
export type Int32Values = Int32Array | NestedInt32Rows;

/**
 * Values that still live on a backend's device (a GPU, a tfjs tensor), read into host memory the
 * first time a tensor's values are asked for. @internal
 */
export interface DeviceValues<D extends DType> {
  /** Blocks until the values are on the host (throws where the device cannot read synchronously). */
  read(): TypedArrayFor<D>;
  readAsync(): Promise<TypedArrayFor<D>>;
  /** Frees the device copy; called once, after a read or on dispose. */
  release(): void;
}

/**
 * A dense, immutable n-dimensional array of numbers, with TensorFlow.js' names (`shape`, `dtype`,
 * `data()`, `dataSync()`, `arraySync()`, `dispose()`). Its values are in host memory, except for
 * results a tfjs backend computed (e.g. `model.predict` on `'tfjs-webgl'`): those stay on the
 * device until first read, and `await t.data()` reads them without blocking, as in TensorFlow.js.
 *
 * @example
 * ```ts
 * const t = km.tensor([[1, 2], [3, 4]]);
 * t.shape;        // [2, 2]
 * t.arraySync();  // [[1, 2], [3, 4]]
 * ```
 */
export class Tensor<D extends DType = DType> {
  /** The size of each axis, outermost first: `[]` for a scalar, `[batch, features]` for a batch of rows. Frozen. */
  readonly shape: readonly number[];
  /** The element type, `'float32'` or `'int32'`; it decides the typed array `dataSync()` returns. */
  readonly dtype: D;
  /** The number of values: the product of the shape's axes (1 for a scalar). */
  readonly size: number;
  #values: TypedArrayFor<D> | null;
  #device: DeviceValues<D> | null = null;
  #reading: Promise<TypedArrayFor<D>> | null = null;
  #disposed = false;

  /** @internal Use {@link tensor} to make tensors. */
  constructor(values: TypedArrayFor<D> | DeviceValues<D>, shape: readonly number[], dtype: D) {
    const size = shapeSize(shape);
    if (ArrayBuffer.isView(values) && values.length !== size) {
      throw new Error(
        `A tensor of shape [${shape.join(', ')}] needs ${size} values, but received ${values.length}.`,
      );
    }
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = size;
    if (ArrayBuffer.isView(values)) this.#values = values;
    else {
      this.#values = null;
      this.#device = values;
    }
    trackTensor(this);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether {@link dispose} was called. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * The values, flattened in row-major order. The returned array is the tensor's own: do not
   * modify it. Values still on a device are read back, blocking until it finishes; `tfjs-webgpu`
   * refuses to (tfjs' synchronous WebGPU read is unreliable), so use {@link data} there.
   */
  dataSync(): TypedArrayFor<D> {
    this.#checkNotDisposed();
    if (this.#device) this.#settle(this.#device.read());
    return this.#values!;
  }

  /** The values, flattened in row-major order, read from the device without blocking where they are still there. */
  async data(): Promise<TypedArrayFor<D>> {
    this.#checkNotDisposed();
    if (this.#device) {
      this.#reading ??= this.#device.readAsync();
      const values = await this.#reading;
      if (this.#device) this.#settle(values);
      this.#checkNotDisposed();
    }
    return this.#values!;
  }

  #settle(values: TypedArrayFor<D>): void {
    this.#values = values;
    this.#device!.release();
    this.#device = null;
  }

  #checkNotDisposed(): void {
    if (this.#disposed) {
      throw new Error('This tensor was disposed; its values are gone. Keep a reference to a copy (tensor.clone()) if you need them after dispose().');
    }
  }

  /** The values as nested JavaScript arrays of this tensor's shape. */
  arraySync(): number | NestedArray {
    return this.#nested(this.dataSync());
  }

  /** The values as nested arrays, read from the device without blocking where they are still there. */
  async array(): Promise<number | NestedArray> {
    return this.#nested(await this.data());
  }

  #nested(values: TypedArrayFor<D>): number | NestedArray {
    return this.shape.length === 0 ? values[0] : (nest(values, this.shape, 0, 0) as NestedArray);
  }

  /**
   * A {@link TensorBuffer} holding a copy of the values, with this tensor's shape and dtype, as tfjs'
   * `tensor.bufferSync()`: edit it with `set`, then make a new tensor with `toTensor()`. Writes never
   * reach this tensor, which stays immutable; on tfjs' CPU backend the buffer shares the tensor's
   * storage, so there they do. Reads the values as {@link dataSync} does.
   *
   * @example
   * ```ts
   * const b = km.tensor([[1, 2], [3, 4]]).bufferSync();
   * b.set(0, 1, 1);
   * b.toTensor().arraySync(); // [[1, 2], [3, 0]]
   * ```
   */
  bufferSync(): TensorBuffer<D> {
    return new TensorBuffer(this.shape, this.dtype, this.dataSync().slice());
  }

  /** As {@link bufferSync}, reading the values from the device without blocking where they are still there. */
  async buffer(): Promise<TensorBuffer<D>> {
    return new TensorBuffer(this.shape, this.dtype, (await this.data()).slice());
  }

  /**
   * A copy of a box of the tensor, as `tf.slice` takes it: `begin` and `size` per axis, or numbers
   * for the first axis alone. A size of -1, or none, runs to the end of its axis.
   *
   * @example
   * ```ts
   * x.slice(0, 10);                // the first 10 samples
   * x.slice([0, 5, 5], [-1, 8, 8]); // an 8×8 crop of every image
   * ```
   */
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor<D> {
    const box = sliceBox(this.shape, begin, size);
    const out = new Tensor(sliceValues(this.dataSync(), this.shape, box), box.size, this.dtype);
    if (taping()) record(out, [this], (dy) => [unsliceValues(dy, this.shape, box)]);
    return out;
  }

  /** The same values with another shape; one dimension may be -1 and is then inferred. */
  reshape(shape: readonly number[]): Tensor<D> {
    const resolved = resolveShape(shape, this.size);
    return passingCotangent(new Tensor(this.dataSync().slice() as TypedArrayFor<D>, resolved, this.dtype), this);
  }

  /** A copy of this tensor. */
  clone(): Tensor<D> {
    return passingCotangent(new Tensor(this.dataSync().slice() as TypedArrayFor<D>, this.shape, this.dtype), this);
  }

  /** Replaces the values in place (a variable's `assign`); a device copy still held is dropped. */
  protected replaceValues(values: TypedArrayFor<D>): void {
    this.#checkNotDisposed();
    this.#device?.release();
    this.#device = null;
    this.#values = values;
  }

  /** Releases the values (and their device copy, if still there). Further reads throw. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#values = null;
    this.#device?.release();
    this.#device = null;
  }

  /** The index of the largest value along `axis` (default 0), as tfjs' `t.argMax`; see km.argMax. @example `model.predict(xs).argMax(-1)` */
  argMax(axis?: number): Tensor<'int32'> {
    return ops().argMax(this, axis);
  }

  /** The index of the smallest value along `axis` (default 0); see km.argMin. */
  argMin(axis?: number): Tensor<'int32'> {
    return ops().argMin(this, axis);
  }

  /** The largest value over `axis` (all by default); see km.max. @example `probs.max(-1)` */
  max(axis?: ReduceAxis, keepDims?: boolean): Tensor<D> {
    return ops().max(this, axis, keepDims);
  }

  /** The smallest value over `axis` (all by default); see km.min. */
  min(axis?: ReduceAxis, keepDims?: boolean): Tensor<D> {
    return ops().min(this, axis, keepDims);
  }

  /** The sum over `axis` (all by default); int32 stays int32. See km.sum. */
  sum(axis?: ReduceAxis, keepDims?: boolean): Tensor<D> {
    return ops().sum(this, axis, keepDims);
  }

  /** The mean over `axis` (all by default), float32; see km.mean. @example `x.mean(0)` (per-feature means) */
  mean(axis?: ReduceAxis, keepDims?: boolean): Tensor<'float32'> {
    return ops().mean(this, axis, keepDims);
  }

  /** `this + b` with broadcasting; see km.add for the dtype rules. */
  add<B extends DType>(b: Tensor<B>): Tensor<UpcastDType<D, B>>;
  /** `this + b`; a number is a float32 scalar, as in tfjs. */
  add(b: Tensor | TensorLike): Tensor;
  add(b: Tensor | TensorLike): Tensor {
    return ops().add(this, b);
  }

  /** `this - b` with broadcasting; see km.sub. */
  sub<B extends DType>(b: Tensor<B>): Tensor<UpcastDType<D, B>>;
  /** `this - b`; a number is a float32 scalar, as in tfjs. */
  sub(b: Tensor | TensorLike): Tensor;
  sub(b: Tensor | TensorLike): Tensor {
    return ops().sub(this, b);
  }

  /** `this * b` with broadcasting; see km.mul. */
  mul<B extends DType>(b: Tensor<B>): Tensor<UpcastDType<D, B>>;
  /** `this * b`; a number is a float32 scalar, as in tfjs. */
  mul(b: Tensor | TensorLike): Tensor;
  mul(b: Tensor | TensorLike): Tensor {
    return ops().mul(this, b);
  }

  /** `this / b` with broadcasting; int32 by int32 floors, as in tfjs. See km.div. */
  div<B extends DType>(b: Tensor<B>): Tensor<UpcastDType<D, B>>;
  /** `this / b`; a number is a float32 scalar, as in tfjs. */
  div(b: Tensor | TensorLike): Tensor;
  div(b: Tensor | TensorLike): Tensor {
    return ops().div(this, b);
  }

  /** `this ** b` with broadcasting; int32 to an int32 power stays int32. See km.pow. */
  pow<B extends DType>(b: Tensor<B>): Tensor<UpcastDType<D, B>>;
  /** `this ** b`; a number is a float32 scalar, as in tfjs. */
  pow(b: Tensor | TensorLike): Tensor;
  pow(b: Tensor | TensorLike): Tensor {
    return ops().pow(this, b);
  }

  /** The larger of `this` and `b`, element-wise with broadcasting; see km.maximum. */
  maximum<B extends DType>(b: Tensor<B>): Tensor<UpcastDType<D, B>>;
  /** The larger of `this` and `b`; a number is a float32 scalar, as in tfjs. */
  maximum(b: Tensor | TensorLike): Tensor;
  maximum(b: Tensor | TensorLike): Tensor {
    return ops().maximum(this, b);
  }

  /** The smaller of `this` and `b`, element-wise with broadcasting; see km.minimum. */
  minimum<B extends DType>(b: Tensor<B>): Tensor<UpcastDType<D, B>>;
  /** The smaller of `this` and `b`; a number is a float32 scalar, as in tfjs. */
  minimum(b: Tensor | TensorLike): Tensor;
  minimum(b: Tensor | TensorLike): Tensor {
    return ops().minimum(this, b);
  }

  /** The matrix product `this · b`; see km.matMul. @example `x.matMul(kernel)` */
  matMul(b: Tensor | TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor<'float32'> {
    return ops().matMul(this, b, transposeA, transposeB);
  }

  /** `-this`; see km.neg. */
  neg(): Tensor<D> {
    return ops().neg(this);
  }

  /** `|this|`; see km.abs. */
  abs(): Tensor<D> {
    return ops().abs(this);
  }

  /** `this * this`; see km.square. @example `yTrue.sub(yPred).square().mean()` */
  square(): Tensor<D> {
    return ops().square(this);
  }

  /** The square root (float32 only); see km.sqrt. */
  sqrt(): Tensor<'float32'> {
    return ops().sqrt(this);
  }

  /** `e ** this`, float32; see km.exp. */
  exp(): Tensor<'float32'> {
    return ops().exp(this);
  }

  /** The natural logarithm (float32 only); see km.log. */
  log(): Tensor<'float32'> {
    return ops().log(this);
  }

  /** `log(1 + this)` (float32 only); see km.log1p. */
  log1p(): Tensor<'float32'> {
    return ops().log1p(this);
  }

  /** The logistic sigmoid (float32 only); see km.sigmoid. */
  sigmoid(): Tensor<'float32'> {
    return ops().sigmoid(this);
  }

  /** The hyperbolic tangent (float32 only); see km.tanh. */
  tanh(): Tensor<'float32'> {
    return ops().tanh(this);
  }

  /** `max(this, 0)`; see km.relu. */
  relu(): Tensor<D> {
    return ops().relu(this);
  }

  /** `log(1 + e ** this)` (float32 only); see km.softplus. */
  softplus(): Tensor<'float32'> {
    return ops().softplus(this);
  }

  /** The values limited to [clipValueMin, clipValueMax]; see km.clipByValue. */
  clipByValue(clipValueMin: number, clipValueMax: number): Tensor<D> {
    return ops().clipByValue(this, clipValueMin, clipValueMax);
  }

  /** Without axes of size 1 (or only those in `axis`); see km.squeeze. */
  squeeze(axis?: number | readonly number[]): Tensor<D> {
    return ops().squeeze(this, axis);
  }

  /** With a new axis of size 1 at `axis` (default 0); see km.expandDims. */
  expandDims(axis?: number): Tensor<D> {
    return ops().expandDims(this, axis);
  }

  /** The axes reordered by `perm` (default: reversed); see km.transpose. */
  transpose(perm?: readonly number[]): Tensor<D> {
    return ops().transpose(this, perm);
  }

  /** The values as `dtype`; see km.cast. @example `labels.cast('float32')` */
  cast<T extends DType>(dtype: T): Tensor<T> {
    return ops().cast(this, dtype);
  }

  /** This tensor and `x` joined along `axis` (default 0), as tfjs' `t.concat`; see km.concat. */
  concat(x: Tensor<D> | readonly (Tensor<D> | TensorLike)[], axis?: number): Tensor<D> {
    return ops().concat([this, ...(x instanceof Tensor ? [x] : x)], axis);
  }

  /** This tensor and `x` stacked along a new axis (default 0), as tfjs' `t.stack`; see km.stack. */
  stack(x: Tensor<D> | readonly (Tensor<D> | TensorLike)[], axis?: number): Tensor<D> {
    return ops().stack([this, ...(x instanceof Tensor ? [x] : x)], axis);
  }

  /** The `k` (default 1) largest entries along the last axis and their indices; see km.topk. */
  topk(k?: number, sorted?: boolean): TopK<D> {
    return ops().topk(this, k, sorted);
  }

  /** -1, 0 or 1 by the sign of each value; see km.sign. */
  sign(): Tensor<D> {
    return ops().sign(this);
  }

  /** Each value rounded down (float32 only); see km.floor. */
  floor(): Tensor<'float32'> {
    return ops().floor(this);
  }

  /** Each value rounded up (float32 only); see km.ceil. */
  ceil(): Tensor<'float32'> {
    return ops().ceil(this);
  }

  /** Each value rounded to the nearest whole number, halves to even; see km.round. */
  round(): Tensor<D> {
    return ops().round(this);
  }

  /** The sine (float32 only); see km.sin. */
  sin(): Tensor<'float32'> {
    return ops().sin(this);
  }

  /** The cosine (float32 only); see km.cos. */
  cos(): Tensor<'float32'> {
    return ops().cos(this);
  }

  /** The exponential linear unit (float32 only); see km.elu. */
  elu(): Tensor<'float32'> {
    return ops().elu(this);
  }

  /** `this` where >= 0, `alpha · this` below (alpha 0.2 by default); see km.leakyRelu. */
  leakyRelu(alpha?: number): Tensor<'float32'> {
    return ops().leakyRelu(this, alpha);
  }

  /** `(this - b)²` with broadcasting; see km.squaredDifference. */
  squaredDifference(b: Tensor | TensorLike): Tensor {
    return ops().squaredDifference(this, b);
  }

  /** The product over `axis` (all by default); see km.prod. */
  prod(axis?: ReduceAxis, keepDims?: boolean): Tensor<D> {
    return ops().prod(this, axis, keepDims);
  }

  /** The running sum along `axis` (default 0); see km.cumsum. */
  cumsum(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor<D> {
    return ops().cumsum(this, axis, exclusive, reverse);
  }

  /** The norm over `axis` (all values by default); see km.norm. @example `x.norm('euclidean', -1)` */
  norm(ord?: NormOrder, axis?: number | readonly number[] | null, keepDims?: boolean): Tensor<'float32'> {
    return ops().norm(this, ord, axis, keepDims);
  }

  /** The slices along `axis` (default 0) at int32 `indices`; see km.gather. */
  gather(indices: Tensor | TensorLike, axis?: number, batchDims?: number): Tensor<D> {
    return ops().gather(this, indices, axis, batchDims);
  }

  /** The distinct slices along `axis` (default 0) and where each slice's value is among them; see km.unique. */
  unique(axis?: number): Unique<D> {
    return ops().unique(this, axis);
  }

  /** The sums of the slices in each of `numSegments` segments (float32); see km.unsortedSegmentSum. */
  unsortedSegmentSum(segmentIds: Tensor | TensorLike, numSegments: number): Tensor<'float32'> {
    return ops().unsortedSegmentSum(this, segmentIds, numSegments);
  }

  /** Repeated `reps[i]` times along each axis i; see km.tile. */
  tile(reps: readonly number[]): Tensor<D> {
    return ops().tile(this, reps);
  }

  /** Padded by `[before, after]` values of `constantValue` (default 0) per axis; see km.pad. */
  pad(paddings: readonly (readonly [number, number])[], constantValue?: number): Tensor<D> {
    return ops().pad(this, paddings, constantValue);
  }

  /** Reversed along `axis` (all axes by default); see km.reverse. */
  reverse(axis?: number | readonly number[]): Tensor<D> {
    return ops().reverse(this, axis);
  }

  /** The slices along `axis` (default 0), that axis removed; see km.unstack. */
  unstack(axis?: number): Tensor<D>[] {
    return ops().unstack(this, axis);
  }

  /** 1 where `this == b`, else 0 (int32; tfjs gives bool), with broadcasting; see km.equal. */
  equal(b: Tensor | TensorLike): Tensor<'int32'> {
    return ops().equal(this, b);
  }

  /** 1 where `this != b`, else 0 (int32; tfjs gives bool), with broadcasting; see km.notEqual. */
  notEqual(b: Tensor | TensorLike): Tensor<'int32'> {
    return ops().notEqual(this, b);
  }

  /** 1 where `this > b`, else 0 (int32; tfjs gives bool), with broadcasting; see km.greater. */
  greater(b: Tensor | TensorLike): Tensor<'int32'> {
    return ops().greater(this, b);
  }

  /** 1 where `this >= b`, else 0 (int32; tfjs gives bool), with broadcasting; see km.greaterEqual. */
  greaterEqual(b: Tensor | TensorLike): Tensor<'int32'> {
    return ops().greaterEqual(this, b);
  }

  /** 1 where `this < b`, else 0 (int32; tfjs gives bool), with broadcasting; see km.less. */
  less(b: Tensor | TensorLike): Tensor<'int32'> {
    return ops().less(this, b);
  }

  /** 1 where `this <= b`, else 0 (int32; tfjs gives bool), with broadcasting; see km.lessEqual. */
  lessEqual(b: Tensor | TensorLike): Tensor<'int32'> {
    return ops().lessEqual(this, b);
  }

  /** Broadcast to `shape`, NumPy's way; see km.broadcastTo. */
  broadcastTo(shape: readonly number[]): Tensor<D> {
    return ops().broadcastTo(this, shape);
  }

  /** The strided slice `this[begin:end:strides, ...]` with TensorFlow's masks; see km.stridedSlice. */
  stridedSlice(begin: readonly number[], end: readonly number[], strides?: readonly number[], beginMask?: number, endMask?: number, ellipsisMask?: number, newAxisMask?: number, shrinkAxisMask?: number): Tensor<D> {
    return ops().stridedSlice(this, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
  }

  /** Padded with its own reflection ('reflect' or 'symmetric'); see km.mirrorPad. */
  mirrorPad(paddings: readonly (readonly [number, number])[], mode: 'reflect' | 'symmetric'): Tensor<D> {
    return ops().mirrorPad(this, paddings, mode);
  }

  /** Blocks of the spatial axes moved into the batch axis; see km.spaceToBatchND. */
  spaceToBatchND(blockShape: readonly number[], paddings: readonly (readonly [number, number])[]): Tensor<D> {
    return ops().spaceToBatchND(this, blockShape, paddings);
  }

  /** The batch split into blocks laid out over the spatial axes; see km.batchToSpaceND. */
  batchToSpaceND(blockShape: readonly number[], crops: readonly (readonly [number, number])[]): Tensor<D> {
    return ops().batchToSpaceND(this, blockShape, crops);
  }

  /** Channels rearranged into blocks of space; see km.depthToSpace. */
  depthToSpace(blockSize: number, dataFormat?: 'NHWC' | 'NCHW'): Tensor<D> {
    return ops().depthToSpace(this, blockSize, dataFormat);
  }

  /** The dot product with a vector or matrix `b` (float32); see km.dot. */
  dot(b: Tensor | TensorLike): Tensor<'float32'> {
    return ops().dot(this, b);
  }

  /** The tangent; see km.tan. */
  tan(): Tensor<'float32'> {
    return ops().tan(this);
  }

  /** The arcsine; see km.asin. */
  asin(): Tensor<'float32'> {
    return ops().asin(this);
  }

  /** The arccosine; see km.acos. */
  acos(): Tensor<'float32'> {
    return ops().acos(this);
  }

  /** The arctangent; see km.atan. */
  atan(): Tensor<'float32'> {
    return ops().atan(this);
  }

  /** The hyperbolic sine; see km.sinh. */
  sinh(): Tensor<'float32'> {
    return ops().sinh(this);
  }

  /** The hyperbolic cosine; see km.cosh. */
  cosh(): Tensor<'float32'> {
    return ops().cosh(this);
  }

  /** The inverse hyperbolic sine; see km.asinh. */
  asinh(): Tensor<'float32'> {
    return ops().asinh(this);
  }

  /** The inverse hyperbolic cosine; see km.acosh. */
  acosh(): Tensor<'float32'> {
    return ops().acosh(this);
  }

  /** The inverse hyperbolic tangent; see km.atanh. */
  atanh(): Tensor<'float32'> {
    return ops().atanh(this);
  }

  /** The angle of (b, this), with broadcasting; see km.atan2. */
  atan2(b: Tensor | TensorLike): Tensor<'float32'> {
    return ops().atan2(this, b);
  }

  /** The Gauss error function; see km.erf. */
  erf(): Tensor<'float32'> {
    return ops().erf(this);
  }

  /** `e ** x - 1`; see km.expm1. */
  expm1(): Tensor<'float32'> {
    return ops().expm1(this);
  }

  /** `log(sigmoid(x))`; see km.logSigmoid. */
  logSigmoid(): Tensor<'float32'> {
    return ops().logSigmoid(this);
  }

  /** 1 where positive, `alpha` (default 0) elsewhere; see km.step. */
  step(alpha?: number): Tensor<D> {
    return ops().step(this, alpha);
  }

  /** The running product along `axis` (default 0); see km.cumprod. */
  cumprod(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor<D> {
    return ops().cumprod(this, axis, exclusive, reverse);
  }

  /** 1 where every value over `axis` (all by default) is non-zero, else 0 (int32); see km.all. */
  all(axis?: ReduceAxis, keepDims?: boolean): Tensor<'int32'> {
    return ops().all(this, axis, keepDims);
  }

  /** 1 where some value over `axis` (all by default) is non-zero, else 0 (int32); see km.any. */
  any(axis?: ReduceAxis, keepDims?: boolean): Tensor<'int32'> {
    return ops().any(this, axis, keepDims);
  }

  /** `this / b`, 0 where b is 0, with broadcasting; see km.divNoNan. */
  divNoNan(b: Tensor | TensorLike): Tensor {
    return ops().divNoNan(this, b);
  }

  /** `this` where >= 0, `alpha · this` below, alpha broadcast; see km.prelu. */
  prelu(alpha: Tensor | TensorLike): Tensor<'float32'> {
    return ops().prelu(this, alpha);
  }

  /** The Euclidean norm over `axis` (all values by default); see km.euclideanNorm. */
  euclideanNorm(axis?: number | readonly number[] | null, keepDims?: boolean): Tensor<'float32'> {
    return ops().euclideanNorm(this, axis, keepDims);
  }

  /** `offset + scale · (this - mean) / √(variance + varianceEpsilon)`; see km.batchNorm. */
  batchNorm(mean: Tensor | TensorLike, variance: Tensor | TensorLike, offset?: Tensor | TensorLike | null, scale?: Tensor | TensorLike | null, varianceEpsilon?: number): Tensor<'float32'> {
    return ops().batchNorm(this, mean, variance, offset, scale, varianceEpsilon);
  }

  /** Local response normalization across channels; see km.localResponseNormalization. */
  localResponseNormalization(depthRadius?: number, bias?: number, alpha?: number, beta?: number): Tensor<'float32'> {
    return ops().localResponseNormalization(this, depthRadius, bias, alpha, beta);
  }

  /** The 1-D convolution of this [batch, width, inDepth] by filter; see km.conv1d. */
  conv1d(filter: Tensor | TensorLike, stride: number, pad: ConvPad, dataFormat?: 'NWC' | 'NCW', dilation?: number, dimRoundingMode?: DimRoundingMode): Tensor<'float32'> {
    return ops().conv1d(this, filter, stride, pad, dataFormat, dilation, dimRoundingMode);
  }

  /** The 2-D convolution of this [batch, height, width, inDepth] by filter; see km.conv2d. */
  conv2d(filter: Tensor | TensorLike, strides: SpatialPair, pad: ConvPad, dataFormat?: 'NHWC' | 'NCHW', dilations?: SpatialPair, dimRoundingMode?: DimRoundingMode): Tensor<'float32'> {
    return ops().conv2d(this, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
  }

  /** The transposed 2-D convolution of this by filter into outputShape; see km.conv2dTranspose. */
  conv2dTranspose(filter: Tensor | TensorLike, outputShape: readonly number[], strides: SpatialPair, pad: ConvPad, dimRoundingMode?: DimRoundingMode): Tensor<'float32'> {
    return ops().conv2dTranspose(this, filter, outputShape, strides, pad, dimRoundingMode);
  }

  /** The depthwise 2-D convolution of this by filter; see km.depthwiseConv2d. */
  depthwiseConv2d(filter: Tensor | TensorLike, strides: SpatialPair, pad: ConvPad, dataFormat?: 'NHWC' | 'NCHW', dilations?: SpatialPair, dimRoundingMode?: DimRoundingMode): Tensor<'float32'> {
    return ops().depthwiseConv2d(this, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
  }

  /** A depthwise then a 1×1 convolution of this; see km.separableConv2d. */
  separableConv2d(depthwiseFilter: Tensor | TensorLike, pointwiseFilter: Tensor | TensorLike, strides: SpatialPair, pad: 'valid' | 'same', dilation?: SpatialPair, dataFormat?: 'NHWC' | 'NCHW'): Tensor<'float32'> {
    return ops().separableConv2d(this, depthwiseFilter, pointwiseFilter, strides, pad, dilation, dataFormat);
  }

  /** The maximum of each window of this [batch, height, width, channels]; see km.maxPool. */
  maxPool(filterSize: SpatialPair, strides: SpatialPair, pad: ConvPad, dimRoundingMode?: DimRoundingMode): Tensor<D> {
    return ops().maxPool(this, filterSize, strides, pad, dimRoundingMode);
  }

  /** The mean of each window of this [batch, height, width, channels]; see km.avgPool. */
  avgPool(filterSize: SpatialPair, strides: SpatialPair, pad: ConvPad, dimRoundingMode?: DimRoundingMode): Tensor<'float32'> {
    return ops().avgPool(this, filterSize, strides, pad, dimRoundingMode);
  }

  /** The grayscale dilation of this [batch, height, width, depth] by filter [filterHeight, filterWidth, depth]; see km.dilation2d. */
  dilation2d(filter: Tensor<D> | TensorLike, strides: SpatialPair, pad: 'valid' | 'same', dilations?: SpatialPair, dataFormat?: 'NHWC'): Tensor<D> {
    return ops().dilation2d(this, filter, strides, pad, dilations, dataFormat);
  }

  /** A max or average pool of this with dilated windows; see km.pool. */
  pool(windowShape: SpatialPair, poolingType: 'avg' | 'max', pad: ConvPad, dilations?: SpatialPair, strides?: SpatialPair, dimRoundingMode?: DimRoundingMode): Tensor<D> {
    return ops().pool(this, windowShape, poolingType, pad, dilations, strides, dimRoundingMode);
  }

  /**
   * The values laid out as TensorFlow.js prints them (long axes elided); `verbose` adds the dtype,
   * rank and shape. Reads the values as `dataSync()` does.
   *
   * @example
   * ```ts
   * km.tensor([[1, 2], [3, 4]]).toString(); // 'Tensor\n    [[1, 2],\n     [3, 4]]'
   * ```
   */
  toString(verbose = false): string {
    if (this.#disposed) return `Tensor (disposed; shape [${this.shape.join(', ')}], ${this.dtype})`;
    return formatTensor(this.dataSync(), this.shape, this.dtype, verbose);
  }

  /** Logs {@link toString} to the console, as TensorFlow.js' `tensor.print()` does. */
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }
}

let installedOps: TensorOps | null = null;

/** Gives km.Tensor's op methods their implementations (ops/index.ts, which index.ts imports). @internal */
export function installTensorOps(ops: TensorOps): void {
  installedOps = ops;
}

function ops(): TensorOps {
  if (!installedOps) throw new Error("km.Tensor's op methods (argMax, add, ...) come with the op library: import '@kerasm/sdk', or './ops/index.js' inside the SDK.");
  return installedOps;
}

/** A TensorFlow.js tensor (anything tensor-shaped but a km.Tensor), told by its shape so that no tfjs module is loaded. */
export function isTfjsTensor(value: unknown): value is { shape: number[] } {
  if (typeof value !== 'object' || value === null || value instanceof Tensor) return false;
  const t = value as Record<string, unknown>;
  return typeof t.dataSync === 'function' && typeof t.arraySync === 'function' && Array.isArray(t.shape);
}

/**
 * Makes a tensor from a number, nested arrays or a typed array. As in tfjs, the innermost rows of
 * nested arrays may be typed arrays, mixed with arrays of numbers; rows of one level must all have
 * the same length.
 *
 * @param values The values; nested arrays give the shape when `shape` is omitted.
 * @param shape The shape; required for flat typed arrays of rank > 1.
 * @param dtype `'float32'` (default for numbers and Float32Array) or `'int32'` (default for an
 *   Int32Array, or for nested arrays whose rows are all Int32Arrays).
 * @example
 * ```ts
 * const x = km.tensor(new Float32Array(6), [2, 3]);
 * const labels = km.tensor([3, 1, 4], undefined, 'int32');
 * const rows = km.tensor([new Float32Array([1, 2]), new Float32Array([3, 4])]); // shape [2, 2]
 * ```
 */
export function tensor<D extends DType>(values: TensorLike, shape: readonly number[] | undefined, dtype: D): Tensor<D>;
/** Makes a float32 tensor from numbers, nested arrays of them or a Float32Array (see the first overload). */
export function tensor(values: Float32Values, shape?: readonly number[], dtype?: undefined): Tensor<'float32'>;
/** Makes an int32 tensor from an Int32Array, or nested arrays of Int32Array rows (see the first overload). */
export function tensor(values: Int32Values, shape?: readonly number[], dtype?: undefined): Tensor<'int32'>;
/** Makes a tensor from any values, with the dtype given or the values' default (see the first overload). */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor;
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  if (typeof shape === 'string') throw new Error(`km.tensor() takes the shape second and the dtype third, as tfjs does: km.tensor(values, undefined, '${shape}').`);
  const inferredShape: number[] = [];
  let flat: ArrayLike<number>;
  let int32Rows = false;
  if (typeof values === 'number') {
    flat = [values];
  } else if (ArrayBuffer.isView(values)) {
    flat = values;
    inferredShape.push(values.length);
  } else if (Array.isArray(values)) {
    ({ flat, int32Rows } = flattenNested(values, inferredShape));
  } else if (isTfjsTensor(values)) {
    throw new Error(`km.tensor() takes values, not a TensorFlow.js tensor: km.tensor(t.arraySync()), or km.tensor(await t.data(), t.shape).`);
  } else {
    throw new Error(`km.tensor() expects a number, nested arrays of numbers or a typed array; received ${describe(values)}.`);
  }
  const finalDtype = checkDtype('km.tensor()', dtype ?? (values instanceof Int32Array || int32Rows ? 'int32' : 'float32'));
  const finalShape = shape ? resolveShape(shape, flat.length) : inferredShape;
  if (finalDtype === 'int32') {
    for (let i = 0; i < flat.length; i++) {
      if (!Number.isInteger(flat[i]) || flat[i] < -2147483648 || flat[i] > 2147483647) {
        throw new Error(`int32 tensors hold 32-bit integers, but value ${flat[i]} at index ${i} is not one. Round the values, or use dtype 'float32'.`);
      }
    }
    return new Tensor(Int32Array.from(flat), finalShape, 'int32');
  }
  return new Tensor(Float32Array.from(flat), finalShape, 'float32');
}

/** Whether two shapes have the same axes of the same sizes. */
export function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Product of the dimensions (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`Shape dimensions must be non-negative integers; received [${shape.join(', ')}].`);
    }
    size *= d;
  }
  return size;
}

function resolveShape(shape: readonly number[], size: number): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`Only one dimension may be -1; received [${shape.join(', ')}].`);
  if (unknown === 1) {
    const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || size % known !== 0) {
      throw new Error(`Cannot reshape ${size} values to [${shape.join(', ')}].`);
    }
    return shape.map((d) => (d === -1 ? size / known : d));
  }
  if (shapeSize(shape) !== size) {
    throw new Error(`Shape [${shape.join(', ')}] holds ${shapeSize(shape)} values, but ${size} were given.`);
  }
  return [...shape];
}

/** A typed array standing for a row of numbers (a DataView is no row). */
function isTypedRow(v: unknown): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/**
 * The values of nested arrays in row-major order, their shape pushed onto `shape`, and whether
 * their rows are all Int32Arrays (which makes the dtype int32, as a flat Int32Array does).
 */
function flattenNested(values: NestedValues, shape: number[]): { flat: number[]; int32Rows: boolean } {
  const out: number[] = [];
  let leafDepth = -1;
  let typedRows = 0;
  let onlyInt32Rows = true;
  const leavesAt = (depth: number, what: string): void => {
    if (leafDepth === -1) leafDepth = depth;
    else if (depth !== leafDepth) throw new Error(`Nested arrays are ragged: ${what} appears where an array was expected. All rows must have the same depth.`);
  };
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'number') {
      leavesAt(depth, 'a number');
      onlyInt32Rows = false;
      out.push(v);
      return;
    }
    const typed = isTypedRow(v);
    if (!typed && !Array.isArray(v)) throw new Error(`Tensor values must be numbers, arrays of them or typed arrays; received ${describe(v)}.`);
    if (depth === leafDepth) throw new Error(`Nested arrays are ragged: ${typed ? `a ${v.constructor.name}` : 'an array'} appears where a number was expected. All rows must have the same depth.`);
    const row = v as ArrayLike<unknown>;
    if (shape.length === depth) shape.push(row.length);
    else if (shape[depth] !== row.length) {
      throw new Error(`Nested arrays are ragged: expected length ${shape[depth]} at depth ${depth}, found ${row.length}. All rows must have the same length.`);
    }
    if (typed) {
      leavesAt(depth + 1, `a ${v.constructor.name} row`);
      typedRows++;
      onlyInt32Rows &&= v instanceof Int32Array;
      for (let i = 0; i < row.length; i++) out.push(row[i] as number);
    } else {
      for (let i = 0; i < row.length; i++) walk(row[i], depth + 1);
    }
  };
  walk(values, 0);
  return { flat: out, int32Rows: typedRows > 0 && onlyInt32Rows };
}

function nest(values: ArrayLike<number>, shape: readonly number[], axis: number, offset: number): number | NestedArray {
  if (axis === shape.length) return values[offset];
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out: NestedArray = [];
  for (let i = 0; i < shape[axis]; i++) out.push(nest(values, shape, axis + 1, offset + i * stride));
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? (v as object).constructor?.name ?? 'an object' : `${typeof v} ${String(v)}`;
}
