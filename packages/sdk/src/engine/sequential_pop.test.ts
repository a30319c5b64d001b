import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const N = 16;
const x = km.tensor(Float32Array.from({ length: N * 5 }, (_, i) => Math.sin(i * 0.7)), [N, 5]);
const y = km.tensor(Int32Array.from({ length: N }, (_, i) => i % 3), [N], 'int32');
const values = (layer: km.layers.Layer | km.LayersModel) => layer.getWeights().map((w) => Array.from(w.dataSync()));

/** A trained classifier: Dense(8, relu) → Dense(3, softmax). */
async function trained(): Promise<km.Sequential> {
  km.utils.setRandomSeed(4);
  const model = km.sequential([km.layers.dense({ units: 8, activation: 'relu', inputShape: [5], name: 'features' }), km.layers.dense({ units: 3, activation: 'softmax', name: 'classes' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  return model;
}

describe("Sequential.pop and add on a built model (Keras' and tfjs' pop)", () => {
  it('pop takes the head off a trained model: the rest keeps its weights and predicts its own outputs; the popped layer keeps its own', async () => {
    const model = await trained();
    const [features, classes] = model.layers as km.layers.Layer[];
    const [kept, head] = [values(features), values(classes)];
    const hidden = features.apply(x) as km.Tensor;
    expect(model.pop()).toBe(classes);
    expect(model.layers).toEqual([features]);
    expect(values(features)).toEqual(kept);
    expect(values(classes)).toEqual(head);
    expect(Array.from(model.predict(x).dataSync())).toEqual(Array.from(hidden.dataSync()));
    expect(model.outputs[0].shape).toEqual([8]);
  });

  it('a new head added after pop trains once the model is compiled again, and the error says so before', async () => {
    const model = await trained();
    model.pop();
    model.add(km.layers.dense({ units: 2, activation: 'softmax', name: 'new_head' }));
    const binary = km.tensor(Int32Array.from({ length: N }, (_, i) => i % 2), [N], 'int32');
    await expect(model.fit(x, binary, { epochs: 1, verbose: 0 })).rejects.toThrow(/must be compiled before training/);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const before = values(model.getLayer('features'));
    const history = await model.fit(x, binary, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    expect(values(model.getLayer('features'))).not.toEqual(before);
    expect(model.predict(x).shape).toEqual([N, 2]);
  });

  it('pops a stacked model as one, and refuses to pop an empty model', () => {
    const encoder = km.sequential({ name: 'encoder', layers: [km.layers.dense({ units: 4, inputShape: [5] })] });
    const decoder = km.sequential({ name: 'decoder', layers: [km.layers.dense({ units: 3, inputShape: [4] }), km.layers.dense({ units: 5 })] });
    const autoencoder = km.sequential([encoder, decoder]);
    expect(autoencoder.pop()).toBe(decoder);
    expect(autoencoder.layers).toEqual([encoder]);
    expect(autoencoder.allLayers).toEqual(encoder.layers);
    expect(autoencoder.pop()).toBe(encoder);
    expect(() => autoencoder.pop()).toThrow(`Sequential model '${autoencoder.name}' has no layers to pop.`);
  });

  it('a stacked model that declares its input shape, after a layer that does not, waits for the data to build', async () => {
    const encoder = km.sequential([km.layers.dense({ units: 4, inputShape: [6] })]);
    const model = km.sequential([km.layers.dense({ units: 6 }), encoder]);
    expect(model.inputShape).toBeUndefined();
    expect(model.predict(x).shape).toEqual([N, 4]);
    expect(model.inputShape).toEqual([5]);
  });

    it('a layer that does not fit is refused before anything changes: the trained model stays compiled and keeps training', async () => {
    const model = await trained();
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(() => model.add(km.layers.reshape({ targetShape: [2, 2] }))).toThrow(/reshape/i);
    expect(model.layers.map((l) => l.name)).toEqual(['features', 'classes']);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  });
});
