// tfjs' rank-checked tensor factories, which tfjs code calls for its data: km.tensor with the rank asserted.
import { tensor, type DType, type Tensor, type TensorLike } from './tensor.js';

const AXES = ['', '', '[rows, cols]', '[d0, d1, d2]', '[d0, d1, d2, d3]'];

function wrongRank(name: string, rank: number, made: Tensor): string {
  return `${name} makes a tensor of rank ${rank}, but the values have shape [${made.shape.join(', ')}] (rank ${made.rank}). Use km.tensor(values) for any rank.`;
}

function ranked(rank: 2 | 3 | 4) {
  const name = `km.tensor${rank}d()`;
  return (values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor => {
    if (typeof shape === 'string') throw new Error(`${name} takes the shape second and the dtype third, as tfjs does: ${name.slice(0, -1)}values, undefined, '${shape}').`);
    if (shape !== undefined && shape.length !== rank) throw new Error(`${name} takes a shape of ${rank} number${rank > 1 ? 's' : ''}, ${AXES[rank]}; received [${shape.join(', ')}]. km.tensor(values, shape) takes any rank.`);
    const made = tensor(values, shape, dtype);
    if (made.rank === rank) return made;
    const flat = shape === undefined && (ArrayBuffer.isView(values) || (Array.isArray(values) && values.every((v) => typeof v === 'number')));
    throw new Error(flat ? `${name} needs the shape of flat values: ${name.slice(0, -1)}values, ${AXES[rank]}).` : wrongRank(name, rank, made));
  };
}

/**
 * A rank-1 tensor, as tfjs' `tf.tensor1d`: the dtype comes second, since the shape is the values' length.
 * @example `km.tensor1d([0, 2, 1], 'int32')`
 */
export function tensor1d(values: TensorLike, dtype?: DType): Tensor {
  if (Array.isArray(dtype)) throw new Error(`km.tensor1d() takes the dtype second, as tfjs does, not a shape: the shape is the values' length. km.tensor1d(values, 'int32'), or km.tensor(values, shape) for any rank.`);
  const made = tensor(values, undefined, dtype);
  if (made.rank !== 1) throw new Error(wrongRank('km.tensor1d()', 1, made));
  return made;
}
/** A rank-2 tensor, as tfjs' `tf.tensor2d`; flat values need the shape. @example `km.tensor2d(pixels, [n, 784])` */
export const tensor2d = ranked(2);
/** A rank-3 tensor, as tfjs' `tf.tensor3d`; flat values need the shape. @example `km.tensor3d(images, [n, 28, 28])` */
export const tensor3d = ranked(3);
/** A rank-4 tensor, as tfjs' `tf.tensor4d`; flat values need the shape. @example `km.tensor4d(images, [n, 28, 28, 1])` */
export const tensor4d = ranked(4);
