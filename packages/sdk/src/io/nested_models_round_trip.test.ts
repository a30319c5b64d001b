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
    expect(ours.layers.map((l) => `${l.name} (${l.className})`)).toEqual([`${input.name} (InputLayer)`, 'encoder (Sequential)', 'head (Dense)']);
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
});

/** The summary's lines, for comparing a model with its saved and loaded copy. */
function summaryOf(model: km.LayersModel): string[] {
  const lines: string[] = [];
  model.summary(undefined, undefined, (line) => lines.push(line));
  return lines;
}

/** Saves `ours`, then loads it in kerasm and in tfjs: both list the same layers and predict as `ours` does. */
async function expectRoundTrip(ours: km.LayersModel, inputs: Float32Array[]): Promise<{ topology: string; loaded: km.LayersModel }> {
  const artifacts = await kerasmArtifacts(ours);
  const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
  expect(summaryOf(loaded)).toEqual(summaryOf(ours));
  const kmInputs = inputs.map((v) => km.tensor(v, [5, 6]));
  const predicted = ours.predict(kmInputs.length === 1 ? kmInputs[0] : kmInputs).dataSync();
  expect(maxAbsDiff(loaded.predict(kmInputs.length === 1 ? kmInputs[0] : kmInputs).dataSync(), predicted)).toBeLessThan(1e-7);
  const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  // A functional model's InputLayers are listed where tfjs lists them.
  expect(inTfjs.layers.map((l) => l.name)).toEqual(ours.layers.map((l) => l.name));
  const tfInputs = inputs.map((v) => tf.tensor(v, [5, 6]));
  expect(maxAbsDiff((inTfjs.predict(tfInputs.length === 1 ? tfInputs[0] : tfInputs) as tf.Tensor).dataSync(), predicted)).toBeLessThan(1e-6);
  return { topology: JSON.stringify(artifacts.modelTopology), loaded };
}

describe('kerasm saves a model used inside another as one entry, as tfjs and Keras 2 do', () => {
  it('a Sequential model applied in a functional one, with its calls numbered from 1', async () => {
    km.utils.setRandomSeed(3);
    const encoder = km.sequential({ name: 'enc', layers: [km.layers.dense({ units: 4, activation: 'tanh', inputShape: [6], name: 'enc_dense' })] });
    const input = km.input({ shape: [6], name: 'features' });
    const ours = km.model({ inputs: input, outputs: km.layers.dense({ units: 2, name: 'head' }).apply(encoder.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    const { topology, loaded } = await expectRoundTrip(ours, [xValues]);
    expect(topology).toContain('"name":"enc","class_name":"Sequential"');
    expect(topology).toContain('"inbound_nodes":[[["enc",1,0,{}]]]');
    expect(loaded.getLayer('enc').className).toBe('Sequential');
  });

  it('a functional model applied twice (a siamese network), and models stacked in a Sequential model', async () => {
    km.utils.setRandomSeed(4);
    const inner = km.input({ shape: [6] });
    const embed = km.model({ inputs: inner, outputs: km.layers.dense({ units: 3, activation: 'relu', name: 'embed_dense' }).apply(inner) as km.SymbolicTensor, name: 'embed' });
    const [left, right] = [km.input({ shape: [6], name: 'left' }), km.input({ shape: [6], name: 'right' })];
    const joined = km.layers.concatenate({ name: 'join' }).apply([embed.apply(left) as km.SymbolicTensor, embed.apply(right) as km.SymbolicTensor]) as km.SymbolicTensor;
    const siamese = km.model({ inputs: [left, right], outputs: km.layers.dense({ units: 1, name: 'score' }).apply(joined) as km.SymbolicTensor, name: 'siamese' });
    const { topology } = await expectRoundTrip(siamese, [xValues, flipped]);
    expect(topology).toContain('"name":"embed","class_name":"Model"');
    expect(topology).toContain('[["embed",1,0,{}],["embed",2,0,{}]]');

    const block = km.sequential({ name: 'block', layers: [km.layers.dense({ units: 5, activation: 'relu', inputShape: [6], name: 'block_dense' })] });
    const top = km.sequential({ name: 'top', layers: [km.layers.dense({ units: 2, inputShape: [5], name: 'top_dense' })] });
    const stacked = km.sequential({ name: 'stacked', layers: [block, top] });
    const { loaded } = await expectRoundTrip(stacked, [xValues]);
    expect(loaded.layers.map((l) => `${l.name} (${l.className})`)).toEqual(['block (Sequential)', 'top (Sequential)']);

    // A functional model stacked in a Sequential one is saved under tfjs' 'Model', as when applied.
    const chainInput = km.input({ shape: [6] });
    const chain = km.model({ inputs: chainInput, outputs: km.layers.dense({ units: 3, name: 'chain_dense' }).apply(chainInput) as km.SymbolicTensor, name: 'chain' });
    const overChain = km.sequential({ name: 'over_chain', layers: [chain, km.layers.dense({ units: 1, name: 'chain_top' })] });
    expect(overChain.inputShape).toEqual([6]);
    const { topology: stackedTopology } = await expectRoundTrip(overChain, [xValues]);
    expect(stackedTopology).toContain('{"class_name":"Model","config":{"name":"chain"');
  });

  it("a base applied with { training: false } saves the flag on its call, and the loaded base keeps it", async () => {
    km.utils.setRandomSeed(5);
    const base = km.sequential({ name: 'base', layers: [km.layers.dense({ units: 4, inputShape: [6], name: 'base_dense' }), km.layers.batchNormalization({ name: 'base_bn' })] });
    const input = km.input({ shape: [6] });
    const ours = km.model({ inputs: input, outputs: km.layers.dense({ units: 2, name: 'head' }).apply(base.apply(input, { training: false }) as km.SymbolicTensor) as km.SymbolicTensor });
    const { topology, loaded } = await expectRoundTrip(ours, [xValues]);
    expect(topology).toMatch(/"name":"base","class_name":"Sequential",.*"inbound_nodes":\[\[\["input_\d+",0,0,\{"training":false\}\]\]\]/);
    const bn = (loaded.getLayer('base') as km.LayersModel).getLayer('base_bn');
    const statistics = bn.getWeights().slice(2).map((w) => Array.from(w.dataSync()));
    loaded.compile({ optimizer: 'sgd', loss: 'mse' });
    await loaded.fit(km.tensor(xValues, [5, 6]), km.tensor(new Float32Array(10), [5, 2]), { epochs: 1, verbose: 0 });
    expect(bn.getWeights().slice(2).map((w) => Array.from(w.dataSync()))).toEqual(statistics);
  });

  it('a layer used inside a nested model and in the model around it loads as one layer, which training still shares', async () => {
    km.utils.setRandomSeed(6);
    const shared = km.layers.dense({ units: 6, activation: 'tanh', name: 'shared' });
    const innerInput = km.input({ shape: [6] });
    const inner = km.model({ inputs: innerInput, outputs: shared.apply(innerInput) as km.SymbolicTensor, name: 'inner' });
    const input = km.input({ shape: [6] });
    const ours = km.model({ inputs: input, outputs: shared.apply(inner.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    const artifacts = await kerasmArtifacts(ours);
    // The file holds the layer's config in both places and its weights once.
    expect(JSON.stringify(artifacts.modelTopology).match(/"class_name":"Dense"/g)).toHaveLength(2);
    // tfjs makes two layers of it, and refuses the file for their one weight name.
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow('Duplicate weight name: shared/kernel');
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.allLayers).toHaveLength(1);
    expect(km.models.cloneModel(ours).allLayers).toHaveLength(1);
    expect((loaded.getLayer('inner') as km.LayersModel).getLayer('shared')).toBe(loaded.getLayer('shared'));
    expect(summaryOf(loaded)).toEqual(summaryOf(ours));
    const x = km.tensor(xValues, [5, 6]);
    expect(maxAbsDiff(loaded.predict(x).dataSync(), ours.predict(x).dataSync())).toBeLessThan(1e-7);
    const y = km.tensor(flipped, [5, 6]);
    for (const model of [ours, loaded]) {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
      await model.fit(x, y, { epochs: 3, batchSize: 5, shuffle: false, verbose: 0 });
    }
    const [trained, reloadedTrained] = [ours, loaded].map((m) => m.getWeights().map((w) => w.dataSync()));
    expect(reloadedTrained).toHaveLength(2);
    trained.forEach((w, i) => expect(maxAbsDiff(reloadedTrained[i], w)).toBeLessThan(1e-6));
  });
});
