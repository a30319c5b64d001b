import * as tfl from '@tensorflow/tfjs-layers';
import { describe, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from './testing/round_trip.js';

describe('LayersModel format round trip with tfjs 4.22, both directions', () => {
  it('Dense (activations, no bias, each initializer preset)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6],
      kerasm: () => [
        km.layers.dense({ inputShape: [6], units: 5, activation: 'tanh', useBias: false, kernelInitializer: 'heNormal' }),
        km.layers.dense({ units: 4, activation: 'relu', kernelInitializer: 'lecunUniform', biasInitializer: 'ones' }),
        km.layers.dense({ units: 3, activation: 'sigmoid', kernelInitializer: 'glorotNormal' }),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.dense({ inputShape: [6], units: 5, activation: 'tanh', useBias: false }),
        tfl.layers.dense({ units: 4, activation: 'relu', biasInitializer: 'randomNormal' }),
        tfl.layers.dense({ units: 3, activation: 'sigmoid' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  });

  it('Dense with kernel and bias regularizers (L1L2 in tfjs, L1/L2/L1L2 read back)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [4],
      kerasm: () => [
        km.layers.dense({ inputShape: [4], units: 3, kernelRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: km.regularizers.l2({ l2: 0.5 }) }),
        km.layers.dense({ units: 2, kernelRegularizer: km.regularizers.l1() }),
      ],
      tfjs: () => [
        tfl.layers.dense({ inputShape: [4], units: 3, kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: tfl.regularizers.l2({ l2: 0.5 }) }),
        tfl.layers.dense({ units: 2, kernelRegularizer: tfl.regularizers.l1() }),
      ],
    });
  });

  it('Flatten', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 4],
      kerasm: () => [km.layers.flatten({ inputShape: [3, 4] }), km.layers.dense({ units: 2 })],
      tfjs: () => [tfl.layers.flatten({ inputShape: [3, 4] }), tfl.layers.dense({ units: 2 })],
    });
  });

  it('Activation', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [4],
      kerasm: () => [km.layers.activation({ inputShape: [4], activation: 'relu' }), km.layers.dense({ units: 3 }), km.layers.activation({ activation: 'softmax' })],
      tfjs: () => [tfl.layers.activation({ inputShape: [4], activation: 'relu' }), tfl.layers.dense({ units: 3 }), tfl.layers.activation({ activation: 'softmax' })],
    });
  });
});
