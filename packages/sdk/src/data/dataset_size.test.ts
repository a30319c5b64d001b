import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

const range = (n: number) => km.data.array(Array.from({ length: n }, (_, i) => i));
const oneShot = () =>
  km.data.generator(function* () {
    yield 1;
  });

describe('dataset.size', () => {
  it("is what tfjs-data 4.22's dataset.size reports through every transformation", () => {
    // Each expected value was printed by @tensorflow/tfjs-data 4.22.0 for the same pipeline.
    const cases: [string, km.data.Dataset<unknown>, number | null][] = [
      ['array(10)', range(10), 10],
      ['take(3)', range(10).take(3), 3],
      ['take past the end', range(10).take(30), 10],
      ['take(0)', range(10).take(0), 0],
      ['skip(3)', range(10).skip(3), 7],
      ['skip past the end', range(10).skip(30), 0],
      ['batch(3)', range(10).batch(3), 4],
      ['batch(3, false)', range(10).batch(3, false), 3],
      ['repeat(3)', range(10).repeat(3), 30],
      ['repeat()', range(10).repeat(), Infinity],
      ['repeat(0)', range(10).repeat(0), 0],
      ['repeat().take(25)', range(10).repeat().take(25), 25],
      ['repeat().skip(5)', range(10).repeat().skip(5), Infinity],
      ['repeat().batch(4)', range(10).repeat().batch(4), Infinity],
      ['map', range(10).map((v) => v), 10],
      ['mapAsync', range(10).mapAsync(async (v) => v), 10],
      ['shuffle(5)', range(10).shuffle(5, 1), 10],
      ['prefetch(2)', range(10).prefetch(2), 10],
      ['filter', range(10).filter((v) => v > 2), null],
      ['repeat().filter', range(10).repeat().filter((v) => v > 2), Infinity],
      ['concatenate', range(10).concatenate(range(5)), 15],
      ['concatenate an infinite one', range(10).concatenate(range(5).repeat()), Infinity],
      ['concatenate a generator', range(10).concatenate(oneShot() as never), null],
      ['zip', km.data.zip({ x: range(10), y: range(4) }), 4],
      ['zip with an infinite one', km.data.zip({ x: range(10), y: range(4).repeat() }), 10],
      ['zip of infinite ones', km.data.zip({ x: range(4).repeat(), y: range(3).repeat() }), Infinity],
      ['generator', oneShot(), null],
      ['generator.take(3)', oneShot().take(3), null],
      ['generator.repeat(2)', oneShot().repeat(2), null],
    ];
    for (const [name, ds, size] of cases) expect([name, ds.size]).toEqual([name, size]);
  });

  it('counts exactly the elements a pass yields when it is finite', async () => {
    const finite = [range(10).take(3), range(10).skip(3), range(10).batch(3), range(10).batch(3, false), range(4).repeat(3), range(10).shuffle(4, 2), km.data.zip({ x: range(7), y: range(5) }), range(3).concatenate(range(2)).prefetch(2)];
    for (const ds of finite) expect((await ds.toArray()).length).toBe(ds.size);
  });

  it('where tfjs is wrong or says unknown, follows tf.data: zip with an unknown size, an endless generator, an empty repeat', async () => {
    // tfjs gives 0 or 10 depending on the order of the two (Math.min(10, null) is 0).
    expect(km.data.zip({ x: range(10), y: oneShot() }).size).toBeNull();
    expect(km.data.zip({ y: oneShot(), x: range(10) }).size).toBeNull();
    // tfjs: null, so toArray and fit would run forever instead of refusing.
    expect(oneShot().repeat().size).toBe(Infinity);
    // tfjs: Infinity, but repeat stops on a pass that yields nothing.
    expect(km.data.array([]).repeat().size).toBe(0);
    expect(await km.data.array([]).repeat().toArray()).toEqual([]);
    expect(km.data.csv('examples/blobs.csv', { labelColumn: 'label' }).size).toBeNull();
  });

  it('is read-only', () => {
    const ds = range(3);
    expect(() => {
      (ds as { size: number | null }).size = 5;
    }).toThrow(TypeError);
    expect(ds.size).toBe(3);
  });
});

describe('an infinite dataset', () => {
  it('toArray and forEachAsync refuse it, naming take(n) as the fix, instead of never returning', async () => {
    let visited = 0;
    const endless = range(3).repeat();
    await expect(endless.toArray()).rejects.toThrow(/toArray\(\): this dataset is infinite \(size Infinity.*repeat\(\) with no count\).*e\.g\. ds\.take\(1000\)\.toArray\(\)/);
    await expect(endless.forEachAsync(() => void visited++)).rejects.toThrow(/forEachAsync\(f\): this dataset is infinite.*take\(1000\)/);
    expect(visited).toBe(0);
    await expect(oneShot().repeat().map((v) => v).toArray()).rejects.toThrow(/infinite/);
    expect(await endless.take(7).toArray()).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });
});

describe('mapAsync', () => {
  it('awaits each transform and keeps the order, as tfjs-data mapAsync', async () => {
    const started: number[] = [];
    const ds = range(5).mapAsync(async (v) => {
      started.push(v);
      await new Promise((resolve) => setTimeout(resolve, 5 - v));
      return v * v;
    });
    // tfjs-data: array([0..4]).mapAsync(x => x*x).toArray() is [0, 1, 4, 9, 16].
    expect(await ds.toArray()).toEqual([0, 1, 4, 9, 16]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(await ds.toArray()).toEqual([0, 1, 4, 9, 16]);
    expect(await km.data.array([{ xs: [1, 2], ys: 1 }]).mapAsync(async ({ xs, ys }) => ({ xs: xs.map((v) => v * 2), ys })).batch(1).toArray()).toHaveLength(1);
  });

  it('names a transform that is not a function, and passes on its rejection', async () => {
    expect(() => range(2).mapAsync(3 as never)).toThrow(/mapAsync\(transform\) needs a function. Received: number/);
    await expect(range(2).mapAsync(async () => Promise.reject(new Error('decode failed'))).toArray()).rejects.toThrow('decode failed');
  });
});
