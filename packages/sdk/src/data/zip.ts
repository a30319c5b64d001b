import { Tensor } from '../tensor.js';
import { isPlainObject } from '../utils/plain_object.js';
import { Dataset } from './dataset.js';
import { zippedSize } from './dataset_size.js';

/** Datasets arranged in objects and arrays, nested to any depth, as `km.data.zip` takes them. */
export type DatasetStructure = readonly DatasetNest[] | { readonly [key: string]: DatasetNest };
type DatasetNest = Dataset<unknown> | DatasetStructure;

/**
 * The element of a zip of `S`: `S` with each dataset replaced by one of its elements. (Where `S`
 * is only known as a structure, its parts are `unknown`, which also stops the recursion.)
 */
export type Zipped<S> = [DatasetNest] extends [S] ? unknown : S extends Dataset<infer E> ? E : { -readonly [K in keyof S]: Zipped<S[K]> };

/** Rebuilds the structure for one element, taking the leaves' values in the order they were found. */
type Assemble = (values: readonly unknown[]) => unknown;

function received(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Tensor) return 'a km.Tensor';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}

/** Collects the datasets of `nest` into `leaves` (depth first, in key order) and returns how to rebuild an element. */
function plan(nest: unknown, path: string, leaves: Dataset<unknown>[]): Assemble {
  if (nest instanceof Dataset) {
    const at = leaves.push(nest) - 1;
    return (values) => values[at];
  }
  if (Array.isArray(nest)) {
    const parts = nest.map((entry, i) => plan(entry, `${path}[${i}]`, leaves));
    return (values) => parts.map((part) => part(values));
  }
  if (isPlainObject(nest)) {
    const parts = Object.entries(nest).map(([key, entry]) => [key, plan(entry, `${path}.${key}`, leaves)] as const);
    return (values) => Object.fromEntries(parts.map(([key, part]) => [key, part(values)]));
  }
  throw new Error(
    `km.data.zip: ${path} is ${received(nest)}, not a km.data dataset. Every leaf of the structure must be a dataset (objects and arrays may nest them): ` +
      'wrap arrays with km.data.array(items), or add constants in a .map() after the zip.',
  );
}

/**
 * Zips datasets element by element, as tfjs' `tf.data.zip`: `datasets` is an object or array of
 * datasets, nested to any depth, and each element has that structure with every dataset replaced
 * by its next element. It ends with the shortest dataset; its `size` is the smallest of all the
 * datasets' sizes, nested ones included (unknown when any is).
 *
 * @example
 * ```ts
 * const ds = km.data.zip({ xs: km.data.array(features), ys: km.data.array(labels) }).batch(32);
 * // A model with inputs named 'image' and 'meta': each element is { xs: { image, meta }, ys }.
 * const multi = km.data.zip({ xs: { image: km.data.array(images), meta: km.data.array(metadata) }, ys: km.data.array(labels) }).batch(32);
 * const pairs = km.data.zip([a, b]); // elements [elementOfA, elementOfB]
 * ```
 */
export function zip<const S extends DatasetStructure>(datasets: S): Dataset<Zipped<S>> {
  if (typeof datasets !== 'object' || datasets === null || datasets instanceof Dataset || !(Array.isArray(datasets) || isPlainObject(datasets))) {
    const what = datasets instanceof Dataset ? 'a single dataset' : received(datasets);
    throw new Error(`km.data.zip(datasets) needs an object or array of datasets, e.g. { xs, ys } or [a, b]. Received: ${what}.`);
  }
  const leaves: Dataset<unknown>[] = [];
  const assemble = plan(datasets, 'datasets', leaves);
  if (leaves.length === 0) throw new Error('km.data.zip(datasets): the structure holds no dataset, so it has no elements to pair. Pass at least one, e.g. km.data.zip({ xs: km.data.array(features) }).');
  const zipped = new Dataset<unknown>(async function* () {
    const iterators = leaves.map((ds) => ds.iterator());
    for (;;) {
      const nexts = await Promise.all(iterators.map((it) => it.next()));
      if (nexts.some((n) => n.done)) return;
      yield assemble(nexts.map((n) => n.value));
    }
  }, zippedSize(leaves.map((ds) => ds.size)), leaves);
  return zipped as Dataset<Zipped<S>>;
}
