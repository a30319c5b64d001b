// tfjs' element-wise add, sub, mul, div, pow, maximum, minimum, squaredDifference, mod, floorDiv and divNoNan
// with NumPy broadcasting and tfjs'
// dtype rules: int32 with int32 stays int32 (div then floors, as tf.div does), anything with float32
// is float32, and a plain number is a float32 scalar, so `intTensor.add(1)` is float32, as in tfjs.
// Each op's cotangents are tfjs-core's gradient functions, with their float32 roundings.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { binary, NO_COTANGENTS } from './binary.js';

/** The dtype of an arithmetic result: int32 only when both operands are int32. */
export type UpcastDType<A extends DType, B extends DType> = A extends 'int32' ? (B extends 'int32' ? 'int32' : 'float32') : 'float32';

/**
 * `a + b`, element-wise with broadcasting, as `tf.add`.
 * @example `km.add(x, km.tensor([1, 2, 3]))` (adds the row to every row of [n, 3])
 */
export function add<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a + b` for tensors or values; a number counts as a float32 scalar (see the first overload). */
export function add(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function add(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.add()', a, b, (x, y) => x + y, { a: (dy) => dy, b: (dy) => dy });
}

/** `a - b`, element-wise with broadcasting, as `tf.sub`. @example `x.sub(x.mean(0))` */
export function sub<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a - b` for tensors or values; a number counts as a float32 scalar. */
export function sub(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function sub(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.sub()', a, b, (x, y) => x - y, { a: (dy) => dy, b: (dy) => -dy });
}

/** `a * b`, element-wise with broadcasting, as `tf.mul`. @example `probs.mul(100)` */
export function mul<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a * b` for tensors or values; a number counts as a float32 scalar. */
export function mul(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function mul(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.mul()', a, b, (x, y) => x * y, { a: (dy, _a, b) => dy * b, b: (dy, a) => dy * a });
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
  // tf.div's gradient for b sums dy * a over the broadcast axes first, then divides by b².
  const cotangents = { a: (dy: number, _a: number, b: number) => dy / b, b: (dy: number, a: number) => dy * a, bAfterSum: (g: number, b: number) => -Math.fround(g / Math.fround(b * b)) };
  return binary('km.div()', a, b, (x, y) => x / y, cotangents, (x, y) => Math.floor(x / y));
}

/**
 * `a` to the power `b`, element-wise with broadcasting, as `tf.pow`: int32 to an int32 power stays
 * int32 (a negative power then truncates toward zero, `2 ** -1` giving 0, and large results wrap, as
 * in tfjs). The gradient for `b` counts log(a) as 0 where a <= 0, as tfjs does.
 * @example `km.pow(x, 2)` (float32 squares), `km.pow(2, exponents)`
 */
export function pow<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a ** b` for tensors or values; a number counts as a float32 scalar, so `intTensor.pow(2)` is float32. */
export function pow(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function pow(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.pow()', a, b, Math.pow, {
    a: (dy, a, b) => dy * Math.fround(b * Math.fround(Math.pow(a, Math.fround(b - 1)))),
    b: (dy, a, _b, y) => dy * Math.fround(y * (a > 0 ? Math.fround(Math.log(a)) : 0)),
  });
}

/**
 * The larger of `a` and `b`, element-wise with broadcasting, as `tf.maximum` (NaN wins). Its
 * gradient goes to `a` where a >= b and to `b` where a < b, as tfjs', so a tie goes to `a`.
 * @example `km.maximum(x, 0)` (relu by hand)
 */
export function maximum<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** The larger of `a` and `b` for tensors or values; a number counts as a float32 scalar. */
export function maximum(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function maximum(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.maximum()', a, b, Math.max, { a: (dy, a, b) => dy * (a >= b ? 1 : 0), b: (dy, a, b) => dy * (a < b ? 1 : 0) });
}

/**
 * The smaller of `a` and `b`, element-wise with broadcasting, as `tf.minimum` (NaN wins). Its
 * gradient goes to `a` where a <= b and to `b` where a > b, as tfjs', so a tie goes to `a`.
 * @example `km.minimum(km.abs(err), delta)` (the quadratic part of a Huber loss)
 */
export function minimum<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** The smaller of `a` and `b` for tensors or values; a number counts as a float32 scalar. */
export function minimum(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function minimum(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  return binary('km.minimum()', a, b, Math.min, { a: (dy, a, b) => dy * (a <= b ? 1 : 0), b: (dy, a, b) => dy * (a > b ? 1 : 0) });
}

/**
 * `(a - b)²`, element-wise with broadcasting, as `tf.squaredDifference` (the difference squared in
 * double, rounded once); int32 with int32 stays int32. A broadcast operand gets its gradient summed
 * over the broadcast axes (tfjs' gradient keeps the output's shape there, which tfjs then rejects).
 * @example `km.squaredDifference(yPred, yTrue).mean(-1)` (mean squared error per sample)
 */
export function squaredDifference<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `(a - b)²` for tensors or values; a number counts as a float32 scalar. */
export function squaredDifference(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function squaredDifference(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  const difference = (x: number, y: number): number => (x - y) * (x - y);
  return binary('km.squaredDifference()', a, b, difference, { a: (dy, a, b) => dy * Math.fround(2 * Math.fround(a - b)), b: (dy, a, b) => dy * Math.fround(2 * Math.fround(b - a)) });
}

/**
 * The remainder of `a / b` with the sign of `b` (floored, Python's `%`), element-wise with
 * broadcasting, as `tf.mod`; int32 with int32 stays int32 (a remainder by 0 is then 0, as in tfjs).
 * Its gradient is dy for `a` and -floor(a / b)·dy for `b`, as tfjs'.
 * @example `km.mod(step, 7)` (the day of the week)
 */
export function mod<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a mod b` for tensors or values; a number counts as a float32 scalar. */
export function mod(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function mod(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  const floored = (x: number, y: number): number => {
    const rem = x % y;
    return (x < 0 && y < 0) || (x >= 0 && y >= 0) ? rem : (rem + y) % y;
  };
  return binary('km.mod()', a, b, floored, { a: (dy) => dy, b: (dy, a, b) => dy * -Math.floor(Math.fround(a / b)) });
}

/**
 * `floor(a / b)`, element-wise with broadcasting, as `tf.floorDiv`: always int32, as tfjs' CPU
 * backend gives it (a division by 0 gives 0), so it carries no gradient.
 * @example `km.floorDiv(index, width)` (the row of a flat index)
 */
export function floorDiv(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  const quotient = (x: number, y: number): number => Math.floor(x / y);
  return binary('km.floorDiv()', a, b, quotient, NO_COTANGENTS, quotient, 'int32') as Tensor<'int32'>;
}

/**
 * `a / b`, but 0 where b is 0 (even 0/0 and NaN/0), element-wise with broadcasting, as
 * `tf.divNoNan`; int32 with int32 floors to int32, as {@link div}. tfjs has no gradient for it
 * (tf.grads throws); kerasm's is tf.div's where b is not 0 and 0 where it is, as TensorFlow's.
 * @example `km.divNoNan(correct, counts)` (a rate that is 0 for empty groups)
 */
export function divNoNan<A extends DType, B extends DType>(a: Tensor<A>, b: Tensor<B>): Tensor<UpcastDType<A, B>>;
/** `a / b`, 0 where b is 0, for tensors or values; a number counts as a float32 scalar. */
export function divNoNan(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function divNoNan(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  const cotangents = {
    a: (dy: number, _a: number, b: number) => (b === 0 ? 0 : dy / b),
    b: (dy: number, a: number, b: number) => (b === 0 ? 0 : dy * a),
    bAfterSum: (g: number, b: number) => (b === 0 ? 0 : -Math.fround(g / Math.fround(b * b))),
  };
  return binary('km.divNoNan()', a, b, (x, y) => (y === 0 ? 0 : x / y), cotangents, (x, y) => (y === 0 ? 0 : Math.floor(x / y)));
}
