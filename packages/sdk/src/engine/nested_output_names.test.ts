import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';

// An output that a nested model makes is named after that model, as tfjs and Keras name it, not
// after the layer inside it; the model's second output is 'heads:1', where tfjs repeats 'heads'.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const N = 8;
const xValues = Array.from({ length: N * 6 }, (_, i) => Math.sin(i * 0.61));
const x = km.tensor(xValues, [N, 6]);
const digits = km.tensor(Array.from({ length: N }, (_, i) => i % 3), [N], 'int32');
const parity = km.tensor(Array.from({ length: N }, (_, i) => [i % 2]), [N, 1]);

/** An inner model `[6] -> trunk -> [digit_head [3], parity_head [1]]` named 'heads', applied to a new input. */
function nestedHeads(seed: number) {
  km.utils.setRandomSeed(seed);
  const input = km.input({ shape: [6] });
  const trunk = km.layers.dense({ units: 5, activation: 'tanh', name: 'trunk' }).apply(input);
  const digit = km.layers.dense({ units: 3, activation: 'softmax', name: 'digit_head' }).apply(trunk);
  const odd = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'parity_head' }).apply(trunk);
  const inner = km.model({ inputs: input, outputs: [digit, odd], name: 'heads' });
  const outer = km.input({ shape: [6] });
  return { outer, outputs: inner.apply(outer) as km.SymbolicTensor[] };
}

function tfjsHeads(): tfl.LayersModel {
  const input = tfl.input({ shape: [6] });
  const trunk = tfl.layers.dense({ units: 5, name: 'trunk' }).apply(input) as tfl.SymbolicTensor;
  const heads = [tfl.layers.dense({ units: 3, name: 'digit_head' }), tfl.layers.dense({ units: 1, name: 'parity_head' })].map((l) => l.apply(trunk) as tfl.SymbolicTensor);
  const inner = tfl.model({ inputs: input, outputs: heads, name: 'heads' });
  const outer = tfl.input({ shape: [6] });
  return tfl.model({ inputs: outer, outputs: inner.apply(outer) as tfl.SymbolicTensor[] });
}

describe('outputs made by a nested model', () => {
  it("take the nested model's name, as in tfjs, and key compile's specs and the logs", async () => {
    const { outer, outputs } = nestedHeads(4);
    const model = km.model({ inputs: outer, outputs });
    expect(model.outputNames).toEqual(['heads', 'heads:1']);
    expect(tfjsHeads().outputNames).toEqual(['heads', 'heads']);

    const single = km.model({ inputs: outer, outputs: outputs[0] });
    expect(single.outputNames).toEqual(['heads']);

    model.compile({ optimizer: 'adam', loss: { heads: 'sparseCategoricalCrossentropy', 'heads:1': 'binaryCrossentropy' }, metrics: { 'heads:1': ['binaryAccuracy'] } });
    const history = await model.fit(x, { heads: digits, 'heads:1': parity }, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['heads:1_binaryAccuracy', 'heads:1_loss', 'heads_loss', 'loss']);
    expect(() => model.compile({ optimizer: 'adam', loss: { digit_head: 'sparseCategoricalCrossentropy', parity_head: 'binaryCrossentropy' } })).toThrow(/'digit_head', 'parity_head', which are not outputs of the model; its outputs are \['heads', 'heads:1'\]/);
  });

  it('a model with named outputs saves losses tfjs can compile (a list, as tfjs names both outputs alike) and loads them back by name', async () => {
    const { outer, outputs } = nestedHeads(5);
    const named = km.model({ inputs: outer, outputs: { digit: outputs[0], parity: outputs[1] } });
    named.compile({ optimizer: 'adam', loss: { digit: 'sparseCategoricalCrossentropy', parity: 'binaryCrossentropy' }, metrics: { digit: ['accuracy'], parity: ['binaryAccuracy'] } });
    await named.fit(x, { digit: digits, parity }, { epochs: 1, batchSize: 4, verbose: 0 });
    const artifacts = await kerasmArtifacts(named);
    expect(artifacts.trainingConfig!.loss).toEqual(['sparse_categorical_crossentropy', 'binary_crossentropy']);

    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(inTfjs.outputNames).toEqual(['heads', 'heads']);
    expect(inTfjs.loss).toEqual(['sparseCategoricalCrossentropy', 'binaryCrossentropy']);

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.compileSpec!.loss).toEqual(['sparseCategoricalCrossentropy', 'binaryCrossentropy']);
    expect(loaded.compileSpec!.metrics).toEqual({ digit: ['accuracy'], parity: ['binaryAccuracy'] });
    expect(await loaded.evaluate(x, { digit: digits, parity }, { verbose: 0, returnDict: true })).toEqual(await named.evaluate(x, { digit: digits, parity }, { verbose: 0, returnDict: true }));
  });

  it('keeps keyed losses where the tfjs names differ, so tfjs reads them by name', async () => {
    const { outer, outputs } = nestedHeads(6);
    const model = km.model({ inputs: outer, outputs: outputs[0] });
    model.compile({ optimizer: 'sgd', loss: { heads: 'sparseCategoricalCrossentropy' } });
    const artifacts = await kerasmArtifacts(model);
    expect(artifacts.trainingConfig!.loss).toEqual({ heads: 'sparse_categorical_crossentropy' });
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(inTfjs.loss).toEqual({ heads: 'sparseCategoricalCrossentropy' });
  });
});
