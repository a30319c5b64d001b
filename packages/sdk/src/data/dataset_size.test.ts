import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfd, tfjsReady } from './testing/tfjs_data.js';

beforeAll(tfjsReady);

/** The dataset methods kerasm and tfjs-data share, so one pipeline builds in either. */
interface Pipeline {
  readonly size: number | null;
  take(count: number): Pipeline;
  skip(count: number): Pipeline;
  batch(batchSize: number, smallLastBatch?: boolean): Pipeline;
  repeat(count?: number): Pipeline;
  map(f: (v: number) => number): Pipeline;
  mapAsync(f: (v: number) => Promise<number>): Pipeline;
  shuffle(bufferSize: number, seed?: string): Pipeline;
  prefetch(bufferSize: number): Pipeline;
  filter(predicate: (v: number) => boolean): Pipeline;
  concatenate(other: Pipeline): Pipeline;
  toArray(): Promise<unknown[]>;
}

interface Library {
  range(n: number): Pipeline;
  /** A generator of one element, whose size neither library knows. */
  oneShot(): Pipeline;
  zip(datasets: unknown): Pipeline;
}

const items = (n: number) => Array.from({ length: n }, (_, i) => i);
function* one() {
  yield 1;
}
const kerasm: Library = {
  range: (n) => km.data.array(items(n)) as unknown as Pipeline,
  oneShot: () => km.data.generator(one) as unknown as Pipeline,
  zip: (datasets) => km.data.zip(datasets as km.data.DatasetStructure) as unknown as Pipeline,
};
const tfjs: Library = {
  range: (n) => tfd.array(items(n)) as unknown as Pipeline,
  oneShot: () => tfd.generator(one) as unknown as Pipeline,
  zip: (datasets) => tfd.zip(datasets as never) as unknown as Pipeline,
};
const range = (n: number) => km.data.array(items(n));
const oneShot = () => km.data.generator(one);

describe('dataset.size', () => {
  it("is what tfjs-data's dataset.size reports through every transformation, run side by side", () => {
    const cases: [string, (d: Library) => Pipeline][] = [
      ['array(10)', (d) => d.range(10)],
      ['take(3)', (d) => d.range(10).take(3)],
      ['take past the end', (d) => d.range(10).take(30)],
      ['take(0)', (d) => d.range(10).take(0)],
      ['take(Infinity)', (d) => d.range(10).take(Infinity)],
      ['skip(3)', (d) => d.range(10).skip(3)],
      ['skip past the end', (d) => d.range(10).skip(30)],
      ['skip(Infinity)', (d) => d.range(10).skip(Infinity)],
      ['batch(3)', (d) => d.range(10).batch(3)],
      ['batch(3, false)', (d) => d.range(10).batch(3, false)],
      ['repeat(3)', (d) => d.range(10).repeat(3)],
      ['repeat()', (d) => d.range(10).repeat()],
      ['repeat(-1)', (d) => d.range(10).repeat(-1)],
      ['repeat(Infinity)', (d) => d.range(10).repeat(Infinity)],
      ['repeat(0)', (d) => d.range(10).repeat(0)],
      ['repeat().take(25)', (d) => d.range(10).repeat().take(25)],
      ['repeat().skip(5)', (d) => d.range(10).repeat().skip(5)],
      ['repeat().batch(4)', (d) => d.range(10).repeat().batch(4)],
      ['map', (d) => d.range(10).map((v) => v)],
      ['mapAsync', (d) => d.range(10).mapAsync(async (v) => v)],
      ['shuffle(5)', (d) => d.range(10).shuffle(5, 'seed')],
      ['prefetch(2)', (d) => d.range(10).prefetch(2)],
      ['filter', (d) => d.range(10).filter((v) => v > 2)],
      ['repeat().filter', (d) => d.range(10).repeat().filter((v) => v > 2)],
      ['concatenate', (d) => d.range(10).concatenate(d.range(5))],
      ['concatenate an infinite one', (d) => d.range(10).concatenate(d.range(5).repeat())],
      ['concatenate a generator', (d) => d.range(10).concatenate(d.oneShot())],
      ['zip', (d) => d.zip({ x: d.range(10), y: d.range(4) })],
      ['zip of an array', (d) => d.zip([d.range(10), d.range(4)])],
      ['zip with an infinite one', (d) => d.zip({ x: d.range(10), y: d.range(4).repeat() })],
      ['zip of infinite ones', (d) => d.zip({ x: d.range(4).repeat(), y: d.range(3).repeat() })],
      // tfjs reads the top level only; these nest nothing shorter than it.
      ['zip of a nested object', (d) => d.zip({ xs: { a: d.range(10), b: d.range(8) }, ys: d.range(4) })],
      ['zip of a nested array', (d) => d.zip({ xs: [d.range(5), d.range(7)], ys: d.range(3) })],
      ['generator', (d) => d.oneShot()],
      ['generator.take(3)', (d) => d.oneShot().take(3)],
      ['generator.repeat(2)', (d) => d.oneShot().repeat(2)],
    ];
    for (const [name, build] of cases) expect([name, build(kerasm).size]).toEqual([name, build(tfjs).size]);
  });

  it("where tfjs' size disagrees with the elements its own pass yields, is the number of those elements", async () => {
    const cases: [string, (d: Library) => Pipeline][] = [
      ['take(-1)', (d) => d.range(10).take(-1)],
      ['take(undefined)', (d) => d.range(10).take(undefined as never)],
      ['skip(-1)', (d) => d.range(10).skip(-1)],
      ['skip(undefined)', (d) => d.range(10).skip(undefined as never)],
      ['zip with a shorter nested dataset after a top-level one', (d) => d.zip({ ys: d.range(6), xs: { a: d.range(5), b: d.range(4) } })],
      ['zip with a shorter nested dataset before a top-level one', (d) => d.zip({ xs: { a: d.range(3) }, ys: d.range(4) })],
      ['zip with a shorter dataset in a nested array', (d) => d.zip([[d.range(2)], d.range(5)])],
    ];
    for (const [name, build] of cases) {
      const theirs = build(tfjs);
      const yielded = (await theirs.toArray()).length;
      expect([name, theirs.size]).not.toEqual([name, yielded]);
      const ours = build(kerasm);
      expect([name, ours.size]).toEqual([name, yielded]);
      expect([name, (await ours.toArray()).length]).toEqual([name, yielded]);
    }
  });

  it('counts exactly the elements a pass yields when it is finite', async () => {
    const finite = [range(10).take(3), range(10).skip(3), range(10).batch(3), range(10).batch(3, false), range(4).repeat(3), range(10).shuffle(4, 2), km.data.zip({ x: range(7), y: range(5) }), range(3).concatenate(range(2)).prefetch(2)];
    for (const ds of finite) expect((await ds.toArray()).length).toBe(ds.size);
  });

  it('where tfjs is wrong or says unknown, follows tf.data: zip with an unknown size, an endless generator, an empty repeat', async () => {
    // tfjs gives a number that depends on the order of the two (Math.min(10, null) is 0), not the one element zipped.
    for (const build of [(d: Library) => d.zip({ x: d.range(10), y: d.oneShot() }), (d: Library) => d.zip({ y: d.oneShot(), x: d.range(10) })]) {
      const theirs = build(tfjs);
      expect(theirs.size).not.toBe((await theirs.toArray()).length);
      expect(build(kerasm).size).toBeNull();
    }
    // tfjs says unknown, so toArray and fit would run forever instead of refusing; its pass never ends.
    expect(tfjs.oneShot().repeat().size).not.toBe(Infinity);
    expect((await tfjs.oneShot().repeat().take(50).toArray()).length).toBe(50);
    expect(oneShot().repeat().size).toBe(Infinity);
    // tfjs: endless, but repeat stops on a pass that yields nothing.
    expect(tfjs.range(0).repeat().size).not.toBe(0);
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
