import * as tfl from '@tensorflow/tfjs-layers';
import { describe, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';

describe('Conv2D, pooling, Dropout and Reshape: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('Conv2D: valid and same padding, strides, dilation, no bias, activations', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [9, 8, 2],
      kerasm: () => [
        km.layers.conv2d({ inputShape: [9, 8, 2], filters: 3, kernelSize: 3, activation: 'relu', biasInitializer: 'glorotUniform' }),
        km.layers.conv2d({ filters: 4, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'tanh', useBias: false, kernelInitializer: 'heNormal' }),
        km.layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'sigmoid', biasInitializer: 'ones' }),
        km.layers.conv2d({ filters: 2, kernelSize: 1, kernelRegularizer: km.regularizers.l2({ l2: 0.01 }) }),
      ],
      tfjs: () => [
        tfl.layers.conv2d({ inputShape: [9, 8, 2], filters: 3, kernelSize: 3, activation: 'relu', biasInitializer: 'randomNormal' }),
        tfl.layers.conv2d({ filters: 4, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'tanh', useBias: false }),
        tfl.layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'sigmoid', biasInitializer: 'randomNormal' }),
        tfl.layers.conv2d({ filters: 2, kernelSize: 1, kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }), biasInitializer: 'randomNormal' }),
      ],
    });
  });

  it('MaxPooling2D and AveragePooling2D: valid and same, default and explicit strides', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [9, 7, 2],
      kerasm: () => [
        km.layers.maxPooling2d({ inputShape: [9, 7, 2] }),
        km.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        km.layers.maxPooling2d({ poolSize: [3, 2], strides: [1, 2], padding: 'same' }),
        km.layers.averagePooling2d({ poolSize: 2, padding: 'valid' }),
        km.layers.flatten(),
        km.layers.dense({ units: 3 }),
      ],
      tfjs: () => [
        tfl.layers.maxPooling2d({ inputShape: [9, 7, 2] }),
        tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        tfl.layers.maxPooling2d({ poolSize: [3, 2], strides: [1, 2], padding: 'same' }),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: 'valid' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3 }),
      ],
    });
  });

  it('Dropout (with and without a seed) and Reshape (explicit and inferred dimensions)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [12],
      kerasm: () => [
        km.layers.reshape({ inputShape: [12], targetShape: [3, 4] }),
        km.layers.dropout({ rate: 0.25 }),
        km.layers.flatten(),
        km.layers.dropout({ rate: 0.5, seed: 3 }),
        km.layers.dense({ units: 4, activation: 'softmax' }),
        // Last: tfjs infers no static shape for a -1 dimension, so nothing after it could build.
        km.layers.reshape({ targetShape: [2, -1] }),
      ],
      tfjs: () => [
        tfl.layers.reshape({ inputShape: [12], targetShape: [3, 4] }),
        tfl.layers.dropout({ rate: 0.25 }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.5, seed: 3 }),
        tfl.layers.dense({ units: 4, activation: 'softmax' }),
        tfl.layers.reshape({ targetShape: [2, -1] }),
      ],
    });
  });

  it('the Keras MNIST convnet', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [12, 12],
      kerasm: () => [
        km.layers.reshape({ targetShape: [12, 12, 1], inputShape: [12, 12] }),
        km.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
        km.layers.maxPooling2d({ poolSize: 2 }),
        km.layers.flatten(),
        km.layers.dropout({ rate: 0.5 }),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.reshape({ targetShape: [12, 12, 1], inputShape: [12, 12] }),
        tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  });
});
