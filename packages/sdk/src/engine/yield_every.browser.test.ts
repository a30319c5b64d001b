import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { countTurnsDuring, fitFor } from '../testing/yield_turns.js';

beforeAll(() => km.ready());

/** A task on the page's event loop: a message on a channel of its own. */
function postTask(f: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    f();
  };
  channel.port2.postMessage(null);
}

describe('in a browser page, fit hands the event loop turns between batches', () => {
  it("'batch' lets other tasks run after every batch; 'never' lets none run", async () => {
    expect(await countTurnsDuring(postTask, () => fitFor({ batches: 10, epochs: 2, yieldEvery: 'batch' }))).toBeGreaterThanOrEqual(19);
    expect(await countTurnsDuring(postTask, () => fitFor({ batches: 10, epochs: 2, yieldEvery: 'never' }))).toBe(0);
  });

  it('a timer set before fit fires during it by default', async () => {
    let fired = false;
    const slowBatches = { onBatchEnd: () => { const end = performance.now() + 30; while (performance.now() < end); } };
    const timer = setTimeout(() => (fired = true), 0);
    let firedDuringFit = false;
    await fitFor({ batches: 10, epochs: 1, callbacks: { ...slowBatches, onEpochEnd: () => { firedDuringFit = fired; } } });
    clearTimeout(timer);
    expect(firedDuringFit).toBe(true);
  });
});
