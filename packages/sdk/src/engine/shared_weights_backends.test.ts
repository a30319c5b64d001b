import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// Two models sharing layers on each backend: moving the latest values between their flat buffers is
// a device copy there, which must give the wasm backend's results and leave no tensor behind.

const x = km.tensor(Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.7)), [16, 4]);
const ya = km.tensor(Array.from({ length: 32 }, (_, i) => Math.cos(i)), [16, 2]);
const yb = km.tensor(Array.from({ length: 48 }, (_, i) => Math.sin(i / 5)), [16, 3]);

async function numTensors(name: string): Promise<number> {
  return name === 'wasm' ? 0 : (await import('@tensorflow/tfjs-core')).memory().numTensors;
}

function models(): { a: km.LayersModel; b: km.LayersModel; shared: km.layers.Layer } {
  km.utils.setRandomSeed(41);
  const shared = km.layers.dense({ units: 6, activation: 'relu', inputShape: [4] });
  const bn = km.layers.batchNormalization();
  const a = km.sequential([shared, bn, km.layers.dense({ units: 2 })]);
  const b = km.sequential([shared, bn, km.layers.dense({ units: 3, activation: 'tanh' })]);
  a.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  b.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return { a, b, shared };
}

/**
 * A trains, then B and A take turns (each turn pulls the shared layers over). Returns both models'
 * losses at the end and the tensor count after each turn; losses, because evaluate reads
 * asynchronously, the only read WebGPU allows here.
 */
async function alternate(name: string): Promise<{ losses: number[]; tensors: number[] }> {
  await useBackend(name);
  const { a, b } = models();
  const tensors: number[] = [];
  await a.fit(x, ya, { epochs: 1, batchSize: 8, seed: 1, verbose: 0 });
  for (let turn = 0; turn < 3; turn++) {
    await b.fit(x, yb, { epochs: 1, batchSize: 8, seed: 2, verbose: 0 });
    await a.fit(x, ya, { epochs: 1, batchSize: 8, seed: 3, verbose: 0 });
    await a.evaluate(x, ya, { verbose: 0 });
    tensors.push(await numTensors(name));
  }
  const losses = [...(await a.evaluate(x, ya, { verbose: 0 })), ...(await b.evaluate(x, yb, { verbose: 0 }))];
  a.dispose();
  b.dispose();
  return { losses, tensors };
}

describe.each(BACKENDS_HERE)('layers shared between two models on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('taking turns training gives the wasm backend’s losses and leaves the tensor count flat', async () => {
    const reference = await alternate('wasm');
    const { losses, tensors } = await alternate(name);
    losses.forEach((loss, i) => expect(Math.abs(loss - reference.losses[i])).toBeLessThan(1e-4 * Math.max(1, reference.losses[i])));
    expect(new Set(tensors).size).toBe(1);
  });

  it('disposing the model holding the latest values hands them to another; disposing all frees everything', async () => {
    await useBackend(name);
    await alternate(name); // what the backend keeps for itself
    const before = backend().memoryBytes();
    const { a, b } = models();
    const copyOfA = km.sequential([...a.layers]);
    copyOfA.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await a.fit(x, ya, { epochs: 1, verbose: 0 });
    await b.fit(x, yb, { epochs: 1, verbose: 0 });
    await copyOfA.evaluate(x, ya, { verbose: 0 });
    await a.fit(x, ya, { epochs: 1, verbose: 0 }); // A holds the latest values of every layer now
    const aLoss = await a.evaluate(x, ya, { verbose: 0 });
    expect(backend().memoryBytes()).toBeGreaterThan(before);
    a.dispose();
    expect(await copyOfA.evaluate(x, ya, { verbose: 0 })).toEqual(aLoss);
    b.dispose();
    copyOfA.dispose();
    expect(backend().memoryBytes()).toBe(before);
  });

  // Leaving a backend moves its weights to the host with async reads, so this works on WebGPU too.
  it.skipIf(name === 'wasm')('a model on this backend shares the layers of a model trained on wasm, and they move back', async () => {
    const valuesOf = (weights: km.Tensor[]) => Promise.all(weights.map(async (w) => Array.from(await w.data())));
    await useBackend('wasm');
    const { a, b, shared } = models();
    await a.fit(x, ya, { epochs: 2, verbose: 0 });
    const trained = await valuesOf(shared.getWeights());
    await useBackend(name);
    expect(await valuesOf(b.getWeights().slice(0, 2))).toEqual(trained);
    await b.fit(x, yb, { epochs: 2, verbose: 0 });
    const afterB = await valuesOf(b.getWeights().slice(0, 2));
    expect(afterB).not.toEqual(trained);
    await useBackend('wasm');
    expect(await valuesOf(a.getWeights().slice(0, 2))).toEqual(afterB);
    a.dispose();
    b.dispose();
  });
});
