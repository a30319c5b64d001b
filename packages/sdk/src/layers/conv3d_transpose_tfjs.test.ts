import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, kerasmArtifacts } from '../io/testing/round_trip.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const n = 24;
const x = Float32Array.from({ length: n * 3 * 4 * 5 * 2 }, (_, i) => Math.sin(i * 0.41) + 0.3 * Math.cos(i * 1.7));
const y = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

interface ParityCase {
  kerasm: () => km.layers.Layer[];
  tfjs: () => tfl.layers.Layer[];
  loss: 'categoricalCrossentropy' | 'meanSquaredError';
  seed: number;
  learningRate: number;
}

/** |a − b| within 1e-5, relative to |b| once it is above 1. */
const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.max(1, Math.abs(b))).toBeLessThan(1e-5);

// tfjs-core 4.22's 3-D 'same' padding goes negative where the kernel is shorter than the stride
// (its conv3d then reads from one position later than TensorFlow's, whose padding is ≥ 0; its 2-D
// ops clamp it), so the 'same' cases here keep kernels ≥ strides; conv_transpose_gradients.test.ts
// checks the shorter kernels against a float64 reference.

/**
 * tfjs-layers 4.22 cannot train a Conv3DTranspose (tfjs-core has no gradient for
 * Conv3DBackpropInputV2), so tfjs checks the forward pass along kerasm's SGD trajectory: before
 * each of 3 epochs tfjs gets kerasm's weights and must give the same predictions and loss. The
 * gradients themselves are checked against finite differences in conv_transpose_gradients.test.ts.
 */
async function expectSameAlongTraining(c: ParityCase): Promise<void> {
  km.utils.setRandomSeed(c.seed);
  const model = km.sequential(c.kerasm());
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: c.learningRate }), loss: c.loss });
  const reference = tfl.sequential({ layers: c.tfjs() });
  reference.compile({ optimizer: 'sgd', loss: c.loss });
  const [kmX, kmY] = [km.tensor(x, [n, 3, 4, 5, 2]), km.tensor(y, [n, 3])];
  const [tfX, tfY] = [tf.tensor(x, [n, 3, 4, 5, 2]), tf.tensor(y, [n, 3])];
  const losses: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const theirs = (reference.predict(tfX) as tf.Tensor).dataSync();
    const ours = model.predict(kmX).dataSync();
    expect(ours.length).toBe(theirs.length);
    ours.forEach((v, i) => close(v, theirs[i]));
    const [loss] = await model.evaluate(kmX, kmY, { batchSize: n, verbose: 0 });
    close(loss, (reference.evaluate(tfX, tfY, { batchSize: n }) as tf.Scalar).dataSync()[0]);
    losses.push(loss);
    await model.fit(kmX, kmY, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
  }
  expect(losses[2]).toBeLessThan(losses[0] - 1e-3);
}

describe('Conv3DTranspose: same predictions and losses as tfjs-layers 4.22 (cpu backend) along an SGD run', () => {
  it('Conv3D stride 2 → Conv3DTranspose same, stride 2 → Conv3DTranspose valid, strides [1, 2, 1], odd kernel → Dense', async () => {
    await expectSameAlongTraining({
      kerasm: () => [
        km.layers.conv3d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [3, 4, 5, 2] }),
        km.layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', biasInitializer: 'glorotUniform' }),
        km.layers.conv3dTranspose({ filters: 2, kernelSize: [2, 3, 1], strides: [1, 2, 1], activation: 'sigmoid' }),
        km.layers.flatten(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.conv3d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [3, 4, 5, 2] }),
        tfl.layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
        tfl.layers.conv3dTranspose({ filters: 2, kernelSize: [2, 3, 1], strides: [1, 2, 1], activation: 'sigmoid' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      loss: 'categoricalCrossentropy',
      seed: 6,
      learningRate: 0.02,
    });
  });

  it('Conv3DTranspose first: valid, stride 1, kernel larger than the input; then same, even kernel, strides [3, 1, 2], no bias', async () => {
    await expectSameAlongTraining({
      kerasm: () => [
        km.layers.conv3dTranspose({ filters: 3, kernelSize: [2, 5, 3], activation: 'tanh', inputShape: [3, 4, 5, 2], biasInitializer: 'glorotUniform' }),
        km.layers.conv3dTranspose({ filters: 1, kernelSize: [4, 2, 4], strides: [3, 1, 2], padding: 'same', useBias: false }),
        km.layers.flatten(),
        km.layers.dense({ units: 3 }),
      ],
      tfjs: () => [
        tfl.layers.conv3dTranspose({ filters: 3, kernelSize: [2, 5, 3], activation: 'tanh', inputShape: [3, 4, 5, 2] }),
        tfl.layers.conv3dTranspose({ filters: 1, kernelSize: [4, 2, 4], strides: [3, 1, 2], padding: 'same', useBias: false }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3 }),
      ],
      loss: 'meanSquaredError',
      seed: 8,
      learningRate: 0.002,
    });
  });
});

// tfjs applies a constraint whenever it writes a weight, loading included: the constrained kernel
// starts non-negative under nonNeg, so loading leaves it as saved.
const positive = { className: 'RandomUniform', config: { minval: 0.01, maxval: 0.5, seed: null } };

describe('Conv3DTranspose: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('same and valid padding, strides, a regularized, constrained kernel, no bias', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 4, 3, 2],
      kerasm: () => [
        km.layers.conv3dTranspose({ inputShape: [3, 4, 3, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', biasInitializer: 'glorotUniform' }),
        km.layers.conv3dTranspose({
          filters: 2, kernelSize: [2, 1, 3], strides: [1, 2, 1], useBias: false, activation: 'tanh',
          kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), kernelConstraint: km.constraints.nonNeg(), kernelInitializer: positive,
        }),
      ],
      tfjs: () => [
        tfl.layers.conv3dTranspose({ inputShape: [3, 4, 3, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', biasInitializer: 'randomNormal' }),
        tfl.layers.conv3dTranspose({
          filters: 2, kernelSize: [2, 1, 3], strides: [1, 2, 1], useBias: false, activation: 'tanh',
          kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }), kernelConstraint: tfl.constraints.nonNeg(), kernelInitializer: tfl.initializers.randomUniform({ minval: 0.01, maxval: 0.5 }),
        }),
      ],
    });
  });
});

type SavedLayer = { class_name: string; config: Record<string, unknown> };

/** Saves `model` in memory, checks it loads back with the same predictions on `shape` inputs, and returns the saved layer entries. */
async function savedAndReloaded(model: km.LayersModel, shape: number[]): Promise<SavedLayer[]> {
  const artifacts = await kerasmArtifacts(model);
  const input = km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i * 0.7)), shape);
  const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
  expect(Array.from(reloaded.predict(input).dataSync())).toEqual(Array.from(model.predict(input).dataSync()));
  expect(reloaded.outputs[0].shape).toEqual(model.outputs[0].shape);
  return (artifacts.modelTopology as { config: { layers: SavedLayer[] } }).config.layers;
}

// tfjs-layers 4.22 has no Conv1DTranspose and runs neither outputPadding nor dilationRate on the
// transposed convolutions: these save with Keras 3's field names and load back in kerasm.
describe('What tfjs lacks (Conv1DTranspose, outputPadding, dilationRate): saved with Keras 3 names, loaded back', () => {
  it('Conv1DTranspose writes every Keras 3 field, outputPadding and dilationRate included', async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([
      km.layers.conv1dTranspose({ filters: 3, kernelSize: 4, strides: 3, padding: 'same', outputPadding: 1, activation: 'relu', inputShape: [5, 2], biasInitializer: 'glorotUniform' }),
      km.layers.conv1dTranspose({ filters: 2, kernelSize: [3], dilationRate: [2] }),
    ]);
    const [first, second] = await savedAndReloaded(model, [2, 5, 2]);
    expect(first.class_name).toBe('Conv1DTranspose');
    expect(first.config).toMatchObject({ filters: 3, kernel_size: [4], strides: [3], padding: 'same', output_padding: [1], dilation_rate: [1], data_format: 'channels_last', activation: 'relu' });
    expect(second.config).toMatchObject({ kernel_size: [3], strides: [1], output_padding: null, dilation_rate: [2] });
    // (5 − 1)·3 + 4 − 2·2 + 1 = 13, then 13 + (3 − 1)·2 = 17.
    expect(model.layers[1].output.shape).toEqual([17, 2]);
  });

  it('Conv2DTranspose and Conv3DTranspose write outputPadding and dilationRate only when set, and keep them', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: [2, 1, 2], padding: 'same', outputPadding: [1, 0, 0], inputShape: [2, 3, 2, 1] }),
      km.layers.conv3dTranspose({ filters: 2, kernelSize: 2, dilationRate: [1, 2, 1] }),
      km.layers.reshape({ targetShape: [5 * 5, 4, 2] }),
      km.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: [0, 1] }),
      km.layers.conv2dTranspose({ filters: 1, kernelSize: 2, dilationRate: 2, padding: 'same' }),
    ]);
    const layers = await savedAndReloaded(model, [2, 2, 3, 2, 1]);
    expect(layers.map((l) => l.class_name)).toEqual(['Conv3DTranspose', 'Conv3DTranspose', 'Reshape', 'Conv2DTranspose', 'Conv2DTranspose']);
    expect(layers[0].config.output_padding).toEqual([1, 0, 0]);
    expect(layers[0].config).not.toHaveProperty('dilation_rate');
    expect(layers[1].config.dilation_rate).toEqual([1, 2, 1]);
    expect(layers[1].config).not.toHaveProperty('output_padding');
    expect(layers[3].config.output_padding).toEqual([0, 1]);
    expect(layers[4].config.dilation_rate).toEqual([2, 2]);
    // With outputPadding, (in − 1)·stride + 3 − 2·1 + outputPadding per axis: [4, 3, 3]; then + (2 − 1)·dilation.
    expect(model.layers[0].output.shape).toEqual([4, 3, 3, 2]);
    expect(model.layers[1].output.shape).toEqual([5, 5, 4, 2]);
    // 'valid' with outputPadding [0, 1]: (25 − 1)·2 + 3 = 51 rows, (4 − 1)·2 + 3 + 1 = 10 columns.
    expect(model.layers[3].output.shape).toEqual([51, 10, 1]);
  });
});
