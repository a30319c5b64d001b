import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// tfjs' base layer options every layer takes: weights (initial values), batchSize and inputDType.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const matrix = [[0, 0], [1, 1], [2, 2], [3, 3]];

describe('weights', () => {
  it('gives an embedding pretrained values, as tfjs does, and leaves them out of getConfig', () => {
    const theirs = tfl.layers.embedding({ inputDim: 4, outputDim: 2, inputLength: 1, weights: [tf.tensor2d(matrix)], trainable: false });
    const ours = km.layers.embedding({ inputDim: 4, outputDim: 2, inputLength: 1, weights: [km.tensor(matrix)], trainable: false });
    const expected = (tfl.sequential({ layers: [theirs] }).predict(tf.tensor2d([[3], [1]])) as tf.Tensor).arraySync();
    expect(km.sequential([ours]).predict(km.tensor([[3], [1]])).arraySync()).toEqual(expected);
    expect(ours.getWeights()[0].arraySync()).toEqual(matrix);
    expect(ours.trainableWeights).toEqual([]);
    expect('weights' in theirs.getConfig()).toBe(false);
    expect('weights' in ours.getConfig()).toBe(false);
  });

  it('takes every weight in getWeights order, when built by apply on symbolic tensors or on data', () => {
    const [kernel, bias] = [[[1, 2], [3, 4], [5, 6]], [10, 20]];
    const theirs = tfl.layers.dense({ units: 2, weights: [tf.tensor2d(kernel), tf.tensor1d(bias)] });
    const expected = (theirs.apply(tf.tensor2d([[1, 1, 1]])) as tf.Tensor).arraySync();
    const ours = km.layers.dense({ units: 2, weights: [km.tensor(kernel), km.tensor(bias)] });
    expect(ours.apply(km.tensor([[1, 1, 1]])).arraySync()).toEqual(expected);
    const symbolic = km.layers.dense({ units: 2, weights: [km.tensor(kernel), km.tensor(bias)] });
    const x = km.input({ shape: [3] });
    const model = km.model({ inputs: x, outputs: symbolic.apply(x) });
    expect(model.getWeights().map((w) => w.arraySync())).toEqual([kernel, bias]);
  });

  it('names the weight and both shapes when a value does not fit, and leaves the layer unbuilt', () => {
    expect(() => tfl.layers.dense({ units: 2, weights: [tf.ones([4, 2]), tf.zeros([2])] }).apply(tfl.input({ shape: [5] }))).toThrow('Layer weight shape 5,2 not compatible with provided weight shape 4,2');
    const dense = km.layers.dense({ units: 2, name: 'proj', weights: [km.ones([4, 2]), km.zeros([2])] });
    expect(() => km.sequential([km.input({ shape: [5] }), dense])).toThrow(
      "Layer 'proj' (Dense): weight 'proj/kernel' has shape [5, 2] (float32), but the tensor given for it (position 0) has shape [4, 2] (float32).",
    );
    expect(dense.built).toBe(false);
    expect(() => km.sequential([km.input({ shape: [5] }), km.layers.dense({ units: 2, name: 'one', weights: [km.ones([5, 2])] })])).toThrow(
      "Layer 'one' (Dense) has 2 weights (one/kernel [5, 2], one/bias [2]), but its weights option received 1 tensor. Pass one tensor per weight, in the order getWeights() returns them.",
    );
  });

  it('refuses values that are not km.Tensor when the layer is made', () => {
    expect(() => km.layers.embedding({ inputDim: 4, outputDim: 2, name: 'e', weights: [matrix as unknown as km.Tensor] })).toThrow(
      "Layer 'e': weights takes a list of km.Tensor, one per weight in the order getWeights() returns them, e.g. weights: [km.tensor(matrix)] for an Embedding. Received: item 0 is an array (wrap it: km.tensor(values)).",
    );
    expect(() => km.layers.dense({ units: 2, name: 'd', weights: km.ones([3, 2]) as unknown as km.Tensor[] })).toThrow("Layer 'd': weights takes a list of km.Tensor");
  });

  it('sets the weights of the RNN around a cell', () => {
    const cell = km.layers.simpleRNNCell({ units: 2 });
    const values = [km.ones([3, 2]), km.zeros([2, 2]), km.zeros([2])];
    const rnn = km.layers.rnn({ cell, weights: values });
    km.sequential([km.input({ shape: [4, 3] }), rnn]);
    expect(rnn.getWeights().map((w) => w.arraySync())).toEqual(values.map((w) => w.arraySync()));
  });
});

describe('batchSize', () => {
  it('with inputShape, is batchInputShape [batchSize, ...inputShape] on any layer, as in tfjs', () => {
    const theirs = tfl.layers.dense({ units: 2, inputShape: [3], batchSize: 4 });
    const ours = km.layers.dense({ units: 2, inputShape: [3], batchSize: 4 });
    expect(ours.getConfig().batchInputShape).toEqual(theirs.getConfig().batchInputShape);
    expect(ours.getConfig().batchInputShape).toEqual([4, 3]);
    expect(km.layers.conv2d({ filters: 1, kernelSize: 1, inputShape: [2, 2, 1], batchSize: 2 }).getConfig().batchInputShape).toEqual([2, 2, 2, 1]);
    // The preprocessing and augmentation layers take them too.
    expect(km.layers.randomFlip({ inputShape: [2, 2, 1], batchSize: 3 }).getConfig().batchInputShape).toEqual([3, 2, 2, 1]);
    expect(km.layers.resizing({ height: 1, width: 1, inputShape: [2, 2, 1], batchSize: 3, inputDType: 'float32', weights: [] }).declaredBatchSize).toBe(3);
    expect(() => km.layers.flatten({ inputShape: [3], batchSize: 0 })).toThrow('the batch size must be a positive integer. Received: batchSize=0.');
  });

  it('still fixes the batch of a stateful recurrent layer', async () => {
    const model = km.sequential([km.layers.simpleRNN({ units: 2, stateful: true, inputShape: [3, 1], batchSize: 2 })]);
    expect(() => model.predict(km.ones([4, 3, 1]), { batchSize: 4 })).toThrow('the batch size it was built with). Pass batchSize: 2.');
  });
});

describe('inputDType', () => {
  it("makes a Sequential model's input int32, as tfjs does, without making the layer's weights int32", () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [5], inputDType: 'int32' })] });
    const ours = km.sequential([km.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [5], inputDType: 'int32' })]);
    expect(ours.inputs[0].dtype).toBe(theirs.inputs[0].dtype);
    expect(ours.inputs[0].dtype).toBe('int32');
    expect(km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]).inputs[0].dtype).toBe('float32');
    // tfjs gives the layer that dtype too, so its embeddings are int32 (zeros from the default
    // initializer); kerasm's stay float32, and so does the config, which tfjs reads back.
    expect(theirs.layers[0].getConfig().dtype).toBe('int32');
    expect(ours.layers[0].getConfig().dtype).toBe('float32');
    expect(ours.predict(km.tensor([[0, 1, 2, 3, 0]], [1, 5], 'int32')).shape).toEqual([1, 5, 2]);
  });

  it("refuses a dtype kerasm's inputs lack", () => {
    expect(() => km.layers.dense({ units: 1, inputShape: [2], name: 'b', inputDType: 'bool' as 'int32' })).toThrow(
      `Layer 'b': inputDType must be 'float32' or 'int32' (ids for an Embedding), the dtypes of kerasm's inputs. Received: inputDType="bool".`,
    );
  });
});
