// tfjs' rank-checked tensor factories, which tfjs code calls for its data: km.tensor with the rank asserted.
import { tensor, type DType, type Float32Values, type Int32Values, type Tensor, type TensorLike } from './tensor.js';

/** A rank-1 tensor, as `km.tensor1d` types it: one axis, and `arraySync()` gives a list of numbers. */
export interface Tensor1D<D extends DType = DType> extends Tensor<D> {
  readonly shape: readonly [number];
  arraySync(): number[];
  array(): Promise<number[]>;
}
/** A rank-2 tensor, as `km.tensor2d` types it: `const [rows, cols] = t.shape`, and `arraySync()` gives rows. */
export interface Tensor2D<D extends DType = DType> extends Tensor<D> {
  readonly shape: readonly [number, number];
  arraySync(): number[][];
  array(): Promise<number[][]>;
}
/** A rank-3 tensor, as `km.tensor3d` types it. */
export interface Tensor3D<D extends DType = DType> extends Tensor<D> {
  readonly shape: readonly [number, number, number];
  arraySync(): number[][][];
  array(): Promise<number[][][]>;
}
/** A rank-4 tensor, as `km.tensor4d` types it. */
export interface Tensor4D<D extends DType = DType> extends Tensor<D> {
  readonly shape: readonly [number, number, number, number];
  arraySync(): number[][][][];
  array(): Promise<number[][][][]>;
}
/** A rank-5 tensor, as `km.tensor5d` types it. */
export interface Tensor5D<D extends DType = DType> extends Tensor<D> {
  readonly shape: readonly [number, number, number, number, number];
  arraySync(): number[][][][][];
  array(): Promise<number[][][][][]>;
}
/** A rank-6 tensor, as `km.tensor6d` types it. */
export interface Tensor6D<D extends DType = DType> extends Tensor<D> {
  readonly shape: readonly [number, number, number, number, number, number];
  arraySync(): number[][][][][][];
  array(): Promise<number[][][][][][]>;
}

type Rank = 2 | 3 | 4 | 5 | 6;
type Ranked<R extends Rank, D extends DType> = R extends 2 ? Tensor2D<D> : R extends 3 ? Tensor3D<D> : R extends 4 ? Tensor4D<D> : R extends 5 ? Tensor5D<D> : Tensor6D<D>;

/**
 * `km.tensor2d` to `tensor6d`: the dtype given, else the values' default as
 * `km.tensor` picks it (int32 for an Int32Array, float32 for numbers).
 */
export interface RankedTensorFactory<R extends Rank> {
  <D extends DType>(values: TensorLike, shape: readonly number[] | undefined, dtype: D): Ranked<R, D>;
  (values: Float32Values, shape?: readonly number[], dtype?: undefined): Ranked<R, 'float32'>;
  (values: Int32Values, shape?: readonly number[], dtype?: undefined): Ranked<R, 'int32'>;
  (values: TensorLike, shape?: readonly number[], dtype?: DType): Ranked<R, DType>;
}

const AXES = ['', '', '[rows, cols]', '[d0, d1, d2]', '[d0, d1, d2, d3]', '[d0, d1, d2, d3, d4]', '[d0, d1, d2, d3, d4, d5]'];

function wrongRank(name: string, rank: number, made: Tensor): string {
  return `${name} makes a tensor of rank ${rank}, but the values have shape [${made.shape.join(', ')}] (rank ${made.rank}). Use km.tensor(values) for any rank.`;
}

function ranked<R extends Rank>(rank: R): RankedTensorFactory<R> {
  const name = `km.tensor${rank}d()`;
  const make = (values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor => {
    if (typeof shape === 'string') throw new Error(`${name} takes the shape second and the dtype third, as tfjs does: ${name.slice(0, -1)}values, undefined, '${shape}').`);
    if (shape !== undefined && shape.length !== rank) throw new Error(`${name} takes a shape of ${rank} number${rank > 1 ? 's' : ''}, ${AXES[rank]}; received [${shape.join(', ')}]. km.tensor(values, shape) takes any rank.`);
    const made = tensor(values, shape, dtype);
    if (made.rank === rank) return made;
    const flat = shape === undefined && (ArrayBuffer.isView(values) || (Array.isArray(values) && values.every((v) => typeof v === 'number')));
    throw new Error(flat ? `${name} needs the shape of flat values: ${name.slice(0, -1)}values, ${AXES[rank]}).` : wrongRank(name, rank, made));
  };
  return make as RankedTensorFactory<R>;
}

/**
 * A rank-1 tensor, as tfjs' `tf.tensor1d`: the dtype comes second, since the shape is the values' length.
 * @example `km.tensor1d([0, 2, 1], 'int32')`
 */
export function tensor1d<D extends DType>(values: TensorLike, dtype: D): Tensor1D<D>;
/** A rank-1 float32 tensor from numbers or a Float32Array (see the first overload). */
export function tensor1d(values: Float32Values, dtype?: undefined): Tensor1D<'float32'>;
/** A rank-1 int32 tensor from an Int32Array (see the first overload). */
export function tensor1d(values: Int32Values, dtype?: undefined): Tensor1D<'int32'>;
/** A rank-1 tensor of the dtype given, or the values' default (see the first overload). */
export function tensor1d(values: TensorLike, dtype?: DType): Tensor1D;
export function tensor1d(values: TensorLike, dtype?: DType): Tensor1D {
  if (Array.isArray(dtype)) throw new Error(`km.tensor1d() takes the dtype second, as tfjs does, not a shape: the shape is the values' length. km.tensor1d(values, 'int32'), or km.tensor(values, shape) for any rank.`);
  const made = tensor(values, undefined, dtype);
  if (made.rank !== 1) throw new Error(wrongRank('km.tensor1d()', 1, made));
  return made as Tensor1D;
}
/** A rank-2 tensor, as tfjs' `tf.tensor2d`; flat values need the shape. @example `km.tensor2d(pixels, [n, 784])` */
export const tensor2d = ranked(2);
/** A rank-3 tensor, as tfjs' `tf.tensor3d`; flat values need the shape. @example `km.tensor3d(images, [n, 28, 28])` */
export const tensor3d = ranked(3);
/** A rank-4 tensor, as tfjs' `tf.tensor4d`; flat values need the shape. @example `km.tensor4d(images, [n, 28, 28, 1])` */
export const tensor4d = ranked(4);
/** A rank-5 tensor, as tfjs' `tf.tensor5d`; flat values need the shape. @example `km.tensor5d(clips, [n, frames, 64, 64, 3])` */
export const tensor5d = ranked(5);
/** A rank-6 tensor, as tfjs' `tf.tensor6d`; flat values need the shape. @example `km.tensor6d(values, [2, 2, 2, 2, 2, 2])` */
export const tensor6d = ranked(6);
