import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE as BACKENDS, useBackend, kernelOutput, type KernelRun } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';

// Convolutional and functional models train alike on every backend here.
describe('convolutional and functional models on every backend', () => {
  const random = new Random(31);
  const images = km.tensor(Float32Array.from({ length: 8 * 9 * 7 * 2 }, () => random.uniform(0, 1)), [8, 9, 7, 2]);
  const labels = km.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 3), [8], 'int32');
  afterAll(() => useBackend('wasm'));

  function cnn(): km.LayersModel {
    return km.sequential([
      km.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', strides: 2, activation: 'relu', inputShape: [9, 7, 2] }),
      km.layers.maxPooling2d({ poolSize: 2, strides: 1 }),
      km.layers.conv2d({ filters: 4, kernelSize: 2, dilationRate: 1, activation: 'tanh' }),
      km.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
      km.layers.flatten(),
      km.layers.dropout({ rate: 0.3 }),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  function residual(): km.LayersModel {
    const x = km.input({ shape: [9, 7, 2] });
    const a = km.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
    const sum = km.layers.add().apply([a, x]);
    const both = km.layers.concatenate().apply([sum, km.layers.multiply().apply([a, x])]);
    const pooled = km.layers.flatten().apply(km.layers.maxPooling2d({ poolSize: 3 }).apply(both));
    return km.model({ inputs: x, outputs: km.layers.dense({ units: 3, activation: 'softmax' }).apply(pooled) });
  }

  function spatial(pool: 'max' | 'avg'): km.LayersModel {
    return km.sequential([
      km.layers.zeroPadding2d({ padding: [[1, 0], [0, 2]], inputShape: [9, 7, 2] }),
      km.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, activation: 'relu' }),
      km.layers.upSampling2d({ size: [2, 3] }),
      km.layers.conv2d({ filters: 4, kernelSize: 2, activation: 'tanh' }),
      pool === 'max' ? km.layers.globalMaxPooling2d() : km.layers.globalAveragePooling2d(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  function depthwise(): km.LayersModel {
    return km.sequential([
      km.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', inputShape: [9, 7, 2] }),
      km.layers.depthwiseConv2d({ kernelSize: 2, dilationRate: 2, activation: 'tanh' }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** A separable convolution (depthwise, then pointwise) down, a transposed convolution up. */
  function transposedSeparable(): km.LayersModel {
    return km.sequential([
      km.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', inputShape: [9, 7, 2] }),
      km.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, activation: 'tanh' }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  function normalized(): km.LayersModel {
    return km.sequential([
      km.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [9, 7, 2] }),
      km.layers.batchNormalization({ momentum: 0.5 }),
      km.layers.activation({ activation: 'relu' }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** Channels-first image layers run the channels-last kernels between transposes. */
  function channelsFirst(): km.LayersModel {
    return km.sequential([
      km.layers.permute({ dims: [3, 1, 2], inputShape: [9, 7, 2] }),
      km.layers.zeroPadding2d({ padding: 1, dataFormat: 'channelsFirst' }),
      km.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', dataFormat: 'channelsFirst' }),
      km.layers.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' }),
      km.layers.upSampling2d({ size: 2, dataFormat: 'channelsFirst' }),
      km.layers.cropping2D({ cropping: 1, dataFormat: 'channelsFirst' }),
      km.layers.conv2d({ filters: 4, kernelSize: 2, activation: 'tanh', dataFormat: 'channelsFirst' }),
      km.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** Channels-first depthwise, separable and transposed convolutions, between transposes too. */
  function channelsFirstSeparable(): km.LayersModel {
    return km.sequential([
      km.layers.permute({ dims: [3, 1, 2], inputShape: [9, 7, 2] }),
      km.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', dataFormat: 'channelsFirst' }),
      km.layers.separableConv2d({ filters: 3, kernelSize: 2, activation: 'tanh', dataFormat: 'channelsFirst' }),
      km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, dataFormat: 'channelsFirst' }),
      km.layers.globalMaxPooling2d({ dataFormat: 'channelsFirst' }),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** Batch, group, layer and RMS normalization over middle axes (and axes that are not adjacent) run the same kernels on the batch transposed to them and back. */
  function channelsFirstNormalized(): km.LayersModel {
    return km.sequential([
      km.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [9, 7, 2] }),
      km.layers.permute({ dims: [3, 1, 2] }),
      km.layers.batchNormalization({ axis: 1, momentum: 0.5 }),
      km.layers.groupNormalization({ axis: 2, groups: 7 }),
      km.layers.layerNormalization({ axis: 1 }),
      km.layers.rmsNormalization({ axis: [1, 2] }),
      km.layers.layerNormalization({ axis: [1, 3] }),
      km.layers.unitNormalization({ axis: [1, 3] }),
      km.layers.activation({ activation: 'relu' }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** A frozen BatchNormalization runs the inference kernel in fit and the same kernel on dy backward. */
  function frozenNormalized(): km.LayersModel {
    return km.sequential([
      km.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [9, 7, 2] }),
      km.layers.batchNormalization({ trainable: false, gammaInitializer: 'glorotUniform', betaInitializer: 'glorotUniform', movingMeanInitializer: 'glorotUniform' }),
      km.layers.activation({ activation: 'relu' }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** A text classifier: int32 token ids through Embedding, Conv1D (causal), SeparableConv1D and the 1-D poolings. */
  const tokens = km.tensor(Int32Array.from({ length: 8 * 9 * 7 * 2 }, (_, i) => (i * 7) % 11), [8, 9 * 7 * 2], 'int32');
  function text(): km.LayersModel {
    return km.sequential([
      km.layers.embedding({ inputDim: 11, outputDim: 4, inputShape: [9 * 7 * 2] }),
      km.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
      km.layers.maxPooling1d({ poolSize: 3 }),
      km.layers.conv1d({ filters: 4, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' }),
      km.layers.averagePooling1d({ poolSize: 2 }),
      km.layers.separableConv1d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }),
      km.layers.globalMaxPooling1d(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  /** Keras 3's DepthwiseConv1D, RMSNormalization and ActivityRegularization over embedded tokens. */
  function normalizedSequence(): km.LayersModel {
    return km.sequential([
      km.layers.embedding({ inputDim: 11, outputDim: 4, inputShape: [9 * 7 * 2] }),
      km.layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' }),
      km.layers.rmsNormalization(),
      km.layers.activityRegularization({ l1: 1e-3, l2: 1e-3 }),
      km.layers.depthwiseConv1d({ kernelSize: 2, dilationRate: 2, activation: 'tanh' }),
      km.layers.globalAveragePooling1d(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  }

  async function losses(name: string, build: () => km.LayersModel): Promise<number[]> {
    await useBackend(name);
    km.utils.setRandomSeed(13);
    const model = build();
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    return (await model.fit(build === text || build === normalizedSequence ? tokens : images, labels, { epochs: 3, batchSize: 4, seed: 2, verbose: 0 })).history.loss;
  }

  const geometry = { batch: 2, inH: 5, inW: 6, channels: 3, kH: 3, kW: 2, strideH: 2, strideW: 1, dilationH: 1, dilationW: 2, padTop: 1, padLeft: 1, outH: 3, outW: 5 };
  // Pooling has no dilation in Keras; the kernels take the same geometry without it.
  const poolGeometry = { ...geometry, dilationW: 1 };
  const inputSize = 2 * 5 * 6 * 3;
  const rowsSize = 2 * 3 * 5;
  const x = Float32Array.from({ length: inputSize }, () => Math.round(random.uniform(-4, 4) * 2) / 2);
  const dyPool = Float32Array.from({ length: rowsSize * 3 }, () => random.uniform(-1, 1));
  const colsIn = Float32Array.from({ length: rowsSize * 18 }, () => random.uniform(-1, 1));
  const tokenIds = Float32Array.of(3, 0, 3, 4, -2, 7, 1.6, 3);
  const kernels: [string, KernelRun][] = [
    ['im2col', (b, up) => { const out = b.alloc(rowsSize * 18, 'float32'); b.im2col(up(x), out, geometry); return [out, rowsSize * 18]; }],
    ['col2im', (b, up) => { const out = b.alloc(inputSize, 'float32'); b.col2im(up(colsIn), out, geometry); return [out, inputSize]; }],
    ['maxPool', (b, up) => { const out = b.alloc(rowsSize * 3, 'float32'); b.maxPool(up(x), out, poolGeometry); return [out, rowsSize * 3]; }],
    ['maxPoolGrad (ties included)', (b, up) => {
      const y = b.alloc(rowsSize * 3, 'float32');
      const xs = up(x);
      b.maxPool(xs, y, poolGeometry);
      const out = b.alloc(inputSize, 'float32');
      b.maxPoolGrad(xs, y, up(dyPool), out, poolGeometry);
      return [out, inputSize];
    }],
    ['avgPool', (b, up) => { const out = b.alloc(rowsSize * 3, 'float32'); b.avgPool(up(x), out, poolGeometry); return [out, rowsSize * 3]; }],
    ['avgPoolGrad', (b, up) => { const out = b.alloc(inputSize, 'float32'); b.avgPoolGrad(up(dyPool), out, poolGeometry); return [out, inputSize]; }],
    ['copyRows into a strided view', (b, up) => {
      const out = up(new Float32Array(4 * 7).fill(9));
      b.copyRows(b.view(up(x), 2, 0), 5, b.view(out, 3, 0), 7, 4, 3);
      return [out, 28];
    }],
    ...(['y', 'mean', 'invStd', 'movingMean', 'movingVar'] as const).map((part, k): [string, KernelRun] => [`batchNormTrain ${part}`, (b, up) => {
      const outs = [b.alloc(rowsSize * 3, 'float32'), b.alloc(3, 'float32'), b.alloc(3, 'float32'), up(dyPool.slice(0, 3)), up(Float32Array.of(0.5, 1, 2))];
      b.batchNormTrain(up(dyPool), outs[0], up(colsIn.slice(0, 3)), up(colsIn.slice(3, 6)), outs[3], outs[4], outs[1], outs[2], rowsSize, 3, 1e-3, 0.9);
      return [outs[k], k === 0 ? rowsSize * 3 : 3];
    }]),
    ['batchNormInfer (no beta)', (b, up) => {
      const out = b.alloc(rowsSize * 3, 'float32');
      b.batchNormInfer(up(dyPool), out, up(colsIn.slice(0, 3)), 0, up(colsIn.slice(3, 6)), up(Float32Array.of(0.5, 1, 2)), b.alloc(3, 'float32'), rowsSize, 3, 1e-3);
      return [out, rowsSize * 3];
    }],
    ...(['dx', 'dGamma', 'dBeta'] as const).map((part, k): [string, KernelRun] => [`batchNormGrad ${part}`, (b, up) => {
      const [xs, gamma, mean, invStd] = [up(dyPool), up(colsIn.slice(0, 3)), b.alloc(3, 'float32'), b.alloc(3, 'float32')];
      b.batchNormTrain(xs, b.alloc(rowsSize * 3, 'float32'), gamma, 0, b.alloc(3, 'float32'), b.alloc(3, 'float32'), mean, invStd, rowsSize, 3, 1e-3, 0.9);
      const outs = [b.alloc(rowsSize * 3, 'float32'), b.alloc(3, 'float32'), b.alloc(3, 'float32')];
      b.batchNormGrad(xs, up(colsIn.slice(0, rowsSize * 3)), outs[0], gamma, mean, invStd, outs[1], outs[2], rowsSize, 3);
      return [outs[k], k === 0 ? rowsSize * 3 : 3];
    }]),
    ['depthwiseForward', (b, up) => { const out = b.alloc(rowsSize * 6, 'float32'); b.depthwiseForward(up(colsIn), up(dyPool.slice(0, 36)), out, rowsSize, 6, 3, 2); return [out, rowsSize * 6]; }],
    ...(['dKernel', 'dCols in place'] as const).map((part, k): [string, KernelRun] => [`depthwiseBackward ${part}`, (b, up) => {
      const [cols, dKernel] = [up(colsIn), b.alloc(36, 'float32')];
      b.depthwiseBackward(cols, up(dyPool.slice(0, 36)), up(colsIn.slice(0, rowsSize * 6)), cols, dKernel, rowsSize, 6, 3, 2);
      return k === 0 ? [dKernel, 36] : [cols, rowsSize * 18];
    }]),
    // Repeated indices add up; indices outside [0, 5) and fractions are clamped and floored alike everywhere.
    ['embeddingForward', (b, up) => { const out = b.alloc(8 * 7, 'float32'); b.embeddingForward(up(tokenIds), up(colsIn.slice(0, 35)), out, 8, 7, 5); return [out, 56]; }],
    ['embeddingBackward (repeated indices)', (b, up) => { const out = up(colsIn.slice(0, 35)); b.embeddingBackward(up(tokenIds), up(colsIn.slice(0, 56)), out, 8, 7, 5); return [out, 35]; }],
    ['dropoutMask', (b) => { const out = b.alloc(50, 'float32'); b.dropoutMask(out, 50, 0.3, 12345); return [out, 50]; }],
  ];

  for (const name of BACKENDS.filter((n) => n !== 'wasm')) {
    it.each([['cnn', cnn], ['residual', residual], ['padding, upsampling, global max', () => spatial('max')], ['padding, upsampling, global average', () => spatial('avg')], ['batch normalization', normalized], ['batch, group, layer and RMS normalization over middle axes', channelsFirstNormalized], ['channels-first convolutions, poolings, padding, upsampling, cropping', channelsFirst], ['channels-first depthwise, separable, transposed convolutions', channelsFirstSeparable], ['frozen batch normalization', frozenNormalized], ['depthwise convolution', depthwise], ['separable and transposed convolutions', transposedSeparable], ['embedding and 1-D convolutions', text], ['depthwise 1-D convolutions, RMS normalization, activity regularization', normalizedSequence]] as const)(`${name}: %s`, async (_label, build) => {
      const reference = await losses('wasm', build);
      const ours = await losses(name, build);
      ours.forEach((l, i) => expect(Math.abs(l - reference[i])).toBeLessThan(1e-4));
      expect(reference[2]).not.toBe(reference[0]);
    });
    it.each(kernels)(`${name}: kernel %s matches wasm`, async (_label, run) => {
      const reference = await kernelOutput('wasm', run);
      const ours = await kernelOutput(name, run);
      expectClose(ours, reference, 1e-5);
    });
  }
});
