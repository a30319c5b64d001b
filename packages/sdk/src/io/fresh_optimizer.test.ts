import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import type { SaveConfig } from './save_model.js';

beforeAll(() => km.ready());
afterEach(() => vi.restoreAllMocks());

const x = km.tensor(Float32Array.from({ length: 8 * 3 }, (_, i) => Math.sin(i)), [8, 3]);
const y = km.tensor(Float32Array.from({ length: 8 }, (_, i) => Math.cos(i)), [8, 1]);

async function savedAndLoaded(optimizer: km.optimizers.Optimizer, config: SaveConfig = {}): Promise<km.LayersModel> {
  const model = km.sequential([km.layers.dense({ units: 1, inputShape: [3] })]);
  model.compile({ optimizer, loss: 'mse' });
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  return km.loadLayersModel(km.io.fromMemory(await km.io.modelArtifacts(model, config)));
}

/** The warnings about a fresh optimizer during two fits of `model`. */
async function freshOptimizerWarnings(model: km.LayersModel): Promise<string[]> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    return warn.mock.calls.map((args) => String(args[0])).filter((m) => m.includes('optimizer state'));
  } finally {
    warn.mockRestore();
  }
}

describe('fitting a model loaded without its optimizer state', () => {
  it('warns once, naming the optimizer and the includeOptimizer fix', async () => {
    for (const optimizer of [km.optimizers.adam(), km.optimizers.rmsprop(), km.optimizers.sgd({ momentum: 0.9 })]) {
      const warnings = await freshOptimizerWarnings(await savedAndLoaded(optimizer));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`model 'sequential[_0-9]*'.*no optimizer state.*starts ${optimizer.className} afresh.*\\{ includeOptimizer: true \\}`));
    }
  });

  it('does not warn for a model saved with its optimizer, plain SGD, or a model compiled again after loading', async () => {
    expect(await freshOptimizerWarnings(await savedAndLoaded(km.optimizers.adam(), { includeOptimizer: true }))).toEqual([]);
    expect(await freshOptimizerWarnings(await savedAndLoaded(km.optimizers.sgd()))).toEqual([]);
    const recompiled = await savedAndLoaded(km.optimizers.adam());
    recompiled.compile({ optimizer: 'adam', loss: 'mse' });
    expect(await freshOptimizerWarnings(recompiled)).toEqual([]);
  });
});
