import { afterAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { expectWasmTrajectory } from '../testing/wasm_trajectory.js';

// SpatialDropout1D/2D/3D (both data formats), Subtract, Identity, the keepdims global poolings and
// broadcasting merges and Concatenate along a step axis
// on every backend that runs here, against the wasm backend's training trajectory (the dropout
// masks come from the same seeds on every backend, so the trajectories must agree).
describe('spatial dropout, Subtract, Identity, keepdims poolings and broadcasting merges on every backend', () => {
  const random = new Random(43);
  const uniform = (shape: number[]) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(0, 1)), shape);
  const labels = km.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 3), [8], 'int32');
  const [images, imagesFirst, clips, sequences, pairs] = [uniform([8, 6, 5, 2]), uniform([8, 2, 6, 5]), uniform([8, 3, 4, 4, 2]), uniform([8, 7, 3]), [uniform([8, 6]), uniform([8, 6])]];
  afterAll(() => useBackend('wasm'));

  // Token ids padded with zeros at the end, 1 to 5 real steps of 5 and 0 to 4 of 4.
  const padded = (steps: number, lengthOf: (i: number) => number) =>
    km.tensor(Int32Array.from({ length: 8 * steps }, (_, k) => (k % steps < lengthOf(Math.floor(k / steps)) ? 1 + ((k * 7) % 5) : 0)), [8, steps], 'int32');
  const tokenPairs = [padded(5, (i) => 1 + (i % 5)), padded(4, (i) => (i * 3) % 5)];
  const head = () => [km.layers.flatten(), km.layers.dense({ units: 3, activation: 'softmax' })];
  const cases: [string, () => km.LayersModel, km.ModelInputs][] = [
    ['SpatialDropout2D (channelsLast), GlobalAveragePooling2D keepdims', () => km.sequential([
      km.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 5, 2] }),
      km.layers.spatialDropout2d({ rate: 0.4 }), km.layers.globalAveragePooling2d({ keepdims: true }), ...head(),
    ]), images],
    ['SpatialDropout2D (channelsFirst), GlobalMaxPooling2D keepdims', () => km.sequential([
      km.layers.dense({ units: 5, activation: 'tanh', inputShape: [2, 6, 5] }),
      km.layers.spatialDropout2d({ rate: 0.5, dataFormat: 'channelsFirst' }), km.layers.permute({ dims: [2, 3, 1] }),
      km.layers.globalMaxPooling2d({ keepdims: true }), ...head(),
    ]), imagesFirst],
    ['SpatialDropout3D, GlobalAveragePooling3D keepdims', () => km.sequential([
      km.layers.conv3d({ filters: 3, kernelSize: 2, activation: 'relu', inputShape: [3, 4, 4, 2] }),
      km.layers.spatialDropout3d({ rate: 0.3 }), km.layers.globalAveragePooling3d({ keepdims: true }), ...head(),
    ]), clips],
    ['SpatialDropout1D, GlobalMaxPooling1D keepdims', () => km.sequential([
      km.layers.conv1d({ filters: 4, kernelSize: 2, activation: 'relu', inputShape: [7, 3] }),
      km.layers.spatialDropout1d({ rate: 0.3 }), km.layers.globalMaxPooling1d({ keepdims: true }), ...head(),
    ]), sequences],
    ['Subtract of a shared encoder, Identity', () => {
      const inputs = [km.input({ shape: [6] }), km.input({ shape: [6] })];
      const encoder = km.layers.dense({ units: 5, activation: 'tanh' });
      const difference = km.layers.identity().apply(km.layers.subtract().apply(inputs.map((x) => encoder.apply(x))));
      return km.model({ inputs, outputs: km.layers.dense({ units: 3, activation: 'softmax' }).apply(difference) });
    }, pairs],
    ['merges that repeat inputs along broadcast axes, Concatenate along the steps', () => {
      const x = km.input({ shape: [7, 3] });
      const steps = km.layers.dense({ units: 4, activation: 'tanh' }).apply(x) as km.SymbolicTensor;
      const pooled = km.layers.globalAveragePooling1d({ keepdims: true }).apply(steps) as km.SymbolicTensor;
      const centred = km.layers.subtract().apply([steps, pooled]) as km.SymbolicTensor;
      const gate = km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(x) as km.SymbolicTensor;
      const mixed = km.layers.maximum().apply([km.layers.multiply().apply([centred, gate]) as km.SymbolicTensor, pooled]) as km.SymbolicTensor;
      const withSteps = km.layers.concatenate({ axis: 1 }).apply([mixed, pooled]);
      return km.model({ inputs: x, outputs: km.layers.dense({ units: 3, activation: 'softmax' }).apply(km.layers.flatten().apply(withSteps)) });
    }, sequences],
    ['Concatenate along the steps of a masked and an unmasked sequence, joining their masks, into an LSTM', () => {
      const inputs = [km.input({ shape: [5] }), km.input({ shape: [4] })];
      // The second input is not masked: its part of the joined mask is all ones.
      const embedded = inputs.map((x, k) => km.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: k === 0 }).apply(x) as km.SymbolicTensor);
      const joined = km.layers.concatenate({ axis: 1 }).apply(embedded) as km.SymbolicTensor;
      return km.model({ inputs, outputs: km.layers.dense({ units: 3, activation: 'softmax' }).apply(km.layers.lstm({ units: 4 }).apply(joined)) });
    }, tokenPairs],
  ];

  for (const name of BACKENDS_HERE.filter((n) => n !== 'wasm')) {
    it.each(cases)(`${name}: %s follow the wasm trajectory`, async (_label, build, x) => {
      await expectWasmTrajectory(name, () => ({ model: build(), x, y: labels }), 'sparseCategoricalCrossentropy', 4);
    });
  }
});
