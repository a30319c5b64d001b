import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { countTurnsDuring, fitFor } from '../testing/yield_turns.js';

beforeAll(() => km.ready());

const BATCHES = 12;
const EPOCHS = 3;

describe("fit's yieldEvery gives the event loop turns as TensorFlow.js' does", () => {
  const run = (yieldEvery: km.YieldEvery | undefined, extra: Partial<km.ModelFitArgs> = {}) =>
    countTurnsDuring((f) => setImmediate(f), () => fitFor({ batches: BATCHES, epochs: EPOCHS, yieldEvery, ...extra }));

  it("'never' runs the whole fit without one", async () => {
    expect(await run('never')).toBe(0);
    expect(await run(1e9)).toBe(0);
  });

  it("'batch' and 0 give one after every batch, 'epoch' one after every epoch", async () => {
    expect(await run('batch')).toBeGreaterThanOrEqual(BATCHES * EPOCHS - 1);
    expect(await run(0)).toBeGreaterThanOrEqual(BATCHES * EPOCHS - 1);
    const perEpoch = await run('epoch');
    expect(perEpoch).toBeGreaterThanOrEqual(EPOCHS - 1);
    expect(perEpoch).toBeLessThanOrEqual(EPOCHS);
  });

  it("'auto', the default, gives one every 125 ms", async () => {
    // Each batch ends by blocking 40 ms, so 36 batches take over 1.4 s: at least 9 turns at 125 ms,
    // and fewer than one per batch.
    const slowBatches = { callbacks: { onBatchEnd: () => { const end = performance.now() + 40; while (performance.now() < end); } } };
    for (const yieldEvery of ['auto', undefined] as const) {
      const turns = await run(yieldEvery, slowBatches);
      expect(turns).toBeGreaterThanOrEqual(9);
      expect(turns).toBeLessThan(BATCHES * EPOCHS - 1);
    }
  });

  it('fit on a dataset takes it too', async () => {
    const turns = await countTurnsDuring((f) => setImmediate(f), () => fitFor({ batches: BATCHES, epochs: 1, yieldEvery: 'batch', dataset: true }));
    expect(turns).toBeGreaterThanOrEqual(BATCHES - 1);
    expect(await countTurnsDuring((f) => setImmediate(f), () => fitFor({ batches: BATCHES, epochs: 1, yieldEvery: 'never', dataset: true }))).toBe(0);
  });

  it("calls tfjs' onYield after each turn it gives, with the epoch, the batch and its logs", async () => {
    for (const dataset of [false, true]) {
      const seen: [number, number, string[]][] = [];
      const onYield = (epoch: number, batch: number, logs: km.Logs) => void seen.push([epoch, batch, Object.keys(logs)]);
      await fitFor({ batches: 3, epochs: 2, yieldEvery: 'batch', dataset, callbacks: { onYield } });
      expect(seen.map(([epoch, batch]) => [epoch, batch])).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
      expect(seen[0][2]).toEqual(['batch', 'size', 'loss']);
      const perEpoch: number[][] = [];
      await fitFor({ batches: 3, epochs: 2, yieldEvery: 'epoch', dataset, callbacks: { onYield: (epoch, batch) => void perEpoch.push([epoch, batch]) } });
      expect(perEpoch).toEqual([[0, 2], [1, 2]]);
    }
  });

  it('rejects a value it does not know, listing the valid ones', async () => {
    await expect(fitFor({ batches: 2, epochs: 1, yieldEvery: 'sometimes' as km.YieldEvery })).rejects.toThrow(/^yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0\. Received: yieldEvery="sometimes"\.$/);
    await expect(fitFor({ batches: 2, epochs: 1, yieldEvery: -5 })).rejects.toThrow(/Received: yieldEvery=-5\./);
  });
});
