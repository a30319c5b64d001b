// tfjs' element-wise add, sub, mul and div with NumPy broadcasting and tfjs' dtype rules: int32 with
// int32 stays int32 (div then floors, as tf.div does), anything with float32 is float32, and a plain
// number is a float32 scalar, so `intTensor.add(1)` is float32, as in tfjs.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { rowMajorStrides } from '../tensor_slice.js';
import { sourceOffsets } from './offsets.js';
import { hostValues, operand, typedArray } from './operand.js';

/** The dtype of an arithmetic result: int32 only when both operands are int32. */
export type UpcastDType<A extends DType, B extends DType> = A extends 'int32' ? (B extends 'int32' ? 'int32' : 'float32') : 'float32';

/** The shape two shapes broadcast to, NumPy's way: aligned from the last axis, a 1 stretches. */
function broadcastShape(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${fn}: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast: axis ${i - rank} has ${da} and ${db}, and sizes must be equal or 1. ` +
          `Reshape or expandDims one operand so that its axes line up from the last one, e.g. a [n] vector against [n, 1].`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Offsets into a row-major array of `shape` for each element of `outShape`, repeating the broadcast axes; null when no repeat is needed. */
function broadcastOffsets(shape: readonly number[], outShape: readonly number[]): Int32Array | null {
  if (shape.length === outShape.length && shape.every((d, i) => d === outShape[i])) return null;
  const strides = rowMajorStrides(shape);
  const lead = outShape.length - shape.length;
  return sourceOffsets(outShape, outShape.map((_, k) => (k < lead || shape[k - lead] === 1 ? 0 : strides[k - lead])));
}

function binary(fn: string, a: Tensor | TensorLike, b: Tensor | TensorLike, op: (x: number, y: number) => number, intOp = op): Tensor {
  const ta = operand(fn, 'a', a);
  const tb = operand(fn, 'b', b);
  const dtype: DType = ta.dtype === 'int32' && tb.dtype === 'int32' ? 'int32' : 'float32';
  const shape = broadcastShape(fn, ta.shape, tb.shape);
  const va = hostValues(fn, ta);
  const vb = hostValues(fn, tb);
  const ia = broadcastOffsets(ta.shape, shape);
  const ib = broadcastOffsets(tb.shape, shape);
  const f = dtype === 'int32' ? intOp : op;
  const out = typedArray(dtype, shape.reduce((n, d) => n * d, 1));
  for (let i = 0; i < out.length; i++) out[i] = f(va[ia ? ia[i] : i], vb[ib ? ib[i] : i]);
  return new Tensor(out, shape, dtype);
}

/**
 * `a + b`, element-wise with broadcasting, as `tf.add`.
 * @example `km.add(x, km.tensor([1, 2, 3]))` (adds the row to every row of [n, 3])
 */
export function add<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a + b` for tensors or values; a number counts as a float32 scalar (see the first overload). */
export function add(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function add(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.add()', a, b, (x, y) => x + y);
}

/** `a - b`, element-wise with broadcasting, as `tf.sub`. @example `x.sub(x.mean(0))` */
export function sub<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a - b` for tensors or values; a number counts as a float32 scalar. */
export function sub(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function sub(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.sub()', a, b, (x, y) => x - y);
}

/** `a * b`, element-wise with broadcasting, as `tf.mul`. @example `probs.mul(100)` */
export function mul<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a * b` for tensors or values; a number counts as a float32 scalar. */
export function mul(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function mul(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.mul()', a, b, (x, y) => x * y);
}

/**
 * `a / b`, element-wise with broadcasting, as `tf.div`. int32 by int32 floors to int32, as tfjs
 * does (`-7 / 2` is -4; a division by 0 gives 0): cast one operand to float32 for a fraction.
 * @example `x.sub(mean).div(std)` (standardisation)
 */
export function div<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a / b` for tensors or values; a number counts as a float32 scalar, so `intTensor.div(2)` is float32. */
export function div(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function div(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.div()', a, b, (x, y) => x / y, (x, y) => Math.floor(x / y));
}
