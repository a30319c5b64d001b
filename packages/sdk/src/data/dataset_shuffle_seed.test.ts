import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const twoEpochs = async (ds: km.data.Dataset<number>) => [await ds.toArray(), await ds.toArray()];

describe('Dataset.shuffle seeds', () => {
  it('keeps the orders integer seeds gave before string seeds were added', async () => {
    // Recorded from the implementation that took integer seeds only.
    expect(await twoEpochs(km.data.array(range(12)).shuffle(12, 7))).toEqual([
      [5, 6, 7, 3, 4, 11, 2, 8, 9, 0, 1, 10],
      [3, 8, 2, 11, 7, 1, 5, 6, 10, 9, 4, 0],
    ]);
    expect(await km.data.array(range(12)).shuffle(4, 123456789, false).toArray()).toEqual([1, 3, 5, 0, 4, 2, 6, 8, 7, 10, 9, 11]);
    expect(await km.data.array(range(12)).shuffle(12, -5).toArray()).toEqual([4, 10, 1, 5, 3, 7, 9, 6, 11, 8, 2, 0]);
  });

  it("takes tfjs' string seed: the same string gives the same orders, epoch by epoch", async () => {
    const epochs = await twoEpochs(km.data.array(range(50)).shuffle(50, 'tfjs-examples'));
    expect([...epochs[0]].sort((a, b) => a - b)).toEqual(range(50));
    expect(epochs[0]).not.toEqual(range(50));
    expect(epochs[1]).not.toEqual(epochs[0]);
    expect(await twoEpochs(km.data.array(range(50)).shuffle(50, 'tfjs-examples'))).toEqual(epochs);
    const fixed = km.data.array(range(50)).shuffle(50, 'tfjs-examples', false);
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
  });

  it('gives different orders for different strings', async () => {
    const orders = await Promise.all(['a', 'b', 'seed', 'seed ', 'é'].map((s) => km.data.array(range(50)).shuffle(50, s).toArray()));
    expect(new Set(orders.map((o) => o.join())).size).toBe(orders.length);
  });

  it('hashes a string with 32-bit FNV-1a over its UTF-8 bytes, so it is the same in every runtime', async () => {
    // 0xbf9cf968 is FNV-1a's published hash of "foobar".
    const fromString = await twoEpochs(km.data.array(range(30)).shuffle(30, 'foobar'));
    expect(await twoEpochs(km.data.array(range(30)).shuffle(30, 0xbf9cf968))).toEqual(fromString);
  });

  it('refuses seeds that are neither integers nor strings, and the empty string', () => {
    const ds = km.data.array([1, 2, 3]);
    expect(() => ds.shuffle(3, 1.5)).toThrow(/seed must be an integer. Received: seed=1.5. Round it, or pass a string such as 'my-seed'/);
    expect(() => ds.shuffle(3, NaN)).toThrow(/seed must be an integer. Received: seed=NaN/);
    expect(() => ds.shuffle(3, true as never)).toThrow(/seed must be an integer or a string. Received: seed=true \(boolean\). Pass an integer such as 42/);
    expect(() => ds.shuffle(3, null as never)).toThrow(/Received: seed=null \(null\)/);
    expect(() => ds.shuffle(3, { seed: 1 } as never)).toThrow(/Received: seed=\{"seed":1\} \(object\)/);
    expect(() => ds.shuffle(3, '')).toThrow(/seed is an empty string, which tfjs treats as no seed.*Leave the seed out for that/);
  });
});
