import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfd, tfjsReady } from './testing/tfjs_data.js';

beforeAll(tfjsReady);

/** A counter that ends after `n` elements, restarting only when `reset` is called. */
function counter(n: number) {
  let i = 0;
  return {
    next: (): IteratorResult<number, null> => (i < n ? { value: i++, done: false } : { value: null, done: true }),
    reset: () => (i = 0),
  };
}

describe('km.data.func, as tfjs-data 4.22 reads a function', () => {
  it('yields until done, then a second pass goes on from the function state', async () => {
    const ours = counter(5);
    const theirs = counter(5);
    const ds = km.data.func(ours.next);
    const tds = tfd.func(theirs.next);
    expect(ds.size).toBe(tds.size);
    expect(await ds.take(3).toArray()).toEqual(await tds.take(3).toArray());
    expect(await ds.toArray()).toEqual(await tds.toArray());
    expect(await ds.toArray()).toEqual(await tds.toArray());
    ours.reset();
    theirs.reset();
    expect(await ds.batch(2).map((b) => Array.from(b.dataSync())).toArray()).toEqual(await tds.batch(2).map((b) => Array.from((b as { dataSync(): Float32Array }).dataSync())).toArray());
  });

  it('awaits a function that returns promises, and feeds fit', async () => {
    let i = 0;
    const ds = km.data
      .func(async () => (i < 8 ? { value: { xs: [i / 8], ys: [(i++ % 2) as number] }, done: false } : { value: null, done: true }))
      .batch(4);
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const history = await model.fitDataset(ds, { epochs: 1, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
    expect(i).toBe(8);
  });

  it("reads a missing done as false and ends at a truthy done, with or without a value, as tfjs' func does", async () => {
    /** A function returning `results` in turn, then `{ done: true }`. */
    const calls = (results: readonly object[]) => {
      let i = 0;
      return () => (results[i++] ?? { done: true }) as IteratorResult<unknown>;
    };
    const cases: object[][] = [
      [{ value: 1 }, { value: 2 }],
      [{ value: 1, done: false }, { done: true }, { value: 9 }],
      [{ value: 1, done: false }, { value: 5, done: 1 }],
      [{ value: 1, done: 0 }, { value: null }, { value: { xs: [1], ys: [0] } }],
    ];
    for (const results of cases) {
      const ours = await km.data.func(calls(results)).take(5).toArray();
      expect(ours).toEqual(await tfd.func(calls(results) as () => IteratorResult<number>).take(5).toArray());
    }
    expect(await km.data.func(calls(cases[0])).toArray()).toEqual([1, 2]);
    expect(await km.data.func(calls(cases[1])).toArray()).toEqual([1]);
  });

  it('names the fix for a non-function or a function that returns no iterator result, quoting what it returned', async () => {
    expect(() => km.data.func(3 as never)).toThrow(/km.data.func\(f\) needs a function. Received: number/);
    const fix = ' Return { value: element } (done defaults to false) per element, and { done: true } at the end.';
    const returned = async (r: unknown) => (await km.data.func(() => r as never).toArray().then(() => 'no error', (e: Error) => e.message));
    expect(await returned(5)).toBe(`km.data.func(f): f must return an iterator result { value, done } (or a promise of one), but returned number 5.${fix}`);
    expect(await returned(null)).toBe(`km.data.func(f): f must return an iterator result { value, done } (or a promise of one), but returned null.${fix}`);
    expect(await returned(undefined)).toMatch(/but returned undefined\./);
    expect(await returned('ab')).toMatch(/but returned string "ab"\./);
    expect(await returned([1, 2])).toMatch(/but returned an array of 2\./);
    // The element returned bare, which tfjs would read as undefined elements forever.
    expect(await returned({ xs: [1], ys: [0] })).toBe(`km.data.func(f): f must return an iterator result { value, done } (or a promise of one), but returned an object with neither a value nor a done key (keys: 'xs', 'ys').${fix}`);
    expect(await returned({})).toMatch(/neither a value nor a done key \(keys: none\)/);
    await expect(km.data.func(async () => 7 as never).toArray()).rejects.toThrow(/but returned number 7\./);
  });
});

// Typechecked only: the forms tfjs accepts need no cast.
export const funcTypes = [
  km.data.func(() => ({ value: 1 })),
  km.data.func(() => ({ done: true })),
  km.data.func<number>(() => (Math.random() < 0.5 ? { value: 1, done: false } : { value: null, done: true })),
  km.data.func(async () => ({ value: [1, 2] })),
];
