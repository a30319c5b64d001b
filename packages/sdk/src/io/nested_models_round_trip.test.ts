import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const xValues = Float32Array.from({ length: 5 * 6 }, (_, i) => Math.sin(i * 1.3));
const flipped = xValues.map((v) => 0.5 - v);

/** kerasm's predictions for what tfjs saved, against tfjs' own. */
async function expectSamePredictions(theirs: tfl.LayersModel, inputs: Float32Array[]): Promise<km.LayersModel> {
  const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
  const tfInputs = inputs.map((v) => tf.tensor(v, [5, 6]));
  const expected = (theirs.predict(tfInputs.length === 1 ? tfInputs[0] : tfInputs) as tf.Tensor).dataSync();
  const kmInputs = inputs.map((v) => km.tensor(v, [5, 6]));
  expect(maxAbsDiff(ours.predict(kmInputs.length === 1 ? kmInputs[0] : kmInputs).dataSync(), expected)).toBeLessThan(1e-6);
  return ours;
}

describe("tfjs-layers' files with models saved inside models", () => {
  it('a Sequential model applied in a functional one (tfjs numbers its call from 1): the outer model lists it, and computes with its layers', async () => {
    const encoder = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, activation: 'tanh', inputShape: [6], name: 'enc_dense' })], name: 'encoder' });
    const input = tfl.input({ shape: [6] });
    const theirs = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2, name: 'head' }).apply(encoder.apply(input)) as tfl.SymbolicTensor });
    const artifacts = await tfjsArtifacts(theirs);
    expect(JSON.stringify(artifacts.modelTopology)).toContain('[["encoder",1,0,{}]]');
    const ours = await expectSamePredictions(theirs, [xValues]);
    expect(ours.layers.map((l) => `${l.name} (${l.className})`)).toEqual(['encoder (Sequential)', 'head (Dense)']);
    expect(ours.allLayers.map((l) => l.name)).toEqual(['enc_dense', 'head']);
  });

  it('a functional model applied twice (a siamese network) and a Sequential model stacked in a Sequential one', async () => {
    const inner = tfl.input({ shape: [6] });
    const embed = tfl.model({ inputs: inner, outputs: tfl.layers.dense({ units: 3, activation: 'relu', name: 'embed_dense' }).apply(inner) as tfl.SymbolicTensor, name: 'embed' });
    const [left, right] = [tfl.input({ shape: [6] }), tfl.input({ shape: [6] })];
    const joined = tfl.layers.concatenate().apply([embed.apply(left) as tfl.SymbolicTensor, embed.apply(right) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
    const siamese = tfl.model({ inputs: [left, right], outputs: tfl.layers.dense({ units: 1, name: 'score' }).apply(joined) as tfl.SymbolicTensor });
    const ours = await expectSamePredictions(siamese, [xValues, flipped]);
    expect(ours.countParams()).toBe(siamese.countParams());

    const block = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation: 'relu', inputShape: [6], name: 'block_dense' })], name: 'block' });
    const stacked = tfl.sequential({ layers: [block, tfl.layers.dense({ units: 2, name: 'top' })] });
    const loadedStack = await expectSamePredictions(stacked, [xValues]);
    expect(loadedStack.layers.map((l) => l.name)).toEqual(['block', 'top']);
    expect(loadedStack.allLayers.map((l) => l.name)).toEqual(['block_dense', 'top']);
  });

  it("a Sequential topology that starts with an InputLayer before a nested model (as Keras 3 writes one) gives the input shape to no later layer", () => {
    const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({ class_name: 'Dense', config: { name, units, ...extra } });
    const model = km.models.modelFromJSON({
      class_name: 'Sequential',
      config: {
        name: 'outer',
        layers: [
          { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 6] } },
          { class_name: 'Sequential', config: { name: 'inner', layers: [dense('inner_dense', 4, { batch_input_shape: [null, 6] })] } },
          dense('top', 2),
        ],
      },
    });
    expect(model.layers.map((l) => l.name)).toEqual(['inner', 'top']);
    expect(model.predict(km.tensor(xValues, [5, 6])).shape).toEqual([5, 2]);
  });

  it('kerasm saves such a model with its layers in one graph, which tfjs loads back', async () => {
    km.utils.setRandomSeed(3);
    const encoder = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [6] })]);
    const input = km.input({ shape: [6] });
    const ours = km.model({ inputs: input, outputs: km.layers.dense({ units: 2 }).apply(encoder.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory((await kerasmArtifacts(ours)) as tf.io.ModelArtifacts));
    const expected = (inTfjs.predict(tf.tensor(xValues, [5, 6])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ours.predict(km.tensor(xValues, [5, 6])).dataSync(), expected)).toBeLessThan(1e-6);
  });
});
