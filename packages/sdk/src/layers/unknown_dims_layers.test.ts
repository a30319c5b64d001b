import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';

// Every built-in layer that takes sequences or images of any size: a model whose input leaves that
// size unknown predicts, at each size in turn, what the same layer in a model of that fixed size
// predicts with the same weights (each new size runs `build` again over the weights: Layer.rebind).

beforeAll(async () => {
  await km.ready();
});

function wave(shape: number[], phase: number): km.Tensor {
  return km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + phase) + 0.1 * Math.cos(i * 1.3)), shape);
}

type Make = () => km.layers.Layer[];

/** Layers over [steps, 4] sequences, and the lengths each is run at. */
const SEQUENCE_LAYERS: Record<string, Make> = {
  "conv1d 'valid', stride 2": () => [km.layers.conv1d({ filters: 3, kernelSize: 3, strides: 2 })],
  "conv1d 'causal', dilated": () => [km.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2 })],
  "separableConv1d 'same'": () => [km.layers.separableConv1d({ filters: 3, kernelSize: 3, padding: 'same' })],
  'depthwiseConv1d': () => [km.layers.depthwiseConv1d({ kernelSize: 2, depthMultiplier: 2 })],
  "conv1dTranspose 'same', stride 2": () => [km.layers.conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' })],
  'maxPooling1d then averagePooling1d': () => [km.layers.maxPooling1d({ poolSize: 2 }), km.layers.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' })],
  'upSampling1d, zeroPadding1d, cropping1D': () => [km.layers.upSampling1d({ size: 2 }), km.layers.zeroPadding1d({ padding: [1, 2] }), km.layers.cropping1D({ cropping: [2, 1] })],
  'simpleRNN over every step': () => [km.layers.simpleRNN({ units: 3, returnSequences: true })],
  'lstm, going backwards': () => [km.layers.lstm({ units: 3, goBackwards: true })],
  'gru with returnState': () => [km.layers.gru({ units: 3, returnSequences: true })],
  'bidirectional lstm': () => [km.layers.bidirectional({ layer: km.layers.lstm({ units: 2, returnSequences: true }) })],
  'timeDistributed dense': () => [km.layers.timeDistributed({ layer: km.layers.dense({ units: 2 }) })],
  'dense on the last axis, layerNormalization, batchNormalization': () => [km.layers.dense({ units: 3 }), km.layers.layerNormalization(), km.layers.batchNormalization()],
  'dense with LoRA on the last axis': () => [km.layers.dense({ units: 3, loraRank: 2, loraAlpha: 3 })],
  'groupNormalization, unitNormalization, rmsNormalization': () => [km.layers.groupNormalization({ groups: 2 }), km.layers.unitNormalization(), km.layers.rmsNormalization()],
  'global max and average pooling': () => [km.layers.globalMaxPooling1d()],
  'permute there and back': () => [km.layers.permute({ dims: [2, 1] }), km.layers.permute({ dims: [2, 1] }), km.layers.dense({ units: 2 })],
  'reshape to [-1, 2]': () => [km.layers.reshape({ targetShape: [-1, 2] }), km.layers.simpleRNN({ units: 2 })],
  'convLSTM1D': () => [km.layers.reshape({ targetShape: [-1, 2, 2] }), km.layers.convLstm1d({ filters: 2, kernelSize: 2, returnSequences: true })],
};

/** Layers over [height, width, 3] images, run at a few sizes. */
const IMAGE_LAYERS: Record<string, Make> = {
  "conv2d 'same' stride 2, then maxPooling2d": () => [km.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), km.layers.maxPooling2d({ poolSize: 2, padding: 'same' })],
  "depthwise and separable conv2d 'valid'": () => [km.layers.depthwiseConv2d({ kernelSize: 2 }), km.layers.separableConv2d({ filters: 2, kernelSize: 2 })],
  'conv2dTranspose, upSampling2d, zeroPadding2d, cropping2D': () => [km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }), km.layers.upSampling2d({ size: [2, 1] }), km.layers.zeroPadding2d({ padding: 1 }), km.layers.cropping2D({ cropping: [[1, 0], [0, 2]] })],
  'averagePooling2d then globalAveragePooling2d': () => [km.layers.averagePooling2d({ poolSize: 2 }), km.layers.globalAveragePooling2d()],
  'rescaling, resizing to 4×4, then flatten and dense (known again)': () => [km.layers.rescaling({ scale: 0.5 }), km.layers.resizing({ height: 4, width: 4 }), km.layers.flatten(), km.layers.dense({ units: 2 })],
  'centerCrop 3×3 and the augmentations (inference)': () => [km.layers.randomFlip(), km.layers.randomContrast({ factor: 0.2 }), km.layers.centerCrop({ height: 3, width: 3 })],
  'batchNormalization and spatialDropout2D (inference)': () => [km.layers.batchNormalization(), km.layers.spatialDropout2d({ rate: 0.5 })],
};

function samePredictions(make: Make, free: (number | null)[], sizes: number[][]): void {
  const layersFree = make();
  const model = km.sequential([km.input({ shape: free }), ...layersFree]);
  for (const [k, size] of sizes.entries()) {
    const fixed = km.sequential([km.input({ shape: size }), ...make()]);
    fixed.setWeights(model.getWeights());
    const x = wave([2, ...size], k);
    const got = model.predict(x) as km.Tensor;
    const expected = fixed.predict(x) as km.Tensor;
    expect(got.shape).toEqual(expected.shape);
    expect(maxAbsDiff(got.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
  }
}

describe('built-in layers over dimensions of unknown size', () => {
  for (const [name, make] of Object.entries(SEQUENCE_LAYERS)) {
    it(`${name}: at 7, 12 and 7 steps again as at those lengths fixed`, () => samePredictions(make, [null, 4], [[7, 4], [12, 4], [7, 4]]));
  }
  for (const [name, make] of Object.entries(IMAGE_LAYERS)) {
    it(`${name}: at 6×6, 9×5 and 6×6 again as at those sizes fixed`, () => samePredictions(make, [null, null, 3], [[6, 6, 3], [9, 5, 3], [6, 6, 3]]));
  }
});

describe('training over dimensions of unknown size', () => {
  // Plain SGD keeps no state, so the fixed-size models can take over from each other by their weights.
  const trainAt = async (model: km.LayersModel, size: number[], k: number) => {
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    return (await model.fit(wave([4, ...size], k), wave([4, 2], 10 + k), { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 })).history.loss;
  };
  const cases: [string, Make, (number | null)[], number[][]][] = [
    ['a CNN with batch normalization', () => [km.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }), km.layers.batchNormalization(), km.layers.globalAveragePooling2d(), km.layers.dense({ units: 2 })], [null, null, 3], [[6, 6, 3], [9, 5, 3]]],
    ['a Conv1D into a bidirectional GRU', () => [km.layers.conv1d({ filters: 3, kernelSize: 2 }), km.layers.bidirectional({ layer: km.layers.gru({ units: 2 }) }), km.layers.dense({ units: 2 })], [null, 4], [[7, 4], [12, 4]]],
  ];
  for (const [name, make, free, sizes] of cases) {
    it(`${name} trains at two sizes in turn as models of those sizes taking over from each other`, async () => {
      const model = km.sequential([km.input({ shape: free }), ...make()]);
      let weights = model.getWeights();
      for (const [k, size] of sizes.entries()) {
        const fixed = km.sequential([km.input({ shape: size }), ...make()]);
        fixed.setWeights(weights);
        const expected = await trainAt(fixed, size, k);
        const got = await trainAt(model, size, k);
        got.forEach((loss, i) => expect(Math.abs(loss - expected[i])).toBeLessThan(1e-5));
        weights = fixed.getWeights();
        model.getWeights().forEach((w, j) => expect(maxAbsDiff(w.dataSync(), weights[j].dataSync())).toBeLessThan(1e-5));
      }
    });
  }
});
