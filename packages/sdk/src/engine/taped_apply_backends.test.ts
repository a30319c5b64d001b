import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// optimizer.minimize over a model's pass on each backend: the forward pass runs on the device into
// a plan of its own, and the backward pass from the cost's cotangent gives the weight gradients.

const x = km.tensor(Array.from({ length: 32 }, (_, i) => Math.sin(i * 0.9)), [8, 4]);
const y = km.tensor(Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.4)), [8, 3]);

function mlp(): km.Sequential {
  km.utils.setRandomSeed(31);
  return km.sequential([km.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }), km.layers.dense({ units: 3 })]);
}

/** Four Adam steps written out on backend `name`: the costs and the final weights. */
async function minimized(name: string): Promise<{ costs: number[]; weights: number[][] }> {
  await useBackend(name);
  const model = mlp();
  try {
    const optimizer = km.optimizers.adam({ learningRate: 0.05 });
    const costs: number[] = [];
    for (let step = 0; step < 4; step++) {
      const cost = optimizer.minimize(() => km.mean(km.square(km.sub(model.apply(x, { training: true }) as km.Tensor, y))), true)!;
      costs.push((await cost.data())[0]);
    }
    return { costs, weights: await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data()))) };
  } finally {
    model.dispose();
  }
}

describe.each(BACKENDS_HERE)('optimizer.minimize over a model on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it.skipIf(name === 'tfjs-webgpu')('takes the steps fit takes on wasm', async () => {
    await useBackend('wasm');
    const reference = mlp();
    reference.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const history = await reference.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
    const expected = reference.getWeights().map((w) => Array.from(w.dataSync()));
    reference.dispose();
    const { costs, weights } = await minimized(name);
    costs.forEach((c, i) => expect(Math.abs(c - (history.history.loss[i] as number))).toBeLessThan(1e-5));
    weights.forEach((w, j) => w.forEach((v, i) => expect(Math.abs(v - expected[j][i])).toBeLessThan(1e-5)));
  });

  it.skipIf(name === 'tfjs-webgpu')("frees each step's plan: the backend holds no more after 6 steps than after 2", async () => {
    await useBackend(name);
    const model = mlp();
    const optimizer = km.optimizers.sgd({ learningRate: 0.1 });
    const step = () => optimizer.minimize(() => km.mean(km.square(km.sub(model.apply(x, { training: true }) as km.Tensor, y))));
    try {
      step();
      step();
      const held = backend().memoryBytes();
      for (let i = 0; i < 4; i++) step();
      expect(backend().memoryBytes()).toBe(held);
    } finally {
      model.dispose();
    }
  });

  it.runIf(name === 'tfjs-webgpu')('is refused where the backend cannot read synchronously, naming the ways out', async () => {
    await expect(minimized(name)).rejects.toThrow(/inside a gradient call gives its outputs and weights to the cost's km ops on the host, but backend 'tfjs-webgpu' cannot read synchronously\./);
  });
});
