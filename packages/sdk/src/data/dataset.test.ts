import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('km.data datasets', () => {
  it('take, skip, map, repeat compose and restart the source on every iteration', async () => {
    const ds = km.data.array(range(10)).skip(2).take(5).map((v) => v * 10);
    expect(await ds.toArray()).toEqual([20, 30, 40, 50, 60]);
    expect(await ds.toArray()).toEqual([20, 30, 40, 50, 60]);
    expect(await km.data.array([1, 2]).repeat(3).toArray()).toEqual([1, 2, 1, 2, 1, 2]);
    expect(await km.data.array([1, 2]).repeat().take(5).toArray()).toEqual([1, 2, 1, 2, 1]);
    expect(await km.data.array([]).repeat().toArray()).toEqual([]);
    expect(await km.data.array([1, 2, 3]).map(async (v) => v + 1).toArray()).toEqual([2, 3, 4]);
  });

  it("forEachAsync visits every element in order, awaiting each call, as tfjs' does", async () => {
    const seen: number[] = [];
    await km.data.array([3, 1, 2]).forEachAsync(async (v) => {
      await new Promise((resolve) => setTimeout(resolve, 3 - v));
      seen.push(v);
    });
    expect(seen).toEqual([3, 1, 2]);
  });

  it('generator calls its function again for each pass, sync or async', async () => {
    let calls = 0;
    const ds = km.data.generator(function* () {
      calls++;
      yield* [1, 2, 3];
    });
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
    const asyncDs = km.data.generator(async function* () {
      yield 'a';
      yield 'b';
    });
    expect(await asyncDs.toArray()).toEqual(['a', 'b']);
  });

  it('filter keeps, in order, the elements a sync or async predicate accepts, on every pass', async () => {
    const values = [5, 2, 8, 1, 9, 4, 7];
    const expected: number[] = [];
    for (const v of values) if (v > 4) expected.push(v);
    const big = km.data.array(values).filter((v) => v > 4);
    expect(await big.toArray()).toEqual(expected);
    expect(await big.toArray()).toEqual([5, 8, 9, 7]);
    expect(await km.data.array(values).filter(async (v) => v % 2 === 0).toArray()).toEqual([2, 8, 4]);
    expect(await km.data.array(values).filter(() => false).toArray()).toEqual([]);
    expect(() => km.data.array(values).filter(5 as never)).toThrow(/filter\(predicate\) needs a function. Received: number/);
  });

  it("concatenate yields this dataset's elements then the other's, restarting both on every pass", async () => {
    const ds = km.data.array([1, 2]).concatenate(km.data.generator(function* () {
      yield* [3, 4, 5];
    }));
    expect(await ds.toArray()).toEqual([1, 2, 3, 4, 5]);
    expect(await ds.toArray()).toEqual([1, 2, 3, 4, 5]);
    expect(await km.data.array<number>([]).concatenate(km.data.array([7])).take(1).toArray()).toEqual([7]);
    expect(() => km.data.array([1]).concatenate([2] as never)).toThrow(/concatenate\(other\) needs a km.data dataset/);
  });

  it('zip pairs elements and ends with the shortest', async () => {
    const ds = km.data.zip({ xs: km.data.array([[1, 2], [3, 4], [5, 6]]), ys: km.data.array([0, 1]) });
    expect(await ds.toArray()).toEqual([{ xs: [1, 2], ys: 0 }, { xs: [3, 4], ys: 1 }]);
  });

  it('batch stacks numbers, nested arrays, typed arrays and tensors per key, with a smaller last batch', async () => {
    const items = range(5).map((i) => ({ xs: [[i, i + 1], [i + 2, i + 3]], ys: i, w: Float32Array.of(i), t: km.tensor([i, -i]) }));
    const batches = await km.data.array(items).batch(2).toArray();
    expect(batches).toHaveLength(3);
    expect(batches[0].xs.shape).toEqual([2, 2, 2]);
    expect(Array.from(batches[0].xs.dataSync())).toEqual([0, 1, 2, 3, 1, 2, 3, 4]);
    expect(batches[1].ys.shape).toEqual([2]);
    expect(Array.from(batches[1].ys.dataSync())).toEqual([2, 3]);
    expect(batches[2].w.shape).toEqual([1, 1]);
    expect(Array.from(batches[2].t.dataSync())).toEqual([4, -4]);
    expect(await km.data.array(items).batch(2, false).toArray()).toHaveLength(2);
    const ints = await km.data.array([Int32Array.of(1), Int32Array.of(2)]).batch(2).toArray();
    expect(ints[0].dtype).toBe('int32');
  });

  it('batch names the element and shapes that do not stack', async () => {
    const ragged = km.data.array([{ xs: [1, 2, 3] }, { xs: [1, 2] }]).batch(2);
    await expect(ragged.toArray()).rejects.toThrow(/'xs' of element 1 has shape \[2\], but element 0 has shape \[3\].*same shape/);
    const missing = km.data.array<Record<string, number>>([{ xs: 1, ys: 2 }, { xs: 1 }]).batch(2);
    await expect(missing.toArray()).rejects.toThrow(/element 1 has no 'ys'/);
    await expect(km.data.array<unknown>(['a', 1]).batch(2).toArray()).rejects.toThrow(/the element of element 1 is a number \(1\), but element 0 is a string\. Give every element the same kind of value/);
    await expect(km.data.array<unknown>([1, 'a']).batch(2).toArray()).rejects.toThrow(/the element of element 1 is text \("a"\), where element 0 holds numbers\. A batch holds one kind of value/);
    // Rows of different lengths inside one element are refused, not padded with zeros.
    await expect(km.data.array([[[1, 2], [3]], [[4, 5], [6]]]).batch(2).toArray()).rejects.toThrow(/the element of element 0 is ragged: its entry 1 has shape \[1\], but entry 0 has shape \[2\]. Pad or map\(\) the rows/);
    await expect(km.data.array([{ xs: [1, [2, 3]] }]).batch(1).toArray()).rejects.toThrow(/'xs' of element 0 is ragged/);
    const tuples = km.data.array<km.Tensor[]>([[km.tensor([1]), km.tensor([2])], [km.tensor([3])]]).batch(2);
    await expect(tuples.toArray()).rejects.toThrow(/element 1 is an array of length 1, but element 0 is a list of 2/);
  });

  it('batch stacks a list of tensors position by position, as tf.data does: two inputs stay two', async () => {
    const items = range(3).map((i) => ({ xs: [km.tensor([10 + i, 20 + i]), km.tensor([30 + i])], ys: i }));
    const [batch] = await km.data.array(items).batch(3).toArray();
    expect(batch.xs.map((t) => t.shape)).toEqual([[3, 2], [3, 1]]);
    expect(Array.from(batch.xs[0].dataSync())).toEqual([10, 20, 11, 21, 12, 22]);
    expect(Array.from(batch.xs[1].dataSync())).toEqual([30, 31, 32]);

    const a = km.input({ shape: [2], name: 'a' });
    const b = km.input({ shape: [1], name: 'b' });
    const joined = km.layers.concatenate().apply([a, b]) as km.SymbolicTensor;
    const model = km.model({ inputs: [a, b], outputs: km.layers.dense({ units: 1 }).apply(joined) as km.SymbolicTensor });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const history = await model.fit(km.data.array(items).batch(3), { epochs: 1, verbose: 0 });
    expect(history.history.loss[0]).toBeGreaterThan(0);
  });

  it('buffer shuffle: a permutation, the same for the same seed, new each epoch, different for another seed', async () => {
    const base = km.data.array(range(100));
    const a = base.shuffle(100, 7);
    const epoch1 = await a.toArray();
    const epoch2 = await a.toArray();
    expect([...epoch1].sort((x, y) => x - y)).toEqual(range(100));
    expect(epoch1).not.toEqual(range(100));
    expect(epoch2).not.toEqual(epoch1);
    const again = base.shuffle(100, 7);
    expect(await again.toArray()).toEqual(epoch1);
    expect(await again.toArray()).toEqual(epoch2);
    expect(await base.shuffle(100, 8).toArray()).not.toEqual(epoch1);
    const fixed = base.shuffle(100, 7, false);
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
  });

  it('a small shuffle buffer only moves elements a bounded distance forward', async () => {
    // With a buffer of k, output position p can only hold an element read by then: index < p + k.
    const out = await km.data.array(range(200)).shuffle(5, 3).toArray();
    expect([...out].sort((x, y) => x - y)).toEqual(range(200));
    out.forEach((value, position) => expect(value).toBeLessThan(position + 5));
    expect(out).not.toEqual(range(200));
  });

  it('prefetch reads ahead of the consumer and keeps the order', async () => {
    let produced = 0;
    const ds = km.data.generator(async function* () {
      for (let i = 0; i < 6; i++) {
        produced++;
        yield i;
      }
    }).prefetch(3);
    const it = ds.iterator();
    expect((await it.next()).value).toBe(0);
    // The consumer took one element; the prefetcher has already asked for the next three.
    await new Promise((r) => setTimeout(r, 0));
    expect(produced).toBe(4);
    const rest: number[] = [];
    for (let n = await it.next(); !n.done; n = await it.next()) rest.push(n.value);
    expect(rest).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects bad arguments with the value received and a fix', () => {
    const ds = km.data.array([1]);
    expect(() => ds.batch(0)).toThrow(/batch\(batchSize\) must be an integer ≥ 1. Received: 0/);
    expect(() => ds.shuffle(-1)).toThrow(/shuffle\(bufferSize\) must be an integer ≥ 1. Received: -1/);
    expect(() => ds.shuffle(10, 1.5)).toThrow(/seed must be an integer. Received: seed=1.5/);
    expect(() => ds.take(1.5)).toThrow(/take\(count\).*Received: 1.5/);
    expect(() => ds.prefetch(0)).toThrow(/prefetch\(bufferSize\).*Received: 0/);
    expect(() => ds.repeat(0.5)).toThrow(/repeat\(count\).*Received: 0.5/);
    expect(() => km.data.array('abc' as never)).toThrow(/needs an array. Received: string/);
    expect(() => km.data.generator(5 as never)).toThrow(/needs a function. Received: number/);
    expect(() => km.data.zip({ xs: [1, 2] as never })).toThrow(/datasets.xs\[0\] is number, not a km.data dataset/);
    expect(() => ds.map('x' as never)).toThrow(/map\(fn\) needs a function/);
  });

  it('generator: a function that returns no iterator is named', async () => {
    await expect(km.data.generator(() => 42 as never).toArray()).rejects.toThrow(/fn returned number; expected an iterator/);
  });
});
