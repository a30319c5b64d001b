// tfjs' concat and stack: tensors joined along an existing axis, or a new one.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { parseAxis } from './axes.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/** `tensors` as km.Tensors of one dtype, refusing an empty or non-array list. */
export function operands<D extends DType>(fn: string, tensors: readonly (Tensor<D> | TensorLike)[]): Tensor<D>[] {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error(`${fn}: pass a non-empty array of tensors, e.g. ${fn.slice(0, -1)}[a, b]); received ${Array.isArray(tensors) ? 'an empty array' : typeof tensors}.`);
  const ts = tensors.map((t, i) => operand<D>(fn, `tensors[${i}]`, t));
  const odd = ts.findIndex((t) => t.dtype !== ts[0].dtype);
  if (odd >= 0) {
    throw new Error(`${fn}: tensors[0] is ${ts[0].dtype} but tensors[${odd}] is ${ts[odd].dtype}; all tensors must have one dtype. Cast them first, e.g. km.cast(t, 'float32').`);
  }
  return ts;
}

function joined<D extends DType>(fn: string, ts: readonly Tensor<D>[], axis: number, shapes: readonly (readonly number[])[]): Tensor<D> {
  const outer = shapes[0].slice(0, axis).reduce((a, b) => a * b, 1);
  const runs = shapes.map((s) => s.slice(axis).reduce((a, b) => a * b, 1));
  const width = runs.reduce((a, b) => a + b, 0);
  const out = typedArray(ts[0].dtype, outer * width);
  let at = 0;
  ts.forEach((t, k) => {
    const values = hostValues(fn, t);
    for (let i = 0; i < outer; i++) out.set(values.subarray(i * runs[k], (i + 1) * runs[k]), i * width + at);
    at += runs[k];
  });
  const shape = [...shapes[0]];
  shape[axis] = shapes.reduce((n, s) => n + s[axis], 0);
  const result = new Tensor(out, shape, ts[0].dtype);
  if (taping()) {
    // Each tensor's cotangent is its part of dy, as tfjs splits (concat) or unstacks (stack) it.
    record(result, ts, (dy, needed) => {
      let from = 0;
      return ts.map((_, k) => {
        from += runs[k];
        if (!needed[k]) return null;
        const g = new Float32Array(outer * runs[k]);
        const start = from - runs[k];
        for (let i = 0; i < outer; i++) g.set(dy.subarray(i * width + start, i * width + from), i * runs[k]);
        return g;
      });
    });
  }
  return result;
}

/**
 * The tensors joined along `axis` (default 0), as `tf.concat`: all of one rank and dtype, with the
 * same sizes on every other axis. Unlike tfjs, tensors of different dtypes are an error (tfjs
 * gives the first one's dtype, truncating float values into int32).
 * @example `km.concat([trainXs, moreXs])` (more samples), `km.concat([a, b], -1)` (more features)
 */
export function concat<D extends DType>(tensors: readonly (Tensor<D> | TensorLike)[], axis = 0): Tensor<D> {
  const fn = 'km.concat()';
  const ts = operands<D>(fn, tensors);
  const at = parseAxis(fn, axis, ts[0].shape);
  const shapes = ts.map((t) => t.shape);
  ts.forEach((t, i) => {
    if (t.rank !== ts[0].rank || t.shape.some((d, j) => j !== at && d !== ts[0].shape[j])) {
      throw new Error(
        `${fn}: tensors[${i}] has shape [${t.shape.join(', ')}], which does not fit tensors[0]'s [${ts[0].shape.join(', ')}] along axis ${at}: ` +
          `all tensors need the same rank and the same sizes on every axis but ${at}. Reshape them, or pick another axis.`,
      );
    }
  });
  return joined(fn, ts, at, shapes);
}

/**
 * Tensors of one shape and dtype stacked along a new axis `axis` (default 0), as `tf.stack`.
 * @example `km.stack([x1, x2, x3])` (three [28, 28] images into [3, 28, 28])
 */
export function stack<D extends DType>(tensors: readonly (Tensor<D> | TensorLike)[], axis = 0): Tensor<D> {
  const fn = 'km.stack()';
  const ts = operands<D>(fn, tensors);
  const at = parseAxis(fn, axis, ts[0].shape, 1);
  ts.forEach((t, i) => {
    if (t.rank !== ts[0].rank || t.shape.some((d, j) => d !== ts[0].shape[j])) {
      throw new Error(`${fn}: tensors[${i}] has shape [${t.shape.join(', ')}] but tensors[0] has [${ts[0].shape.join(', ')}]; stacked tensors must all have one shape. Reshape or pad them first.`);
    }
  });
  const shape = [...ts[0].shape];
  shape.splice(at, 0, 1);
  return joined(fn, ts, at, ts.map(() => shape));
}
