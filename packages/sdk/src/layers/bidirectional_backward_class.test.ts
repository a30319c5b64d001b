import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

// Keras 3's Bidirectional takes a backward_layer of another class than layer (keras/src/layers/rnn/
// bidirectional.py checks only go_backwards, stateful, return_sequences and return_state). tfjs 4.22's
// has no backwardLayer, so the reference is tfjs' own LSTM and GRU run on the sequence, the GRU with
// goBackwards, its sequence put back in time order, then merged: what Keras' call computes.
beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, features, units] = [6, 5, 3, 4];
const random = new Random(29);
const xs = Float32Array.from({ length: n * steps * features }, () => random.uniform(-1, 1));
const x = () => km.tensor(xs, [n, steps, features]);
const tfX = () => tf.tensor(xs, [n, steps, features]);

/** Forward LSTM, backward GRU, both with `options`. */
function mixed(options: { returnSequences?: boolean; returnState?: boolean }, mergeMode?: km.layers.BidirectionalMergeMode | null) {
  return km.layers.bidirectional({
    name: 'bi', layer: km.layers.lstm({ name: 'f', units, ...options }), backwardLayer: km.layers.gru({ name: 'b', units, goBackwards: true, ...options }),
    ...(mergeMode === undefined ? {} : { mergeMode }),
  });
}

/** tfjs' LSTM and backward GRU holding `bi`'s weights (the LSTM's 3 first), each applied to `input` with its initial states. */
function tfjsDirections(bi: km.layers.Bidirectional, options: { returnSequences?: boolean; returnState?: boolean }, initial: tf.Tensor[] = []) {
  const weights = bi.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape]));
  const lstm = tfl.layers.lstm({ units, ...options });
  const gru = tfl.layers.gru({ units, goBackwards: true, ...options });
  const run = (layer: tfl.layers.Layer, own: tf.Tensor[], states: tf.Tensor[]) => {
    const apply = () => layer.apply(tfX(), states.length > 0 ? { initialState: states } : {}) as tf.Tensor | tf.Tensor[];
    // The first call builds the layer, with weights of its own.
    apply();
    layer.setWeights(own);
    const out = apply();
    return Array.isArray(out) ? out : [out];
  };
  const [y, ...forwardStates] = run(lstm, weights.slice(0, 3), initial.slice(0, 2));
  const [yRun, ...backwardStates] = run(gru, weights.slice(3), initial.slice(2));
  // Keras puts the backward sequence back in time order before merging.
  const yBack = options.returnSequences ? tf.reverse(yRun, 1) : yRun;
  return { y, yBack, states: [...forwardStates, ...backwardStates] };
}

const values = (t: km.Tensor | tf.Tensor) => t.dataSync();

describe('Bidirectional with a backwardLayer of another class (LSTM forwards, GRU backwards)', () => {
  it('returnSequences, concat: each step is [LSTM(x), GRU run backwards put back in time order]', () => {
    km.utils.setRandomSeed(3);
    const bi = mixed({ returnSequences: true });
    const ours = bi.apply(x()) as km.Tensor;
    expect(ours.shape).toEqual([n, steps, 2 * units]);
    const { y, yBack } = tfjsDirections(bi, { returnSequences: true });
    expect(maxAbsDiff(values(ours), values(tf.concat([y, yBack], -1)))).toBeLessThan(1e-5);
  });

  it('returnState, mergeMode null: [forward, backward, hF, cF, hB], and initialState takes the LSTM\'s two states then the GRU\'s one', () => {
    km.utils.setRandomSeed(4);
    const bi = mixed({ returnState: true }, null);
    const states = [0, 1, 2].map((k) => Float32Array.from({ length: n * units }, (_, i) => Math.sin(i + 7 * k)));
    const initial = states.map((s) => km.tensor(s, [n, units]));
    const outputs = bi.apply(x(), { initialState: initial }) as km.Tensor[];
    expect(outputs.map((t) => t.shape)).toEqual([[n, units], [n, units], [n, units], [n, units], [n, units]]);
    const { y, yBack, states: theirStates } = tfjsDirections(bi, { returnState: true }, states.map((s) => tf.tensor(s, [n, units])));
    [y, yBack, ...theirStates].forEach((t, k) => expect(maxAbsDiff(values(outputs[k]), values(t))).toBeLessThan(1e-5));
    expect(() => bi.apply(x(), { initialState: initial.slice(0, 2) })).toThrow(
      "Bidirectional layer 'bi' takes the initial states of both directions, 3 in all (the forward layer's 2, then the backward layer's 1), but received 2.",
    );
  });

  it('trains as the two tfjs layers side by side do: same losses and weights over 3 SGD epochs', async () => {
    km.utils.setRandomSeed(5);
    const ours = km.sequential([km.layers.inputLayer({ inputShape: [steps, features] }), mixed({}), km.layers.dense({ name: 'head', units: 1 })]);
    const input = tfl.input({ shape: [steps, features] });
    const both = tfl.layers.concatenate().apply([tfl.layers.lstm({ name: 'f', units }).apply(input), tfl.layers.gru({ name: 'b', units, goBackwards: true }).apply(input)] as tfl.SymbolicTensor[]);
    const theirs = tfl.model({ inputs: input, outputs: tfl.layers.dense({ name: 'head', units: 1 }).apply(both) as tfl.SymbolicTensor });
    const weights = ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape]));
    [['f', 0, 3], ['b', 3, 6], ['head', 6, 8]].forEach(([name, from, to]) => theirs.getLayer(name as string).setWeights(weights.slice(from as number, to as number)));
    const targets = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.3), loss: 'meanSquaredError' });
    const args = { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 as const };
    const ourLosses = (await ours.fit(x(), km.tensor(targets, [n, 1]), args)).history.loss;
    const theirLosses = (await theirs.fit(tfX(), tf.tensor(targets, [n, 1]), args)).history.loss as number[];
    ourLosses.forEach((loss, i) => expect(Math.abs(loss - theirLosses[i])).toBeLessThan(1e-5));
    expect(ourLosses[2]).not.toBeCloseTo(ourLosses[0], 3);
    const gruKernel = theirs.getLayer('b').getWeights()[0].dataSync();
    expect(maxAbsDiff(ours.getWeights()[3].dataSync(), gruKernel)).toBeLessThan(1e-5);
  });

  it('saves backward_layer with its class, as Keras writes it, and loads back with the same outputs', async () => {
    km.utils.setRandomSeed(6);
    const input = km.input({ shape: [steps, features] });
    const model = km.model({ inputs: input, outputs: mixed({ returnSequences: true }, 'sum').apply(input) });
    const expected = values(model.predict(x()) as km.Tensor);
    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[1].config;
    expect((saved.backward_layer as { class_name: string }).class_name).toBe('GRU');
    expect((saved.layer as { class_name: string }).class_name).toBe('LSTM');
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(maxAbsDiff(values(loaded.predict(x()) as km.Tensor), expected)).toBe(0);
    const bi = loaded.getLayer('bi') as km.layers.Bidirectional;
    expect([bi.forwardLayer.className, bi.backwardLayer.className]).toEqual(['LSTM', 'GRU']);
  });

  it("loads Keras 3's config of such a pair, zero_output_for_mask and all", () => {
    const keras = (className: string, goBackwards: boolean) => ({ class_name: className, config: { name: className.toLowerCase(), units: 2, return_sequences: true, go_backwards: goBackwards, zero_output_for_mask: true } });
    const bi = km.layers.layerFromConfig('Bidirectional', { layer: keras('LSTM', false), backward_layer: keras('SimpleRNN', true), merge_mode: 'concat' }) as km.layers.Bidirectional;
    expect([bi.forwardLayer.className, bi.backwardLayer.className]).toEqual(['LSTM', 'SimpleRNN']);
    expect((bi.apply(x()) as km.Tensor).shape).toEqual([n, steps, 4]);
  });

  it('refuses directions whose outputs differ in shape when it is built, naming both', () => {
    const bi = km.layers.bidirectional({ name: 'uneven', layer: km.layers.lstm({ name: 'wide', units: 4 }), backwardLayer: km.layers.gru({ name: 'narrow', units: 3, goBackwards: true }) });
    expect(() => bi.apply(km.input({ shape: [steps, features] }))).toThrow(
      "Bidirectional layer 'uneven': its two directions must give outputs of one shape to merge them, but the forward layer 'forward_wide' gives (None, 4) and backwardLayer 'narrow' gives (None, 3). Give backwardLayer the units (or filters) of layer.",
    );
  });

  it('types apply with both directions\' states: [output, h, c, h] for an LSTM then a GRU', () => {
    const bi = km.layers.bidirectional({ layer: km.layers.lstm({ units: 2, returnState: true }), backwardLayer: km.layers.gru({ units: 2, returnState: true, goBackwards: true }) });
    const outputs = bi.apply(km.input({ shape: [steps, features] }));
    // A tuple of 4: a fifth element would not compile.
    const [, hF, cF, hB]: [km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor] = outputs;
    expect([hF.shape, cF.shape, hB.shape]).toEqual([[2], [2], [2]]);
    expect(outputs.length).toBe(4);
  });
});
