// tfjs' norm for vectors (and the Frobenius norm of matrices) and euclideanNorm, composed of km ops as tfjs composes
// it, so its values are tfjs' to the bit and the tape differentiates it.
import type { Tensor, TensorLike } from '../tensor.js';
import { pow } from './arithmetic.js';
import { parseAxes } from './axes.js';
import { abs, sqrt, square } from './elementwise.js';
import { operand } from './operand.js';
import { max, min, sum } from './reduce.js';

/** The norms {@link norm} computes: 'euclidean' (= 2), 1, Infinity and -Infinity of vectors; 'euclidean' or 'fro' over two axes. */
export type NormOrder = 'euclidean' | 'fro' | number;

/**
 * The norm of `x` over `axis`, as `tf.norm`: with no axis, of all values as one vector; with one
 * axis, of each vector along it: 'euclidean' or 2 (√Σx²), 1 (Σ|x|), Infinity (max |x|), -Infinity
 * (min |x|). Over two axes, 'euclidean' or 'fro' (the Frobenius norm). `keepDims` keeps the reduced
 * axes with size 1. float32 only. The gradient at an all-zero vector is NaN for 'euclidean', as tfjs'.
 * @example `km.norm(x, 'euclidean', -1)` (each row's length), `km.norm(weights, 1)`
 */
export function norm(x: Tensor | TensorLike, ord: NormOrder = 'euclidean', axis: number | readonly number[] | null = null, keepDims = false): Tensor<'float32'> {
  return normNamed('km.norm()', x, ord, axis, keepDims);
}

/** {@link norm}, its errors naming `fn` (km.euclideanNorm computes through it too). */
function normNamed(fn: string, x: Tensor | TensorLike, ord: NormOrder, axis: number | readonly number[] | null, keepDims: boolean): Tensor<'float32'> {
  const t = operand(fn, 'x', x);
  if (t.dtype !== 'float32') throw new Error(`${fn} takes a float32 tensor (tfjs truncates an int32 norm). Cast it first: ${fn.slice(0, -1)}km.cast(x, 'float32')). Received: x.dtype='${t.dtype}'.`);
  const axes = parseAxes(fn, axis, t.shape);
  const whole = axis === null || t.rank === 1;
  const reduced = t.rank === 0 ? abs(t) : normOver(fn, whole ? t.reshape([-1]) : t, ord, whole ? null : axes);
  return (keepDims ? reduced.reshape(t.shape.map((d, i) => (axes.includes(i) ? 1 : d))) : reduced) as Tensor<'float32'>;
}

function normOver(fn: string, x: Tensor, ord: NormOrder, axes: number[] | null): Tensor {
  if (axes === null || axes.length === 1) {
    if (ord === 1) return sum(abs(x), axes);
    if (ord === Infinity) return max(abs(x), axes);
    if (ord === -Infinity) return min(abs(x), axes);
    if (ord === 'euclidean' || ord === 2) return sqrt(sum(pow(abs(x), 2), axes));
  } else if (axes.length === 2 && (ord === 'euclidean' || ord === 'fro')) return sqrt(sum(square(x), axes));
  if (axes !== null && axes.length > 2) {
    throw new Error(`${fn}: a norm is over all values, one axis (vectors) or two (matrices), but ${axes.length} axes were given. Reshape x first, or pass fewer axes. Received: axis=[${axes.join(', ')}].`);
  }
  const shown = typeof ord === 'string' ? `'${ord}'` : String(ord);
  const supported = axes !== null && axes.length === 2 ? "'euclidean' or 'fro' over two axes" : "'euclidean', 2, 1, Infinity or -Infinity for vectors";
  throw new Error(`${fn}: ord ${shown} is not supported here; kerasm computes ${supported}. Received: ord=${shown}, axis=${axes === null ? 'null' : `[${axes.join(', ')}]`}.`);
}

/**
 * The Euclidean norm √Σx² of all values (no axis) or along `axis`, as `tf.euclideanNorm`: the same
 * as `km.norm(x, 'euclidean', axis, keepDims)`. float32 only.
 * @example `km.euclideanNorm(x, -1)` (each row's length)
 */
export function euclideanNorm(x: Tensor | TensorLike, axis: number | readonly number[] | null = null, keepDims = false): Tensor<'float32'> {
  return normNamed('km.euclideanNorm()', x, 'euclidean', axis ?? null, keepDims);
}
