import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

// A Sequential model.json whose InputLayer entry is int32 loads with an int32 input: kerasm's own
// save of such a model, and tfjs' Sequential built on tf.layers.inputLayer({ dtype: 'int32' }).

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const ids = [1, 2, 3, 0, 3, 2, 1, 0, 2, 2];

describe("a Sequential model's InputLayer dtype loads", () => {
  it("kerasm's save of an int32 input loads back int32, with the same predictions, and saves the same again", async () => {
    const ours = km.sequential([km.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [5], inputDType: 'int32' }), km.layers.flatten(), km.layers.dense({ units: 1 })]);
    const artifacts = await kerasmArtifacts(ours);
    const back = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(back.inputs[0].dtype).toBe('int32');
    expect((back.layers[0] as km.layers.Layer).declaredInputDType).toBe('int32');
    const x = km.tensor(Int32Array.from(ids), [2, 5]);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(ours.predict(x).dataSync()));
    expect((await kerasmArtifacts(back)).modelTopology).toEqual({ ...(artifacts.modelTopology as object), config: { ...(artifacts.modelTopology as { config: object }).config, name: back.name } });
  });

  it("tfjs' Sequential on an int32 inputLayer loads with an int32 input and tfjs' predictions", async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [5], dtype: 'int32' }), tfl.layers.embedding({ inputDim: 4, outputDim: 2 }), tfl.layers.flatten()] });
    const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    expect(ours.inputs[0].dtype).toBe('int32');
    const expected = (theirs.predict(tf.tensor2d(ids, [2, 5], 'int32')) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ours.predict(km.tensor(Int32Array.from(ids), [2, 5])).dataSync(), expected)).toBeLessThanOrEqual(1e-6);
  });

  it('a float32 InputLayer leaves the input float32', async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [2] }), tfl.layers.dense({ units: 1 })] });
    const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    expect(ours.inputs[0].dtype).toBe('float32');
  });
});
