// tfjs' tf.util assertions and type tests. The assertions keep tfjs' messages word for word: code
// ported from tfjs may match on them.

/**
 * Throws an Error with the message `msg()` (or `msg`, when given a string) unless `expr` holds, as
 * `tf.util.assert`; the message is built only when the check fails.
 * @example
 * ```ts
 * km.util.assert(x.rank === 2, () => `x must be 2-D, got rank ${x.rank}`);
 * ```
 */
export function assert(expr: boolean, msg: (() => string) | string): void {
  if (!expr) throw new Error(typeof msg === 'string' ? msg : msg());
}

/**
 * Throws when `a` is null or undefined, with tfjs' message for a tensor made of nothing, as
 * `tf.util.assertNonNull`.
 * @example `km.util.assertNonNull(values)`
 */
export function assertNonNull(a: unknown): void {
  assert(a != null, () => `The input to the tensor constructor must be a non-null value.`);
}

/** Whether `value` is a string primitive or a String object, as `tf.util.isString`. @example `km.util.isString('a') // true` */
export function isString(value: unknown): value is string {
  return typeof value === 'string' || value instanceof String;
}

/** Whether `value` is a boolean primitive, as `tf.util.isBoolean`. @example `km.util.isBoolean(false) // true` */
export function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}

/** Whether `value` is a number primitive (NaN included), as `tf.util.isNumber`. @example `km.util.isNumber(NaN) // true` */
export function isNumber(value: unknown): boolean {
  return typeof value === 'number';
}

/** Whether `f` can be called (has call and apply), as `tf.util.isFunction`. @example `km.util.isFunction(Math.max) // true` */
export function isFunction(f: unknown): boolean {
  const g = f as { constructor?: unknown; call?: unknown; apply?: unknown } | null | undefined;
  return !!(g && g.constructor && g.call && g.apply);
}

/**
 * Whether `object` is a thenable (has a `then` method), as `tf.util.isPromise`: promises of other
 * libraries and zone.js-patched ones count too, which `instanceof Promise` would miss.
 * @example `km.util.isPromise(model.save(handler)) // true`
 */
export function isPromise(object: unknown): object is Promise<unknown> {
  const o = object as { then?: unknown } | null | undefined;
  return !!(o && o.then && typeof o.then === 'function');
}
