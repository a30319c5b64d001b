import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

// tfjs' Embedding writes batch_input_shape [null, null] (or [null, inputLength]) wherever it sits,
// which Keras reads only on a model's first layer.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const ids = [1, 2, 3, 4, 9, 8, 7, 0, 5, 5, 6, 1];

async function expectSamePredictions(theirs: tfl.LayersModel, ours: km.LayersModel): Promise<void> {
  const expected = (theirs.predict(tf.tensor2d(ids, [3, 4], 'int32')) as tf.Tensor).dataSync();
  expect(maxAbsDiff(ours.predict(km.tensor(ids, [3, 4], 'int32')).dataSync(), expected)).toBeLessThanOrEqual(1e-6);
}

describe('an Embedding that is not the first layer of a saved model', () => {
  it('loads from a tfjs functional model, whose Embedding saves batch_input_shape [null, null]', async () => {
    const x = tfl.input({ shape: [4], dtype: 'int32' });
    const embedded = tfl.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(x) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: 2 }).apply(tfl.layers.flatten().apply(embedded)) as tfl.SymbolicTensor });
    const artifacts = await tfjsArtifacts(theirs);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers.find((l) => l.class_name === 'Embedding')!.config.batch_input_shape).toEqual([null, null]);
    await expectSamePredictions(theirs, await km.loadLayersModel(km.io.fromMemory(artifacts)));
  });

  it('loads from a tfjs Sequential model that starts with an InputLayer', async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [4] }), tfl.layers.embedding({ inputDim: 10, outputDim: 3 }), tfl.layers.flatten(), tfl.layers.dense({ units: 2 })] });
    const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    expect(ours.inputShape).toEqual([4]);
    await expectSamePredictions(theirs, ours);
  });

  it('round-trips from kerasm with no inputLength (or inputLength: null), through kerasm and tfjs', async () => {
    for (const inputLength of [undefined, null]) {
      const x = km.input({ shape: [4] });
      const embedded = km.layers.embedding({ inputDim: 10, outputDim: 3, inputLength }).apply(x);
      const ours = km.model({ inputs: x, outputs: km.layers.dense({ units: 2 }).apply(km.layers.flatten().apply(embedded)) });
      const artifacts = await kerasmArtifacts(ours);
      const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
      expect(reloaded.layers.map((l) => l.getConfig())).toEqual(ours.layers.map((l) => l.getConfig()));
      const expected = ours.predict(km.tensor(ids, [3, 4], 'int32')).dataSync();
      expect(Array.from(reloaded.predict(km.tensor(ids, [3, 4], 'int32')).dataSync())).toEqual(Array.from(expected));
      const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
      expect(maxAbsDiff((inTfjs.predict(tf.tensor2d(ids, [3, 4], 'int32')) as tf.Tensor).dataSync(), expected)).toBeLessThanOrEqual(1e-6);
      // And what tfjs saves for it again ([null, null] on the Embedding) loads back.
      await expectSamePredictions(inTfjs, await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(inTfjs))));
    }
  });

  it('a known batch_input_shape on a later layer is kept, and saved again', async () => {
    const x = tfl.input({ shape: [4], dtype: 'int32' });
    const embedded = tfl.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 4 }).apply(x) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: x, outputs: tfl.layers.flatten().apply(embedded) as tfl.SymbolicTensor });
    const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    await expectSamePredictions(theirs, ours);
    const embedding = ours.layers.find((l) => l.className === 'Embedding')!;
    expect(embedding.getConfig()).toMatchObject({ batchInputShape: [null, 4], inputLength: 4 });
  });

  it('a first layer with an unknown sequence length loads with it unknown, or with that length given', async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: 10, outputDim: 3, name: 'embed' }), tfl.layers.globalAveragePooling1d({}), tfl.layers.dense({ units: 2 })] });
    const artifacts = await tfjsArtifacts(theirs);
    const anyLength = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(anyLength.inputShape).toEqual([null]);
    await expectSamePredictions(theirs, anyLength);
    await expectSamePredictions(theirs, await km.loadLayersModel(km.io.fromMemory(artifacts), { inputShapes: { embed_input: [4] } }));
  });
});
