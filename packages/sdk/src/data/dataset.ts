import { epochSeed } from '../engine/training.js';
import type { Tensor } from '../tensor.js';
import { globalGenerator } from '../utils/random.js';
import { stackBatch } from './stack.js';
import { shuffleBuffered, type ShuffleCounter } from './shuffle.js';
import { prefetched } from './prefetch.js';
import { batchedSize, concatenatedSize, filteredSize, repeatedSize, skippedSize, takenSize, type DatasetSize } from './dataset_size.js';

function checkCount(value: number, what: string, min: number, fix: string): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`${what} must be an integer ≥ ${min}. Received: ${value}. ${fix}`);
}

/**
 * A `take`, `skip` or `repeat` count as tfjs reads it: `null` for no count (omitted, `null` or
 * negative), else the count, `Infinity` included. tfjs also runs NaN and fractions, giving sizes
 * that disagree with what it yields (`take(2.5)` yields 3 elements, size 2.5), so those are refused.
 */
function streamCount(count: unknown, call: string, none: string): number | null {
  if (count === undefined || count === null) return null;
  if (typeof count !== 'number' || Number.isNaN(count) || (Number.isFinite(count) && !Number.isInteger(count))) {
    const received = typeof count === 'number' ? String(count) : `${JSON.stringify(count) ?? String(count)} (${typeof count})`;
    throw new Error(`${call} must be an integer, or negative or omitted for ${none} (as in tfjs). Received: ${received}. Round it, e.g. with Math.floor.`);
  }
  return count < 0 ? null : count;
}

/**
 * A stream of elements read lazily, the way `tf.data` does it: every pass over the data calls
 * `iterator()` again, so a dataset can be larger than memory and can be iterated once per epoch.
 * Make one with `km.data.array`, `km.data.generator`, `km.data.zip` or `km.data.csv`, then chain
 * transformations; each returns a new dataset and leaves this one unchanged.
 *
 * @example
 * ```ts
 * const ds = km.data.zip({ xs: km.data.array(features), ys: km.data.array(labels) })
 *   .shuffle(1000, 42).batch(32).prefetch(2);
 * await model.fit(ds, { epochs: 5 });
 * ```
 */
export class Dataset<T> implements AsyncIterable<T> {
  readonly #open: () => AsyncIterator<T>;
  readonly #size: DatasetSize;
  readonly #shuffleCounters: readonly ShuffleCounter[];

  /**
   * The number of elements, as tfjs' `dataset.size`: a count when the transformations allow it
   * (`array`, then `take`, `skip`, `batch`, `map`, `shuffle`, `prefetch`, `concatenate`, `zip`, a
   * counted `repeat`), `Infinity` after `repeat()` with no count, and `null` when only reading the
   * data would tell (a `generator`, a `csv` file, anything after `filter`).
   *
   * @example
   * ```ts
   * km.data.array([1, 2, 3, 4, 5]).batch(2).size;          // 3
   * km.data.array([1, 2, 3]).repeat().size;                // Infinity
   * km.data.array([1, 2, 3]).filter((v) => v > 1).size;    // null
   * ```
   */
  get size(): DatasetSize {
    return this.#size;
  }

  /** @internal Use the `km.data` factories. */
  constructor(open: () => AsyncIterator<T>, size: DatasetSize = null, upstream: readonly Dataset<unknown>[] = [], counter?: ShuffleCounter) {
    this.#open = open;
    this.#size = size;
    this.#shuffleCounters = [...new Set([...upstream.flatMap((d) => d.#shuffleCounters), ...(counter ? [counter] : [])])];
  }

  /**
   * @internal The iteration counters of the reshuffling `shuffle`s this dataset reads from, in
   * pipeline order: a training backup keeps them, so that a resumed `fit` draws the same orders.
   */
  get shuffleCounters(): readonly ShuffleCounter[] {
    return this.#shuffleCounters;
  }

  /** A fresh iterator from the start of the data. */
  iterator(): AsyncIterator<T> {
    return this.#open();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.#open();
  }

  /** All elements in an array (only for data that fits in memory); an infinite dataset is refused rather than read forever. */
  async toArray(): Promise<T[]> {
    this.#refuseInfinite('toArray()');
    const out: T[] = [];
    for await (const element of this) out.push(element);
    return out;
  }

  /**
   * Calls `f` on each element in order, as tfjs' `forEachAsync`; the elements are not kept.
   * @example `await ds.forEachAsync((row) => console.log(row))`
   */
  async forEachAsync(f: (element: T) => void | Promise<void>): Promise<void> {
    this.#refuseInfinite('forEachAsync(f)');
    for await (const element of this) await f(element);
  }

  /**
   * The first `count` elements; all of them when `count` is negative (or omitted), as in tfjs.
   * @example `km.data.array([1, 2, 3]).take(2)` yields 1, 2; `.take(-1)` yields 1, 2, 3.
   */
  take(count: number): Dataset<T> {
    const limit = streamCount(count, 'take(count)', 'all elements') ?? Infinity;
    const source = this;
    return new Dataset(async function* () {
      if (limit === 0) return;
      let taken = 0;
      for await (const element of source) {
        yield element;
        if (++taken >= limit) return;
      }
    }, takenSize(this.size, limit), [this]);
  }

  /**
   * Every element after the first `count`; all of them when `count` is negative (or omitted), as in tfjs.
   * @example `km.data.array([1, 2, 3]).skip(2)` yields 3; `.skip(-1)` yields 1, 2, 3.
   */
  skip(count: number): Dataset<T> {
    const dropped = streamCount(count, 'skip(count)', 'none skipped') ?? 0;
    const source = this;
    return new Dataset(async function* () {
      let seen = 0;
      for await (const element of source) if (seen++ >= dropped) yield element;
    }, skippedSize(this.size, dropped), [this]);
  }

  /** Each element passed through `fn` (which may be async). */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    return this.#mapped(fn, 'map(fn)');
  }

  /**
   * tfjs' name for `map` with an async transform: each element replaced by what `transform`
   * resolves to, one at a time and in order.
   *
   * @example
   * ```ts
   * const images = km.data.array(urls).mapAsync(async (url) => decode(await (await fetch(url)).arrayBuffer()));
   * ```
   */
  mapAsync<U>(transform: (element: T) => Promise<U>): Dataset<U> {
    return this.#mapped(transform, 'mapAsync(transform)');
  }

  #mapped<U>(fn: (element: T) => U | Promise<U>, call: string): Dataset<U> {
    if (typeof fn !== 'function') throw new Error(`${call} needs a function. Received: ${typeof fn}. Pass (element) => newElement.`);
    const source = this;
    return new Dataset(async function* () {
      for await (const element of source) yield await fn(element);
    }, this.size, [this]);
  }

  /**
   * The elements for which `predicate` (which may be async) returns true, in order.
   *
   * @example
   * ```ts
   * const evens = km.data.array([1, 2, 3, 4]).filter((v) => v % 2 === 0); // 2, 4
   * ```
   */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    if (typeof predicate !== 'function') throw new Error(`filter(predicate) needs a function. Received: ${typeof predicate}. Pass (element) => true to keep the element.`);
    const source = this;
    return new Dataset(async function* () {
      for await (const element of source) if (await predicate(element)) yield element;
    }, filteredSize(this.size), [this]);
  }

  /**
   * This dataset's elements, then `other`'s.
   *
   * @example
   * ```ts
   * const all = km.data.array([1, 2]).concatenate(km.data.array([3])); // 1, 2, 3
   * ```
   */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new Error(`concatenate(other) needs a km.data dataset. Received: ${other === null ? 'null' : typeof other}. Wrap arrays with km.data.array(items).`);
    const source = this;
    return new Dataset(async function* () {
      yield* source;
      yield* other;
    }, concatenatedSize(this.size, other.size), [this, other]);
  }

  /**
   * The data `count` times over (forever when `count` is omitted or negative, as in tfjs),
   * restarting the source each time. Forever makes the dataset infinite (`size` is `Infinity`):
   * bound it with `take(n)`, or give `fit` a `batchesPerEpoch`.
   * @example `km.data.array([1, 2]).repeat(2)` yields 1, 2, 1, 2; `.repeat().take(3)` yields 1, 2, 1.
   */
  repeat(count?: number): Dataset<T> {
    const passes = streamCount(count, 'repeat(count)', 'forever') ?? Infinity;
    const source = this;
    return new Dataset(async function* () {
      for (let pass = 0; pass < passes; pass++) {
        let any = false;
        for await (const element of source) {
          any = true;
          yield element;
        }
        // An empty source repeated forever would spin without yielding.
        if (!any) return;
      }
    }, repeatedSize(this.size, passes), [this]);
  }

  /**
   * Groups `batchSize` consecutive elements into one, stacking numbers, arrays of numbers and tensors
   * into a tensor with a leading batch dimension; objects (`{ xs, ys }`) are batched key by key,
   * and a list holding tensors or objects (`{ xs: [a, b] }` for a model with two inputs) position
   * by position, as tf.data does. Rows of different lengths are an error, not padded.
   * The last batch may be smaller unless `smallLastBatch` is false.
   *
   * Each tensor's dtype is tfjs': the first value of the first element sets it, int32 for an
   * Int32Array, Uint8Array, Uint8ClampedArray or int32 tensor and float32 otherwise (plain numbers,
   * integers included, are float32). An int32 batch refuses a later value that is not an int32
   * (tfjs truncates it). Strings (a `km.data.csv` text column) and lists of strings, which tfjs
   * batches into a 'string' tensor, become a plain `string[]` (or `string[][]`), since kerasm's
   * tensors hold no strings: encode them with a `km.layers.stringLookup` or `textVectorization`
   * (`lookup.apply(batch.xs.thal)`) before `fit`, which refuses text. Booleans, which tfjs batches
   * into a 'bool' tensor, are refused: map them to numbers first.
   *
   * @example
   * ```ts
   * const [b] = await km.data.array([{ xs: Uint8Array.of(0, 255), ys: 1 }]).batch(32).toArray();
   * b!.xs.dtype; // 'int32', as tfjs ('float32' from Float32Array rows or number arrays)
   * b!.ys.dtype; // 'float32'
   * ```
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<Batched<T>> {
    checkCount(batchSize, 'batch(batchSize)', 1, 'Pass the number of elements per batch, e.g. batch(32).');
    const source = this;
    return new Dataset(async function* () {
      let group: T[] = [];
      for await (const element of source) {
        group.push(element);
        if (group.length === batchSize) {
          yield stackBatch(group) as Batched<T>;
          group = [];
        }
      }
      if (group.length > 0 && smallLastBatch) yield stackBatch(group) as Batched<T>;
    }, batchedSize(this.size, batchSize, smallLastBatch), [this]);
  }

  /**
   * Shuffles with a buffer of `bufferSize` elements, as `tf.data` does: each output is drawn at
   * random from the buffer and replaced by the next input. A buffer at least as large as the
   * dataset gives a uniform shuffle. The same `seed` gives the same order, run to run; by default
   * each new iteration (each epoch) draws a different order from it, and
   * `km.callbacks.backupAndRestore` keeps how many it has begun, so a resumed `fit` draws the
   * uninterrupted run's orders. The seed is an integer, or a string as tfjs takes it (hashed to an
   * integer with FNV-1a; the orders differ from tfjs').
   *
   * @example
   * ```ts
   * const ds = km.data.array(samples).shuffle(samples.length, 'mnist-order').batch(32);
   * ```
   */
  shuffle(bufferSize: number, seed?: number | string, reshuffleEachIteration = true): Dataset<T> {
    checkCount(bufferSize, 'shuffle(bufferSize)', 1, 'Pass how many elements to shuffle among, e.g. the dataset size.');
    const base = seed === undefined ? Math.floor(globalGenerator().next() * 4294967296) : shuffleSeed(seed);
    const source = this;
    if (!reshuffleEachIteration) return new Dataset(() => shuffleBuffered(source.iterator(), bufferSize, base), this.size, [this]);
    const counter: ShuffleCounter = { iteration: 0 };
    return new Dataset(() => shuffleBuffered(source.iterator(), bufferSize, epochSeed(base, counter.iteration++)), this.size, [this], counter);
  }

  /** Reads up to `bufferSize` elements ahead while the consumer works on the current one. */
  prefetch(bufferSize: number): Dataset<T> {
    checkCount(bufferSize, 'prefetch(bufferSize)', 1, 'Pass how many elements to read ahead, e.g. prefetch(2).');
    return new Dataset(() => prefetched(this.iterator(), bufferSize), this.size, [this]);
  }

  #refuseInfinite(call: string): void {
    if (this.size !== Infinity) return;
    throw new Error(
      `${call}: this dataset is infinite (size Infinity: it repeats forever, e.g. after .repeat() with no count), so ${call} would never finish. ` +
        `Take a finite part first, e.g. ds.take(1000).${call}, or repeat a fixed number of times with .repeat(count).`,
    );
  }
}

/** An integer seed as it is; a string one hashed with 32-bit FNV-1a over its UTF-8 bytes, the same in every runtime. */
function shuffleSeed(seed: unknown): number {
  if (typeof seed === 'string') {
    if (seed === '') throw new Error(`shuffle(bufferSize, seed): seed is an empty string, which tfjs treats as no seed (a new order every run). Leave the seed out for that, or pass a non-empty string or an integer for a repeatable order.`);
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(seed)) hash = Math.imul(hash ^ byte, 0x01000193);
    return hash >>> 0;
  }
  if (typeof seed === 'number') {
    if (Number.isInteger(seed)) return seed;
    throw new Error(`shuffle(bufferSize, seed): seed must be an integer. Received: seed=${seed}. Round it, or pass a string such as 'my-seed', as tfjs takes it.`);
  }
  const received = `${JSON.stringify(seed) ?? String(seed)} (${seed === null ? 'null' : typeof seed})`;
  throw new Error(`shuffle(bufferSize, seed): seed must be an integer or a string. Received: seed=${received}. Pass an integer such as 42 or a string such as 'my-seed'.`);
}

/** Numbers and (nested) arrays of them: what `batch` stacks into one tensor. */
type NumericRows = number | ArrayLike<number> | readonly NumericRows[];

/** What `batch` turns an element type into: leaves become tensors (text a list of it), objects and lists of tensors are batched per key or position. */
export type Batched<T> = T extends string
  ? string[]
  : T extends readonly string[]
    ? string[][]
    : T extends NumericRows | { readonly shape: readonly number[] }
      ? Tensor
      : T extends object
        ? { [K in keyof T]: Batched<T[K]> }
        : Tensor;
