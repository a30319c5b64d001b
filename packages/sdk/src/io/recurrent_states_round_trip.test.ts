import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [batch, encSteps, decSteps, features, units] = [4, 5, 3, 2, 4];
const random = new Random(53);
const encX = Float32Array.from({ length: batch * encSteps * features }, () => random.uniform(-1, 1));
const decX = Float32Array.from({ length: batch * decSteps * features }, () => random.uniform(-1, 1));
const ourX = () => [km.tensor(encX, [batch, encSteps, features]), km.tensor(decX, [batch, decSteps, features])];
const theirX = () => [tf.tensor(encX, [batch, encSteps, features]), tf.tensor(decX, [batch, decSteps, features])];

/** Encoder LSTM(returnState) → decoder LSTM(initialState [h, c]) → Dense, with the encoder's c as a second output. */
function kerasmSeq2seq(): km.LayersModel {
  const encIn = km.input({ shape: [encSteps, features], name: 'encoder_input' });
  const decIn = km.input({ shape: [decSteps, features], name: 'decoder_input' });
  const [, h, c] = km.layers.lstm({ units, returnState: true, name: 'encoder' }).apply(encIn);
  const decoded = km.layers.lstm({ units, returnSequences: true, name: 'decoder' }).apply(decIn, { initialState: [h, c] });
  return km.model({ inputs: [encIn, decIn], outputs: [km.layers.dense({ units: 3, name: 'head' }).apply(decoded), c], name: 'seq2seq' });
}

function tfjsSeq2seq(): tfl.LayersModel {
  const encIn = tfl.input({ shape: [encSteps, features], name: 'encoder_input' });
  const decIn = tfl.input({ shape: [decSteps, features], name: 'decoder_input' });
  const [, h, c] = tfl.layers.lstm({ units, returnState: true, name: 'encoder' }).apply(encIn) as tfl.SymbolicTensor[];
  const decoded = tfl.layers.lstm({ units, returnSequences: true, name: 'decoder' }).apply(decIn, { initialState: [h, c] }) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [encIn, decIn], outputs: [tfl.layers.dense({ units: 3, name: 'head' }).apply(decoded) as tfl.SymbolicTensor, c], name: 'seq2seq' });
}

type Topology = { config: { layers: { name: string; inbound_nodes: unknown[] }[]; output_layers: unknown[] } };

describe('a seq2seq model (returnState, initialState) in the TensorFlow.js LayersModel format', () => {
  it('saved by kerasm, loads in tfjs-layers 4.22 and in kerasm with the same predictions; tfjs writes back the same inbound nodes', async () => {
    km.utils.setRandomSeed(8);
    const ours = kerasmSeq2seq();
    const expected = (ours.predict(ourX()) as km.Tensor[]).map((t) => t.dataSync());
    const artifacts = await kerasmArtifacts(ours);
    const topology = artifacts.modelTopology as Topology;
    const decoder = topology.config.layers.find((l) => l.name === 'decoder')!;
    // The initial states follow the sequence in the call's inbound list, as tfjs and Keras 2 write them.
    expect(decoder.inbound_nodes).toEqual([[['decoder_input', 0, 0, {}], ['encoder', 0, 1, {}], ['encoder', 0, 2, {}]]]);
    expect(topology.config.output_layers).toEqual([['head', 0, 0], ['encoder', 0, 2]]);

    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const theirs = inTfjs.predict(theirX()) as tf.Tensor[];
    theirs.forEach((t, k) => expect(maxAbsDiff(t.dataSync(), expected[k])).toBeLessThanOrEqual(1e-5));
    const resaved = (await tfjsArtifacts(inTfjs)).modelTopology as Topology;
    const inbound = (t: Topology) => Object.fromEntries(t.config.layers.map((l) => [l.name, l.inbound_nodes]));
    expect(inbound(resaved)).toEqual(inbound(topology));
    expect(resaved.config.output_layers).toEqual(topology.config.output_layers);

    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    (reloaded.predict(ourX()) as km.Tensor[]).forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(Array.from(expected[k])));
  });

  it('reads Keras 3 inbound nodes, whose initial_state is a keyword argument of keras tensors', async () => {
    km.utils.setRandomSeed(9);
    const ours = kerasmSeq2seq();
    const expected = (ours.predict(ourX()) as km.Tensor[]).map((t) => t.dataSync());
    const artifacts = await kerasmArtifacts(ours);
    const keras3 = JSON.parse(JSON.stringify(artifacts.modelTopology)) as Topology;
    const tensor = (history: unknown[]) => ({ class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: history } });
    keras3.config.layers.find((l) => l.name === 'decoder')!.inbound_nodes = [{ args: [tensor(['decoder_input', 0, 0])], kwargs: { initial_state: [tensor(['encoder', 0, 1]), tensor(['encoder', 0, 2])], training: false } }];
    const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: keras3 }));
    (loaded.predict(ourX()) as km.Tensor[]).forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(Array.from(expected[k])));
  });

  it('built and saved by tfjs-layers 4.22, loads in kerasm with the same predictions and trains on', async () => {
    const theirs = tfjsSeq2seq();
    const expected = (theirs.predict(theirX()) as tf.Tensor[]).map((t) => t.dataSync());
    const loaded = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    const predicted = loaded.predict(ourX()) as km.Tensor[];
    expect(predicted.map((t) => t.shape)).toEqual([[batch, decSteps, 3], [batch, units]]);
    predicted.forEach((t, k) => expect(maxAbsDiff(t.dataSync(), expected[k])).toBeLessThanOrEqual(1e-5));
    loaded.compile({ optimizer: 'sgd', loss: ['meanSquaredError', 'meanSquaredError'] });
    const history = await loaded.fit(ourX(), [km.tensor(new Float32Array(batch * decSteps * 3), [batch, decSteps, 3]), km.tensor(new Float32Array(batch * units), [batch, units])], { epochs: 3, verbose: 0 });
    expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
  });
});
