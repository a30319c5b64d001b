import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as km from '../index.js';
import { tfd, tfjsReady } from './testing/tfjs_data.js';

beforeAll(tfjsReady);

/** The same datasets in either library: a range from `start`, and rows of two numbers. */
interface Maker {
  range(n: number, start?: number): unknown;
  pairs(n: number): unknown;
}
const ours: Maker = {
  range: (n, start = 0) => km.data.array(Array.from({ length: n }, (_, i) => start + i)),
  pairs: (n) => km.data.array(Array.from({ length: n }, (_, i) => [i, 10 + i])),
};
const theirs: Maker = {
  range: (n, start = 0) => tfd.array(Array.from({ length: n }, (_, i) => start + i)),
  pairs: (n) => tfd.array(Array.from({ length: n }, (_, i) => [i, 10 + i])),
};

/** Structures of datasets as tfjs' zip takes them: objects and arrays, nested. */
const structures: [string, (d: Maker) => unknown][] = [
  ['a flat object', (d) => ({ xs: d.range(4), ys: d.range(3, 10) })],
  ['a flat array', (d) => [d.range(4), d.pairs(5)]],
  ['an object inside an object', (d) => ({ xs: { a: d.range(5), b: d.pairs(4) }, ys: d.range(6, 100) })],
  ['an array inside an object', (d) => ({ xs: [d.range(5), d.range(3, 20)], ys: d.range(6) })],
  ['objects inside an array', (d) => [{ a: d.range(5) }, { b: d.range(4, 7), c: [d.pairs(6)] }]],
  ['three levels', (d) => ({ x: { y: { z: d.range(2) } }, w: d.range(3) })],
];

describe('km.data.zip of nested datasets', () => {
  it("yields tfjs' elements: the same structure, with each dataset's next element", async () => {
    for (const [name, build] of structures) {
      const zipped = km.data.zip(build(ours) as km.data.DatasetStructure);
      const expected = await tfd.zip(build(theirs) as never).toArray();
      expect([name, await zipped.toArray()]).toEqual([name, expected]);
      // Every pass starts each dataset again.
      expect([name, await zipped.toArray()]).toEqual([name, expected]);
    }
  });

  it('types each element after the structure', () => {
    const ds = km.data.zip({ xs: { a: km.data.array([1]), b: km.data.array(['s']) }, ys: [km.data.array([[1, 2]])] });
    expectTypeOf(ds).toEqualTypeOf<km.data.Dataset<{ xs: { a: number; b: string }; ys: [number[]] }>>();
  });

  it('batches a nested element per key, so a model with named inputs reads xs', async () => {
    const ds = km.data.zip({ xs: { a: km.data.array([[1, 2], [3, 4], [5, 6]]), b: km.data.array([7, 8, 9]) }, ys: km.data.array([0, 1, 0]) });
    const [batch] = await ds.batch(3).toArray();
    expect(batch.xs.a.shape).toEqual([3, 2]);
    expect(Array.from(batch.xs.b.dataSync())).toEqual([7, 8, 9]);
    expect(batch.ys.shape).toEqual([3]);
  });

  it('names a leaf that is not a dataset by its path, and refuses a structure with no dataset', () => {
    const a = km.data.array([1]);
    expect(() => km.data.zip({ xs: { a, b: [1, 2] as never } })).toThrow(/km.data.zip: datasets.xs.b\[0\] is number, not a km.data dataset.*wrap arrays with km.data.array\(items\)/);
    expect(() => km.data.zip([a, km.tensor([1]) as never])).toThrow(/datasets\[1\] is a km.Tensor, not a km.data dataset/);
    expect(() => km.data.zip({ xs: null as never })).toThrow(/datasets.xs is null/);
    expect(() => km.data.zip(a as never)).toThrow(/needs an object or array of datasets, e.g. \{ xs, ys \} or \[a, b\]. Received: a single dataset/);
    expect(() => km.data.zip(5 as never)).toThrow(/Received: number/);
    expect(() => km.data.zip({ xs: {} })).toThrow(/the structure holds no dataset.*Pass at least one/);
  });
});
