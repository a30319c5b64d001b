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

  it('names the fix for a non-function or a function that returns no iterator result', async () => {
    expect(() => km.data.func(3 as never)).toThrow(/km.data.func\(f\) needs a function. Received: number/);
    await expect(km.data.func(() => 5 as never).toArray()).rejects.toThrow(/f returned number; expected an iterator result \{ value, done \}/);
    await expect(km.data.func(() => null as never).toArray()).rejects.toThrow(/f returned null/);
  });
});
