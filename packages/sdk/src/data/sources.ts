import { Dataset } from './dataset.js';

/**
 * A dataset over the elements of an array (read each time it is iterated).
 *
 * @example
 * ```ts
 * const ds = km.data.array([{ xs: [0, 1], ys: 1 }, { xs: [1, 0], ys: 0 }]).batch(2);
 * ```
 */
export function array<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new Error(`km.data.array(items) needs an array. Received: ${items === null ? 'null' : typeof items}. Wrap the elements in [...].`);
  return new Dataset(async function* () {
    yield* items;
  }, items.length);
}

type Source<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

function toIterator<T>(made: Source<T>): Iterator<T> | AsyncIterator<T> {
  if (made && typeof (made as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') return (made as AsyncIterable<T>)[Symbol.asyncIterator]();
  if (made && typeof (made as Iterable<T>)[Symbol.iterator] === 'function') return (made as Iterable<T>)[Symbol.iterator]();
  if (made && typeof (made as Iterator<T>).next === 'function') return made as Iterator<T>;
  throw new Error(
    `km.data.generator(fn): fn returned ${made === null ? 'null' : typeof made}; expected an iterator or iterable. ` +
      'Pass a generator function (function* () { yield ... }) or an async one.',
  );
}

/**
 * A dataset whose elements come from a (sync or async) generator function, called again for
 * each pass over the data, so the data never has to be in memory at once. Its `size` is unknown
 * (`null`), as in tfjs: bound an endless generator with `take(n)` or `fit`'s `batchesPerEpoch`.
 *
 * @example
 * ```ts
 * const ds = km.data.generator(function* () {
 *   for (let i = 0; i < 1000; i++) yield { xs: [i / 1000], ys: [2 * i / 1000] };
 * }).batch(32);
 * ```
 */
export function generator<T>(fn: () => Source<T>): Dataset<T> {
  if (typeof fn !== 'function') throw new Error(`km.data.generator(fn) needs a function. Received: ${typeof fn}. Pass a generator function, e.g. function* () { yield { xs, ys }; }.`);
  return new Dataset(async function* () {
    const it = toIterator(fn());
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  });
}

/**
 * TensorFlow.js' `tf.data.func`: a dataset whose every element comes from one call of `f`,
 * which returns an iterator result (`{ value, done }`, or a promise of one). The dataset ends at
 * the first `done: true` (its `value` is dropped). `f` keeps its own state, so a second pass over
 * the dataset goes on from where `f` is; its `size` is unknown (`null`), as in tfjs.
 *
 * @example
 * ```ts
 * let i = 0;
 * const ds = km.data.func(() => (i < 100 ? { value: { xs: [i / 100], ys: [i++ % 2] }, done: false } : { value: null, done: true }));
 * ```
 */
export function func<T>(f: () => IteratorResult<T> | Promise<IteratorResult<T>>): Dataset<T> {
  if (typeof f !== 'function') throw new Error(`km.data.func(f) needs a function. Received: ${typeof f}. Pass one that returns { value, done }, e.g. () => ({ value: next(), done: false }).`);
  return new Dataset(async function* () {
    for (;;) {
      const result = await f();
      if (result === null || typeof result !== 'object' || !('done' in result)) {
        throw new Error(`km.data.func(f): f returned ${result === null ? 'null' : typeof result}; expected an iterator result { value, done }. Return { value: element, done: false } per element and { value: null, done: true } at the end.`);
      }
      if (result.done) return;
      yield result.value;
    }
  });
}
