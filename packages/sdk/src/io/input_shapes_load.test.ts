import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

// A model saved with unknown input dimensions (Keras' None: a text model over sequences of any
// length) loads with loadLayersModel's inputShapes, which fixes them to the data's size.

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

// Three sequences padded with zeros to 5 tokens.
const ids = [3, 1, 4, 0, 0, 5, 9, 2, 6, 5, 8, 0, 0, 0, 0];

/** tokens (None, None) -> Embedding(maskZero) -> LSTM -> Dense, as tfjs saves it. */
function textModel(): tfl.LayersModel {
  const tokens = tfl.input({ shape: [null as unknown as number], name: 'tokens' });
  const embedded = tfl.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true }).apply(tokens) as tfl.SymbolicTensor;
  const encoded = tfl.layers.lstm({ units: 3 }).apply(embedded) as tfl.SymbolicTensor;
  return tfl.model({ inputs: tokens, outputs: tfl.layers.dense({ units: 2 }).apply(encoded) as tfl.SymbolicTensor });
}

function expectSamePredictions(theirs: tfl.LayersModel, ours: km.LayersModel): void {
  const expected = (theirs.predict(tf.tensor2d(ids, [3, 5])) as tf.Tensor).dataSync();
  expect(maxAbsDiff(ours.predict(km.tensor(ids, [3, 5])).dataSync(), expected)).toBeLessThanOrEqual(1e-5);
}

describe("loadLayersModel's inputShapes", () => {
  it('loads a tfjs functional text model saved with tokens of shape (None, None), predicting what tfjs does, and saves it back with the shape given', async () => {
    const theirs = textModel();
    const artifacts = await tfjsArtifacts(theirs);
    const ours = await km.loadLayersModel(km.io.fromMemory(artifacts), { inputShapes: { tokens: [5] } });
    expect(ours.inputs[0].shape).toEqual([5]);
    expectSamePredictions(theirs, ours);

    let saved: km.io.ModelArtifacts | undefined;
    await ours.save(km.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const input = (saved!.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.find((l) => l.class_name === 'InputLayer')!;
    expect(input.config.batch_input_shape).toEqual([null, 5]);
    // The file given is left as it was.
    expect((artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config.batch_input_shape).toEqual([null, null]);
  });

  it('loads a tfjs Sequential model whose first layer has inputShape [null], keyed by its input name', async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: 10, outputDim: 3, inputShape: [null as unknown as number], name: 'embed' }), tfl.layers.globalAveragePooling1d(), tfl.layers.dense({ units: 2 })] });
    const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)), { inputShapes: { embed_input: [5] } });
    expect(ours.inputShape).toEqual([5]);
    expectSamePredictions(theirs, ours);
  });

  it("reads Keras 3's batch_shape, and fills only the unknown dimensions", async () => {
    const topology = {
      class_name: 'Functional',
      config: {
        name: 'frames_model',
        layers: [
          { name: 'frames', class_name: 'InputLayer', config: { batch_shape: [null, null, 2], dtype: 'float32', name: 'frames' }, inbound_nodes: [] },
          { name: 'pool', class_name: 'GlobalAveragePooling1D', config: { name: 'pool' }, inbound_nodes: [[['frames', 0, 0, {}]]] },
        ],
        input_layers: [['frames', 0, 0]],
        output_layers: [['pool', 0, 0]],
      },
    };
    const load = (inputShapes?: Record<string, number[]>) => km.loadLayersModel(km.io.fromMemory({ modelTopology: topology, weightSpecs: [], weightData: new ArrayBuffer(0) }), { inputShapes });
    const model = await load({ frames: [3, 2] });
    const x = [1, 2, 3, 4, 5, 6];
    // The mean of the three frames: [3, 4].
    expect(Array.from(model.predict(km.tensor(x, [1, 3, 2])).dataSync())).toEqual([3, 4]);
    await expect(load({ frames: [3, 5] })).rejects.toThrow(
      "loadLayersModel: inputShapes.frames must be the sample shape of input 'frames', saved as (None, None, 2), with a positive size for each unknown dimension and the saved size for the others. Received: [3,5].",
    );
  });

  it('a wrong name or shape is refused', async () => {
    const artifacts = await tfjsArtifacts(textModel());
    const load = (options?: km.io.LoadOptions) => km.loadLayersModel(km.io.fromMemory(artifacts), options);
    await expect(load({ inputShapes: { token: [5] } })).rejects.toThrow("loadLayersModel: inputShapes names 'token', but the inputs of");
    await expect(load({ inputShapes: { tokens: [5, 4] } })).rejects.toThrow("inputShapes.tokens must be the sample shape of input 'tokens', saved as (None, None)");
    await expect(load({ inputShapes: { tokens: [0] } })).rejects.toThrow('Received: [0].');
    await expect(load({ inputShapes: [[5]] as never })).rejects.toThrow('loadLayersModel: inputShapes must map input names to sample shapes');
  });
});
