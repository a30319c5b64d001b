/**
 * For each element of an output of `outShape`, in row-major order, the offset of its source element
 * when a step along axis k of the output moves `strides[k]` in the source. Transpose passes the
 * source's strides permuted; broadcasting passes 0 on the axes it repeats.
 */
export function sourceOffsets(outShape: readonly number[], strides: readonly number[]): Int32Array {
  const size = outShape.reduce((a, b) => a * b, 1);
  const offsets = new Int32Array(size);
  const at = outShape.map(() => 0);
  let src = 0;
  for (let i = 0; i < size; i++) {
    offsets[i] = src;
    for (let k = outShape.length - 1; k >= 0; k--) {
      src += strides[k];
      if (++at[k] < outShape[k]) break;
      src -= strides[k] * outShape[k];
      at[k] = 0;
    }
  }
  return offsets;
}
