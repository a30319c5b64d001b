import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Keras' and tfjs' model.build(inputShape): the batch dimension first, weights made without data.

describe('model.build', () => {
  it('builds a Sequential model whose first layer declares no input shape, before any data, as one declaring it', async () => {
    const make = (declared: boolean) => {
      km.utils.setRandomSeed(5);
      const model = km.sequential([km.layers.dense({ units: 10, activation: 'softmax', ...(declared ? { inputShape: [784] } : {}) })]);
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      if (!declared) {
        expect(model.built).toBe(false);
        model.build([null, 784]);
        expect(model.built).toBe(true);
      }
      model.getWeights(); // draws the weights now, from this seed
      return model;
    };
    const [built, declared] = [make(false), make(true)];
    expect(built.inputShape).toEqual([784]);
    expect(built.getWeights().map((w) => w.shape)).toEqual([[784, 10], [10]]);
    expect(built.countParams()).toBe(7850);
    const x = km.tensor(Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 7) / 7), [2, 784]);
    const y = km.tensor([3, 4], [2], 'int32');
    const fit = async (model: km.LayersModel) => (await model.fit(x, y, { epochs: 2, verbose: 0 })).history.loss;
    expect(await fit(built)).toEqual(await fit(declared));
  });

  it('checks a built model against its own shape, and names the form a bad shape should take', () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    expect(() => model.build([null, 3])).not.toThrow();
    expect(() => model.build([8, 3])).not.toThrow();
    expect(() => model.build([null, 4])).toThrow("Model '" + model.name + "' is built for inputs of shape [null, 3], so it cannot be built for [null, 4]. Build a new model for that shape.");
    const fresh = km.sequential([km.layers.dense({ units: 2 })]);
    expect(() => fresh.build([784])).toThrow(/build takes the input shape with the batch dimension first, null or a size, then every sample dimension as a positive integer or null for any size, as Keras and tfjs write it: \[null, 784\], \[null, 28, 28\] or \[null, null, 8\]\. Received: \[784\]\./);
    // An unknown dimension builds the model for any size there.
    const text = km.sequential([km.layers.embedding({ inputDim: 5, outputDim: 2 }), km.layers.globalAveragePooling1d()]);
    text.build([null, null]);
    expect(text.inputShape).toEqual([null]);
    expect(() => text.build([null, 7])).toThrow("is built for inputs of shape [null, null], so it cannot be built for [null, 7].");
    expect(() => fresh.build([null, 0])).toThrow(/Received: \[null,0\]/);
    expect(() => fresh.build([[null, 2], [null, 3]])).toThrow(/the model has one input, but 2 input shapes were given/);
    expect(fresh.built).toBe(false);
    expect(() => km.sequential().build([null, 3])).toThrow(/has no layers to build: add some first/);
    expect(() => fresh.summary()).toThrow(/call model\.build\(\[null, \.\.\.inputShape\]\)/);
  });

  it('takes a list of shapes for a model with several inputs', () => {
    const a = km.input({ shape: [2] });
    const b = km.input({ shape: [3] });
    const model = km.model({ inputs: [a, b], outputs: km.layers.concatenate().apply([a, b]) as km.SymbolicTensor });
    expect(() => model.build([[null, 2], [null, 3]])).not.toThrow();
    expect(() => model.build([[null, 3], [null, 2]])).toThrow(/built for inputs of shape \[null, 2\], \[null, 3\]/);
  });
});
