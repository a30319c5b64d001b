// tfjs' rank-fixed names for slice, concat, reverse and pad (slice2d, concat3d, ...): the op of any
// rank, after a check that the tensors have the rank the name promises.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import type { Tensor1D, Tensor2D, Tensor3D, Tensor4D } from '../tensor_ranked.js';
import { concat } from './join.js';
import { operand } from './operand.js';
import { reverse } from './reverse.js';
import { pad } from './tile_pad.js';

type Pair = readonly [number, number];

/** `x` as a km.Tensor of rank `rank`, or an error telling `fn`'s any-rank twin. */
function ofRank<D extends DType>(fn: string, anyRank: string, x: Tensor<D> | TensorLike, rank: number, name = 'x'): Tensor<D> {
  const t = operand<D>(fn, name, x);
  if (t.rank !== rank) throw new Error(`${fn} takes a tensor of rank ${rank}, but ${name} has rank ${t.rank}. Use ${anyRank} for any rank, or reshape ${name}. Received: ${name}.shape=[${t.shape.join(', ')}].`);
  return t;
}

function concatOfRank<D extends DType>(rank: number, tensors: readonly (Tensor<D> | TensorLike)[], axis: number): Tensor<D> {
  const fn = `km.concat${rank}d()`;
  if (!Array.isArray(tensors)) throw new Error(`${fn}: pass an array of tensors, e.g. ${fn.slice(0, -1)}[a, b]). Received: ${typeof tensors}.`);
  return concat(tensors.map((t, i) => ofRank(fn, 'km.concat()', t, rank, `tensors[${i}]`)), axis);
}

/** `size` entries of a vector from `begin`, as `tf.slice1d`; see km.slice. @example `km.slice1d(v, 2, 3)` */
export function slice1d<D extends DType>(x: Tensor<D> | TensorLike, begin: number, size: number): Tensor1D<D> {
  return ofRank('km.slice1d()', 'km.slice()', x, 1).slice([begin], [size]) as Tensor1D<D>;
}
/** The box of `size` (-1: to the end) from `begin` of a matrix, as `tf.slice2d`; see km.slice. @example `km.slice2d(m, [0, 1], [2, -1])` */
export function slice2d<D extends DType>(x: Tensor<D> | TensorLike, begin: readonly [number, number], size: readonly [number, number]): Tensor2D<D> {
  return ofRank('km.slice2d()', 'km.slice()', x, 2).slice(begin, size) as Tensor2D<D>;
}
/** The box of `size` from `begin` of a rank-3 tensor, as `tf.slice3d`; see km.slice. */
export function slice3d<D extends DType>(x: Tensor<D> | TensorLike, begin: readonly [number, number, number], size: readonly [number, number, number]): Tensor3D<D> {
  return ofRank('km.slice3d()', 'km.slice()', x, 3).slice(begin, size) as Tensor3D<D>;
}
/** The box of `size` from `begin` of a rank-4 tensor, as `tf.slice4d`; see km.slice. @example `km.slice4d(images, [0, 2, 2, 0], [-1, 24, 24, -1])` */
export function slice4d<D extends DType>(x: Tensor<D> | TensorLike, begin: readonly [number, number, number, number], size: readonly [number, number, number, number]): Tensor4D<D> {
  return ofRank('km.slice4d()', 'km.slice()', x, 4).slice(begin, size) as Tensor4D<D>;
}

/** Vectors joined end to end, as `tf.concat1d`; see km.concat. @example `km.concat1d([a, b])` */
export function concat1d<D extends DType>(tensors: readonly (Tensor<D> | TensorLike)[]): Tensor1D<D> {
  return concatOfRank(1, tensors, 0) as Tensor1D<D>;
}
/** Matrices joined along `axis` (default 0), as `tf.concat2d`, which unlike kerasm does not check the rank; see km.concat. */
export function concat2d<D extends DType>(tensors: readonly (Tensor<D> | TensorLike)[], axis = 0): Tensor2D<D> {
  return concatOfRank(2, tensors, axis) as Tensor2D<D>;
}
/** Rank-3 tensors joined along `axis` (default 0), as `tf.concat3d`; see km.concat2d. */
export function concat3d<D extends DType>(tensors: readonly (Tensor<D> | TensorLike)[], axis = 0): Tensor3D<D> {
  return concatOfRank(3, tensors, axis) as Tensor3D<D>;
}
/** Rank-4 tensors joined along `axis` (default 0), as `tf.concat4d`; see km.concat2d. @example `km.concat4d([imagesA, imagesB], 3)` (channels stacked) */
export function concat4d<D extends DType>(tensors: readonly (Tensor<D> | TensorLike)[], axis = 0): Tensor4D<D> {
  return concatOfRank(4, tensors, axis) as Tensor4D<D>;
}

/** A vector in reverse order, as `tf.reverse1d`; see km.reverse. */
export function reverse1d<D extends DType>(x: Tensor<D> | TensorLike): Tensor1D<D> {
  return reverse(ofRank('km.reverse1d()', 'km.reverse()', x, 1), 0) as Tensor1D<D>;
}
/** A matrix reversed along `axis` (both by default), as `tf.reverse2d`; see km.reverse. */
export function reverse2d<D extends DType>(x: Tensor<D> | TensorLike, axis?: number | readonly number[]): Tensor2D<D> {
  return reverse(ofRank('km.reverse2d()', 'km.reverse()', x, 2), axis) as Tensor2D<D>;
}
/** A rank-3 tensor reversed along `axis` (all by default), as `tf.reverse3d`; see km.reverse. */
export function reverse3d<D extends DType>(x: Tensor<D> | TensorLike, axis?: number | readonly number[]): Tensor3D<D> {
  return reverse(ofRank('km.reverse3d()', 'km.reverse()', x, 3), axis) as Tensor3D<D>;
}
/** A rank-4 tensor reversed along `axis` (all by default), as `tf.reverse4d`; see km.reverse. @example `km.reverse4d(images, 2)` (mirrored, NHWC) */
export function reverse4d<D extends DType>(x: Tensor<D> | TensorLike, axis?: number | readonly number[]): Tensor4D<D> {
  return reverse(ofRank('km.reverse4d()', 'km.reverse()', x, 4), axis) as Tensor4D<D>;
}

/** A vector padded by `paddings = [before, after]` values of `constantValue` (default 0), as `tf.pad1d`; see km.pad. @example `km.pad1d(v, [1, 2])` */
export function pad1d<D extends DType>(x: Tensor<D> | TensorLike, paddings: Pair, constantValue = 0): Tensor1D<D> {
  if (!Array.isArray(paddings) || paddings.length !== 2) throw new Error(`km.pad1d(): paddings must be one [before, after] pair, e.g. [1, 2]. Received: paddings=${JSON.stringify(paddings)}.`);
  return pad(ofRank('km.pad1d()', 'km.pad()', x, 1), [paddings], constantValue) as Tensor1D<D>;
}
/** A matrix padded by one [before, after] pair per axis, as `tf.pad2d`; see km.pad. */
export function pad2d<D extends DType>(x: Tensor<D> | TensorLike, paddings: readonly [Pair, Pair], constantValue = 0): Tensor2D<D> {
  return pad(ofRank('km.pad2d()', 'km.pad()', x, 2), paddings, constantValue) as Tensor2D<D>;
}
/** A rank-3 tensor padded by one [before, after] pair per axis, as `tf.pad3d`; see km.pad. */
export function pad3d<D extends DType>(x: Tensor<D> | TensorLike, paddings: readonly [Pair, Pair, Pair], constantValue = 0): Tensor3D<D> {
  return pad(ofRank('km.pad3d()', 'km.pad()', x, 3), paddings, constantValue) as Tensor3D<D>;
}
/** A rank-4 tensor padded by one [before, after] pair per axis, as `tf.pad4d`; see km.pad. @example `km.pad4d(images, [[0, 0], [2, 2], [2, 2], [0, 0]])` */
export function pad4d<D extends DType>(x: Tensor<D> | TensorLike, paddings: readonly [Pair, Pair, Pair, Pair], constantValue = 0): Tensor4D<D> {
  return pad(ofRank('km.pad4d()', 'km.pad()', x, 4), paddings, constantValue) as Tensor4D<D>;
}
