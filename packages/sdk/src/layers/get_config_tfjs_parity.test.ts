import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Config = Record<string, unknown>;
interface HasConfig {
  getConfig(): Config;
}
interface Case {
  name: string;
  kerasm: () => HasConfig;
  tfjs: () => HasConfig;
  /** Keys Keras writes that tfjs-layers 4.22 leaves out of this layer's config (kerasm keeps Keras'). */
  kerasOnly?: string[];
}

/**
 * A config as tfjs saves it compares it: an unset option (`undefined`, which tfjs' getConfig keeps
 * as a key) is written `null`, like kerasm's.
 */
function comparable(config: Config, kerasOnly: string[] = []): unknown {
  const plain = (value: unknown): unknown => {
    if (value === undefined) return null;
    if (Array.isArray(value)) return value.map(plain);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  };
  const { ...rest } = config;
  for (const key of kerasOnly) delete rest[key];
  return plain(rest);
}

// Every option a layer has that tfjs also has, set away from its default; the same names in both
// (tfjs' Dense and Conv kernels default to glorotNormal where Keras' and kerasm's use glorotUniform).
const kmWeights = () => ({
  kernelRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: km.regularizers.l2({ l2: 0.03 }), activityRegularizer: km.regularizers.l1({ l1: 0.04 }),
  kernelConstraint: km.constraints.maxNorm({ maxValue: 2, axis: 0 }), biasConstraint: km.constraints.nonNeg(),
});
const tfWeights = () => ({
  kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: tfl.regularizers.l2({ l2: 0.03 }), activityRegularizer: tfl.regularizers.l1({ l1: 0.04 }),
  kernelConstraint: tfl.constraints.maxNorm({ maxValue: 2, axis: 0 }), biasConstraint: tfl.constraints.nonNeg(),
});
const initializers = { kernelInitializer: 'heNormal', biasInitializer: 'glorotUniform' } as const;

type Factories = Record<string, (args?: object) => HasConfig>;
const kmLayers = km.layers as unknown as Factories;
const tfLayers = tfl.layers as unknown as Factories;

/** The same factory and options in both, named so that tfjs' auto-generated names never enter. */
const same = (name: string, factory: string, args: Config, kerasOnly?: string[]): Case => ({
  name, kerasOnly, kerasm: () => kmLayers[factory]({ name: 'probe', ...args }), tfjs: () => tfLayers[factory]({ name: 'probe', ...args }),
});
/** As `same`, with the kernel-and-bias regularizers and constraints. */
const weighted = (name: string, factory: string, args: Config): Case => ({
  name, kerasm: () => kmLayers[factory]({ name: 'probe', ...args, ...kmWeights() }), tfjs: () => tfLayers[factory]({ name: 'probe', ...args, ...tfWeights() }),
});

const cases: Case[] = [
  weighted('Dense', 'dense', { units: 3, activation: 'hardSigmoid', ...initializers }),
  same('Dense, the other presets', 'dense', { units: 3, activation: 'relu6', kernelInitializer: 'heUniform', biasInitializer: 'glorotNormal' }),
  same('Dense, orthogonal and ones', 'dense', { units: 3, activation: 'swish', kernelInitializer: 'orthogonal', biasInitializer: 'ones', useBias: true }),
  same('Dense, a VarianceScaling config', 'dense', { units: 3, activation: 'softplus', kernelInitializer: { className: 'VarianceScaling', config: { scale: 2, mode: 'fanOut', distribution: 'truncatedNormal', seed: null } } }),
  same('Dense, random and constant configs', 'dense', { units: 3, activation: 'mish', kernelInitializer: { className: 'TruncatedNormal', config: { mean: 0, stddev: 0.1, seed: 2 } }, biasInitializer: { className: 'Constant', config: { value: 0.5 } } }),
  // tfjs' initializer names: its 'leCun' spelling and the random presets by name.
  same('Dense, tfjs-named random presets', 'dense', { units: 3, kernelInitializer: 'truncatedNormal', biasInitializer: 'randomUniform' }),
  same('Dense, leCun and randomNormal', 'dense', { units: 3, kernelInitializer: 'leCunNormal', biasInitializer: 'randomNormal' }),
  same('Dense, logSoftmax', 'dense', { units: 3, activation: 'logSoftmax', kernelInitializer: { className: 'RandomUniform', config: { minval: -0.1, maxval: 0.1, seed: 1 } } }),
  weighted('Conv1D', 'conv1d', { filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'tanh', ...initializers }),
  weighted('Conv2D', 'conv2d', { filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', dataFormat: 'channelsFirst', activation: 'sigmoid', ...initializers }),
  weighted('Conv3D', 'conv3d', { filters: 2, kernelSize: 2, padding: 'same', activation: 'relu', ...initializers }),
  weighted('Conv2DTranspose', 'conv2dTranspose', { filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu', ...initializers }),
  weighted('Conv3DTranspose', 'conv3dTranspose', { filters: 2, kernelSize: 3, strides: 2, ...initializers }),
  // tfjs 4.22 builds the pointwise kernel with the depthwise initializer and leaves depthMultiplier out.
  {
    name: 'SeparableConv2D', kerasOnly: ['depthMultiplier'],
    kerasm: () => km.layers.separableConv2d({ name: 'probe', filters: 2, kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: 'heUniform', pointwiseInitializer: 'heUniform', depthwiseRegularizer: km.regularizers.l2({ l2: 0.1 }), pointwiseConstraint: km.constraints.unitNorm({ axis: 0 }), depthwiseConstraint: km.constraints.minMaxNorm({ minValue: 0.1, maxValue: 2, rate: 0.5, axis: 1 }) }),
    tfjs: () => tfl.layers.separableConv2d({ name: 'probe', filters: 2, kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: 'heUniform', pointwiseInitializer: 'heUniform', depthwiseRegularizer: tfl.regularizers.l2({ l2: 0.1 }), pointwiseConstraint: tfl.constraints.unitNorm({ axis: 0 }), depthwiseConstraint: tfl.constraints.minMaxNorm({ minValue: 0.1, maxValue: 2, rate: 0.5, axis: 1 }) }),
  },
  // tfjs 4.22 writes its depthwise regularizer as the depthwise constraint, so neither is set here.
  same('DepthwiseConv2D', 'depthwiseConv2d', { kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: 'heNormal', biasInitializer: 'ones', activation: 'relu' }),
  {
    name: 'Embedding', kerasOnly: ['dtype'],
    kerasm: () => km.layers.embedding({ name: 'probe', inputDim: 5, outputDim: 3, embeddingsInitializer: 'heUniform', embeddingsRegularizer: km.regularizers.l1({ l1: 0.1 }), embeddingsConstraint: km.constraints.maxNorm({ maxValue: 1 }), maskZero: true, inputLength: 4 }),
    tfjs: () => tfl.layers.embedding({ name: 'probe', inputDim: 5, outputDim: 3, embeddingsInitializer: 'heUniform', embeddingsRegularizer: tfl.regularizers.l1({ l1: 0.1 }), embeddingsConstraint: tfl.constraints.maxNorm({ maxValue: 1 }), maskZero: true, inputLength: 4 }),
  },
  {
    name: 'BatchNormalization',
    kerasm: () => km.layers.batchNormalization({ name: 'probe', momentum: 0.9, epsilon: 0.01, betaInitializer: 'ones', gammaInitializer: 'heNormal', movingMeanInitializer: 'glorotUniform', movingVarianceInitializer: 'ones', betaRegularizer: km.regularizers.l2({ l2: 0.1 }), gammaConstraint: km.constraints.nonNeg() }),
    tfjs: () => tfl.layers.batchNormalization({ name: 'probe', momentum: 0.9, epsilon: 0.01, betaInitializer: 'ones', gammaInitializer: 'heNormal', movingMeanInitializer: 'glorotUniform', movingVarianceInitializer: 'ones', betaRegularizer: tfl.regularizers.l2({ l2: 0.1 }), gammaConstraint: tfl.constraints.nonNeg() }),
  },
  {
    name: 'LayerNormalization', kerasOnly: ['betaConstraint', 'gammaConstraint'],
    kerasm: () => km.layers.layerNormalization({ name: 'probe', epsilon: 0.01, betaInitializer: 'ones', gammaInitializer: 'heNormal', betaRegularizer: km.regularizers.l2({ l2: 0.1 }) }),
    tfjs: () => tfl.layers.layerNormalization({ name: 'probe', epsilon: 0.01, betaInitializer: 'ones', gammaInitializer: 'heNormal', betaRegularizer: tfl.regularizers.l2({ l2: 0.1 }) }),
  },
  {
    name: 'PReLU',
    kerasm: () => km.layers.prelu({ name: 'probe', alphaInitializer: 'heNormal', alphaRegularizer: km.regularizers.l2({ l2: 0.1 }), alphaConstraint: km.constraints.nonNeg(), sharedAxes: [1] }),
    tfjs: () => tfl.layers.prelu({ name: 'probe', alphaInitializer: 'heNormal', alphaRegularizer: tfl.regularizers.l2({ l2: 0.1 }), alphaConstraint: tfl.constraints.nonNeg(), sharedAxes: [1] }),
  },
  same('SimpleRNN', 'simpleRNN', { units: 3, activation: 'relu', kernelInitializer: 'heNormal', recurrentInitializer: 'glorotNormal', biasInitializer: 'ones', dropout: 0.1, recurrentDropout: 0.2, returnSequences: true, goBackwards: true }),
  same('GRU', 'gru', { units: 3, recurrentActivation: 'hardSigmoid', kernelInitializer: 'heUniform', recurrentInitializer: 'orthogonal', implementation: 2, returnState: true }),
  same('LSTM', 'lstm', { units: 3, recurrentActivation: 'sigmoid', unitForgetBias: true, kernelInitializer: 'heNormal', implementation: 1 }),
  same('SimpleRNNCell', 'simpleRNNCell', { units: 3, activation: 'relu', kernelInitializer: 'heNormal' }),
  same('GRUCell', 'gruCell', { units: 3, recurrentActivation: 'hardSigmoid', kernelInitializer: 'glorotUniform' }),
  same('LSTMCell', 'lstmCell', { units: 3, unitForgetBias: true, kernelInitializer: 'heUniform' }),
  same('ConvLSTM2D', 'convLstm2d', { filters: 2, kernelSize: 3, padding: 'same', recurrentActivation: 'hardSigmoid', kernelInitializer: 'heNormal', unitForgetBias: true, returnSequences: true }),
  {
    name: 'RNN(StackedRNNCells)',
    kerasm: () => km.layers.rnn({ name: 'probe', cell: km.layers.stackedRNNCells({ name: 'stack', cells: [km.layers.gruCell({ name: 'c1', units: 3, kernelInitializer: 'heNormal' }), km.layers.lstmCell({ name: 'c2', units: 2, unitForgetBias: true })] }) }),
    tfjs: () => tfl.layers.rnn({ name: 'probe', cell: tfl.layers.stackedRNNCells({ name: 'stack', cells: [tfl.layers.gruCell({ name: 'c1', units: 3, kernelInitializer: 'heNormal' }), tfl.layers.lstmCell({ name: 'c2', units: 2, unitForgetBias: true })] }) }),
  },
  {
    name: 'Bidirectional(LSTM)',
    kerasm: () => km.layers.bidirectional({ name: 'probe', layer: km.layers.lstm({ name: 'inner', units: 3, unitForgetBias: true, kernelInitializer: 'heNormal' }), mergeMode: 'ave' }),
    tfjs: () => tfl.layers.bidirectional({ name: 'probe', layer: tfl.layers.lstm({ name: 'inner', units: 3, unitForgetBias: true, kernelInitializer: 'heNormal' }) as never, mergeMode: 'ave' }),
  },
  {
    name: 'TimeDistributed(Dense)',
    kerasm: () => km.layers.timeDistributed({ name: 'probe', layer: km.layers.dense({ name: 'inner', units: 3, kernelInitializer: 'heNormal', activation: 'hardSigmoid' }) }),
    tfjs: () => tfl.layers.timeDistributed({ name: 'probe', layer: tfl.layers.dense({ name: 'inner', units: 3, kernelInitializer: 'heNormal', activation: 'hardSigmoid' }) }),
  },
  same('Activation', 'activation', { activation: 'hardSigmoid' }),
  same('ReLU', 'reLU', { maxValue: 6 }),
  same('LeakyReLU', 'leakyReLU', { alpha: 0.2 }),
  same('Softmax', 'softmax', { axis: 1 }),
  same('ThresholdedReLU', 'thresholdedReLU', { theta: 0.5 }),
  same('Cropping2D', 'cropping2D', { cropping: [[1, 1], [2, 2]], dataFormat: 'channelsFirst' }),
  same('UpSampling2D', 'upSampling2d', { size: [2, 3], interpolation: 'nearest', dataFormat: 'channelsFirst' }),
  same('UpSampling2D', 'upSampling2d', { size: [3, 2], interpolation: 'bilinear' }),
  same('ZeroPadding2D', 'zeroPadding2d', { padding: [[1, 2], [3, 4]], dataFormat: 'channelsFirst' }),
  same('AveragePooling1D', 'averagePooling1d', { poolSize: 3, strides: 2, padding: 'same' }),
  same('AveragePooling2D', 'averagePooling2d', { poolSize: [2, 3], strides: 2, padding: 'same', dataFormat: 'channelsFirst' }),
  same('AveragePooling3D', 'averagePooling3d', { poolSize: 2, padding: 'valid' }),
  same('MaxPooling1D', 'maxPooling1d', { poolSize: 3 }),
  same('MaxPooling2D', 'maxPooling2d', { poolSize: 2, padding: 'same' }),
  same('MaxPooling3D', 'maxPooling3d', { poolSize: [1, 2, 2], padding: 'same', dataFormat: 'channelsFirst' }),
  same('GlobalAveragePooling1D', 'globalAveragePooling1d', {}),
  same('GlobalAveragePooling2D', 'globalAveragePooling2d', { dataFormat: 'channelsFirst' }),
  same('GlobalMaxPooling1D', 'globalMaxPooling1d', {}),
  same('GlobalMaxPooling2D', 'globalMaxPooling2d', {}),
  same('Dropout', 'dropout', { rate: 0.3, seed: 3 }),
  same('Dropout', 'dropout', { rate: 0.3, noiseShape: [null, 1, 4] }),
  same('SpatialDropout1D', 'spatialDropout1d', { rate: 0.3, seed: 3 }),
  same('GaussianNoise', 'gaussianNoise', { stddev: 0.2 }),
  same('GaussianDropout', 'gaussianDropout', { rate: 0.2 }),
  same('AlphaDropout', 'alphaDropout', { rate: 0.2 }),
  same('Flatten', 'flatten', {}),
  same('Flatten', 'flatten', { dataFormat: 'channelsFirst' }),
  same('RepeatVector', 'repeatVector', { n: 3 }),
  same('Permute', 'permute', { dims: [2, 1] }),
  same('Masking', 'masking', { maskValue: 1 }),
  same('Add', 'add', {}),
  same('Average', 'average', {}),
  same('Concatenate', 'concatenate', { axis: 1 }),
  same('Maximum', 'maximum', {}),
  same('Minimum', 'minimum', {}),
  same('Multiply', 'multiply', {}),
  same('Dot', 'dot', { axes: [1, 1], normalize: true }),
  same('Rescaling', 'rescaling', { scale: 0.5, offset: 1 }),
  same('CenterCrop', 'centerCrop', { height: 2, width: 3 }),
  same('Resizing', 'resizing', { height: 2, width: 3, interpolation: 'nearest', cropToAspectRatio: true }),
  same('CategoryEncoding', 'categoryEncoding', { numTokens: 4, outputMode: 'oneHot' }),
];

describe("getConfig() matches tfjs-layers 4.22's: camelCase keys and values, {className, config} nesting", () => {
  it.each(cases)('$name', ({ kerasm, tfjs, kerasOnly }) => {
    expect(comparable(kerasm().getConfig(), kerasOnly)).toEqual(comparable(tfjs().getConfig()));
  });

  it("reads an initializer config in Keras' spellings and gives it in tfjs'", () => {
    const keras = { className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'truncated_normal', seed: null } };
    const dense = km.layers.dense({ units: 2, kernelInitializer: keras });
    expect(dense.getConfig().kernelInitializer).toEqual({ className: 'VarianceScaling', config: { scale: 2, mode: 'fanOut', distribution: 'truncatedNormal', seed: null } });
    // Both spellings draw the same weights.
    const weights = (config: object) => {
      km.utils.setRandomSeed(5);
      return km.sequential([km.layers.dense({ units: 3, inputShape: [4], kernelInitializer: config as never })]).getWeights()[0].dataSync();
    };
    expect(weights(keras)).toEqual(weights(dense.getConfig().kernelInitializer as object));
    expect(() => km.layers.dense({ units: 2, kernelInitializer: { className: 'VarianceScaling', config: { mode: 'fan_sum' } } })).toThrow(/mode must be 'fanIn', 'fanOut' or 'fanAvg' \(or Keras' 'fan_in', 'fan_out', 'fan_avg'\)\. Received: mode="fan_sum"/);
  });

  it('rebuilds each layer from its getConfig(), as a factory argument and through layerFromConfig', () => {
    const conv = km.layers.conv2d({ name: 'rebuilt', filters: 2, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', ...initializers, ...kmWeights() });
    expect(km.layers.conv2d(conv.getConfig() as never).getConfig()).toEqual(conv.getConfig());
    for (const { kerasm } of cases) {
      const layer = kerasm() as km.layers.Layer;
      if (layer.className.endsWith('Cell')) continue; // cells are rebuilt by the RNN that holds them
      expect(km.layers.layerFromConfig(layer.className, layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    }
  });
});

describe("model.json keeps Keras' snake_case values", () => {
  it('writes the initializer mode and distribution, and the output mode, as tfjs and Keras do; both load it back', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.dense({ name: 'hidden', inputShape: [4], units: 3, kernelInitializer: 'heNormal', biasInitializer: { className: 'VarianceScaling', config: { mode: 'fanAvg', distribution: 'truncatedNormal' } } }),
    ]);
    let artifacts: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (artifacts = a)));
    const saved = (artifacts!.modelTopology as { config: { layers: { config: Config }[] } }).config.layers[0].config;
    expect(saved.kernel_initializer).toEqual({ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null } });
    expect(saved.bias_initializer).toEqual({ class_name: 'VarianceScaling', config: { mode: 'fan_avg', distribution: 'truncated_normal' } });
    const ours = await km.loadLayersModel(km.io.fromMemory(artifacts!));
    expect(ours.layers[0].getConfig()).toEqual(model.layers[0].getConfig());
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect((theirs.layers[0].getConfig() as Config).kernelInitializer).toEqual(model.layers[0].getConfig().kernelInitializer);
  });

  it('writes nested layers and CategoryEncoding the same way', async () => {
    const model = km.sequential([
      km.layers.bidirectional({ name: 'wrapped', layer: km.layers.lstm({ name: 'inner', units: 2, kernelInitializer: 'heUniform' }), inputShape: [3, 4] }),
      km.layers.dense({ name: 'ids', units: 1 }),
    ]);
    const encoder = km.sequential([km.layers.categoryEncoding({ name: 'encode', numTokens: 4, outputMode: 'multiHot', inputShape: [2] })]);
    const topology = (m: km.LayersModel) => JSON.parse(m.toJSON()) as { config: { layers: { config: Config }[] } };
    const inner = (topology(model).config.layers[0].config.layer as { config: Config }).config;
    expect(inner.kernel_initializer).toEqual({ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'uniform', seed: null } });
    expect(topology(encoder).config.layers[0].config.output_mode).toBe('multi_hot');
    const reloaded = km.models.modelFromJSON(encoder.toJSON());
    expect(reloaded.layers[0].getConfig().outputMode).toBe('multiHot');
  });
});
