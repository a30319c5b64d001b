import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

// A model with named outputs (Keras 3's dict outputs) used as a layer: apply returns an object keyed
// by the names, on symbolic tensors and on data, so a larger model picks a head by name; saved, the
// larger model loads in kerasm and in tfjs as the same model built with list outputs does.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const N = 8;
const random = new Random(7);
const xValues = Array.from({ length: N * 4 }, () => random.uniform(-1, 1));
const x = km.tensor(xValues, [N, 4]);
const targets = km.tensor(Array.from({ length: N * 2 }, (_, i) => Math.cos(i)), [N, 2]);

/**
 * input [4] -> hidden -> digit head (3) and parity head (1), with seeded weights; the keys in the
 * order given (parity before digit: not sorted, so list positions show whose order is used).
 */
function inner(kind: 'named' | 'list', seed = 11): km.Functional {
  km.utils.setRandomSeed(seed);
  const input = km.input({ shape: [4], name: 'features' });
  const hidden = km.layers.dense({ units: 5, activation: 'tanh', name: 'hidden' }).apply(input);
  const digit = km.layers.dense({ units: 3, activation: 'softmax', name: 'digit_head' }).apply(hidden);
  const odd = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'parity_head' }).apply(hidden);
  const model = km.model({ inputs: input, outputs: kind === 'named' ? { parity: odd, digit } : [odd, digit], name: 'heads' });
  model.getWeights(); // draws the weights now, right after the seed
  return model;
}

/**
 * An outer model on the inner one's digit head, or on both heads joined (by name, or by list
 * position), with a seeded layer of its own.
 */
function outer(base: km.Functional, seed = 5, heads: 'digit' | 'both' = 'digit'): km.Functional {
  const input = km.input({ shape: [4], name: 'image' });
  const { digit, parity } = base.outputNames.includes('digit') ? base.apply<Record<string, km.SymbolicTensor>>(input) : keyed(base.apply(input) as km.SymbolicTensor[]);
  const features = heads === 'digit' ? digit : km.layers.concatenate({ name: 'joined' }).apply([digit, parity]);
  km.utils.setRandomSeed(seed);
  const model = km.model({ inputs: input, outputs: km.layers.dense({ units: 2, name: 'top' }).apply(features), name: 'outer' });
  model.getWeights();
  return model;
}

/** A list model's outputs under the names the named one gives them. */
function keyed([parity, digit]: km.SymbolicTensor[]): Record<string, km.SymbolicTensor> {
  return { parity, digit };
}

const values = (t: km.Tensor | tf.Tensor) => Array.from(t.dataSync());

function expectClose(actual: readonly number[], expected: readonly number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], digits));
}

describe('apply on a model with named outputs', () => {
  it('on symbolic tensors returns an object keyed by the names, in their order; list models still return a list', () => {
    const named = inner('named');
    const input = km.input({ shape: [4] });
    const applied = named.apply<Record<string, km.SymbolicTensor>>(input);
    expect(Object.keys(applied)).toEqual(['parity', 'digit']);
    expect(applied.digit).toBeInstanceOf(km.SymbolicTensor);
    expect(applied.digit.shape).toEqual([3]);
    expect(applied.parity.shape).toEqual([1]);

    const list = inner('list').apply(km.input({ shape: [4] }));
    expect(Array.isArray(list)).toBe(true);
    expect((list as km.SymbolicTensor[]).map((t) => t.shape)).toEqual([[1], [3]]);

    // One named output is still an object, as in Keras.
    const one = km.model({ inputs: named.inputs, outputs: { digit: named.outputs[1] } });
    const single = one.apply<Record<string, km.SymbolicTensor>>(km.input({ shape: [4] }));
    expect(Object.keys(single)).toEqual(['digit']);
    expect(single.digit.shape).toEqual([3]);
  });

  it('on data returns an object keyed by the names with predict\'s values', () => {
    const named = inner('named');
    const applied = named.apply<Record<string, km.Tensor>>(x);
    expect(Object.keys(applied)).toEqual(['parity', 'digit']);
    const predicted = named.predict<Record<string, km.Tensor>>(x);
    expect(values(applied.digit)).toEqual(values(predicted.digit));
    expect(values(applied.parity)).toEqual(values(predicted.parity));
    const [parity, digit] = inner('list').apply(x) as km.Tensor[];
    expect(values(applied.digit)).toEqual(values(digit));
    expect(values(applied.parity)).toEqual(values(parity));
  });

  it('nested by name in a larger model, trains exactly as the same nesting of a list-output model, and shares its weights', async () => {
    const namedBase = inner('named');
    const listBase = inner('list');
    const byName = outer(namedBase);
    const byPosition = outer(listBase);
    expect(byName.layers.map((l) => l.name)).toEqual(['image', 'heads', 'top']);
    expect(byName.outputNames).toEqual(['top']);
    expect(values(byName.predict(x) as km.Tensor)).toEqual(values(byPosition.predict(x) as km.Tensor));

    const before = values(namedBase.getLayer('digit_head').getWeights()[0]);
    const parityBefore = values(namedBase.getLayer('parity_head').getWeights()[0]);
    for (const model of [byName, byPosition]) model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const args = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 as const };
    const namedHistory = await byName.fit(x, targets, args);
    const listHistory = await byPosition.fit(x, targets, args);
    expect(namedHistory.history.loss).toEqual(listHistory.history.loss);
    expect(namedHistory.history.loss[2]).toBeLessThan(namedHistory.history.loss[0]);
    // The inner model's digit head trained through the outer model; its parity head, unused, did not.
    expect(values(namedBase.getLayer('digit_head').getWeights()[0])).not.toEqual(before);
    expect(values(namedBase.getLayer('parity_head').getWeights()[0])).toEqual(parityBefore);
    expect(values(namedBase.predict<Record<string, km.Tensor>>(x).digit)).toEqual(values((listBase.predict<km.Tensor[]>(x))[1]));

    // Saved and loaded, the outer model predicts and trains on as before.
    const loaded = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(byName)));
    expect(loaded.layers.map((l) => l.name)).toEqual(['image', 'heads', 'top']);
    expect(values(loaded.predict(x) as km.Tensor)).toEqual(values(byName.predict(x) as km.Tensor));
    loaded.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    expect((await loaded.fit(x, targets, args)).history.loss[2]).toBeLessThan(namedHistory.history.loss[2]);
  });

  it('saved, the larger model loads in kerasm (the nested model keeps its names) and in tfjs, as with list outputs', async () => {
    // Both heads, so every weight of the nested model is saved: tfjs refuses a file that leaves one out.
    const byName = outer(inner('named', 12), 6, 'both');
    const byPosition = outer(inner('list', 12), 6, 'both');
    for (const model of [byName, byPosition]) model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await byName.fit(x, targets, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    await byPosition.fit(x, targets, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const expected = values(byName.predict(x) as km.Tensor);
    expect(values(byPosition.predict(x) as km.Tensor)).toEqual(expected);

    const artifacts = await kerasmArtifacts(byName);
    const listArtifacts = await kerasmArtifacts(byPosition);
    // The same file as with list outputs, but for the nested model's output_keys (which tfjs ignores).
    const topology = structuredClone(artifacts.modelTopology) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const nested = topology.config.layers.find((l) => l.class_name === 'Functional' || l.class_name === 'Model')!;
    expect(nested.config.output_keys).toEqual(['parity', 'digit']);
    delete nested.config.output_keys;
    expect(topology).toEqual(listArtifacts.modelTopology);
    expect(artifacts.weightSpecs).toEqual(listArtifacts.weightSpecs);

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.layers.map((l) => l.name)).toEqual(['image', 'heads', 'joined', 'top']);
    const loadedBase = loaded.getLayer('heads') as km.LayersModel;
    expect(loadedBase.outputNames).toEqual(['parity', 'digit']);
    expect(values(loaded.predict(x) as km.Tensor)).toEqual(expected);
    const base = byName.getLayer('heads') as km.LayersModel;
    const [ours, theirs] = [loadedBase.apply<Record<string, km.Tensor>>(x), base.apply<Record<string, km.Tensor>>(x)];
    expect(values(ours.digit)).toEqual(values(theirs.digit));
    expect(values(ours.parity)).toEqual(values(theirs.parity));
    // Training the loaded model goes on from the saved weights, as the original's does.
    loaded.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const again = await loaded.fit(x, targets, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const original = await byName.fit(x, targets, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    expect(again.history.loss[0]).toBeCloseTo(original.history.loss[0], 6);

    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expectClose(values(inTfjs.predict(tf.tensor(xValues, [N, 4])) as tf.Tensor), expected);
  });

  it("loads Keras' nested dict outputs, whose references number the outputs in sorted-key order", async () => {
    const byName = outer(inner('named', 13), 7);
    const expected = values(byName.predict(x) as km.Tensor);
    const artifacts = await kerasmArtifacts(byName);
    const text = JSON.stringify(artifacts.modelTopology);
    // kerasm numbers the nested outputs in the model's order: digit is output 1 of ['parity', 'digit'].
    expect(text).toContain('[["heads",1,1,{}]]');
    // Keras writes the dict, in the order given, and numbers its outputs as it flattens it (sorted: digit is 0).
    const keras = JSON.parse(text.replace('[["heads",1,1,{}]]', '[["heads",1,0,{}]]')) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const nested = keras.config.layers.find((l) => l.config.name === 'heads')!;
    delete nested.config.output_keys;
    nested.config.output_layers = { parity: ['parity_head', 0, 0], digit: ['digit_head', 0, 0] };
    const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: keras }));
    expect((loaded.getLayer('heads') as km.LayersModel).outputNames).toEqual(['parity', 'digit']);
    expect(values(loaded.predict(x) as km.Tensor)).toEqual(expected);
  });
});

describe('outputs, output and execute of a model with named outputs', () => {
  it('outputs is a list in the names\' order; output, which Keras 3 makes the dict, refuses with the way to build it', () => {
    const named = inner('named');
    expect(named.outputs.map((t) => t.name)).toEqual(['parity_head', 'digit_head']);
    expect(() => named.output).toThrow(
      "Model 'heads' has named outputs ['parity', 'digit'], so it has no single output (Keras 3's model.output is then the dict). Read them from model.outputs, in model.outputNames order: Object.fromEntries(model.outputNames.map((name, k) => [name, model.outputs[k]])).",
    );
    const one = km.model({ inputs: named.inputs, outputs: { digit: named.outputs[1] }, name: 'one' });
    expect(() => one.output).toThrow(/Model 'one' has named outputs \['digit'\]/);
    // A list model with one output still has it.
    const plain = km.model({ inputs: named.inputs, outputs: named.outputs[1] });
    expect(plain.output).toBe(named.outputs[1]);
  });

  it('execute takes the output names, before a layer of the same name; layer/layer still names the layer', () => {
    const named = inner('named');
    const [hidden, digit, parity] = named.execute(x, ['hidden', 'digit', 'parity']);
    const predicted = named.predict<Record<string, km.Tensor>>(x);
    expect(hidden.shape).toEqual([N, 5]);
    expect(values(digit)).toEqual(values(predicted.digit));
    expect(values(parity)).toEqual(values(predicted.parity));

    // An output named like another layer: the name means the output, as in predict's object and the logs.
    const clash = km.model({ inputs: named.inputs, outputs: { hidden: named.outputs[0] } });
    expect(clash.execute(x, 'hidden').shape).toEqual([N, 1]);
    expect(clash.execute(x, 'hidden/hidden').shape).toEqual([N, 5]);
    expect(() => named.execute(x, 'odd')).toThrow(/no layer of the model is named 'odd'.*Its named outputs: 'parity', 'digit'\./);
  });
});
