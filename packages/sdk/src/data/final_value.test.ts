import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { plain, tfd, tfjsReady } from './testing/tfjs_data.js';

beforeAll(async () => {
  await tfjsReady();
  await km.ready();
});
afterEach(() => vi.restoreAllMocks());

/** The warnings kerasm's data sources gave (tfjs' own, such as its Node.js backend notice, left out). */
const sourceWarnings = (warn: { mock: { calls: unknown[][] } }) => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('km.data.'));

/**
 * tfjs' jena-weather example's batch iterator: `count` batches of 2 samples, the last one returned
 * with `done: true` (a value the iterator protocol does not count as an element).
 */
function jenaStyle(lib: { tensor: (v: number[], s: number[]) => unknown }, count: number) {
  return () => {
    let i = 0;
    return {
      next: () => {
        i++;
        const value = { xs: lib.tensor([i, -i], [2, 1]), ys: lib.tensor([2 * i, -2 * i], [2, 1]) };
        return { value, done: i >= count };
      },
    };
  };
}

const finalValueWarning = /the iterator ended with \{ value, done: true \} and a value, which is not an element, so it is dropped \(as the JS iterator protocol and tf\.data's toArray drop it\)\. tfjs' fitDataset and evaluateDataset train on that value: to keep it, return it with done: false/;

describe('an iterator result { value, done: true } with a value', () => {
  it('km.data.generator drops it as tf.data\'s toArray does, warning once per dataset, where tfjs\' fitDataset trains on it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ours = km.data.generator(jenaStyle(km, 3));
    expect((await ours.toArray()).map(plain)).toEqual((await tfd.generator(jenaStyle(tf, 3) as never).toArray()).map(plain));
    await ours.toArray();
    expect(sourceWarnings(warn)).toHaveLength(1);
    expect(sourceWarnings(warn)[0]).toMatch(new RegExp(`^km\\.data\\.generator\\(fn\\): ${finalValueWarning.source}`));

    // What the warning is about: tfjs-layers 4.22's fitDataset reads 3 batches an epoch, kerasm 2.
    const batchesSeen = async (fit: (onBatchEnd: () => void) => Promise<unknown>) => {
      let batches = 0;
      await fit(() => batches++);
      return batches;
    };
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1] })] });
    theirs.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(await batchesSeen((onBatchEnd) => model.fit(km.data.generator(jenaStyle(km, 3)), { epochs: 1, verbose: 0, callbacks: { onBatchEnd } }))).toBe(2);
    expect(await batchesSeen((onBatchEnd) => theirs.fitDataset(tfd.generator(jenaStyle(tf, 3) as never), { epochs: 1, verbose: 0, callbacks: { onBatchEnd: async () => onBatchEnd() } }))).toBe(3);
  });

  it('km.data.func warns the same way; { value: null, done: true } and a generator function\'s plain end do not warn', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let i = 0;
    expect(await km.data.func(() => (i++ < 2 ? { value: i, done: false } : { value: 99, done: true })).toArray()).toEqual([1, 2]);
    expect(sourceWarnings(warn)).toHaveLength(1);
    expect(sourceWarnings(warn)[0]).toMatch(new RegExp(`^km\\.data\\.func\\(f\\): ${finalValueWarning.source}`));
    let j = 0;
    await km.data.func(() => (j++ < 2 ? { value: j, done: false } : { value: null, done: true })).toArray();
    await km.data.generator(function* () { yield 1; yield 2; }).toArray();
    expect(sourceWarnings(warn)).toHaveLength(1);
  });
});
