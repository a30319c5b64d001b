import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// A wrapped layer's weights are its wrapper's, as in Keras and tfjs: TimeDistributed runs the layer
// it is given, whose variables it lists; Bidirectional's forwardLayer and backwardLayer are the two
// halves of its weights. Reading or writing them through the inner layer reads or writes the wrapper's.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, features] = [6, 4, 3];
const random = new Random(7);
const sequences = Float32Array.from({ length: n * steps * features }, () => random.uniform(-1, 1));
const targets = Float32Array.from({ length: n * steps * 2 }, () => random.uniform(-1, 1));

const arrays = (weights: { dataSync(): ArrayLike<number> }[]) => weights.map((w) => Array.from(w.dataSync()));
const closeTo = (actual: number[][], expected: number[][]) => actual.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
const x = () => km.tensor(sequences, [n, steps, features]);

describe("a wrapped layer's weights are its wrapper's", () => {
  it("TimeDistributed: dense.getWeights() is the wrapper's, before and after fit, and dense.setWeights changes what the model computes, as in tfjs", async () => {
    const dense = km.layers.dense({ units: 2, name: 'per_step' });
    const wrapper = km.layers.timeDistributed({ layer: dense, inputShape: [steps, features] });
    const model = km.sequential([wrapper]);
    expect(arrays(dense.getWeights())).toEqual(arrays(wrapper.getWeights()));
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const before = arrays(wrapper.getWeights());
    await model.fit(x(), km.tensor(targets, [n, steps, 2]), { epochs: 2, batchSize: 3, verbose: 0 });
    expect(arrays(wrapper.getWeights())).not.toEqual(before);
    expect(arrays(dense.getWeights())).toEqual(arrays(wrapper.getWeights()));

    const kernel = Float32Array.from({ length: features * 2 }, (_, i) => (i - 2.5) / 4);
    const bias = Float32Array.from([0.3, -0.2]);
    dense.setWeights([km.tensor(kernel, [features, 2]), km.tensor(bias, [2])]);
    expect(arrays(wrapper.getWeights())).toEqual([Array.from(kernel), Array.from(bias)]);

    const reference = tfl.sequential({ layers: [tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 2 }), inputShape: [steps, features] })] });
    reference.setWeights([tf.tensor(kernel, [features, 2]), tf.tensor(bias)]);
    const expected = (reference.predict(tf.tensor(sequences, [n, steps, features])) as tf.Tensor).dataSync();
    closeTo([Array.from(model.predict(x()).dataSync())], [Array.from(expected)]);
  });

  it('TimeDistributed starts from the values a layer had before it was wrapped (trained or set), as tfjs does', async () => {
    const dense = km.layers.dense({ units: 2 });
    const step = km.tensor(sequences.subarray(0, steps * features), [steps, features]);
    const alone = Array.from(dense.apply(step).dataSync()); // builds it, with its own values
    const kernel = Float32Array.from({ length: features * 2 }, (_, i) => Math.sin(i + 1));
    dense.setWeights([km.tensor(kernel, [features, 2]), km.tensor(Float32Array.from([0.5, -1]), [2])]);
    const given = Array.from(dense.apply(step).dataSync());
    expect(given).not.toEqual(alone);

    const model = km.sequential([km.layers.timeDistributed({ layer: dense, inputShape: [steps, features] })]);
    expect(arrays(model.getWeights())).toEqual([Array.from(kernel), [0.5, -1]]);
    // The first sample's steps through the wrapper are the rows dense gave alone.
    closeTo([Array.from(model.predict(x()).dataSync()).slice(0, steps * 2)], [given]);
  });

  it("Bidirectional: forwardLayer's and backwardLayer's weights are the two halves of the wrapper's, and setting one sets that half", async () => {
    const wrapper = km.layers.bidirectional({ layer: km.layers.gru({ units: 3 }), inputShape: [steps, features] });
    const model = km.sequential([wrapper, km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await model.fit(x(), km.tensor(targets.subarray(0, n), [n, 1]), { epochs: 1, verbose: 0 });
    const all = arrays(wrapper.getWeights());
    const half = all.length / 2;
    expect(arrays(wrapper.forwardLayer.getWeights())).toEqual(all.slice(0, half));
    expect(arrays(wrapper.backwardLayer.getWeights())).toEqual(all.slice(half));

    const zeros = wrapper.backwardLayer.getWeights().map((w) => km.tensor(new Float32Array(w.size), [...w.shape]));
    wrapper.backwardLayer.setWeights(zeros);
    const after = arrays(wrapper.getWeights());
    expect(after.slice(0, half)).toEqual(all.slice(0, half));
    expect(after.slice(half).every((w) => w.every((v) => v === 0))).toBe(true);
  });

  it("the inner layer's regularization losses are computed from the wrapper's weights", async () => {
    const dense = km.layers.dense({ units: 2, kernelRegularizer: km.regularizers.l2({ l2: 0.01 }) });
    const wrapper = km.layers.timeDistributed({ layer: dense, inputShape: [steps, features] });
    const model = km.sequential([wrapper]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
    await model.fit(x(), km.tensor(targets, [n, steps, 2]), { epochs: 3, verbose: 0 });
    const [kernel] = arrays(wrapper.getWeights());
    const [penalty] = dense.losses;
    expect(penalty.dataSync()[0]).toBeCloseTo(0.01 * kernel.reduce((sum, v) => sum + v * v, 0), 6);
  });

  it('refuses to hold a wrapped layer elsewhere (another wrapper, a model, apply on data), naming the wrapper, and the wrapper keeps working', async () => {
    const dense = km.layers.dense({ units: 2, name: 'shared_dense' });
    const first = km.layers.timeDistributed({ layer: dense, name: 'first_td', inputShape: [steps, features] });
    const model = km.sequential([first]);
    const expected = Array.from(model.predict(x()).dataSync());

    const second = km.layers.timeDistributed({ layer: dense, inputShape: [steps, features] });
    expect(() => km.sequential([second])).toThrow(
      "Layer 'shared_dense' runs inside TimeDistributed layer 'first_td', which holds its weights, so TimeDistributed layer '" + second.name + "' cannot also hold them. " +
        "Use 'first_td' instead (its weights are what 'shared_dense'.getWeights() returns), or a new Dense layer with the same options in its place.",
    );
    const rows = km.tensor(sequences.subarray(0, 2 * features), [2, features]);
    const alone = km.sequential([km.layers.dense({ units: features, inputShape: [features] }), dense]);
    expect(() => alone.predict(rows)).toThrow("so model '" + alone.name + "' cannot also hold them");
    expect(() => dense.apply(rows)).toThrow("so 'shared_dense'.apply on data cannot also hold them");

    expect(Array.from(model.predict(x()).dataSync())).toEqual(expected);
  });
});
