import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// The examples of Keras' timeseries_dataset_from_array documentation, and a model trained on one.

beforeAll(() => km.ready());

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function batches(ds: km.data.Dataset<unknown>): Promise<{ xs: number[][]; ys: number[] }> {
  const xs: number[][] = [];
  const ys: number[] = [];
  await ds.forEachAsync((batch) => {
    const { xs: x, ys: y } = (batch instanceof km.Tensor ? { xs: batch, ys: null } : batch) as { xs: km.Tensor; ys: km.Tensor | null };
    xs.push(...(x.arraySync() as number[][]));
    if (y) ys.push(...(y.dataSync() as Float32Array));
  });
  return { xs, ys };
}

describe('km.utils.timeseriesDatasetFromArray', () => {
  it("gives Keras' windows: sampling rate 2 and stride 3 over indices 0 to 98", async () => {
    const ds = km.utils.timeseriesDatasetFromArray(km.tensor(range(99)), null, { sequenceLength: 10, samplingRate: 2, sequenceStride: 3, batchSize: 8 });
    const { xs } = await batches(ds);
    expect(xs).toHaveLength(27);
    expect(xs[0]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(xs[1]).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(xs[26]).toEqual([78, 80, 82, 84, 86, 88, 90, 92, 94, 96]);
    expect(ds.size).toBe((await ds.toArray()).length);
    expect(ds.size).toBe(4);
  });

  it("pairs each window with the target at its first step: Keras' data[:-10], data[10:] example", async () => {
    const data = range(100);
    const ds = km.utils.timeseriesDatasetFromArray(km.tensor(data.slice(0, 90)), km.tensor(data.slice(10)), { sequenceLength: 10 });
    const { xs, ys } = await batches(ds);
    expect(xs[0]).toEqual(range(10));
    expect(ys[0]).toBe(10);
    expect(xs).toHaveLength(81);
    xs.forEach((window, i) => expect([window[0], ys[i]]).toEqual([i, i + 10]));
  });

  it('shuffles the windows once by seed, keeping each with its target, and batches features', async () => {
    const series = km.tensor(range(40).flatMap((t) => [t, -t]), [40, 2]);
    const shuffled = km.utils.timeseriesDatasetFromArray(series, km.tensor(range(40)), { sequenceLength: 4, batchSize: 5, shuffle: true, seed: 3, startIndex: 2, endIndex: 30 });
    const first = await shuffled.toArray() as { xs: km.Tensor; ys: km.Tensor }[];
    expect(first[0].xs.shape).toEqual([5, 4, 2]);
    const pairs = first.flatMap(({ xs, ys }) => (xs.arraySync() as number[][][]).map((w, i) => [w[0][0], ys.dataSync()[i]]));
    expect(pairs.map(([t]) => t).sort((a, b) => a - b)).toEqual(range(25).map((i) => i + 2));
    pairs.forEach(([t, y]) => expect(y).toBe(t));
    expect(pairs.map(([t]) => t)).not.toEqual(range(25).map((i) => i + 2));
    expect((await shuffled.toArray()).length).toBe(first.length);
  });

  it('trains an LSTM forecaster through fit(dataset)', async () => {
    km.utils.setRandomSeed(2);
    const wave = range(300).map((t) => Math.sin(t * 0.2));
    const ds = km.utils.timeseriesDatasetFromArray(km.tensor(wave.slice(0, 295), [295, 1]), km.tensor(wave.slice(5), [295, 1]), { sequenceLength: 5, batchSize: 32 });
    const model = km.sequential([km.layers.lstm({ units: 8, inputShape: [5, 1] }), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: km.optimizers.adam(0.01), loss: 'mse' });
    const history = await model.fit(ds, { epochs: 8, verbose: 0 });
    expect(history.history.loss[7]).toBeLessThan(history.history.loss[0] / 4);
  });

  it('refuses options it cannot use, naming them', () => {
    const data = km.tensor(range(20));
    expect(() => km.utils.timeseriesDatasetFromArray(data, null, { sequenceLength: 0 })).toThrow('timeseriesDatasetFromArray: sequenceLength must be a positive integer. Received: sequenceLength=0.');
    expect(() => km.utils.timeseriesDatasetFromArray(data, null, { sequenceLength: 30 })).toThrow('timeseriesDatasetFromArray: rows 0 to 20 hold no window of 30 steps 1 apart (30 rows).');
    expect(() => km.utils.timeseriesDatasetFromArray(data, null, { sequenceLength: 3, endIndex: 40 })).toThrow('startIndex and endIndex must satisfy 0 ≤ startIndex < endIndex ≤ 20 (the rows of data). Received: startIndex=0, endIndex=40.');
    expect(() => km.utils.timeseriesDatasetFromArray(data, null, { sequenceLength: 3, sequence_length: 3 } as never)).toThrow("timeseriesDatasetFromArray has no option 'sequence_length'; did you mean 'sequenceLength'?");
  });
});
