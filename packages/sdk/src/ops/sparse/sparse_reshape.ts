// tfjs' tf.sparse.sparseReshape: the index tuples of a sparse tensor's entries in another dense shape.
import { Tensor, type TensorLike } from '../../tensor.js';
import { rowMajorStrides } from '../../tensor_slice.js';
import { indicesOf } from '../gather.js';
import { hostValues } from '../operand.js';

/** What {@link sparseReshape} returns, with tfjs' names. */
export interface SparseReshape {
  /** Each entry's index tuple in the new shape: int32 [n, rank of newShape]. */
  outputIndices: Tensor<'int32'>;
  /** The new dense shape, its -1 worked out: int32 [rank of newShape]. */
  outputShape: Tensor<'int32'>;
}

/**
 * The entries of a sparse tensor of dense shape `inputShape` (int32 [rank]), at index tuples
 * `inputIndices` (int32 [n, rank]), placed in dense shape `newShape` (int32; one size may be -1,
 * worked out from the others), as `tf.sparse.sparseReshape(inputIndices, inputShape, newShape)`:
 * an entry keeps its row-major offset, as km.reshape keeps a value's. Both shapes must hold as many
 * values. kerasm also checks that each tuple has inputShape's length and lies inside it (tfjs
 * computes an offset regardless).
 * @example `km.sparse.sparseReshape([[0, 0], [1, 2]], [2, 3], [3, -1])` (outputIndices [[0, 0], [2, 1]], outputShape [3, 2])
 */
export function sparseReshape(inputIndices: Tensor | TensorLike, inputShape: Tensor | TensorLike, newShape: Tensor | TensorLike): SparseReshape {
  const fn = 'km.sparse.sparseReshape()';
  const idx = indicesOf(fn, inputIndices, 'inputIndices');
  const from = indicesOf(fn, inputShape, 'inputShape');
  const to = indicesOf(fn, newShape, 'newShape');
  if (idx.rank !== 2 || from.rank !== 1 || to.rank !== 1 || idx.shape[1] !== from.size) {
    throw new Error(`${fn}: pass inputIndices [n, rank] (int32, one index tuple per entry), inputShape [rank] and newShape (int32 vectors). Received: inputIndices.shape=[${idx.shape.join(', ')}], inputShape.shape=[${from.shape.join(', ')}], newShape.shape=[${to.shape.join(', ')}].`);
  }
  const shapeIn = Array.from(hostValues(fn, from));
  const target = Array.from(hostValues(fn, to));
  const size = shapeIn.reduce((n, d) => n * d, 1);
  const unknown = target.indexOf(-1);
  const known = target.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const fail = (why: string): never => {
    throw new Error(`${fn}: ${why}. Received: inputShape=[${shapeIn.join(', ')}], newShape=[${target.join(', ')}].`);
  };
  if (shapeIn.some((d) => d < 0)) fail('inputShape must hold non-negative sizes');
  if (target.some((d, i) => d < -1 || (d === -1 && i !== unknown))) fail('newShape must hold non-negative sizes and at most one -1 (the size worked out from the others)');
  if (unknown >= 0 && (known === 0 || size % known !== 0)) fail(`newShape's -1 cannot be worked out: the other sizes multiply to ${known}, which must divide the ${size} values of inputShape (and not be 0)`);
  const shapeOut = target.map((d) => (d === -1 ? size / known : d));
  if (shapeOut.reduce((n, d) => n * d, 1) !== size) fail(`the shapes hold different numbers of values (${size} and ${shapeOut.reduce((n, d) => n * d, 1)}); a reshape keeps every value`);
  const ids = hostValues(fn, idx);
  const [rankIn, rankOut, n] = [shapeIn.length, shapeOut.length, idx.shape[0]];
  const [stridesIn, stridesOut] = [rowMajorStrides(shapeIn), rowMajorStrides(shapeOut)];
  const out = new Int32Array(n * rankOut);
  for (let i = 0; i < n; i++) {
    let offset = 0;
    for (let j = 0; j < rankIn; j++) {
      const c = ids[i * rankIn + j];
      if (c < 0 || c >= shapeIn[j]) fail(`entry ${i} of inputIndices, [${Array.from(ids.subarray(i * rankIn, (i + 1) * rankIn)).join(', ')}], lies outside inputShape: its coordinate ${j} must be from 0 to ${shapeIn[j] - 1}`);
      offset += c * stridesIn[j];
    }
    for (let j = 0; j < rankOut; j++) {
      out[i * rankOut + j] = Math.trunc(offset / stridesOut[j]);
      offset %= stridesOut[j];
    }
  }
  return { outputIndices: new Tensor(out, [n, rankOut], 'int32'), outputShape: new Tensor(Int32Array.from(shapeOut), [rankOut], 'int32') };
}
