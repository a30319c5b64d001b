import * as tfl from '@tensorflow/tfjs-layers';
import { describe, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import type { Random } from '../utils/random.js';

const token = (vocabulary: number) => (random: Random) => Math.floor(random.uniform(0, vocabulary));

describe('Embedding and the 1-D layers: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('Embedding → GlobalAveragePooling1D → Dense (the basic text classifier), with inputLength and a regularized table', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [7],
      inputValue: token(20),
      kerasm: () => [
        km.layers.embedding({ inputDim: 20, outputDim: 6, inputLength: 7, embeddingsRegularizer: km.regularizers.l2({ l2: 0.01 }) }),
        km.layers.globalAveragePooling1d(),
        km.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
      tfjs: () => [
        tfl.layers.embedding({ inputDim: 20, outputDim: 6, inputLength: 7, embeddingsRegularizer: tfl.regularizers.l2({ l2: 0.01 }) }),
        tfl.layers.globalAveragePooling1d(),
        tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
  });

  it('Embedding → Conv1D (valid, same, strides, dilation; tfjs 4.22 cannot run causal padding) → pooling → GlobalMaxPooling1D → Dense', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [16],
      inputValue: token(30),
      kerasm: () => [
        km.layers.embedding({ inputDim: 30, outputDim: 5, inputShape: [16] }),
        km.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', biasInitializer: 'glorotUniform' }),
        km.layers.maxPooling1d({ poolSize: 2 }),
        km.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'same', dilationRate: 2, activation: 'tanh', useBias: false }),
        km.layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
        km.layers.conv1d({ filters: 4, kernelSize: [3], strides: 2, padding: 'same' }),
        km.layers.globalMaxPooling1d(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.embedding({ inputDim: 30, outputDim: 5, inputShape: [16] }),
        tfl.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', biasInitializer: 'randomNormal' }),
        tfl.layers.maxPooling1d({ poolSize: 2 }),
        tfl.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'same', dilationRate: 2, activation: 'tanh', useBias: false }),
        tfl.layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
        tfl.layers.conv1d({ filters: 4, kernelSize: [3], strides: 2, padding: 'same', biasInitializer: 'randomNormal' }),
        tfl.layers.globalMaxPooling1d(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  });
});
