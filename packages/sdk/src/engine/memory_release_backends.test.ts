import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// Repeating an operation must not grow backend memory: wasm bytes on the core, tensors on tfjs.

async function held(name: string): Promise<[number, number]> {
  const tensors = name === 'wasm' ? 0 : (await import('@tensorflow/tfjs-core')).memory().numTensors;
  return [backend().memoryBytes(), tensors];
}

const x = km.tensor(Float32Array.from({ length: 8 * 5 }, (_, i) => Math.sin(i)), [8, 5]);
const y = km.tensor([0, 1, 2, 0, 1, 2, 0, 1], undefined, 'int32');

function classifier(name = 'clf'): km.Sequential {
  return km.sequential({ name, layers: [km.layers.dense({ units: 6, activation: 'relu', inputShape: [5] }), km.layers.dense({ units: 3, activation: 'softmax' })] });
}

describe.each(BACKENDS_HERE)('backend memory on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('recompiling with a new optimizer frees the previous one’s state', async () => {
    await useBackend(name);
    const model = classifier();
    const cycle = async () => {
      model.compile({ optimizer: km.optimizers.adam(), loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    };
    await cycle();
    const before = await held(name);
    for (let i = 0; i < 3; i++) await cycle();
    expect(await held(name)).toEqual(before);
    model.dispose();
  });

  it('model.dispose() frees what its layers allocated for apply on data and for kept states', async () => {
    await useBackend(name);
    const before = await held(name);
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    await (model.layers[0] as km.layers.Layer).apply(x).data();
    const stateful = km.sequential([km.layers.lstm({ units: 3, stateful: true, batchInputShape: [2, 4, 2] }), km.layers.dense({ units: 1 })]);
    await stateful.predict(km.tensor(new Float32Array(2 * 4 * 2).fill(0.5), [2, 4, 2]), { batchSize: 2 }).data();
    model.dispose();
    stateful.dispose();
    expect(await held(name)).toEqual(before);
  });

  it('layer.dispose() frees what apply on data allocated for a layer no model holds, and then refuses to run it', async () => {
    await useBackend(name);
    const before = await held(name);
    for (let i = 0; i < 3; i++) {
      const layer = km.layers.dense({ units: 4, name: `alone_${i}` });
      await layer.apply(x).data();
      layer.dispose();
    }
    expect(await held(name)).toEqual(before);
    const gone = km.layers.dense({ units: 4, name: 'gone' });
    await gone.apply(x).data();
    gone.dispose();
    expect(() => gone.apply(x)).toThrow("Layer 'gone' has no weights any more: layer.dispose() freed them. Give it values with layer.setWeights(...), or use a new layer.");
  });

  it('model.execute frees its batch buffers after each call, and gives the hidden layer predict would feed on', async () => {
    await useBackend(name);
    const model = classifier();
    const first = model.layers[0] as km.layers.Layer;
    await model.execute(x, first.name).data();
    const before = await held(name);
    for (let i = 0; i < 3; i++) {
      const hidden = model.execute(x, first.name);
      expect(hidden.shape).toEqual([8, 6]);
      expect(Array.from(await hidden.data()).every((v) => v >= 0)).toBe(true);
    }
    expect(await held(name)).toEqual(before);
    model.dispose();
  });

  it('Sequential add and pop on a built model leave no copies of the weights behind', async () => {
    await useBackend(name);
    const model = classifier();
    await model.predict(x).data();
    const cycle = () => {
      model.add(km.layers.dense({ units: 2 }));
      model.pop();
    };
    cycle();
    await model.predict(x).data();
    const before = await held(name);
    for (let i = 0; i < 3; i++) cycle();
    await model.predict(x).data();
    expect(await held(name)).toEqual(before);
    model.dispose();
  });
});
