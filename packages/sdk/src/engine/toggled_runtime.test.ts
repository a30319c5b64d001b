import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';

// A model that flips a layer's `trainable` between steps keeps the runtime (weights and batch
// buffers) of the other setting once it comes back, so later flips swap runtimes instead of laying
// the model out again; a layer frozen once keeps no second runtime.

beforeAll(() => km.ready());

const x = km.tensor(Float32Array.from({ length: 8 * 16 }, (_, i) => Math.sin(i)), [8, 16]);
const y = km.tensor(Float32Array.from({ length: 8 * 4 }, (_, i) => Math.cos(i)), [8, 4]);

function model(): km.Sequential {
  km.utils.setRandomSeed(5);
  const m = km.sequential([km.layers.dense({ units: 64, activation: 'tanh', inputShape: [16], name: 'body' }), km.layers.dense({ units: 4, name: 'head' })]);
  m.compile({ optimizer: km.optimizers.adam(0.01), loss: 'meanSquaredError' });
  return m;
}

/** One runtime's bytes for `model()`: its weights and gradients, and its batch buffers for 8 rows. */
const RUNTIME_FLOATS = 2 * (16 * 64 + 64 + 64 * 4 + 4);

describe('a model flipping a layer\'s trainable between steps', () => {
  it('lays out each setting once: from the third flip on nothing is allocated, and all is freed on dispose', async () => {
    const before = km.memory().numBytes;
    const m = model();
    const body = m.getLayer('body');
    const bytes: number[] = [];
    const active = backend();
    const alloc = active.alloc.bind(active);
    let allocations = 0;
    active.alloc = (...args) => (allocations++, alloc(...args));
    const counts: number[] = [];
    try {
      for (let step = 0; step < 8; step++) {
        body.trainable = step % 2 === 0;
        await m.trainOnBatch(x, y);
        bytes.push(km.memory().numBytes);
        counts.push(allocations);
      }
    } finally {
      active.alloc = alloc;
    }
    // Flips 1-3 make the runtimes and the optimizer's layouts of both settings; later ones reuse them.
    expect(counts.slice(3)).toEqual(counts.slice(3).map(() => counts[3]));
    expect(new Set(bytes.slice(3)).size).toBe(1);
    expect(bytes[3] - bytes[0]).toBeGreaterThanOrEqual(RUNTIME_FLOATS * 4);
    m.dispose();
    expect(km.memory().numBytes).toBe(before);
  });

  it('keeps no second runtime for a layer frozen once', async () => {
    const m = model();
    await m.trainOnBatch(x, y);
    const trained = km.memory().numBytes;
    m.getLayer('body').trainable = false;
    await m.trainOnBatch(x, y);
    // The optimizer sets the frozen layer's Adam moments aside (two floats per weight); no runtime more.
    const moments = 2 * (16 * 64 + 64) * 4;
    expect(km.memory().numBytes - trained).toBeLessThanOrEqual(moments);
    m.dispose();
  });
});
