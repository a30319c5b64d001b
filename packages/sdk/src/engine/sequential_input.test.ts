import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';

// A Sequential model's input given first, as Keras 3 writes it (keras.Input) and tfjs (inputLayer).

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const x = km.tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [8, 3]);
const y = km.tensor([0, 1, 1, 0, 1, 0, 0, 1], undefined, 'int32');

function trained(first: km.SymbolicTensor | km.layers.InputLayer | null): Promise<[km.Sequential, km.History]> {
  km.utils.setRandomSeed(7);
  const hidden = km.layers.dense({ units: 4, activation: 'relu', ...(first ? {} : { inputShape: [3] }) });
  const model = km.sequential([...(first ? [first] : []), hidden, km.layers.dense({ units: 2, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model.fit(x, y, { epochs: 3, batchSize: 4, seed: 1, verbose: 0 }).then((history) => [model, history]);
}

describe('a Sequential model whose input comes first', () => {
  it('km.input or km.layers.inputLayer first is the first layer declaring inputShape: built at once, the same training, layers without it', async () => {
    const [reference, expected] = await trained(null);
    for (const first of [km.input({ shape: [3] }), km.layers.inputLayer({ inputShape: [3] }), km.layers.inputLayer({ batchInputShape: [null, 3] })]) {
      const [model, history] = await trained(first);
      expect(model.inputShape).toEqual([3]);
      expect(model.layers).toHaveLength(2);
      // km.layers.inputLayer gives tfjs' InputLayer, whose output is the model input.
      expect(model.inputs[0]).toBe(first instanceof km.layers.InputLayer ? first.output : first);
      expect(history.history.loss).toEqual(expected.history.loss);
      expect(Array.from(model.predict(x).dataSync())).toEqual(Array.from(reference.predict(x).dataSync()));
    }
  });

  it("a second argument, as Keras' Sequential(layers, name=...) takes, is refused rather than dropped", () => {
    const layers = [km.layers.dense({ units: 2, inputShape: [3] })];
    expect(() => (km.sequential as (...args: unknown[]) => km.Sequential)(layers, { name: 'classifier' })).toThrow(
      "km.sequential takes one argument: a list of layers, or { layers, name } as tfjs' does. Received 2 arguments; for a name, write km.sequential({ layers: [...], name: 'classifier' }).",
    );
    expect(km.sequential({ layers, name: 'classifier' }).name).toBe('classifier');
  });

  it("Dense's inputDim is tfjs' inputShape of one axis", () => {
    const dense = km.layers.dense({ units: 2, inputDim: 3 });
    expect(km.sequential([dense]).inputShape).toEqual([3]);
    expect(dense.getConfig()).toMatchObject({ batchInputShape: [null, 3] });
    expect(() => km.layers.dense({ units: 2, inputDim: 3, inputShape: [3] })).toThrow("km.layers.dense takes inputDim (tfjs' form of inputShape: [3]) or inputShape, not both.");
  });

  it('saves as the first layer declaring the shape, which tfjs loads with the same predictions', async () => {
    const [model] = await trained(km.input({ shape: [3] }));
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory((await kerasmArtifacts(model)) as tf.io.ModelArtifacts));
    const theirs = (inTfjs.predict(tf.tensor2d(Array.from(x.dataSync()), [8, 3])) as tf.Tensor).dataSync();
    Array.from(model.predict(x).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(theirs[i], 6));
  });

  it('refuses an input after layers, a second input, or a layer output in its place', () => {
    const dense = () => km.layers.dense({ units: 2 });
    expect(() => km.sequential([dense(), km.input({ shape: [3], name: 'late' })])).toThrow(/takes its input \(km\.input or km\.layers\.inputLayer\) first and once; it already has layers\./);
    expect(() => km.sequential([km.input({ shape: [3], name: 'a' }), km.input({ shape: [3] })])).toThrow(/first and once; it already has input 'a'\./);
    const i = km.input({ shape: [3] });
    const out = dense().apply(i) as km.SymbolicTensor;
    expect(() => km.sequential([out])).toThrow(/takes layers, and an input from km\.input\(\{ shape \}\) first; '.*' is a layer's output\. Add the layer itself\./);
    expect(() => km.sequential([km.input({ shape: [3], name: 'three' }), km.layers.dense({ units: 2, inputShape: [4], name: 'four' })])).toThrow(
      "Layer 'four' declares inputShape [4], but Sequential model 'sequential",
    );
    // The same shape twice is harmless.
    expect(km.sequential([km.input({ shape: [3] }), km.layers.dense({ units: 2, inputShape: [3] })]).inputShape).toEqual([3]);
  });
});
