import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const n = 24;
const x = Float32Array.from({ length: n * 5 * 6 * 5 * 2 }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.3));
const y = Float32Array.from({ length: n * 3 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));

// tfjs-layers 4.22 has Conv3D, MaxPooling3D and AveragePooling3D; GlobalAveragePooling3D it lacks,
// so the tfjs side averages with a pooling window the size of the volume, then flattens.
describe('Conv3D and 3-D pooling: same predictions and SGD fits as tfjs-layers 4.22 (cpu backend)', () => {
  it('Conv3D -> MaxPooling3D -> GlobalAveragePooling3D -> Dense', async () => {
    const conv = { filters: 4, kernelSize: [3, 2, 3] as [number, number, number], padding: 'same' as const, activation: 'relu' as const, biasInitializer: 'glorotUniform' as const };
    await expectSameFit({
      kerasm: () => [
        km.layers.conv3d({ ...conv, inputShape: [5, 6, 5, 2] }),
        km.layers.maxPooling3d({ poolSize: 2 }),
        km.layers.globalAveragePooling3d(),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      tfjs: () => [
        tfl.layers.conv3d({ ...conv, biasInitializer: 'randomNormal', inputShape: [5, 6, 5, 2] }),
        tfl.layers.maxPooling3d({ poolSize: 2 }),
        tfl.layers.averagePooling3d({ poolSize: [2, 3, 2] }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      loss: 'categoricalCrossentropy',
      x: [x, [n, 5, 6, 5, 2]],
      y: [y, [n, 3]],
    }, { seed: 3, learningRate: 0.5 });
  });

  // tfjs 4.22 cannot train a dilated Conv3D ('dilation rates greater than 1 are not yet supported in
  // gradients'), and its cpu AvgPool3DGrad divides by the whole window even where a 'same' window
  // overlaps the border (its forward pass counts inside positions only); dilation and 'same'
  // average pooling are checked against finite differences in volume_gradients.test.ts instead.
  it('strided valid Conv3D, same Conv3D, AveragePooling3D valid', async () => {
    await expectSameFit({
      kerasm: () => [
        km.layers.conv3d({ filters: 3, kernelSize: 3, strides: [1, 2, 2], activation: 'tanh', inputShape: [5, 6, 5, 2] }),
        km.layers.conv3d({ filters: 2, kernelSize: [2, 3, 2], padding: 'same', activation: 'sigmoid' }),
        km.layers.averagePooling3d({ poolSize: [2, 1, 2], strides: 1 }),
        km.layers.flatten(),
        km.layers.dense({ units: 3 }),
      ],
      tfjs: () => [
        tfl.layers.conv3d({ filters: 3, kernelSize: 3, strides: [1, 2, 2], activation: 'tanh', inputShape: [5, 6, 5, 2] }),
        tfl.layers.conv3d({ filters: 2, kernelSize: [2, 3, 2], padding: 'same', activation: 'sigmoid' }),
        tfl.layers.averagePooling3d({ poolSize: [2, 1, 2], strides: 1 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3 }),
      ],
      loss: 'meanSquaredError',
      x: [x, [n, 5, 6, 5, 2]],
      y: [y, [n, 3]],
    }, { seed: 4, learningRate: 0.3 });
  });
});
