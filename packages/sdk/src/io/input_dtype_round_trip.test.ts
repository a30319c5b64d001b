import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

// A Sequential model's int32 input (its first layer's inputDType, or an int32 km.layers.inputLayer)
// in model.json, against what tfjs-layers 4.22 writes and reads.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const ids = [1, 2, 3, 0, 3, 2, 1, 0, 2, 2];

type Entry = { class_name: string; config: Record<string, unknown> };
const entries = (artifacts: km.io.ModelArtifacts) => (artifacts.modelTopology as { config: { layers: Entry[] } }).config.layers;

describe("a Sequential model's int32 input is saved as tfjs writes an InputLayer's", () => {
  const kerasmModels: [string, () => km.Sequential][] = [
    ["the first layer's inputDType", () => km.sequential([km.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [5], inputDType: 'int32' }), km.layers.flatten(), km.layers.dense({ units: 1 })])],
    ['an int32 km.layers.inputLayer', () => km.sequential([km.layers.inputLayer({ inputShape: [5], dtype: 'int32' }), km.layers.embedding({ inputDim: 4, outputDim: 2 }), km.layers.flatten(), km.layers.dense({ units: 1 })])],
  ];

  it.each(kerasmModels)('%s: the same InputLayer fields as tfjs, which loads it with an int32 input, float32 weights and the same predictions', async (_, make) => {
    const ours = make();
    expect(ours.inputs[0].dtype).toBe('int32');
    const artifacts = await kerasmArtifacts(ours);
    const [input, first] = entries(artifacts);
    const theirsBuilt = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [5], dtype: 'int32' }), tfl.layers.embedding({ inputDim: 4, outputDim: 2 })] });
    const [tfjsInput] = entries(await tfjsArtifacts(theirsBuilt));
    expect(input.class_name).toBe(tfjsInput.class_name);
    const { name, ...fields } = input.config;
    const { name: tfjsName, ...tfjsFields } = tfjsInput.config;
    expect(fields).toEqual(tfjsFields);
    expect([typeof name, typeof tfjsName]).toEqual(['string', 'string']);
    // The layer's own dtype stays float32: tfjs would make its weights int32 from it.
    expect(first.config.dtype ?? 'float32').toBe('float32');

    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(theirs.inputs[0].dtype).toBe('int32');
    expect(theirs.getWeights().map((w) => w.dtype)).toEqual(ours.getWeights().map(() => 'float32'));
    const expected = ours.predict(km.tensor(Int32Array.from(ids), [2, 5])).dataSync();
    expect(maxAbsDiff((theirs.predict(tf.tensor2d(ids, [2, 5], 'int32')) as tf.Tensor).dataSync(), expected)).toBeLessThanOrEqual(1e-6);
  });

  it('a float32 input saves as before: no InputLayer entry, the first layer declares it', async () => {
    const artifacts = await kerasmArtifacts(km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]));
    expect(entries(artifacts).map((e) => e.class_name)).toEqual(['Dense']);
    expect(entries(artifacts)[0].config).toMatchObject({ batch_input_shape: [null, 2], dtype: 'float32' });
  });
});

describe("tfjs' own form: the first layer's dtype", () => {
  it("a tfjs file whose first layer saved inputDType 'int32' as its dtype loads with an int32 input and tfjs' predictions", async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.reshape({ targetShape: [5], inputShape: [5], inputDType: 'int32' }), tfl.layers.embedding({ inputDim: 4, outputDim: 2 }), tfl.layers.flatten()] });
    const artifacts = await tfjsArtifacts(theirs);
    expect(entries(artifacts)[0].config).toMatchObject({ batch_input_shape: [null, 5], dtype: 'int32' });
    const ours = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(ours.inputs[0].dtype).toBe('int32');
    expect((ours.layers[0] as km.layers.Layer).declaredInputDType).toBe('int32');
    expect(ours.layers[0].getConfig().dtype).toBe('float32');
    const expected = (theirs.predict(tf.tensor2d(ids, [2, 5], 'int32')) as tf.Tensor).dataSync();
    // Only an Embedding reads int32 ids in kerasm; the same whole numbers as float32 go through the Reshape.
    expect(maxAbsDiff(ours.predict(km.tensor(ids, [2, 5])).dataSync(), expected)).toBeLessThanOrEqual(1e-6);
    // Saved again by kerasm, tfjs reads the int32 input back.
    const again = await tfl.loadLayersModel(tf.io.fromMemory((await kerasmArtifacts(ours)) as tf.io.ModelArtifacts));
    expect(again.inputs[0].dtype).toBe('int32');
  });

  it('a layer that computes in int32 (a dtype without an input shape) is still refused', () => {
    const topology = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { units: 1, batch_input_shape: [null, 2] } }, { class_name: 'Dense', config: { units: 1, dtype: 'int32' } }] } };
    expect(() => km.models.modelFromJSON(topology)).toThrow("kerasm computes in float32 only. Received: dtype=\"int32\"");
  });
});
