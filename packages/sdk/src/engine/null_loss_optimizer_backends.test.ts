import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// The optimizer keeps the weights that no loss term reaches by copying them (and their state) aside
// around its update, with device copies: each backend must leave them as they were, train the rest
// as the wasm backend does, and free what it kept aside with the model.

afterEach(() => vi.restoreAllMocks());

const x = km.tensor(Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.7)), [16, 3]);
const y = km.tensor(Array.from({ length: 32 }, (_, i) => Math.cos(i)), [16, 2]);

function model(): km.Functional {
  km.utils.setRandomSeed(23);
  const features = km.input({ shape: [3] });
  const trunk = km.layers.dense({ units: 4, activation: 'tanh', name: 'trunk' }).apply(features);
  const fit = km.layers.dense({ units: 2, name: 'fit' }).apply(trunk);
  const idle = km.layers.dense({ units: 3, name: 'idle' }).apply(trunk);
  return km.model({ inputs: features, outputs: [fit, idle] });
}

/** Trains the two-head model with AdamW and a null loss on the idle head on backend `name`. */
async function train(name: string): Promise<{ idleBefore: number[][]; idle: number[][]; trunk: number[][]; idleState: number[][]; m: km.LayersModel }> {
  await useBackend(name);
  const m = model();
  // Read asynchronously: tfjs-webgpu reads nothing back synchronously.
  const read = async (layer: string) => Promise.all(m.getLayer(layer).getWeights().map(async (w) => Array.from(await w.data())));
  const idleBefore = await read('idle');
  m.compile({ optimizer: km.optimizers.adamw({ learningRate: 0.05, weightDecay: 0.2 }), loss: ['meanSquaredError', null] });
  await m.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
  const idleState = await Promise.all((await m.optimizer!.getWeights()).filter((e) => e.name.startsWith('idle/')).map(async (e) => Array.from(await e.tensor.data())));
  return { idleBefore, idle: await read('idle'), trunk: await read('trunk'), idleState, m };
}

describe.each(BACKENDS_HERE.filter((name) => name !== 'wasm'))('weights no loss term reaches, on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('stay as they were, with their Adam moments at 0, while the rest trains as on wasm', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const reference = await train('wasm');
    reference.m.dispose();
    const { idleBefore, idle, trunk, idleState, m } = await train(name);
    m.dispose();
    expect(idle).toEqual(idleBefore);
    expect(idleState.length).toBe(4);
    for (const values of idleState) expect(values.every((v) => v === 0)).toBe(true);
    trunk.forEach((w, j) => w.forEach((v, i) => expect(Math.abs(v - reference.trunk[j][i])).toBeLessThan(1e-5)));
  });
});

describe.each(BACKENDS_HERE)('weights no loss term reaches, on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('free what they keep aside when the model is disposed', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    (await train(name)).m.dispose(); // what the backend keeps for itself
    const before = backend().memoryBytes();
    const { m } = await train(name);
    expect(backend().memoryBytes()).toBeGreaterThan(before);
    m.dispose();
    expect(backend().memoryBytes()).toBe(before);
  });
});
