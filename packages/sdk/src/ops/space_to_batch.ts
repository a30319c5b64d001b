// tfjs' spaceToBatchND and batchToSpaceND: blocks of the spatial axes moved into the batch axis and
// back, written as pad/slice, reshape and transpose, so that their gradients are those ops' (each
// op's gradient is the other op, as tfjs registers them).
import type { Tensor, DType, TensorLike } from '../tensor.js';
import { operand } from './operand.js';
import { pad } from './tile_pad.js';
import { transpose } from './transpose.js';

type Pairs = readonly (readonly [number, number])[];

/** Checks blockShape and its [before, after] pairs (paddings or crops) against x's shape. */
function checkBlocks(fn: string, t: Tensor, blockShape: readonly number[], pairs: Pairs, pairsName: string): void {
  const received = `Received: x.shape=[${t.shape.join(', ')}], blockShape=${JSON.stringify(blockShape)}, ${pairsName}=${JSON.stringify(pairs)}.`;
  if (!Array.isArray(blockShape) || !blockShape.every((b) => Number.isInteger(b) && b >= 1)) {
    throw new Error(`${fn}: blockShape must list a positive integer block size per spatial axis, e.g. [2, 2]. ${received}`);
  }
  if (t.rank < 1 + blockShape.length) {
    throw new Error(`${fn}: x needs a batch axis and then one spatial axis per entry of blockShape, so rank at least ${1 + blockShape.length}. Reshape x, or give fewer block sizes. ${received}`);
  }
  const valid = Array.isArray(pairs) && pairs.length === blockShape.length && pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n) && n >= 0));
  if (!valid) throw new Error(`${fn}: ${pairsName} must hold one [before, after] pair of non-negative integers per entry of blockShape, e.g. [${blockShape.map(() => '[0, 0]').join(', ')}]. ${received}`);
}

/**
 * `x` ([batch, ...spatial, ...rest]) with its M spatial axes padded by `paddings` and cut into
 * blocks of `blockShape`, the positions within a block moved into the batch axis, as
 * `tf.spaceToBatchND`: the result is [batch · Π blockShape, ...padded spatial / blockShape, ...rest].
 * Keeps x's dtype. Its gradient is batchToSpaceND of dy with the paddings as crops, as tfjs'.
 * @example `km.spaceToBatchND(x, [2, 2], [[0, 0], [0, 0]])` ([1, 4, 4, 1] into [4, 2, 2, 1])
 */
export function spaceToBatchND<D extends DType>(x: Tensor<D> | TensorLike, blockShape: readonly number[], paddings: Pairs): Tensor<D> {
  const fn = 'km.spaceToBatchND()';
  const t = operand<D>(fn, 'x', x);
  checkBlocks(fn, t, blockShape, paddings, 'paddings');
  const m = blockShape.length;
  const padded = t.shape.map((d, i) => (i >= 1 && i <= m ? d + paddings[i - 1][0] + paddings[i - 1][1] : d));
  const odd = blockShape.findIndex((b, k) => padded[k + 1] % b !== 0);
  if (odd >= 0) {
    throw new Error(
      `${fn}: spatial axis ${odd + 1} has ${t.shape[odd + 1]} entries, ${padded[odd + 1]} with paddings [${paddings[odd].join(', ')}], which is not a multiple of its block size ${blockShape[odd]}. ` +
        `Pad it to a multiple of ${blockShape[odd]}. Received: x.shape=[${t.shape.join(', ')}], blockShape=${JSON.stringify(blockShape)}, paddings=${JSON.stringify(paddings)}.`,
    );
  }
  const rest = t.shape.slice(m + 1);
  const all = pad(t, t.shape.map((_, i) => (i >= 1 && i <= m ? paddings[i - 1] : [0, 0])));
  const blocks = all.reshape([t.shape[0], ...blockShape.flatMap((b, k) => [padded[k + 1] / b, b]), ...rest]);
  // [batch, s1, b1, ..., sM, bM, ...rest] to [b1, ..., bM, batch, s1, ..., sM, ...rest].
  const perm = [...blockShape.map((_, k) => 2 * k + 2), 0, ...blockShape.map((_, k) => 2 * k + 1), ...rest.map((_, r) => 2 * m + 1 + r)];
  const batch = t.shape[0] * blockShape.reduce((a, b) => a * b, 1);
  return transpose(blocks, perm).reshape([batch, ...blockShape.map((b, k) => padded[k + 1] / b), ...rest]);
}

/**
 * The inverse of {@link spaceToBatchND}, as `tf.batchToSpaceND`: `x` ([batch, ...spatial, ...rest],
 * batch a multiple of Π blockShape) with its batch split into blocks of `blockShape` laid out
 * along the M spatial axes, then `crops[i] = [before, after]` entries cut from spatial axis i.
 * Keeps x's dtype. Its gradient is spaceToBatchND of dy with the crops as paddings, as tfjs'.
 * @example `km.batchToSpaceND(x, [2, 2], [[0, 0], [0, 0]])` ([4, 2, 2, 1] into [1, 4, 4, 1])
 */
export function batchToSpaceND<D extends DType>(x: Tensor<D> | TensorLike, blockShape: readonly number[], crops: Pairs): Tensor<D> {
  const fn = 'km.batchToSpaceND()';
  const t = operand<D>(fn, 'x', x);
  checkBlocks(fn, t, blockShape, crops, 'crops');
  const m = blockShape.length;
  const blockSize = blockShape.reduce((a, b) => a * b, 1);
  const received = `Received: x.shape=[${t.shape.join(', ')}], blockShape=${JSON.stringify(blockShape)}, crops=${JSON.stringify(crops)}.`;
  if (t.shape[0] % blockSize !== 0) {
    throw new Error(`${fn}: the batch axis has ${t.shape[0]} entries, which is not a multiple of the ${blockSize} positions of a block (${blockShape.join(' × ')}). Use a batch made by spaceToBatchND with this blockShape. ${received}`);
  }
  const spatial = t.shape.slice(1, m + 1).map((d, k) => d * blockShape[k]);
  const over = crops.findIndex((c, k) => c[0] + c[1] > spatial[k]);
  if (over >= 0) throw new Error(`${fn}: crops[${over}] = [${crops[over].join(', ')}] cuts more than the ${spatial[over]} entries spatial axis ${over + 1} has once the blocks are laid out. Crop less. ${received}`);
  const rest = t.shape.slice(m + 1);
  const blocks = t.reshape([...blockShape, t.shape[0] / blockSize, ...t.shape.slice(1)]);
  // [b1, ..., bM, batch, s1, ..., sM, ...rest] to [batch, s1, b1, ..., sM, bM, ...rest].
  const perm = [m, ...blockShape.flatMap((_, k) => [m + 1 + k, k]), ...rest.map((_, r) => 2 * m + 1 + r)];
  const laidOut = transpose(blocks, perm).reshape([t.shape[0] / blockSize, ...spatial, ...rest]);
  return laidOut.slice(
    laidOut.shape.map((_, i) => (i >= 1 && i <= m ? crops[i - 1][0] : 0)),
    laidOut.shape.map((d, i) => (i >= 1 && i <= m ? d - crops[i - 1][0] - crops[i - 1][1] : d)),
  );
}
