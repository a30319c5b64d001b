// The index tuples of gatherND, scatterND and tensorScatterUpdate: each row of an int32 tensor
// [..., k] names a slice of a tensor of some shape by its first k coordinates. tfjs' CPU kernels
// check only the flattened offset, so [0, 5] in a [3, 4] tensor reads or writes element [1, 1];
// here every coordinate is checked against its own axis.
import type { Tensor } from '../tensor.js';
import { hostValues } from './operand.js';

/** Where the index tuples point: the first element of each slice, and the slices' size. */
export interface NdSlices {
  /** The offset in the indexed tensor's values of each tuple's slice, in the order of the tuples. */
  readonly starts: Int32Array;
  /** The elements of one slice: the product of the indexed shape's axes after the first k. */
  readonly sliceSize: number;
}

/**
 * The slices of a tensor of `shape` that the `tupleCount` tuples of `tupleLength` coordinates in
 * `indices` (int32, read in row-major order) name; an error names a coordinate outside its axis.
 */
export function ndSlices(fn: string, indices: Tensor<'int32'>, tupleCount: number, tupleLength: number, shape: readonly number[], shapeName: string): NdSlices {
  const sliceSize = shape.slice(tupleLength).reduce((n, d) => n * d, 1);
  const strides = shape.slice(0, tupleLength).map((_, j) => shape.slice(j + 1).reduce((n, d) => n * d, 1));
  const ids = hostValues(fn, indices);
  const starts = new Int32Array(tupleCount);
  for (let t = 0; t < tupleCount; t++) {
    let start = 0;
    for (let j = 0; j < tupleLength; j++) {
      const id = ids[t * tupleLength + j];
      if (id < 0 || id >= shape[j]) {
        const tuple = Array.from(ids.subarray(t * tupleLength, (t + 1) * tupleLength));
        throw new Error(
          `${fn}: index tuple ${t} of indices, [${tuple.join(', ')}], is out of range for ${shapeName} [${shape.join(', ')}]: ` +
            `its coordinate ${j} is ${id}, and axis ${j} has size ${shape[j]}, so it must be from 0 to ${shape[j] - 1}.`,
        );
      }
      start += id * strides[j];
    }
    starts[t] = start;
  }
  return { starts, sliceSize };
}
