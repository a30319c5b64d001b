// TensorFlow.js values handed to kerasm (its tensors, optimizers, callbacks) and plain arrays get
// errors that name kerasm's counterpart, where they failed deep inside or said "received boolean".
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

function compiled() {
  const model = km.sequential([km.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
}
const [x, y] = [km.tensor(new Float32Array(8).fill(0.5), [2, 4]), km.tensor([[1, 0, 0], [0, 1, 0]])];

describe('TensorFlow.js values and plain arrays', () => {
  it('a tfjs tensor as data says how to make a km.Tensor of it', async () => {
    const message = 'x must be a km.Tensor; received a TensorFlow.js tensor of shape [2, 4]. Make a km.Tensor of it: km.tensor(t.arraySync()), or km.tensor(await t.data(), t.shape).';
    await expect(compiled().fit(tf.ones([2, 4]) as never, y, { verbose: 0 })).rejects.toThrow(message);
    expect(() => compiled().predict(tf.ones([2, 4]) as never)).toThrow(message);
    await expect(compiled().evaluate(x, tf.ones([2, 3]) as never)).rejects.toThrow(/^y must be a km\.Tensor; received a TensorFlow\.js tensor of shape \[2, 3\]/);
    expect(() => km.tensor(tf.ones([2, 3]) as never)).toThrow('km.tensor() takes values, not a TensorFlow.js tensor: km.tensor(t.arraySync()), or km.tensor(await t.data(), t.shape).');
  });

  it('a nested array or a typed array as data says to wrap it in km.tensor', async () => {
    await expect(compiled().fit([[1, 2, 3, 4]] as never, y, { verbose: 0 })).rejects.toThrow('x must be a km.Tensor; received a nested array. Make a tensor of it: km.tensor(values).');
    expect(() => compiled().predict(new Float32Array(4) as never)).toThrow('x must be a km.Tensor; received a Float32Array. Make a tensor of it: km.tensor(values, shape).');
  });

  it('texts as data say to vectorize them first, as Keras would take strings in its end-to-end model', async () => {
    const vectorize = /received a list of strings, but kerasm's tensors hold no strings\. Turn text into numbers before the model: vectorize\.apply\(texts\) with a km\.layers\.textVectorization/;
    expect(() => compiled().predict(['a great movie', 'dull'] as never)).toThrow(/x must be a km\.Tensor; received a string, but kerasm's tensors hold no strings/);
    expect(() => compiled().predict([['a great movie'], ['dull']] as never)).toThrow(vectorize);
    await expect(compiled().fit([['a great movie'], ['dull']] as never, y, { verbose: 0 })).rejects.toThrow(vectorize);
  });

  it("a tfjs optimizer names kerasm's, with its learning rate", () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
    expect(() => model.compile({ optimizer: tf.train.adam(0.01) as never, loss: 'mse' })).toThrow("compile's optimizer is TensorFlow.js' Adam optimizer (tf.train.*), which kerasm cannot use. Pass km.optimizers.adam({ learningRate: 0.01 }) instead.");
    expect(() => model.compile({ optimizer: tf.train.momentum(0.1, 0.9) as never, loss: 'mse' })).toThrow(/Pass km\.optimizers\.sgd\(\{ learningRate: 0\.1, momentum: 0\.9 \}\) instead\.$/);
    expect(() => model.compile({ optimizer: { step: 1 } as never, loss: 'mse' })).toThrow(/^compile's optimizer must be a name \('.*received an object with keys \[step\]\.$/);
  });

  it("a tfjs callback names kerasm's before training starts", async () => {
    const model = compiled();
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [tfl.callbacks.earlyStopping({ patience: 1 })] as never })).rejects.toThrow(
      'callbacks[0] is a TensorFlow.js callback (EarlyStopping), which works only with a tfjs model. Use kerasm\'s: km.callbacks.earlyStopping({ monitor, minDelta, patience, mode, baseline, restoreBestWeights }).',
    );
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it("tfjs layers, initializers, regularizers and constraints name kerasm's", () => {
    expect(() => km.sequential([tfl.layers.dense({ units: 3, inputShape: [4] }) as never])).toThrow("Sequential.add received a layer that is TensorFlow.js' Dense layer, which kerasm cannot use. Pass km.layers.dense({ ... }) with the same options instead.");
    const dense = (options: Record<string, unknown>) => km.sequential([km.layers.dense({ units: 2, inputShape: [3], ...options })]).countParams();
    expect(() => dense({ kernelInitializer: tfl.initializers.heNormal({}) })).toThrow("The initializer is TensorFlow.js' VarianceScaling initializer, which kerasm cannot use. Pass 'heNormal' instead.");
    expect(() => dense({ kernelInitializer: tfl.initializers.heNormal({ seed: 3 }) })).toThrow(`Pass a name (zeros, ones, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, orthogonal, randomUniform, randomNormal, truncatedNormal, identity) or { className: 'VarianceScaling', config: {"scale":2,"mode":"fanIn","distribution":"normal","seed":3} } instead.`);
    expect(() => dense({ kernelInitializer: tfl.initializers.randomNormal({ stddev: 2 }) })).toThrow(/TensorFlow\.js' RandomNormal initializer, which kerasm cannot use\. Pass a name \(zeros, ones, .*\) or \{ className: 'RandomNormal', config: \{"mean":0,"stddev":2\} \} instead\.$/);
    // What the messages suggest builds.
    expect(dense({ kernelInitializer: { className: 'RandomNormal', config: { mean: 0, stddev: 2 } }, kernelRegularizer: km.regularizers.l1l2({ l1: 0, l2: 0.02 }), kernelConstraint: km.constraints.maxNorm({ maxValue: 2, axis: 0 }) })).toBe(8);
    expect(() => dense({ kernelRegularizer: tfl.regularizers.l2({ l2: 0.02 }) })).toThrow(/kernelRegularizer is TensorFlow\.js' L1L2 regularizer, which kerasm cannot use\. Pass km\.regularizers\.l1l2\(\{ l1: 0, l2: 0\.02 \}\) instead\.$/);
    expect(() => dense({ kernelConstraint: tfl.constraints.maxNorm({ maxValue: 2 }) })).toThrow(/kernelConstraint is TensorFlow\.js' MaxNorm constraint, which kerasm cannot use\. Pass km\.constraints\.maxNorm\(\{"maxValue":2,"axis":0\}\) instead\.$/);
  });
});
