import * as tfl from '@tensorflow/tfjs-layers';
import { describe, it } from 'vitest';
import * as km from '../index.js';
import { checkFunctionalRoundTrip } from './testing/round_trip.js';

describe('functional models: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('a residual block with Add and a Concatenate branch', async () => {
    await checkFunctionalRoundTrip({
      inputShape: [8, 8],
      kerasm: () => {
        const x = km.input({ shape: [8, 8] });
        const image = km.layers.reshape({ targetShape: [8, 8, 1] }).apply(x);
        const stem = km.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', biasInitializer: 'glorotUniform' }).apply(image);
        const branch = km.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', biasInitializer: 'glorotUniform' }).apply(stem);
        const residual = km.layers.add().apply([stem, branch]);
        const side = km.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'tanh' }).apply(image);
        const joined = km.layers.concatenate().apply([residual, side]);
        const pooled = km.layers.averagePooling2d({ poolSize: 2 }).apply(joined);
        const y = km.layers.dense({ units: 3, activation: 'softmax' }).apply(km.layers.flatten().apply(pooled));
        return km.model({ inputs: x, outputs: y, name: 'residual_concat' });
      },
      tfjs: () => {
        const x = tfl.input({ shape: [8, 8] });
        const image = tfl.layers.reshape({ targetShape: [8, 8, 1] }).apply(x) as tfl.SymbolicTensor;
        const stem = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', biasInitializer: 'randomNormal' }).apply(image) as tfl.SymbolicTensor;
        const branch = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', biasInitializer: 'randomNormal' }).apply(stem) as tfl.SymbolicTensor;
        const residual = tfl.layers.add().apply([stem, branch]) as tfl.SymbolicTensor;
        const side = tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'tanh' }).apply(image) as tfl.SymbolicTensor;
        const joined = tfl.layers.concatenate().apply([residual, side]) as tfl.SymbolicTensor;
        const pooled = tfl.layers.averagePooling2d({ poolSize: 2 }).apply(joined) as tfl.SymbolicTensor;
        const flat = tfl.layers.flatten().apply(pooled) as tfl.SymbolicTensor;
        const y = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(flat) as tfl.SymbolicTensor;
        return tfl.model({ inputs: x, outputs: y });
      },
    });
  });

  it('Multiply, Average, Dropout and MaxPooling2D in a graph', async () => {
    await checkFunctionalRoundTrip({
      inputShape: [6, 6, 2],
      kerasm: () => {
        const x = km.input({ shape: [6, 6, 2] });
        const a = km.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'sigmoid' }).apply(x);
        const b = km.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x);
        const gated = km.layers.multiply().apply([a, b]);
        const mean = km.layers.average().apply([gated, b]);
        const pooled = km.layers.maxPooling2d({ poolSize: 2, strides: 1 }).apply(km.layers.dropout({ rate: 0.3 }).apply(mean));
        return km.model({ inputs: x, outputs: km.layers.dense({ units: 2 }).apply(km.layers.flatten().apply(pooled)) });
      },
      tfjs: () => {
        const x = tfl.input({ shape: [6, 6, 2] });
        const a = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'sigmoid' }).apply(x) as tfl.SymbolicTensor;
        const b = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', biasInitializer: 'randomNormal' }).apply(x) as tfl.SymbolicTensor;
        const gated = tfl.layers.multiply().apply([a, b]) as tfl.SymbolicTensor;
        const mean = tfl.layers.average().apply([gated, b]) as tfl.SymbolicTensor;
        const dropped = tfl.layers.dropout({ rate: 0.3 }).apply(mean) as tfl.SymbolicTensor;
        const pooled = tfl.layers.maxPooling2d({ poolSize: 2, strides: 1 }).apply(dropped) as tfl.SymbolicTensor;
        const flat = tfl.layers.flatten().apply(pooled) as tfl.SymbolicTensor;
        return tfl.model({ inputs: x, outputs: tfl.layers.dense({ units: 2 }).apply(flat) as tfl.SymbolicTensor });
      },
    });
  });
});
