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
  const warnFinalValue = finalValueWarner('km.data.generator(fn)');
  return new Dataset(async function* () {
    const it = toIterator(fn());
    for (;;) {
      const next = await it.next();
      if (next.done) return warnFinalValue(next.value);
      yield next.value;
    }
  });
}

/**
 * A warning, once per dataset, for an iterator result `{ value, done: true }` whose value is set:
 * it is no element (the iterator protocol, and tf.data's own toArray and batch, drop it), but
 * tfjs-layers' fitDataset and evaluateDataset train on it, and tfjs' jena-weather example returns
 * its last batch that way, so a port would silently lose that batch each epoch.
 */
function finalValueWarner(call: string): (value: unknown) => void {
  let warned = false;
  return (value) => {
    if (warned || value === undefined || value === null) return;
    warned = true;
    console.warn(
      `${call}: the iterator ended with { value, done: true } and a value, which is not an element, so it is dropped (as the JS iterator protocol and tf.data's toArray drop it). ` +
        'tfjs\' fitDataset and evaluateDataset train on that value: to keep it, return it with done: false and end with { done: true } on the next call.',
    );
  };
}

/** What `km.data.func`'s function returns: an element (`done` false or missing), or the end (`done: true`, its `value` dropped). */
export type FuncResult<T> = { value: T; done?: false } | { done: true; value?: unknown };

/** How an error quotes what `f` returned: its type, with the value or an object's keys. */
function describeReturned(result: unknown): string {
  if (result === null || result === undefined) return String(result);
  if (Array.isArray(result)) return `an array of ${result.length}`;
  if (typeof result === 'object') return `an object with neither a value nor a done key (keys: ${Object.keys(result).map((k) => `'${k}'`).join(', ') || 'none'})`;
  if (typeof result === 'function') return 'a function';
  return `${typeof result} ${typeof result === 'string' ? JSON.stringify(result.slice(0, 40)) : String(result)}`;
}

/**
 * TensorFlow.js' `tf.data.func`: a dataset whose every element comes from one call of `f`,
 * which returns an iterator result (`{ value, done }`, or a promise of one). As in tfjs and the
 * JS iterator protocol, a missing `done` means false (`{ value }` is an element), and the dataset
 * ends at the first truthy `done` (its `value`, if any, is dropped, with a warning: tfjs' fitDataset trains on it). `f` keeps its own state, so a
 * second pass over the dataset goes on from where `f` is; its `size` is unknown (`null`), as in tfjs.
 *
 * @example
 * ```ts
 * let i = 0;
 * const ds = km.data.func(() => (i < 100 ? { value: { xs: [i / 100], ys: [i++ % 2] } } : { done: true }));
 * ```
 */
export function func<T>(f: () => FuncResult<T> | Promise<FuncResult<T>>): Dataset<T> {
  if (typeof f !== 'function') throw new Error(`km.data.func(f) needs a function. Received: ${typeof f}. Pass one that returns { value, done }, e.g. () => ({ value: next(), done: false }).`);
  const warnFinalValue = finalValueWarner('km.data.func(f)');
  return new Dataset(async function* () {
    for (;;) {
      const result: unknown = await f();
      // tfjs would yield undefined forever here; an element returned bare ({ xs, ys }) is the likely mistake.
      if (result === null || typeof result !== 'object' || Array.isArray(result) || !('value' in result || 'done' in result)) {
        throw new Error(
          `km.data.func(f): f must return an iterator result { value, done } (or a promise of one), but returned ${describeReturned(result)}. ` +
            'Return { value: element } (done defaults to false) per element, and { done: true } at the end.',
        );
      }
      const next = result as { value?: T; done?: unknown };
      if (next.done) return warnFinalValue(next.value);
      yield next.value as T;
    }
  });
}
