import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

// tfjs 4.22 gives a layer its inputDType as its own dtype, so an Embedding declared with
// inputDType: 'int32' has an int32 matrix there, which tfjs computes with and saves as int32.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const ids = [1, 2, 3, 0, 3, 2, 1, 0, 2, 2];
const MATRIX = [3, -1, 0, 2, -4, 5, 1, 1];

/** tfjs' Embedding(4 → 2) on an inputDType 'int32' input, then Flatten and Dense, with a whole-number matrix. */
function tfjsModel(): tfl.Sequential {
  const theirs = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [5], inputDType: 'int32' }), tfl.layers.flatten(), tfl.layers.dense({ units: 1 })] });
  theirs.layers[0].setWeights([tf.tensor2d(MATRIX, [4, 2], 'int32')]);
  return theirs;
}

type Manifest = { weightSpecs?: { name: string; dtype: string }[] };

describe("a tfjs file whose Embedding had inputDType 'int32' (its weights saved as int32)", () => {
  it('loads, with the int32 values as float32 weights, and predicts as tfjs does', async () => {
    const theirs = tfjsModel();
    const artifacts = await tfjsArtifacts(theirs);
    expect((artifacts as Manifest).weightSpecs!.map((w) => w.dtype)).toEqual(['int32', 'float32', 'float32']);
    const ours = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(ours.inputs[0].dtype).toBe('int32');
    expect(ours.getWeights().map((w) => w.dtype)).toEqual(['float32', 'float32', 'float32']);
    expect(Array.from(ours.getWeights()[0].dataSync())).toEqual(MATRIX);
    const expected = (theirs.predict(tf.tensor2d(ids, [2, 5], 'int32')) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ours.predict(km.tensor(Int32Array.from(ids), [2, 5], 'int32')).dataSync(), expected)).toBeLessThanOrEqual(1e-5);
  });

  it("loadWeights loads them into a kerasm model whose Embedding has inputDType 'int32', as the saved one had", async () => {
    const artifacts = await tfjsArtifacts(tfjsModel());
    const ours = km.sequential([km.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [5], inputDType: 'int32' }), km.layers.flatten(), km.layers.dense({ units: 1 })]);
    await ours.loadWeights(km.io.fromMemory(artifacts));
    expect(Array.from(ours.getWeights()[0].dataSync())).toEqual(MATRIX);
  });

  it('into a model whose Embedding does not declare the int32 input, the error names the cause and both fixes, and the weights stay', async () => {
    const artifacts = await tfjsArtifacts(tfjsModel());
    const ours = km.sequential([km.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [5], name: 'plain' }), km.layers.flatten(), km.layers.dense({ units: 1 })]);
    const before = ours.getWeights().map((w) => Array.from(w.dataSync()));
    const cause = "expects float32 weights: tfjs 4.22 saves a layer's weights as int32 when it gives the layer the dtype of an int32 model input (its inputDType: 'int32'). Give the layer inputDType: 'int32', as the saved model's had, to load them as the float32 values they hold, or re-save from tfjs with tf.layers.inputLayer({ shape, dtype: 'int32' }) in front of the layers instead of inputDType";
    await expect(ours.loadWeights(km.io.fromMemory(artifacts))).rejects.toThrow(`is stored as int32, but layer 'plain' ${cause}`);
    expect(ours.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    // loadLayersModel by name: no "do not belong to this topology", which would send the user looking for another file.
    const json = artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } };
    delete json.config.layers[0].config.dtype;
    const message = await km.loadLayersModel(km.io.fromMemory(artifacts)).then(() => 'loaded', (e: Error) => e.message);
    expect(message).toMatch(new RegExp(`^.*: weight 'embedding_Embedding\\d+/embeddings' is stored as int32, but layer 'embedding_Embedding\\d+' expects float32 weights: tfjs 4\\.22 saves`));
    expect(message.endsWith("instead of inputDType.")).toBe(true);
  });
});
