// tfjs' sparseToDense: a dense tensor of a default value with values written at index tuples.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { indicesOf } from './gather.js';
import { ndSlices } from './nd_indices.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * `defaultValue` as one value of `dtype`, the dtype of the values named `valuesName`: a number
 * (truncated into int32, as tfjs converts it) or a scalar tensor of that dtype.
 */
export function defaultOf(fn: string, defaultValue: Tensor | number, dtype: DType, valuesName: string): Tensor {
  if (typeof defaultValue === 'number') return new Tensor(typedArray(dtype, 1).fill(defaultValue), [], dtype);
  const d = operand(fn, 'defaultValue', defaultValue);
  if (d.rank !== 0 || d.dtype !== dtype) {
    throw new Error(`${fn}: defaultValue must be a number or a scalar tensor of ${valuesName}' dtype ('${dtype}'), as in tfjs. Pass a number, or km.scalar(v, '${dtype}'). Received: defaultValue.shape=[${d.shape.join(', ')}], defaultValue.dtype='${d.dtype}'.`);
  }
  return d;
}

/**
 * A tensor of `outputShape` holding `defaultValue` (default 0) except at the index tuples of
 * `sparseIndices`, which hold `sparseValues`, as `tf.sparseToDense(sparseIndices, sparseValues,
 * outputShape, defaultValue)`. sparseIndices (int32) is a scalar or a vector of single coordinates
 * (for a 1-D output) or a matrix [n, rank of outputShape] of index tuples; sparseValues is a vector
 * of one value per tuple, or a scalar written at every tuple; the result has its dtype. Indices are
 * checked as TensorFlow's `validate_indices` checks them: a coordinate outside its axis, or a tuple
 * given twice, is an error naming it (tfjs' CPU backend writes elsewhere when the flattened offset
 * still fits, and lets the last of repeated tuples win). Unlike TensorFlow, tuples need not be
 * sorted. tfjs has no gradient here; kerasm's gives each value the cotangent where it was written
 * (a scalar value the sum of them) and defaultValue the sum of the rest.
 * @example `km.sparseToDense(km.tensor([4, 5, 6, 1, 2, 3], undefined, 'int32'), [10, 11, 12, 13, 14, 15], [8])` (values [0, 13, 14, 15, 10, 11, 12, 0])
 */
export function sparseToDense<D extends DType>(sparseIndices: Tensor | TensorLike, sparseValues: Tensor<D> | TensorLike, outputShape: readonly number[], defaultValue: Tensor<D> | number = 0): Tensor<D> {
  const fn = 'km.sparseToDense()';
  if (!Array.isArray(outputShape) || outputShape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${fn}: outputShape must be an array of non-negative integers, the result's shape. Received: outputShape=${JSON.stringify(outputShape)}.`);
  }
  const idx = indicesOf(fn, sparseIndices, 'sparseIndices');
  const values = operand<D>(fn, 'sparseValues', sparseValues);
  const count = idx.rank > 0 ? idx.shape[0] : 1;
  const tupleLength = idx.rank > 1 ? idx.shape[1] : 1;
  if (idx.rank > 2 || outputShape.length !== tupleLength) {
    throw new Error(`${fn}: sparseIndices must be a scalar or a vector of coordinates (for a 1-D outputShape), or a matrix [n, ${outputShape.length}] of index tuples as long as outputShape. Received: sparseIndices.shape=[${idx.shape.join(', ')}], outputShape=[${outputShape.join(', ')}].`);
  }
  if (!(values.rank === 0 || (values.rank === 1 && values.size === count))) {
    throw new Error(`${fn}: sparseValues must be a scalar (written at every index tuple) or a vector of ${count} values, one per tuple of sparseIndices. Received: sparseValues.shape=[${values.shape.join(', ')}].`);
  }
  const fill = defaultOf(fn, defaultValue, values.dtype, 'sparseValues');
  const { starts } = ndSlices(fn, idx, count, tupleLength, outputShape, 'outputShape');
  const first = new Map<number, number>();
  starts.forEach((start, i) => {
    const earlier = first.get(start);
    if (earlier !== undefined) {
      throw new Error(`${fn}: index tuples ${earlier} and ${i} of sparseIndices are the same place (offset ${start} in outputShape [${outputShape.join(', ')}]); each place may be written once, as TensorFlow's validate_indices requires. Remove the repeat, or add repeated values with km.scatterND.`);
    }
    first.set(start, i);
  });
  const v = hostValues(fn, values);
  const out: TypedArrayFor<D> = typedArray(values.dtype, outputShape.reduce((n, d) => n * d, 1));
  out.fill(hostValues(fn, fill)[0]);
  starts.forEach((start, i) => {
    out[start] = v[values.rank === 0 ? 0 : i];
  });
  const result = new Tensor(out, outputShape, values.dtype);
  if (taping()) {
    record(result, [values, fill], (dy) => {
      const written = new Float32Array(values.size);
      const isWritten = new Uint8Array(dy.length);
      starts.forEach((start, i) => {
        written[values.rank === 0 ? 0 : i] += dy[start];
        isWritten[start] = 1;
      });
      let rest = 0;
      dy.forEach((g, e) => {
        if (!isWritten[e]) rest += g;
      });
      return [written, Float32Array.of(rest)];
    });
  }
  return result;
}
