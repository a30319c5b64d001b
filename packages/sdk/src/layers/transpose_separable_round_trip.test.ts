import * as tfl from '@tensorflow/tfjs-layers';
import { describe, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';

// tfjs applies a constraint whenever it writes a weight, loading included: the constrained kernels
// start non-negative under nonNeg, so loading leaves them as saved.
const positive = { className: 'RandomUniform', config: { minval: 0.01, maxval: 0.5, seed: null } };

describe('Conv2DTranspose and SeparableConv2D: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('Conv2D → Conv2DTranspose (same, stride 2; valid with a regularized, constrained kernel; no bias)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [7, 6, 2],
      kerasm: () => [
        km.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [7, 6, 2] }),
        km.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', biasInitializer: 'glorotUniform' }),
        km.layers.conv2dTranspose({
          filters: 2, kernelSize: [2, 3], strides: [1, 2], useBias: false, activation: 'sigmoid',
          kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), kernelConstraint: km.constraints.nonNeg(), kernelInitializer: positive,
        }),
      ],
      tfjs: () => [
        tfl.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [7, 6, 2] }),
        tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', biasInitializer: 'randomNormal' }),
        tfl.layers.conv2dTranspose({
          filters: 2, kernelSize: [2, 3], strides: [1, 2], useBias: false, activation: 'sigmoid',
          kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }), kernelConstraint: tfl.constraints.nonNeg(), kernelInitializer: tfl.initializers.randomUniform({ minval: 0.01, maxval: 0.5 }),
        }),
      ],
    });
  });

  it('SeparableConv2D (multiplier 1 and 3, strides, dilation, regularizers and constraints on both kernels) → Flatten → Dense', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [9, 8, 2],
      kerasm: () => [
        km.layers.separableConv2d({ filters: 4, kernelSize: 3, activation: 'relu', biasInitializer: 'glorotUniform', inputShape: [9, 8, 2] }),
        km.layers.separableConv2d({
          filters: 3, kernelSize: [3, 2], depthMultiplier: 3, strides: 2, padding: 'same',
          depthwiseRegularizer: km.regularizers.l1({ l1: 0.01 }), pointwiseRegularizer: km.regularizers.l2({ l2: 0.02 }),
          depthwiseConstraint: km.constraints.nonNeg(), pointwiseConstraint: km.constraints.nonNeg(), depthwiseInitializer: positive, pointwiseInitializer: positive,
        }),
        km.layers.separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', useBias: false }),
        km.layers.flatten(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, activation: 'relu', biasInitializer: 'randomNormal', inputShape: [9, 8, 2] }),
        // tfjs saves no depth_multiplier (see tfjsOmits), so a file it writes holds multiplier 1
        // whatever the layer had: neither tfjs nor kerasm can load one saved with another.
        tfl.layers.separableConv2d({
          filters: 3, kernelSize: [3, 2], depthMultiplier: 1, strides: 2, padding: 'same',
          depthwiseRegularizer: tfl.regularizers.l1({ l1: 0.01 }), pointwiseRegularizer: tfl.regularizers.l2({ l2: 0.02 }),
          depthwiseConstraint: tfl.constraints.nonNeg(), pointwiseConstraint: tfl.constraints.nonNeg(), depthwiseInitializer: tfl.initializers.randomUniform({ minval: 0.01, maxval: 0.5 }),
        }),
        tfl.layers.separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', useBias: false }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      // tfjs-layers 4.22's SeparableConv2D.getConfig leaves depth_multiplier out (Keras writes it;
      // tfjs reads it), so tfjs re-saves a multiplier-3 layer as one of multiplier 1.
      tfjsOmits: ['depth_multiplier'],
    });
  });
});
