import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

// km.input takes tfjs' and Keras' dtype and batchShape; an int32 input is saved as such.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const ids = [1, 2, 3, 4, 9, 8, 7, 0, 5, 5, 6, 1];

function inputLayerDtypes(artifacts: km.io.ModelArtifacts): unknown[] {
  const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: { dtype: unknown } }[] } }).config.layers;
  return layers.filter((l) => l.class_name === 'InputLayer').map((l) => l.config.dtype);
}

describe("km.input's dtype and batchShape", () => {
  it('an int32 input saves as one, tfjs reads it with the same predictions, and it loads back as int32', async () => {
    const x = km.input({ batchShape: [null, 4], dtype: 'int32', name: 'tokens' });
    expect([x.shape, x.dtype]).toEqual([[4], 'int32']);
    const embedded = km.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(x);
    const ours = km.model({ inputs: x, outputs: km.layers.dense({ units: 2 }).apply(km.layers.flatten().apply(embedded)) });
    const artifacts = await kerasmArtifacts(ours);
    expect(inputLayerDtypes(artifacts)).toEqual(['int32']);
    const expected = ours.predict(km.tensor(ids, [3, 4], 'int32')).dataSync();
    // Ids as float32 are the same whole numbers.
    expect(Array.from(ours.predict(km.tensor(ids, [3, 4])).dataSync())).toEqual(Array.from(expected));
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(inTfjs.inputs[0].dtype).toBe('int32');
    expect(maxAbsDiff((inTfjs.predict(tf.tensor2d(ids, [3, 4], 'int32')) as tf.Tensor).dataSync(), expected)).toBeLessThanOrEqual(1e-6);
    const back = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(inTfjs)));
    expect(back.inputs[0].dtype).toBe('int32');
    expect(km.input({ shape: [3] }).dtype).toBe('float32');
  });

  it('refuses a dtype kerasm lacks, a fixed batch size, and shape with batchShape', () => {
    expect(() => km.input({ shape: [3], dtype: 'bool' as km.DType })).toThrow(`km.input dtype must be 'float32' or 'int32' (ids for an Embedding). Received: dtype="bool".`);
    expect(() => km.input({ shape: [1], dtype: 'string' as km.DType })).toThrow(/Received: dtype="string"\. kerasm's tensors hold no strings: turn text into token ids before the model with km\.layers\.textVectorization/);
    expect(() => km.input({ batchShape: [32, 3] })).toThrow("km.input's batchShape starts with null, the batch size, which kerasm leaves free: { batchShape: [null, 28, 28, 1] }, or { shape: [28, 28, 1] }. Received: batchShape=[32,3].");
    expect(() => km.input({ shape: [3], batchShape: [null, 3] })).toThrow('km.input takes shape or batchShape, not both');
    expect(() => km.input({})).toThrow('km.input expects shape to be a non-empty list of positive integers');
    // Keras' variable-length Input(shape=(None,)) is taken (engine/unknown_dims_tfjs.test.ts); a size of 0 is not.
    expect(km.input({ shape: [null], dtype: 'int32' }).shape).toEqual([null]);
    expect(() => km.input({ shape: [0] })).toThrow('or null for a dimension of any size, e.g. { shape: [28, 28, 1] } or { shape: [null, 8] }. Received: shape=[0].');
  });
});
