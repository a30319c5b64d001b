// What tfjs' element-wise unary ops share: each value mapped in double and stored as float32 (as
// tfjs' CPU kernels do), the result dtype tfjs gives, and the cotangent recorded in a gradient call.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * The result dtype: the input's (`'same'`, e.g. abs: int32 stays int32), always float32 (exp),
 * float32 input only (`'float32 only'`: sqrt, log, tanh, ... where tfjs throws for int32 or truncates),
 * or always int32 (`'int32'`: isNaN, logicalNot, ... whose tfjs bool result kerasm gives as 0/1).
 */
export type UnaryDType = 'same' | 'float32' | 'float32 only' | 'int32';

/** The cotangent of the input at one element, from the output's `dy`, the input `x` and the output `y`. */
export type UnaryCotangent = (dy: number, x: number, y: number) => number;

/** `op` applied to each value of `x`, recorded with `cotangent` in a gradient call. */
export function unary(fn: string, x: Tensor | TensorLike, dtypeRule: UnaryDType, op: (x: number) => number, cotangent: UnaryCotangent): Tensor {
  const t = operand(fn, 'x', x);
  if (dtypeRule === 'float32 only' && t.dtype !== 'float32') {
    throw new Error(`${fn} takes a float32 tensor (tfjs rejects int32 here, or truncates the result to an integer). Cast it first: ${fn.slice(0, -1)}km.cast(x, 'float32')). Received: x.dtype='${t.dtype}'.`);
  }
  const dtype: DType = dtypeRule === 'same' ? t.dtype : dtypeRule === 'int32' ? 'int32' : 'float32';
  const values = hostValues(fn, t);
  const out = typedArray(dtype, values.length);
  for (let i = 0; i < out.length; i++) out[i] = op(values[i]);
  const result = new Tensor(out, t.shape, dtype);
  if (taping()) {
    record(result, [t], (dy) => {
      const g = new Float32Array(dy.length);
      for (let i = 0; i < g.length; i++) g[i] = cotangent(dy[i], values[i], out[i]);
      return [g];
    });
  }
  return result;
}
