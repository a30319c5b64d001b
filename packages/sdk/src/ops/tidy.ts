// tfjs' tidy, keep and dispose. kerasm's host tensors are freed by the garbage collector anyway;
// these free a tensor's values (and a device copy a tfjs backend still holds) at once, and let tfjs
// code that calls them run unchanged.
import { Tensor } from '../tensor.js';
import { closeScope, keepTensor, openScope } from '../tensor_scopes.js';

/** The tensors in a value: itself, or those in its arrays and objects, however deep (tfjs' TensorContainer). */
function tensorsIn(value: unknown, found = new Set<Tensor>(), seen = new Set<object>()): Set<Tensor> {
  if (value instanceof Tensor) found.add(value);
  else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !seen.has(value)) {
    seen.add(value);
    for (const item of Array.isArray(value) ? value : Object.values(value)) tensorsIn(item, found, seen);
  }
  return found;
}

/**
 * Runs `fn` and disposes every tensor made while it runs, except those it returns (a tensor, or
 * tensors in a returned array or object) and those passed to {@link keep}, as `tf.tidy`. `fn` must
 * be synchronous. An optional name comes first, as in tfjs (it is not used).
 * @example
 * ```ts
 * const classes = km.tidy(() => model.predict(xs).argMax(-1)); // the probabilities are disposed
 * ```
 */
export function tidy<T>(fn: () => T): T;
/** As the first overload, with a name first, as tfjs takes one. */
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const run = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (typeof run !== 'function') throw new Error(`km.tidy() takes a function to run, km.tidy(() => ...), or a name and a function; received ${typeof run}.`);
  openScope();
  let result: T | undefined;
  try {
    result = run();
  } finally {
    closeScope(tensorsIn(result));
  }
  if (result instanceof Promise) {
    throw new Error('km.tidy(): fn returned a Promise, but tidy runs fn synchronously and disposes its tensors when it returns. Use tidy around the synchronous parts inside the async function, or free tensors with km.dispose().');
  }
  return result;
}

/**
 * Keeps a tensor made inside {@link tidy} from being disposed when the tidy ends, as `tf.keep`;
 * returns it. Outside a tidy it does nothing.
 * @example
 * ```ts
 * let mean: km.Tensor;
 * km.tidy(() => { mean = km.keep(x.mean(0)); });
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  keepTensor(t);
  return t;
}

/**
 * Disposes a tensor, or every tensor in an array or object, as `tf.dispose`.
 * @example `km.dispose([xs, ys])`
 */
export function dispose(container: unknown): void {
  for (const t of tensorsIn(container)) t.dispose();
}
