import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Two layers named 'dense', each in its own nested model, give two weights the saved name
// 'dense/kernel'. tfjs-layers 4.22 writes such a file but cannot load it ("Duplicate weight name"),
// so kerasm refuses to save the model, naming both layers; a file tfjs wrote loads into the model
// built in code with loadWeights, which pairs the weights by position.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const X = [[0.5, -1.2], [1.5, 0.3]];

function kerasmModel(widths = [3, 2]): km.LayersModel {
  km.utils.setRandomSeed(5);
  const a = km.sequential({ name: 'a', layers: [km.layers.dense({ units: widths[0], inputShape: [2], name: 'dense' })] });
  const b = km.sequential({ name: 'b', layers: [km.layers.dense({ units: widths[1], inputShape: [widths[0]], name: 'dense' })] });
  const input = km.input({ shape: [2] });
  return km.model({ inputs: input, outputs: b.apply(a.apply(input) as km.SymbolicTensor) as km.SymbolicTensor, name: 'outer' });
}

function tfjsModel(widths = [3, 2]): tfl.LayersModel {
  const a = tfl.sequential({ name: 'a', layers: [tfl.layers.dense({ units: widths[0], inputShape: [2], name: 'dense' })] });
  const b = tfl.sequential({ name: 'b', layers: [tfl.layers.dense({ units: widths[1], inputShape: [widths[0]], name: 'dense' })] });
  const input = tfl.input({ shape: [2] });
  return tfl.model({ inputs: input, outputs: b.apply(a.apply(input)) as tfl.SymbolicTensor, name: 'outer' });
}

async function tfjsArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  return artifacts!;
}

const values = (m: { getWeights(): { dataSync(): ArrayLike<number> }[] }) => m.getWeights().map((w) => Array.from(w.dataSync()));
const nowhere = km.io.withSaveHandler(async () => undefined);

describe('saving a model whose weights have one name', () => {
  it('is refused, naming both layers, where they sit, and the fix', async () => {
    const model = kerasmModel();
    const message =
      "Model 'outer' cannot be saved: a weight of layer 'dense' (Dense) in nested model 'a' and one of layer 'dense' (Dense) in nested model 'b' are both named 'dense/kernel'. " +
      "The LayersModel format names a weight '<layer>/<weight>' without the models around its layer, and loading pairs weights by those names, so TensorFlow.js 4.22, which writes such a file, cannot load it (\"Duplicate weight name\"). " +
      "Give one of the layers another name where it is made (the name option, e.g. name: 'dense_2'), then build the model and save again.";
    await expect(model.save(nowhere)).rejects.toThrow(message);
    await expect(model.saveWeights(nowhere)).rejects.toThrow(message);
  });

  it('names a layer outside the nested model as its model’s', async () => {
    const inner = km.sequential({ name: 'inner', layers: [km.layers.dense({ units: 3, inputShape: [2], name: 'd' })] });
    const input = km.input({ shape: [2] });
    const outer = km.model({ inputs: input, outputs: km.layers.dense({ units: 1, name: 'd' }).apply(inner.apply(input) as km.SymbolicTensor) as km.SymbolicTensor, name: 'top' });
    await expect(outer.save(nowhere)).rejects.toThrow("a weight of layer 'd' (Dense) in nested model 'inner' and one of layer 'd' (Dense) of model 'top' are both named 'd/kernel'");
  });
});

describe('a file tfjs-layers 4.22 wrote for such a model', () => {
  it('tfjs cannot load it; kerasm’s loadLayersModel says why and what to do, and loadWeights restores each layer by position', async () => {
    const theirs = tfjsModel();
    const artifacts = await tfjsArtifacts(theirs);
    expect(artifacts.weightSpecs!.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense/kernel', 'dense/bias']);
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts))).rejects.toThrow('Duplicate weight name: dense/kernel');

    await expect(km.loadLayersModel(km.io.fromMemory(artifacts as km.io.ModelArtifacts))).rejects.toThrow(
      "the weights manifest names 2 weights 'dense/kernel' (shapes [2, 3], [3, 2]), so they cannot be paired with layers by name. TensorFlow.js writes such a file for a model with two layers of one name in different nested models, and cannot load it either (\"Duplicate weight name\"). Rename one of the layers in the model that saved it and save it again, or build the same model in code and call model.loadWeights(source)",
    );
    const ours = kerasmModel();
    await ours.loadWeights(km.io.fromMemory(artifacts as km.io.ModelArtifacts));
    expect(values(ours)).toEqual(values(theirs));
    const predicted = Array.from(ours.predict(km.tensor(X)).dataSync());
    const expected = Array.from((theirs.predict(tf.tensor(X)) as tf.Tensor).dataSync());
    predicted.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it('gives each layer its own weights where both have the same shapes, and skipMismatch, which pairs by name only, refuses it', async () => {
    const theirs = tfjsModel([2, 2]);
    const artifacts = (await tfjsArtifacts(theirs)) as km.io.ModelArtifacts;
    const ours = kerasmModel([2, 2]);
    await ours.loadWeights(km.io.fromMemory(artifacts));
    expect(values(ours)).toEqual(values(theirs));
    expect(values(ours)[0]).not.toEqual(values(ours)[2]);
    await expect(ours.loadWeights(km.io.fromMemory(artifacts), { skipMismatch: true })).rejects.toThrow("the weights manifest names 2 weights 'dense/kernel' (shapes [2, 2], [2, 2])");
  });
});
