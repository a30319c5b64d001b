// tfjs' tf.op: wrap a function of tensors into an op that frees its intermediate tensors.
import { describeValue } from './operand.js';
import { tidy } from './tidy.js';

/**
 * Wraps `f`, given as `{ name: fn }`, into an op, as `tf.op`: each call runs fn inside
 * {@link tidy}, so the tensors it makes are disposed except those it returns. The op's `name` is
 * the key with one trailing underscore dropped and '__op' added (`{ square_: ... }` gives
 * 'square__op'), as tfjs names it. fn must be synchronous (tidy refuses a returned Promise; tfjs
 * logs an error and disposes the tensors anyway).
 * @example
 * ```ts
 * const rms = km.op({ rms_: (x: km.Tensor) => km.sqrt(km.mean(km.square(x))) });
 * const r = rms(km.tensor([3, 4])); // the squares and mean are disposed
 * ```
 */
export function op<T extends (...args: never[]) => unknown>(f: { [name: string]: T }): T {
  const keys = f !== null && typeof f === 'object' ? Object.keys(f) : [];
  if (keys.length !== 1 || typeof f[keys[0]] !== 'function') {
    const received = keys.length === 0 ? describeValue(f) : `an object with keys ${JSON.stringify(keys)}`;
    throw new Error(`km.op() takes an object with a single key, the op's name, mapping to its function: km.op({ myOp_: (x) => ... }). Received: ${received}.`);
  }
  const fn = f[keys[0]];
  const opName = `${keys[0].endsWith('_') ? keys[0].slice(0, -1) : keys[0]}__op`;
  const wrapped = (...args: Parameters<T>): ReturnType<T> => tidy(opName, () => fn(...args) as ReturnType<T>);
  Object.defineProperty(wrapped, 'name', { value: opName, configurable: true });
  return wrapped as unknown as T;
}
