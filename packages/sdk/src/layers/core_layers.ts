// The core layers of km.layers (dense, convolution, pooling, normalization, merge): each module holds its
// class and its factory, and this barrel only re-exports them, so that a bundler keeps just the modules
// of the layers an app makes.
export { activation, Activation, type ActivationArgs } from './activation.js';
export { batchNormalization, BatchNormalization, type BatchNormalizationArgs } from './batch_normalization.js';
export { concatenate, Concatenate, type ConcatenateArgs } from './concatenate.js';
export { conv1d, Conv1D, type Conv1DArgs } from './conv1d.js';
export { conv2d, Conv2D, type Conv2DArgs } from './conv2d.js';
export { conv2dTranspose, Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d_transpose.js';
export { dense, Dense, type DenseArgs } from './dense.js';
export { depthwiseConv2d, DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise_conv2d.js';
export { dropout, Dropout, type DropoutArgs } from './dropout.js';
export { embedding, Embedding, type EmbeddingArgs } from './embedding.js';
export type { EnableLoraOptions, Lora, LoraArgs } from './lora.js';
export { flatten, Flatten, type FlattenArgs } from './flatten.js';
export { globalAveragePooling1d, globalMaxPooling1d, globalMaxPool1d, GlobalAveragePooling1D, GlobalMaxPooling1D, type GlobalPooling1DArgs } from './global_pooling1d.js';
export { globalAveragePooling2d, globalMaxPooling2d, globalMaxPool2d, GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global_pooling2d.js';
export { layerNormalization, LayerNormalization, type LayerNormalizationArgs } from './layer_normalization.js';
export { add, average, multiply, Add, Average, Multiply, type MergeArgs } from './merge.js';
export { maxPooling1d, averagePooling1d, maxPool1d, avgPool1d, avgPooling1d, AveragePooling1D, MaxPooling1D, type Pooling1DArgs } from './pooling1d.js';
export { maxPooling2d, averagePooling2d, maxPool2d, avgPool2d, avgPooling2d, AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling2d.js';
export { reshape, Reshape, type ReshapeArgs } from './reshape.js';
export { separableConv2d, SeparableConv2D, type SeparableConv2DArgs } from './separable_conv2d.js';
export { upSampling2d, UpSampling2D, type UpSampling2DArgs, type UpSamplingInterpolation } from './up_sampling2d.js';
export { zeroPadding2d, ZeroPadding2D, type ZeroPadding2DArgs } from './zero_padding2d.js';
export { masking, Masking, type MaskingArgs } from './masking.js';
export { einsumDense, EinsumDense, type EinsumDenseArgs, type EinsumOutputShape } from './einsum_dense.js';
export { spectralNormalization, SpectralNormalization, type SpectralNormalizationArgs } from './spectral_normalization.js';
export { inputLayer, InputLayer, type InputLayerArgs } from './input_layer.js';
export { lambda, Lambda, type LambdaArgs } from './lambda.js';
