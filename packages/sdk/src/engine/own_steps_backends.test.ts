import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// fit over a km.Model's own trainStep on each backend: the same steps as kerasm's own fit on wasm,
// and nothing left behind on the device from one epoch to the next.

const x = km.tensor(Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.9)), [12, 4]);
const y = km.tensor(Array.from({ length: 36 }, (_, i) => Math.cos(i * 0.4)), [12, 3]);
const fitArgs = { batchSize: 5, seed: 2, verbose: 0 } as const;

class Stepped extends km.Model {
  readonly hidden = km.layers.dense({ units: 6, activation: 'relu' });
  readonly out = km.layers.dense({ units: 3 });
  call(input: km.SymbolicTensor): km.SymbolicTensor {
    return this.out.apply(this.hidden.apply(input));
  }
  override trainStep([xs, ys]: km.StepData): km.StepLogs {
    const { value, grads } = km.variableGrads(() => km.mean(km.square(km.sub(this.apply(xs as km.Tensor, { training: true }) as km.Tensor, ys as km.Tensor))), this.trainableWeights);
    this.optimizer!.applyGradients(grads);
    return { loss: value };
  }
}

function stepped(): Stepped {
  km.utils.setRandomSeed(31);
  const model = new Stepped();
  model.build([null, 4]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }) });
  return model;
}

describe.each(BACKENDS_HERE)("fit over a km.Model's trainStep on %s", (name) => {
  afterAll(() => useBackend('wasm'));

  it.skipIf(name === 'tfjs-webgpu')("takes the steps kerasm's own fit takes on wasm", async () => {
    await useBackend('wasm');
    const reference = stepped();
    const input = km.input({ shape: [4] });
    const builtIn = km.model({ inputs: input, outputs: km.layers.dense({ units: 3 }).apply(km.layers.dense({ units: 6, activation: 'relu' }).apply(input)) });
    builtIn.setWeights(reference.getWeights());
    builtIn.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const history = await builtIn.fit(x, y, { ...fitArgs, epochs: 3 });
    const expected = builtIn.getWeights().map((w) => Array.from(w.dataSync()));
    builtIn.dispose();
    reference.dispose();

    await useBackend(name);
    const model = stepped();
    try {
      const own = await model.fit(x, y, { ...fitArgs, epochs: 3 });
      (own.history.loss as number[]).forEach((loss, i) => expect(Math.abs(loss - (history.history.loss[i] as number))).toBeLessThan(1e-5));
      const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
      weights.forEach((w, j) => w.forEach((v, i) => expect(Math.abs(v - expected[j][i])).toBeLessThan(1e-5)));
    } finally {
      model.dispose();
    }
  });

  it.skipIf(name === 'tfjs-webgpu')('holds no more on the backend after 4 epochs than after 1', async () => {
    await useBackend(name);
    const model = stepped();
    try {
      await model.fit(x, y, { ...fitArgs, epochs: 1 });
      const held = backend().memoryBytes();
      await model.fit(x, y, { ...fitArgs, epochs: 3 });
      expect(backend().memoryBytes()).toBe(held);
    } finally {
      model.dispose();
    }
  });

  it.runIf(name === 'tfjs-webgpu')('is refused where the backend cannot read synchronously, naming the ways out', async () => {
    await useBackend(name);
    const model = stepped();
    await expect(model.fit(x, y, { ...fitArgs, epochs: 1 })).rejects.toThrow(/backend 'tfjs-webgpu' cannot read synchronously\./);
    model.dispose();
  });
});
