import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';
import { expectClose } from '../testing/expect_close.js';

// model.inputs / layer.output: models built over another model's layers (TensorFlow.js' and Keras'
// feature-extractor pattern), checked against naive loops over the trained weights.
const random = new Random(17);
const x = km.tensor(Array.from({ length: 12 }, () => Array.from({ length: 5 }, () => random.uniform(-1, 1))));
const labels = km.tensor(Array.from({ length: 12 }, (_, i) => i % 3), undefined, 'int32');

/** relu(x·W + b) for each row, in float64. */
function naiveDense(xs: Float32Array, kernel: Float32Array, bias: Float32Array, inputs: number, units: number, relu: boolean): number[] {
  const rows = xs.length / inputs;
  return Array.from({ length: rows * units }, (_, i) => {
    const [r, u] = [Math.floor(i / units), i % units];
    let z = bias[u];
    for (let p = 0; p < inputs; p++) z += xs[r * inputs + p] * kernel[p * units + u];
    return relu ? Math.max(0, z) : z;
  });
}

function trainedBase(): km.LayersModel {
  km.utils.setRandomSeed(8);
  const model = km.sequential([
    km.layers.dense({ units: 6, activation: 'relu', inputShape: [5], name: 'hidden' }),
    km.layers.dense({ units: 3, activation: 'softmax', name: 'scores' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

describe('symbolic inputs and outputs of models and layers', () => {
  it("a feature extractor from a Sequential model's inputs and a layer's output computes that layer, with the trained weights", async () => {
    const base = trainedBase();
    await base.fit(x, labels, { epochs: 3, batchSize: 4, verbose: 0 });
    const extractor = km.model({ inputs: base.inputs, outputs: base.getLayer('hidden').output });
    expect(extractor.layers).toEqual([km.layers.InputLayer.of(base.inputs[0]), base.getLayer('hidden')]);
    const [kernel, bias] = base.getLayer('hidden').getWeights().map((w) => w.dataSync() as Float32Array);
    const expected = naiveDense(x.dataSync() as Float32Array, kernel, bias, 5, 6, true);
    expectClose(extractor.predict(x).dataSync(), expected);
    // It saves as a model of its own, which kerasm and tfjs-layers 4.22 both load.
    const saved = await kerasmArtifacts(extractor);
    expectClose((await km.loadLayersModel(km.io.fromMemory(saved))).predict(x).dataSync(), expected);
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expectClose((inTfjs.predict(tf.tensor(x.dataSync(), [12, 5])) as tf.Tensor).dataSync(), expected);
  });

  it('a new head on the extracted features trains the shared layer too, as in Keras', async () => {
    const base = trainedBase();
    const head = km.layers.dense({ units: 2, name: 'head' }).apply(base.getLayer('hidden').output);
    const tuned = km.model({ inputs: base.inputs, outputs: head });
    tuned.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const before = Array.from(base.getLayer('hidden').getWeights()[0].dataSync());
    await tuned.fit(x, km.tensor(new Float32Array(24).fill(0.5), [12, 2]), { epochs: 2, batchSize: 4, verbose: 0 });
    const after = base.getLayer('hidden').getWeights()[0].dataSync();
    expect(Array.from(after)).not.toEqual(before);
    // The base model computes with the tuned weights: its hidden activations are the extractor's.
    const [kernel, bias] = tuned.getLayer('hidden').getWeights().map((w) => w.dataSync() as Float32Array);
    const [k2, b2] = base.getLayer('scores').getWeights().map((w) => w.dataSync() as Float32Array);
    const logits = naiveDense(Float32Array.from(naiveDense(x.dataSync() as Float32Array, kernel, bias, 5, 6, true)), k2, b2, 6, 3, false);
    const expected = logits.map((_, i) => {
      const row = logits.slice(i - (i % 3), i - (i % 3) + 3);
      const max = Math.max(...row);
      return Math.exp(logits[i] - max) / row.reduce((s, v) => s + Math.exp(v - max), 0);
    });
    expectClose(base.predict(x).dataSync(), expected);
  });

  it('a functional model returns the tensors it was built from; layer.input is what the layer was applied to', () => {
    const inputA = km.input({ shape: [5], name: 'a' });
    const inputB = km.input({ shape: [5], name: 'b' });
    const joined = km.layers.concatenate({ name: 'joined' }).apply([inputA, inputB]);
    const out = km.layers.dense({ units: 1, name: 'out' }).apply(joined);
    const model = km.model({ inputs: [inputA, inputB], outputs: out });
    expect(model.inputs).toEqual([inputA, inputB]);
    expect(model.outputs).toEqual([out]);
    expect(model.getLayer('joined').input).toEqual([inputA, inputB]);
    expect(model.getLayer('out').input).toBe(joined);
    expect(model.getLayer('out').output).toBe(out);
  });

  it('a Sequential model without an input shape gets its symbolic tensors from its first data', () => {
    const model = km.sequential([km.layers.dense({ units: 2, name: 'late' })]);
    expect(() => model.inputs).toThrow(/is not built yet, so it has no symbolic inputs or outputs: give the first layer an inputShape, call model.build\(\[null, ...inputShape\]\), or call fit\/predict first/);
    model.predict(x);
    expect(model.inputs[0].shape).toEqual([5]);
    expect(model.outputs[0]).toBe(model.getLayer('late').output);
  });

  it('names the fix for a layer never called, and for one called several times', () => {
    expect(() => km.layers.dense({ units: 2, name: 'idle' }).output).toThrow(/Layer 'idle' has not been called yet, so it has no output\. .*layer\.apply\(km\.input\(\{ shape \}\)\)/);
    const shared = km.layers.dense({ units: 2, name: 'twice' });
    const first = shared.apply(km.input({ shape: [3] }));
    const second = shared.apply(km.input({ shape: [3] }));
    expect(() => shared.output).toThrow(/Layer 'twice' is called 2 times \(a shared layer\), so it has 2 outputs, one per call\. Pick one with layer\.getOutputAt\(i\), i from 0 to 1\./);
    expect(() => shared.input).toThrow(/Pick one with layer\.getInputAt\(i\)/);
    expect(shared.getOutputAt(0)).toBe(first);
    expect(shared.getOutputAt(1)).toBe(second);
    expect(() => shared.getOutputAt(2)).toThrow(/Layer 'twice' has 2 outputs \(one per call\), so getOutputAt\(2\) is out of range\./);
  });
});
