import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedLayerConfig } from '../io/layers_model_format.js';
import { BUILTIN_LAYER_NAMES } from '../testing/builtin_layer_names.js';

const LSTM = { className: 'LSTM', config: { units: 2 } };
// The options each built-in class cannot do without; the others are made from {}.
const REQUIRED: Record<string, Record<string, unknown>> = {
  AlphaDropout: { rate: 0.1 },
  Bidirectional: { layer: LSTM },
  CategoryEncoding: { numTokens: 4 },
  CenterCrop: { height: 2, width: 2 },
  Conv1D: { filters: 2, kernelSize: 3 },
  Conv1DTranspose: { filters: 2, kernelSize: 3 },
  Conv2D: { filters: 2, kernelSize: 3 },
  Conv2DTranspose: { filters: 2, kernelSize: 3 },
  Conv3D: { filters: 2, kernelSize: 3 },
  Conv3DTranspose: { filters: 2, kernelSize: 3 },
  ConvLSTM1D: { filters: 2, kernelSize: 3 },
  ConvLSTM2D: { filters: 2, kernelSize: 3 },
  ConvLSTM3D: { filters: 2, kernelSize: 3 },
  Dense: { units: 3 },
  DepthwiseConv1D: { kernelSize: 3 },
  DepthwiseConv2D: { kernelSize: 3 },
  Discretization: { binBoundaries: [0, 1] },
  Dot: { axes: 1 },
  Dropout: { rate: 0.1 },
  EinsumDense: { equation: 'ab,bc->ac', outputShape: 2 },
  Embedding: { inputDim: 5, outputDim: 2 },
  GRU: { units: 2 },
  GaussianDropout: { rate: 0.1 },
  GaussianNoise: { stddev: 0.1 },
  GroupedQueryAttention: { headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 },
  Hashing: { numBins: 3 },
  HashedCrossing: { numBins: 3 },
  LSTM: { units: 2 },
  MultiHeadAttention: { numHeads: 2, keyDim: 2 },
  Permute: { dims: [2, 1] },
  PositionEmbedding: { sequenceLength: 4 },
  RNN: { cell: { className: 'SimpleRNNCell', config: { units: 2 } } },
  RandomBrightness: { factor: 0.1 },
  RandomColorDegeneration: { factor: 0.1 },
  RandomHue: { factor: 0.1 },
  RandomContrast: { factor: 0.1 },
  RandomCrop: { height: 2, width: 2 },
  RandomResizedCrop: { height: 2, width: 2 },
  RandomPosterization: { factor: 4 },
  RandomRotation: { factor: 0.1 },
  RandomSaturation: { factor: 0.1 },
  RandomSharpness: { factor: 0.1 },
  RandomTranslation: { heightFactor: 0.1, widthFactor: 0.1 },
  RandomHeight: { factor: 0.1 },
  RandomWidth: { factor: 0.1 },
  RandomZoom: { heightFactor: 0.1 },
  RepeatVector: { n: 2 },
  Rescaling: { scale: 0.5 },
  Reshape: { targetShape: [2, -1] },
  Resizing: { height: 2, width: 2 },
  SeparableConv1D: { filters: 2, kernelSize: 3 },
  SeparableConv2D: { filters: 2, kernelSize: 3 },
  SimpleRNN: { units: 2 },
  SpatialDropout1D: { rate: 0.1 },
  SpatialDropout2D: { rate: 0.1 },
  SpatialDropout3D: { rate: 0.1 },
  SpectralNormalization: { layer: { className: 'Dense', config: { units: 2 } } },
  StringLookup: { vocabulary: ['a', 'b'] },
  IntegerLookup: { vocabulary: [3, 5] },
  TimeDistributed: { layer: { className: 'Dense', config: { units: 2 } } },
};
const LAYER_KEYS = new Set(['name', 'trainable', 'dtype', 'batchInputShape', 'inputDType']);

describe('km.layers.layerFromConfig keys', () => {
  const layers = BUILTIN_LAYER_NAMES.map((name) => km.layers.layerFromConfig(name, REQUIRED[name] ?? {}));

  it('rebuilds every built-in class from its getConfig(), and from the snake_case config a model.json holds', () => {
    expect(layers.length).toBeGreaterThan(90);
    for (const layer of layers) {
      const config = layer.getConfig();
      expect(km.layers.layerFromConfig(layer.className, config).getConfig(), layer.className).toEqual(config);
      const snake = savedLayerConfig(layer);
      expect(km.layers.layerFromConfig(layer.className, snake).getConfig(), `${layer.className} from ${JSON.stringify(snake)}`).toEqual(config);
    }
  });

  it('refuses a misspelt key of every built-in class, naming the key meant', () => {
    for (const layer of layers) {
      const config = layer.getConfig();
      const key = Object.keys(config).find((k) => !LAYER_KEYS.has(k)) ?? 'trainable';
      const typo = `${key}${key.slice(-1)}`;
      // StringLookup and TextVectorization check their keys in their own fromConfig.
      const message = ['StringLookup', 'TextVectorization'].includes(layer.className)
        ? `${layer.className}.fromConfig has no option '${typo}'; did you mean '${key}'?`
        : `km.layers.layerFromConfig('${layer.className}'): ${layer.className} has no use for the config key '${typo}'; did you mean '${key}'?`;
      expect(() => km.layers.layerFromConfig(layer.className, { ...config, [typo]: config[key] ?? true }), layer.className).toThrow(message);
    }
  });

  it("reads Keras' snake_case keys, and refuses a key no Dense uses rather than dropping it", () => {
    const dense = km.layers.layerFromConfig('Dense', { units: 3, use_bias: false, kernel_initializer: { class_name: 'Zeros', config: {} } }) as km.layers.Dense;
    expect(dense.useBias).toBe(false);
    expect(dense.getConfig().kernelInitializer).toEqual(km.layers.layerFromConfig('Dense', { units: 3, kernelInitializer: 'zeros' }).getConfig().kernelInitializer);
    expect(() => km.layers.layerFromConfig('Dense', { units: 3, usebias: false })).toThrow(
      "km.layers.layerFromConfig('Dense'): Dense has no use for the config key 'usebias'; did you mean 'useBias'? Rather than drop it, kerasm refuses it: fix or remove the key. Dense's keys are: ",
    );
    expect(() => km.layers.layerFromConfig('Dense', { units: 3, use_biass: false })).toThrow("has no use for the config key 'use_biass'; did you mean 'useBias'?");
  });

  it("accepts a key that getConfig() gives back under another name (Keras 3's negative_slope is LeakyReLU's alpha)", () => {
    expect(km.layers.layerFromConfig('LeakyReLU', { negative_slope: 0.1 }).getConfig().alpha).toBe(0.1);
  });

  it("checks the keys of a wrapper's layer and an RNN's cell", () => {
    expect(() => km.layers.layerFromConfig('Bidirectional', { layer: { className: 'LSTM', config: { units: 2, returnSequence: true } } })).toThrow(
      "Bidirectional has no use for the config key 'layer.config.returnSequence'; did you mean 'returnSequences'?",
    );
    expect(() => km.layers.layerFromConfig('TimeDistributed', { layer: { class_name: 'Dense', config: { units: 2, use_bais: false } } })).toThrow(
      "TimeDistributed has no use for the config key 'layer.config.useBais'; did you mean 'useBias'?",
    );
    expect(() => km.layers.layerFromConfig('RNN', { cell: { className: 'LSTMCell', config: { units: 2, recurentActivation: 'tanh' } } })).toThrow(
      "RNN has no use for the config key 'cell.config.recurentActivation'; did you mean 'recurrentActivation'?",
    );
  });

  it("reads the keys Keras derives for an IntegerLookup (vocabulary_size), and refuses a misspelt one", () => {
    const lookup = km.layers.layerFromConfig('IntegerLookup', { vocabulary: [3, 5], vocabulary_size: 4, vocabulary_dtype: 'int64', num_oov_indices: 2 });
    expect(lookup.getConfig().numOovIndices).toBe(2);
    expect(() => km.layers.layerFromConfig('IntegerLookup', { vocabulary: [3, 5], num_oov_indice: 2 })).toThrow("IntegerLookup has no use for the config key 'num_oov_indice'; did you mean 'numOovIndices'?");
  });

  it('keeps tensors in a config as they are (initial weights)', () => {
    const [kernel, bias] = [[[1, 2], [3, 4], [5, 6]], [10, 20]];
    const dense = km.layers.layerFromConfig('Dense', { units: 2, use_bias: true, weights: [km.tensor(kernel), km.tensor(bias)] });
    expect((dense.apply(km.tensor([[1, 1, 1]])) as km.Tensor).arraySync()).toEqual([[19, 32]]);
  });

  it("restores a tf_idf StringLookup's idf weights, one per vocabulary token, and its outputs", () => {
    // Output slots: the OOV index (idf: the mean, 2), then a, b, c; 'a' twice, 'c' once, 'z' out of vocabulary.
    const lookup = km.layers.stringLookup({ vocabulary: ['a', 'b', 'c'], outputMode: 'tf_idf', idfWeights: [1, 2, 3] });
    const config = JSON.parse(JSON.stringify(lookup.getConfig())) as Record<string, unknown>;
    expect(config.idfWeights).toEqual([1, 2, 3]);
    const restored = km.layers.layerFromConfig('StringLookup', config) as km.layers.StringLookup;
    expect(restored.getConfig()).toEqual(lookup.getConfig());
    expect(Array.from((restored.apply([['a', 'c', 'z', 'a']]) as km.Tensor).dataSync())).toEqual([2, 2, 0, 3]);
  });

  it('passes a custom layer its config as given, whatever its keys', () => {
    class Scale extends km.layers.Layer {
      readonly className = 'KeysTestScale';
      readonly config: Record<string, unknown>;
      constructor(config: Record<string, unknown>) {
        super({}, 'KeysTestScale');
        this.config = config;
      }
      computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
        return inputShapes[0];
      }
      forward(): void {}
      backward(): void {}
    }
    km.layers.registerLayer('KeysTestScale', (config) => new Scale(config));
    const config = { factor_value: 3, anyThing: [1, 2] };
    expect((km.layers.layerFromConfig('KeysTestScale', config) as Scale).config).toBe(config);
  });
});
