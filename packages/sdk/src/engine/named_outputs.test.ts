import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

// Keras 3's dict outputs: km.model({ inputs, outputs: { digit, parity } }) keys compile's specs,
// targets, logs and predictions by the names, and trains exactly like the same model with a list.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const N = 12;
const random = new Random(21);
const xValues = Array.from({ length: N * 4 }, () => random.uniform(-1, 1));
const x = km.tensor(xValues, [N, 4]);
const digits = km.tensor(Array.from({ length: N }, (_, i) => i % 3), [N], 'int32');
const parity = km.tensor(Array.from({ length: N }, (_, i) => [i % 2]), [N, 1]);

/** input [4] -> hidden -> digit head (3, softmax) and parity head (1, sigmoid); heads named unlike the keys. */
function heads(seed: number) {
  km.utils.setRandomSeed(seed);
  const input = km.input({ shape: [4], name: 'features' });
  const hidden = km.layers.dense({ units: 5, activation: 'tanh', name: 'hidden' }).apply(input);
  const digit = km.layers.dense({ units: 3, activation: 'softmax', name: 'digit_head' }).apply(hidden);
  const odd = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'parity_head' }).apply(hidden);
  return { input, digit, odd };
}

/** The weights are drawn when a model first needs them, so each model draws its own right after the seed is set. */
function initialized(model: km.Functional): km.Functional {
  model.getWeights();
  return model;
}

function namedModel(seed = 3): km.Functional {
  const { input, digit, odd } = heads(seed);
  return initialized(km.model({ inputs: input, outputs: { digit, parity: odd } }));
}

function listModel(seed = 3): km.Functional {
  const { input, digit, odd } = heads(seed);
  return initialized(km.model({ inputs: input, outputs: [digit, odd] }));
}

const values = (t: km.Tensor) => Array.from(t.dataSync());

describe('named (dict) outputs', () => {
  it('train, evaluate and run on batches exactly like the same model with list outputs, logged under the names', async () => {
    const named = namedModel();
    const list = listModel();
    expect(named.outputNames).toEqual(['digit', 'parity']);
    expect(list.outputNames).toEqual(['digit_head', 'parity_head']);
    named.compile({ optimizer: 'adam', loss: { digit: 'sparseCategoricalCrossentropy', parity: 'binaryCrossentropy' }, lossWeights: { parity: 0.5 }, metrics: { digit: ['accuracy'] } });
    list.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'binaryCrossentropy'], lossWeights: [1, 0.5], metrics: { digit_head: ['accuracy'] } });

    const fitArgs = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 as const };
    const namedHistory = await named.fit(x, { parity, digit: digits }, fitArgs);
    const listHistory = await list.fit(x, [digits, parity], fitArgs);
    expect(Object.keys(namedHistory.history)).toEqual(['loss', 'digit_loss', 'parity_loss', 'digit_accuracy']);
    expect(namedHistory.history.loss).toEqual(listHistory.history.loss);
    expect(namedHistory.history.digit_loss).toEqual(listHistory.history.digit_head_loss);
    expect(namedHistory.history.parity_loss[2]).toBeLessThan(namedHistory.history.parity_loss[0]);

    expect(named.metricsNames).toEqual(['loss', 'digit_loss', 'parity_loss', 'digit_accuracy']);
    const evaluated = await named.evaluate(x, { digit: digits, parity }, { verbose: 0, returnDict: true });
    expect(Object.keys(evaluated)).toEqual(['loss', 'digit_loss', 'parity_loss', 'digit_accuracy']);
    expect(Object.values(evaluated)).toEqual(await list.evaluate(x, [digits, parity], { verbose: 0 }));
    // A list in output order still works for a model with named outputs.
    expect(await named.evaluate(x, [digits, parity], { verbose: 0 })).toEqual(Object.values(evaluated));

    const trained = await named.trainOnBatch(x, { digit: digits, parity }, { returnDict: true });
    expect(Object.keys(trained)).toEqual(['loss', 'digit_loss', 'parity_loss', 'digit_accuracy']);
    expect(Object.values(trained)).toEqual(await list.trainOnBatch(x, [digits, parity]));
    expect(await named.testOnBatch(x, { digit: digits, parity })).toEqual(await list.testOnBatch(x, [digits, parity]));
  });

  it('predict and predictOnBatch return an object keyed by the names, in their order, with the list model\'s values', () => {
    const named = namedModel(4);
    const list = listModel(4);
    const predicted = named.predict<Record<string, km.Tensor>>(x, { batchSize: 5 });
    expect(Object.keys(predicted)).toEqual(['digit', 'parity']);
    const [digitValues, parityValues] = list.predict<km.Tensor[]>(x, { batchSize: 5 });
    expect(predicted.digit.shape).toEqual([N, 3]);
    expect(predicted.parity.shape).toEqual([N, 1]);
    expect(values(predicted.digit)).toEqual(values(digitValues));
    expect(values(predicted.parity)).toEqual(values(parityValues));
    const onBatch = named.predictOnBatch<Record<string, km.Tensor>>(x);
    expect(Object.keys(onBatch)).toEqual(['digit', 'parity']);
    expect(values(onBatch.parity)).toEqual(values(parityValues));

    // One named output is still an object, as in Keras.
    const { input, digit } = heads(4);
    const single = initialized(km.model({ inputs: input, outputs: { digit } })).predict<Record<string, km.Tensor>>(x);
    expect(Object.keys(single)).toEqual(['digit']);
    expect(values(single.digit)).toEqual(values(digitValues));
  });

  it('summary says which layer computes each name; cloneModel keeps the names', () => {
    const named = namedModel();
    const lines: string[] = [];
    named.summary({ printFn: (line) => lines.push(line) });
    expect(lines).toContain('Outputs by name: digit = digit_head, parity = parity_head');
    const cloned = km.models.cloneModel(named, { cloneFunction: (layer) => km.layers.layerFromConfig(layer.className, layer.getConfig()) });
    expect(cloned.outputNames).toEqual(['digit', 'parity']);
    expect(km.models.cloneModel(named).outputNames).toEqual(['digit', 'parity']);
    const lineCount: string[] = [];
    listModel().summary({ printFn: (line) => lineCount.push(line) });
    expect(lineCount.some((line) => line.startsWith('Outputs by name'))).toBe(false);
  });

  it('targets, losses and outputs that do not match the names are errors naming the keys and the fix', async () => {
    const named = namedModel();
    expect(() => named.compile({ optimizer: 'sgd', loss: { digit_head: 'sparseCategoricalCrossentropy', parity_head: 'binaryCrossentropy' } })).toThrow(
      /loss names 'digit_head', 'parity_head', which are not outputs of the model; its outputs are \['digit', 'parity'\]. Key loss by those names/,
    );
    expect(() => named.compile({ optimizer: 'sgd', loss: 'mse', metrics: { parity_head: ['mae'] } })).toThrow(/metrics names 'parity_head', which is not an output of the model; its outputs are \['digit', 'parity'\]/);
    named.compile({ optimizer: 'sgd', loss: { digit: 'sparseCategoricalCrossentropy', parity: 'binaryCrossentropy' } });
    await expect(named.fit(x, { digit: digits }, { verbose: 0 })).rejects.toThrow(/y has no entry for 'parity'; the model's outputs are \['digit', 'parity'\]. Pass a list of 2 tensors in that order, or an object keyed by those names/);
    await expect(named.evaluate(x, { digit: digits, parity, odd: parity }, { verbose: 0 })).rejects.toThrow(/y has unknown key 'odd'; the model's outputs are \['digit', 'parity'\]/);
    await expect(named.trainOnBatch(x, { digit_head: digits, parity_head: parity })).rejects.toThrow(/unknown keys 'digit_head', 'parity_head' and no entry for 'digit', 'parity'/);

    const { input, digit, odd } = heads(1);
    expect(() => km.model({ inputs: input, outputs: {} })).toThrow(/km.model received outputs=\{\}/);
    expect(() => km.model({ inputs: input, outputs: { digit, parity: [odd] } as never })).toThrow(/km.model outputs\['parity'\] must be a symbolic tensor \(from layer.apply\(...\)\). Received: a list of 1/);
    const twice = km.model({ inputs: input, outputs: { a: digit, b: digit } });
    expect(() => twice.compile({ optimizer: 'sgd', loss: 'mse' })).toThrow(/outputs 'a' and 'b' are the same tensor \(of layer 'digit_head'\)/);
  });

  it('save and load keep the names (output_keys beside tfjs\' output_layers); tfjs-layers loads the file with list outputs', async () => {
    const named = namedModel(5);
    named.compile({ optimizer: 'adam', loss: { digit: 'sparseCategoricalCrossentropy', parity: 'binaryCrossentropy' }, metrics: { digit: ['accuracy'], parity: ['binaryAccuracy'] } });
    await named.fit(x, { digit: digits, parity }, { epochs: 1, batchSize: 6, verbose: 0 });
    const artifacts = await kerasmArtifacts(named);
    const config = (artifacts.modelTopology as { config: Record<string, unknown> }).config;
    expect(config.output_layers).toEqual([['digit_head', 0, 0], ['parity_head', 0, 0]]);
    expect(config.output_keys).toEqual(['digit', 'parity']);
    // tfjs keys its outputs by layer name, so the training config does too.
    expect(artifacts.trainingConfig!.loss).toEqual({ digit_head: 'sparse_categorical_crossentropy', parity_head: 'binary_crossentropy' });

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.outputNames).toEqual(['digit', 'parity']);
    expect(loaded.compileSpec!.loss).toEqual({ digit: 'sparseCategoricalCrossentropy', parity: 'binaryCrossentropy' });
    const predicted = loaded.predict<Record<string, km.Tensor>>(x);
    const expected = named.predict<Record<string, km.Tensor>>(x);
    expect(Object.keys(predicted)).toEqual(['digit', 'parity']);
    expect(values(predicted.digit)).toEqual(values(expected.digit));
    expect(values(predicted.parity)).toEqual(values(expected.parity));
    expect(await loaded.evaluate(x, { digit: digits, parity }, { verbose: 0, returnDict: true })).toEqual(await named.evaluate(x, { digit: digits, parity }, { verbose: 0, returnDict: true }));
    expect(km.models.modelFromJSON(named.toJSON()).outputNames).toEqual(['digit', 'parity']);

    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(inTfjs.outputNames).toEqual(['digit_head', 'parity_head']);
    const [tfDigit, tfParity] = inTfjs.predict(tf.tensor(xValues, [N, 4])) as tf.Tensor[];
    Array.from(tfDigit.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(values(expected.digit)[i], 5));
    Array.from(tfParity.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(values(expected.parity)[i], 5));
  });

  it("loads Keras' dict output_layers as named outputs", async () => {
    const artifacts = await kerasmArtifacts(namedModel());
    const topology = structuredClone(artifacts.modelTopology) as { config: Record<string, unknown> };
    delete topology.config.output_keys;
    topology.config.output_layers = { parity: ['parity_head', 0, 0], digit: ['digit_head', 0, 0] };
    const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: topology }));
    expect(loaded.outputNames).toEqual(['parity', 'digit']);
    expect(Object.keys(loaded.predict<Record<string, km.Tensor>>(x))).toEqual(['parity', 'digit']);
    topology.config.output_layers = [['digit_head', 0, 0], ['parity_head', 0, 0]];
    topology.config.output_keys = ['digit'];
    await expect(km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: topology }))).rejects.toThrow(/output_keys must list a distinct, non-empty name for each of the 2 entries of output_layers/);
  });
});
