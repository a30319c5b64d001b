import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfd, tfjsReady } from './testing/tfjs_data.js';

beforeAll(tfjsReady);

const items = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Enough elements to tell a bounded repeat from an endless one. */
const LOOK = 12;

// undefined and null are what JavaScript callers pass for "no count"; tfjs reads them as a negative count.
const counts = [-1, -5, -Infinity, undefined, null, 0, 2, 7, Infinity] as never[];

describe('take, skip and repeat counts, as tfjs-data reads them', () => {
  it('a negative or missing count takes all, skips none, repeats forever; Infinity is all, all, forever', async () => {
    for (const count of counts) {
      const label = String(count);
      const pairs: [string, km.data.Dataset<number>, { toArray(): Promise<number[]> }][] = [
        ['take', km.data.array(items(5)).take(count), tfd.array(items(5)).take(count)],
        ['skip', km.data.array(items(5)).skip(count), tfd.array(items(5)).skip(count)],
        ['repeat', km.data.array(items(3)).repeat(count).take(LOOK), tfd.array(items(3)).repeat(count).take(LOOK)],
      ];
      for (const [call, ours, theirs] of pairs) expect([`${call}(${label})`, await ours.toArray()]).toEqual([`${call}(${label})`, await theirs.toArray()]);
    }
  });

  it('refuses NaN and fractions, where tfjs runs them with a size that disagrees with what it yields', async () => {
    const tfjsTake = tfd.array(items(5)).take(2.5);
    expect(tfjsTake.size).not.toBe((await tfjsTake.toArray()).length);
    const tfjsSkip = tfd.array(items(5)).skip(NaN);
    expect(tfjsSkip.size).not.toBe((await tfjsSkip.toArray()).length);

    const ds = km.data.array(items(5));
    expect(() => ds.take(2.5)).toThrow(/take\(count\) must be an integer, or negative or omitted for all elements \(as in tfjs\). Received: 2.5. Round it/);
    expect(() => ds.skip(NaN)).toThrow(/skip\(count\) must be an integer, or negative or omitted for none skipped \(as in tfjs\). Received: NaN/);
    expect(() => ds.repeat(1.5)).toThrow(/repeat\(count\) must be an integer, or negative or omitted for forever \(as in tfjs\). Received: 1.5/);
    expect(() => ds.take('3' as never)).toThrow(/take\(count\) must be an integer.*Received: "3" \(string\)/);
  });
});
