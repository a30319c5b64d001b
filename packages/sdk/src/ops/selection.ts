// What ops that only move values share (stridedSlice, mirrorPad, diag): each output element copies
// one element of x, or is 0, and the cotangent flows back to the elements it copied.
import { Tensor, type DType } from '../tensor.js';
import { hostValues, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * A tensor of `shape` whose element i is x's element `sources[i]`, or 0 where `sources[i]` is -1,
 * recorded for gradients: x's cotangent at an element sums the cotangents of every output element
 * that copied it, in double, rounded once (so a source copied once gets dy's value exactly).
 */
export function selected<D extends DType>(fn: string, t: Tensor<D>, shape: readonly number[], sources: Int32Array): Tensor<D> {
  const values = hostValues(fn, t);
  const out = typedArray(t.dtype, sources.length);
  for (let i = 0; i < out.length; i++) if (sources[i] >= 0) out[i] = values[sources[i]];
  const result = new Tensor(out, shape, t.dtype);
  if (taping()) {
    record(result, [t], (dy) => {
      const sums = new Float64Array(t.size);
      for (let i = 0; i < dy.length; i++) if (sources[i] >= 0) sums[sources[i]] += dy[i];
      return [Float32Array.from(sums)];
    });
  }
  return result;
}
