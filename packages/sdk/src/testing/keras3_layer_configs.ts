// Layer entries as Keras 3 writes them into a model's config (`serialize_keras_object`): each class's
// get_config() keys and values at their defaults, assembled from Keras 3's layer sources (keras/src/layers),
// beside the envelope keys (module, registered_name, build_config) and the DTypePolicy dtype.

type Json = Record<string, unknown>;

/** One layer as Keras 3 saves it, with the keys of its config that kerasm's getConfig() does not give back. */
export interface Keras3Layer {
  readonly entry: { module: string; class_name: string; config: Json; registered_name: null; build_config?: Json };
  /** The keys of its config (top level) that kerasm's getConfig() does not give back: it ignores them, or reads them only away from their defaults. */
  readonly notEchoed: readonly string[];
}

const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const initializer = (className: string, config: Json = {}) => ({ module: 'keras.initializers', class_name: className, config, registered_name: null });
const glorot = () => initializer('GlorotUniform', { seed: null });
const base = (name: string) => ({ name, trainable: true, dtype });
const weights = { kernel_initializer: glorot(), bias_initializer: initializer('Zeros'), kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null };
const conv = (rank: number) => ({
  filters: 2, kernel_size: Array(rank).fill(3), strides: Array(rank).fill(1), padding: 'valid', data_format: 'channels_last', dilation_rate: Array(rank).fill(1),
  activation: 'linear', use_bias: true, ...weights, activity_regularizer: null,
});
const rnn = { return_sequences: false, return_state: false, go_backwards: false, stateful: false, unroll: false, zero_output_for_mask: false };
const recurrentWeights = {
  kernel_initializer: glorot(), recurrent_initializer: initializer('OrthogonalInitializer', { gain: 1.0, seed: null }), bias_initializer: initializer('Zeros'),
  kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
  dropout: 0.0, recurrent_dropout: 0.0, seed: null,
};
const lstmCell = { units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, unit_forget_bias: true, ...recurrentWeights };
const lstm = (name: string) => ({ ...base(name), ...lstmCell, activity_regularizer: null, ...rnn });

const layer = (className: string, config: Json, notEchoed: string[], buildShape?: (number | null)[]): Keras3Layer => ({
  entry: { module: 'keras.layers', class_name: className, config, registered_name: null, ...(buildShape ? { build_config: { input_shape: buildShape } } : {}) },
  notEchoed,
});

export const KERAS3_LAYERS: readonly Keras3Layer[] = [
  layer('Dense', { ...base('dense'), units: 3, activation: 'linear', use_bias: true, ...weights, quantization_config: null }, ['quantization_config'], [null, 4]),
  layer('Conv1D', { ...base('conv1d'), ...conv(1), groups: 1 }, ['data_format', 'groups'], [null, 8, 2]),
  layer('Conv2D', { ...base('conv2d'), ...conv(2), groups: 1 }, ['groups'], [null, 8, 8, 2]),
  layer('Conv2DTranspose', { ...base('conv2d_transpose'), ...conv(2) }, ['dilation_rate'], [null, 8, 8, 2]),
  layer('DepthwiseConv2D', {
    ...base('depthwise_conv2d'), depth_multiplier: 1, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1],
    activation: 'linear', use_bias: true, depthwise_initializer: glorot(), bias_initializer: initializer('Zeros'), depthwise_regularizer: null, bias_regularizer: null,
    activity_regularizer: null, depthwise_constraint: null, bias_constraint: null,
  }, []),
  layer('SeparableConv2D', {
    ...base('separable_conv2d'), depth_multiplier: 1, filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1],
    activation: 'linear', use_bias: true, depthwise_initializer: glorot(), pointwise_initializer: glorot(), bias_initializer: initializer('Zeros'),
    depthwise_regularizer: null, pointwise_regularizer: null, bias_regularizer: null, activity_regularizer: null, depthwise_constraint: null, pointwise_constraint: null, bias_constraint: null,
  }, []),
  layer('MaxPooling1D', { ...base('max_pooling1d'), pool_size: [2], padding: 'valid', strides: [2], data_format: 'channels_last' }, ['data_format']),
  layer('GlobalAveragePooling1D', { ...base('global_average_pooling1d'), data_format: 'channels_last', keepdims: false }, ['data_format', 'keepdims']),
  layer('BatchNormalization', {
    ...base('batch_normalization'), axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true,
    beta_initializer: initializer('Zeros'), gamma_initializer: initializer('Ones'), moving_mean_initializer: initializer('Zeros'), moving_variance_initializer: initializer('Ones'),
    beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, synchronized: false,
  }, ['synchronized'], [null, 4]),
  layer('LayerNormalization', {
    ...base('layer_normalization'), axis: [-1], epsilon: 0.001, center: true, scale: true, rms_scaling: false,
    beta_initializer: initializer('Zeros'), gamma_initializer: initializer('Ones'), beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
  }, ['rms_scaling']),
  layer('MultiHeadAttention', {
    ...base('multi_head_attention'), num_heads: 2, key_dim: 4, value_dim: 4, dropout: 0.0, use_bias: true, output_shape: null, attention_axes: null,
    kernel_initializer: glorot(), bias_initializer: initializer('Zeros'), kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
    kernel_constraint: null, bias_constraint: null, seed: null,
  }, []),
  layer('GroupedQueryAttention', {
    ...base('grouped_query_attention'), head_dim: 4, num_query_heads: 2, num_key_value_heads: 1, use_bias: true, dropout: 0.0,
    kernel_initializer: glorot(), bias_initializer: initializer('Zeros'), kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
    kernel_constraint: null, bias_constraint: null, seed: null,
  }, []),
  layer('LSTM', lstm('lstm'), ['seed', 'zero_output_for_mask'], [null, 5, 3]),
  layer('GRU', { ...base('gru'), units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, ...recurrentWeights, activity_regularizer: null, reset_after: true, ...rnn }, ['seed', 'zero_output_for_mask']),
  layer('SimpleRNN', { ...base('simple_rnn'), units: 2, activation: 'tanh', use_bias: true, ...recurrentWeights, activity_regularizer: null, ...rnn }, ['seed', 'zero_output_for_mask']),
  layer('ConvLSTM1D', {
    ...base('conv_lstm1d'), ...rnn, filters: 2, kernel_size: [3], strides: [1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1],
    activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, ...recurrentWeights, unit_forget_bias: true, activity_regularizer: null,
  }, ['zero_output_for_mask', 'seed'], [null, 4, 8, 2]),
  layer('ConvLSTM3D', {
    ...base('conv_lstm3d'), ...rnn, filters: 2, kernel_size: [3, 3, 3], strides: [1, 1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1, 1],
    activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, ...recurrentWeights, unit_forget_bias: true, activity_regularizer: null,
  }, ['zero_output_for_mask', 'seed'], [null, 2, 4, 4, 4, 1]),
  layer('RNN', {
    ...base('rnn'), ...rnn,
    cell: { module: 'keras.layers', class_name: 'LSTMCell', config: { ...base('lstm_cell'), ...lstmCell }, registered_name: null, build_config: { input_shape: [null, 3] } },
  }, ['zero_output_for_mask']),
  layer('Bidirectional', {
    ...base('bidirectional'), merge_mode: 'concat',
    layer: { module: 'keras.layers', class_name: 'LSTM', config: lstm('forward_lstm'), registered_name: null, build_config: { input_shape: [null, 5, 3] } },
    backward_layer: { module: 'keras.layers', class_name: 'LSTM', config: { ...lstm('backward_lstm'), go_backwards: true }, registered_name: null, build_config: { input_shape: [null, 5, 3] } },
  }, []),
  layer('TimeDistributed', {
    ...base('time_distributed'),
    layer: { module: 'keras.layers', class_name: 'Dense', config: { ...base('dense_1'), units: 2, activation: 'linear', use_bias: true, ...weights, quantization_config: null }, registered_name: null, build_config: { input_shape: [null, 3] } },
  }, []),
  layer('Embedding', {
    ...base('embedding'), input_dim: 10, output_dim: 4, embeddings_initializer: initializer('RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }),
    embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: false, quantization_config: null,
  }, ['quantization_config']),
  layer('Dropout', { ...base('dropout'), rate: 0.1, seed: null, noise_shape: null }, []),
  layer('GaussianNoise', { ...base('gaussian_noise'), stddev: 0.1, seed: null }, ['seed']),
  layer('ReLU', { ...base('re_lu'), max_value: null, negative_slope: 0.0, threshold: 0.0 }, ['negative_slope', 'threshold']),
  layer('LeakyReLU', { ...base('leaky_re_lu'), negative_slope: 0.3 }, ['negative_slope']),
  layer('Resizing', {
    ...base('resizing'), height: 4, width: 4, interpolation: 'bilinear', crop_to_aspect_ratio: false, pad_to_aspect_ratio: false, fill_mode: 'constant', fill_value: 0.0, data_format: 'channels_last',
  }, ['pad_to_aspect_ratio', 'fill_mode', 'fill_value', 'data_format']),
  layer('CenterCrop', { ...base('center_crop'), height: 4, width: 4, data_format: 'channels_last' }, ['data_format']),
  layer('RandomFlip', { ...base('random_flip'), seed: null, mode: 'horizontal_and_vertical', data_format: 'channels_last' }, ['data_format']),
  layer('CategoryEncoding', { ...base('category_encoding'), num_tokens: 4, output_mode: 'multi_hot', sparse: false }, ['sparse']),
];

/** A Keras 3 Sequential model's topology holding every layer above (left unbuilt: their shapes do not chain). */
export function keras3Sequential(): Json {
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: 'keras3', trainable: true, dtype, layers: KERAS3_LAYERS.map((layer) => structuredClone(layer.entry)) },
    registered_name: null,
  };
}
