import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from './testing/round_trip.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const xValues = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.cos(i * 0.9));
const x = km.tensor(xValues, [6, 4]);

function mlp(): km.Sequential {
  return km.sequential([
    km.layers.dense({ units: 5, activation: 'relu', inputShape: [4], kernelRegularizer: km.regularizers.l2({ l2: 0.01 }) }),
    km.layers.dropout({ rate: 0.25 }),
    km.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
}

/** Two inputs, one Dense shared between them, then concatenated. */
function twoTowers(): km.LayersModel {
  const [a, b] = [km.input({ shape: [4], name: 'left' }), km.input({ shape: [4], name: 'right' })];
  const shared = km.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
  const joined = km.layers.concatenate().apply([shared.apply(a) as km.SymbolicTensor, shared.apply(b) as km.SymbolicTensor]) as km.SymbolicTensor;
  return km.model({ inputs: [a, b], outputs: km.layers.dense({ units: 1, name: 'out' }).apply(joined) as km.SymbolicTensor, name: 'towers' });
}

const values = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('model.toJSON', () => {
  it("is the topology model.save writes to model.json, as a string or, with tfjs' returnString false, the object", async () => {
    for (const model of [mlp(), twoTowers()]) {
      const saved = await kerasmArtifacts(model);
      expect(JSON.parse(model.toJSON())).toEqual(saved.modelTopology);
      expect(model.toJSON(null, false)).toEqual(saved.modelTopology);
    }
  });

  it('of a Sequential built from data records the input shape it was built with', async () => {
    const model = km.sequential([km.layers.dense({ units: 2 })]);
    expect(model.toJSON()).not.toContain('batch_input_shape');
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(x, km.tensor(new Float32Array(12), [6, 2]), { epochs: 1, verbose: 0 });
    expect((JSON.parse(model.toJSON()) as { config: { layers: { config: { batch_input_shape: unknown } }[] } }).config.layers[0].config.batch_input_shape).toEqual([null, 4]);
  });
});

describe('km.models.modelFromJSON', () => {
  it("builds tfjs-layers' toJSON, and tfjs builds kerasm's; with the same weights both predict the same", async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation: 'relu', inputShape: [4] }), tfl.layers.dense({ units: 3, activation: 'softmax' })] });
    const ours = km.models.modelFromJSON(theirs.toJSON() as string);
    expect(ours.layers.map((l) => l.className)).toEqual(['Dense', 'Dense']);
    expect(ours.countParams()).toBe(theirs.countParams());
    ours.setWeights(theirs.getWeights().map((w) => km.tensor(w.dataSync() as Float32Array, w.shape)));
    const expected = tf.tidy(() => (theirs.predict(tf.tensor(xValues, [6, 4])) as tf.Tensor).dataSync());
    expect(maxAbsDiff(ours.predict(x).dataSync(), expected)).toBeLessThan(1e-6);

    const back = await tfl.models.modelFromJSON(JSON.parse(mlp().toJSON()) as tf.io.ModelJSON['modelTopology'] as never);
    expect(back.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense']);
    expect(back.countParams()).toBe(mlp().countParams());
    theirs.dispose();
    back.dispose();
  });

  it("takes a string, an object or { modelTopology }, and builds the same architecture with fresh weights", () => {
    const model = twoTowers();
    for (const json of [model.toJSON(), model.toJSON(null, false), { modelTopology: model.toJSON(null, false) }]) {
      const built = km.models.modelFromJSON(json);
      expect(built.toJSON()).toBe(model.toJSON());
      expect(built.optimizer).toBeUndefined();
      expect(values(built)).not.toEqual(values(model));
    }
  });

  it("takes the bare config model.getConfig() gives (Keras' Model.from_config(model.get_config())), functional or Sequential", async () => {
    for (const model of [twoTowers(), mlp()]) {
      const built = km.models.modelFromJSON(model.getConfig());
      expect(built.className).toBe(model.className);
      expect(built.toJSON()).toBe(model.toJSON());
      built.setWeights(model.getWeights());
      const input = model.inputs.length === 2 ? [x, x] : x;
      expect(maxAbsDiff(built.predict(input).dataSync(), model.predict(input).dataSync())).toBe(0);
    }
    const noClass = { modelTopology: { config: mlp().getConfig() }, format: 'layers-model', weightSpecs: [], weightData: new ArrayBuffer(0) };
    await expect(km.loadLayersModel(km.io.fromMemory(noClass as km.io.ModelArtifacts))).rejects.toThrow(/the topology has no class_name, so it names no model class\. Pass model\.toJSON\(\) or \{ class_name, config \}/);
    expect(() => km.models.modelFromJSON({ name: 'what' })).toThrow(/modelFromJSON: the topology has no class_name.*Pass model\.toJSON\(\) or \{ class_name, config \}/);
  });

  it('refuses what it cannot build, saying what to pass', () => {
    expect(() => km.models.modelFromJSON('{"class_name": "Sequential",')).toThrow(/modelFromJSON: the string is not valid JSON \(.*\)\. Pass what model\.toJSON\(\) returns\./);
    expect(() => km.models.modelFromJSON({ modelTopology: mlp().toJSON(null, false), weightsManifest: [] })).toThrow(
      'modelFromJSON builds a model with fresh weights and reads none, but this model.json lists weights. Load it with its weights through km.loadLayersModel(path), or pass its modelTopology alone.',
    );
    expect(() => km.models.modelFromJSON({ class_name: 'Sequential', config: { layers: [{ class_name: 'NoSuchLayer', config: { name: 'n' } }] } })).toThrow(/^modelFromJSON: layer 0 'n' \(NoSuchLayer\): /);
  });
});

describe('km.models.cloneModel', () => {
  it('has the same layers and names, fresh weights of its own, and no compile settings', async () => {
    const model = mlp();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const clone = km.models.cloneModel(model);
    expect(clone.toJSON()).toBe(model.toJSON());
    expect(clone.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(clone.optimizer).toBeUndefined();
    expect(values(clone)).not.toEqual(values(model));
    const before = values(model);
    clone.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await clone.fit(x, km.tensor([0, 1, 2, 0, 1, 2], [6], 'int32'), { epochs: 2, verbose: 0 });
    expect(values(model)).toEqual(before);
  });

  it('starts from the original weights after setWeights, and then predicts as it does (a functional model with a shared layer)', () => {
    const model = twoTowers();
    const clone = km.models.cloneModel(model);
    clone.setWeights(model.getWeights());
    const inputs = [x, km.tensor(xValues.map((v) => -v), [6, 4])];
    expect(Array.from(clone.predict(inputs).dataSync())).toEqual(Array.from(model.predict(inputs).dataSync()));
  });

  const fromConfig = (layer: km.layers.Layer) => km.layers.layerFromConfig(layer.className, layer.getConfig());

  it("takes Keras' cloneFunction: a lower Dropout rate, the other layers new from their configs", () => {
    const model = mlp();
    const clone = km.models.cloneModel(model, { cloneFunction: (layer) => (layer instanceof km.layers.Dropout ? km.layers.dropout({ rate: 0.1, name: layer.name }) : fromConfig(layer)) });
    expect(clone).toBeInstanceOf(km.Sequential);
    expect(clone.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect((clone.layers[1] as km.layers.Dropout).rate).toBe(0.1);
    expect([0, 2].map((i) => clone.layers[i].getConfig())).toEqual([0, 2].map((i) => model.layers[i].getConfig()));
    expect(values(clone)).not.toEqual(values(model));
    clone.setWeights(model.getWeights());
    expect(Array.from(clone.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('calls cloneFunction once per layer, so a shared layer stays shared; returning the layer itself shares it with the model', async () => {
    const model = twoTowers();
    const seen: string[] = [];
    const clone = km.models.cloneModel(model, { cloneFunction: (layer) => (seen.push(layer.name), fromConfig(layer)) });
    // Not on the InputLayers: the clone gets new inputs, as in Keras.
    expect(seen).toEqual(model.layers.filter((l) => !(l instanceof km.layers.InputLayer)).map((l) => l.name));
    expect(clone.countParams()).toBe(model.countParams());
    clone.setWeights(model.getWeights());
    const inputs = [x, km.tensor(xValues.map((v) => -v), [6, 4])];
    expect(Array.from(clone.predict(inputs).dataSync())).toEqual(Array.from(model.predict(inputs).dataSync()));

    const sharing = km.models.cloneModel(model, { cloneFunction: (layer) => layer });
    // Every layer but the InputLayers, which stand for the clone's new inputs.
    const layersOf = (m: km.LayersModel) => m.layers.filter((l) => !(l instanceof km.layers.InputLayer));
    layersOf(sharing).forEach((layer, i) => expect(layer).toBe(layersOf(model)[i]));
    expect(sharing.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const before = values(model);
    sharing.compile({ optimizer: 'sgd', loss: 'mse' });
    await sharing.fit(inputs, km.tensor(new Float32Array(6), [6, 1]), { epochs: 1, verbose: 0 });
    expect(values(model)).not.toEqual(before);
  });

  it("takes Keras' inputTensors: the clone starts from them, and keeps each call's fixed mode", () => {
    const [a, b] = [km.input({ shape: [4] }), km.input({ shape: [4] })];
    const clone = km.models.cloneModel(twoTowers(), { inputTensors: [a, b] });
    expect(clone.inputs[0]).toBe(a);
    expect(clone.inputs[1]).toBe(b);
    const c = km.input({ shape: [4] });
    const sequentialClone = km.models.cloneModel(mlp(), { inputTensors: c });
    expect(sequentialClone).not.toBeInstanceOf(km.Sequential);
    expect(sequentialClone.inputs[0]).toBe(c);

    const inner = km.input({ shape: [8] });
    const dropping = km.model({ inputs: inner, outputs: km.layers.dropout({ rate: 0.5 }).apply(inner, { training: true }) as km.SymbolicTensor });
    const ones = km.tensor(new Float32Array(4 * 8).fill(1), [4, 8]);
    expect(new Set(km.models.cloneModel(dropping, { inputTensors: km.input({ shape: [8] }) }).predict(ones).dataSync())).toEqual(new Set([0, 2]));
  });

  it('names what is wrong with cloneFunction or inputTensors', () => {
    const model = twoTowers();
    expect(() => km.models.cloneModel(model, { cloneFunction: () => ({}) as never })).toThrow("cloneModel of model 'towers': cloneFunction must return a layer, but for layer 'shared' it returned object. Return a new layer, or the layer itself to share it.");
    expect(() => km.models.cloneModel(model, { cloneFunction: 'copy' as never })).toThrow("cloneModel of model 'towers': cloneFunction must be a function from a layer to the clone's layer. Received: string.");
    expect(() => km.models.cloneModel(model, { inputTensors: km.input({ shape: [4] }) })).toThrow("cloneModel of model 'towers': inputTensors takes 2 inputs ('left', 'right'), but received 1. Pass one symbolic tensor per model input, in order.");
    expect(() => km.models.cloneModel(model, { inputTensors: [km.input({ shape: [4] }), km.input({ shape: [5] })] })).toThrow(/inputTensors expects input 'right' of shape \(None, 4\), but received \(None, 5\)/);
    expect(() => km.models.cloneModel(model, { cloneFn: (l: km.layers.Layer) => l } as never)).toThrow(/cloneModel has no option 'cloneFn'/);
    expect(() => km.models.cloneModel(null as never)).toThrow('cloneModel expects a model (km.sequential or km.model). Received: null.');
    expect(() => model.apply([[1, 2, 3, 4]] as never)).toThrow("Model 'towers'.apply expects symbolic tensors (from km.input or a layer's apply) or km.Tensor data, but input 0 is an array. Wrap values with km.tensor(values, shape).");
  });

  it('of a Sequential without an input shape is unbuilt too, and builds from the data it first sees', async () => {
    const clone = km.models.cloneModel(km.sequential([km.layers.dense({ units: 3 }), km.layers.dense({ units: 1 })]));
    expect(clone.inputShape).toBeUndefined();
    clone.compile({ optimizer: 'sgd', loss: 'mse' });
    await clone.fit(x, km.tensor(new Float32Array(6), [6, 1]), { epochs: 1, verbose: 0 });
    expect(clone.inputShape).toEqual([4]);
  });
});
