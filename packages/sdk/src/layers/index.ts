import { Activation, type ActivationArgs } from './activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch_normalization.js';
import { Conv1D, type Conv1DArgs } from './conv1d.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise_conv2d.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { Flatten, type FlattenArgs } from './flatten.js';
import { GlobalAveragePooling1D, GlobalMaxPooling1D, type GlobalPooling1DArgs } from './global_pooling1d.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global_pooling2d.js';
import { Add, Average, Multiply, type MergeArgs } from './merge.js';
import { Concatenate, type ConcatenateArgs } from './concatenate.js';
import { AveragePooling1D, MaxPooling1D, type Pooling1DArgs } from './pooling1d.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling2d.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { UpSampling2D, type UpSampling2DArgs, type UpSamplingInterpolation } from './up_sampling2d.js';
import { ZeroPadding2D, type ZeroPadding2DArgs } from './zero_padding2d.js';
import { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d_transpose.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable_conv2d.js';
import { checkRequiredOptions, CONV2D_TRANSPOSE_OPTIONS, SEPARABLE_CONV2D_OPTIONS } from './layer_options.js';
import { checkOptions } from '../utils/options.js';
import { mergeFactory } from './merge_factory.js';
import { averagePooling3d } from './volume_layers.js';
import { LayerNormalization, type LayerNormalizationArgs } from './layer_normalization.js';
import { LAYER_NORMALIZATION_OPTIONS } from './layer_options.js';
import { ACTIVATION_OPTIONS, BATCH_NORMALIZATION_OPTIONS, CONCATENATE_OPTIONS, CONV1D_OPTIONS, CONV2D_OPTIONS, DENSE_OPTIONS, DEPTHWISE_CONV2D_OPTIONS, DROPOUT_OPTIONS, EMBEDDING_OPTIONS, FLATTEN_OPTIONS, GLOBAL_POOLING2D_OPTIONS, LAYER_OPTIONS, POOLING1D_OPTIONS, POOLING2D_OPTIONS, RESHAPE_OPTIONS, UP_SAMPLING2D_OPTIONS, ZERO_PADDING2D_OPTIONS } from './layer_options.js';

/** A densely connected layer. @example `km.layers.dense({ units: 64, activation: 'relu' })` */
export function dense(args: DenseArgs): Dense {
  checkRequiredOptions(args, DENSE_OPTIONS, 'km.layers.dense');
  const { inputDim, ...rest } = args;
  if (inputDim === undefined) return new Dense(rest);
  if (rest.inputShape !== undefined || rest.batchInputShape !== undefined) throw new Error(`km.layers.dense takes inputDim (tfjs' form of inputShape: [${inputDim}]) or inputShape, not both.`);
  return new Dense({ ...rest, inputShape: [inputDim] });
}

/**
 * Flattens each sample to one dimension; `dataFormat: 'channelsFirst'` moves the channels last first, as tfjs does.
 * @example `km.layers.flatten({ inputShape: [28, 28] })`
 */
export function flatten(args?: FlattenArgs): Flatten {
  checkOptions(args, FLATTEN_OPTIONS, 'km.layers.flatten');
  return new Flatten(args);
}

/**
 * Applies an activation to its input: any name the `ActivationName` type lists (softmax, log-softmax
 * and sparsemax along the last axis, the others element by element), or Keras 3's `'glu'`, which
 * halves the last axis.
 * @example `km.layers.activation({ activation: 'elu' })`, `km.layers.activation({ activation: 'glu' })`
 */
export function activation(args: ActivationArgs): Activation {
  checkRequiredOptions(args, ACTIVATION_OPTIONS, 'km.layers.activation');
  return new Activation(args);
}

/** 2-D convolution over NHWC images. @example `km.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' })` */
export function conv2d(args: Conv2DArgs): Conv2D {
  checkRequiredOptions(args, CONV2D_OPTIONS, 'km.layers.conv2d');
  return new Conv2D(args);
}

/**
 * Token ids to dense vectors: `[batch, length]` indices in `[0, inputDim)` become `[batch, length, outputDim]`.
 * @example `km.layers.embedding({ inputDim: 10000, outputDim: 16, inputShape: [200] })`
 */
export function embedding(args: EmbeddingArgs): Embedding {
  checkRequiredOptions(args, EMBEDDING_OPTIONS, 'km.layers.embedding');
  return new Embedding(args);
}

/** 1-D convolution over [steps, channels] sequences. @example `km.layers.conv1d({ filters: 128, kernelSize: 7, activation: 'relu' })` */
export function conv1d(args: Conv1DArgs): Conv1D {
  checkRequiredOptions(args, CONV1D_OPTIONS, 'km.layers.conv1d');
  return new Conv1D(args);
}

/** Max over windows of a sequence. @example `km.layers.maxPooling1d({ poolSize: 2 })` */
export function maxPooling1d(args?: Pooling1DArgs): MaxPooling1D {
  checkOptions(args, POOLING1D_OPTIONS, 'km.layers.maxPooling1d');
  return new MaxPooling1D(args);
}

/** Mean over windows of a sequence. @example `km.layers.averagePooling1d({ poolSize: 2 })` */
export function averagePooling1d(args?: Pooling1DArgs): AveragePooling1D {
  checkOptions(args, POOLING1D_OPTIONS, 'km.layers.averagePooling1d');
  return new AveragePooling1D(args);
}

/** Mean of each channel over the sequence, [steps, c] to [c]. @example `km.layers.globalAveragePooling1d()` */
export function globalAveragePooling1d(args?: GlobalPooling1DArgs): GlobalAveragePooling1D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalAveragePooling1d');
  return new GlobalAveragePooling1D(args);
}

/** Maximum of each channel over the sequence, [steps, c] to [c]. @example `km.layers.globalMaxPooling1d()` */
export function globalMaxPooling1d(args?: GlobalPooling1DArgs): GlobalMaxPooling1D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalMaxPooling1d');
  return new GlobalMaxPooling1D(args);
}

/** Convolves each channel with its own filters. @example `km.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 })` */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  checkRequiredOptions(args, DEPTHWISE_CONV2D_OPTIONS, 'km.layers.depthwiseConv2d');
  return new DepthwiseConv2D(args);
}

/** Max over 2-D windows. @example `km.layers.maxPooling2d({ poolSize: 2 })` */
export function maxPooling2d(args?: Pooling2DArgs): MaxPooling2D {
  checkOptions(args, POOLING2D_OPTIONS, 'km.layers.maxPooling2d');
  return new MaxPooling2D(args);
}

/** Mean over 2-D windows. @example `km.layers.averagePooling2d({ poolSize: 2 })` */
export function averagePooling2d(args?: Pooling2DArgs): AveragePooling2D {
  checkOptions(args, POOLING2D_OPTIONS, 'km.layers.averagePooling2d');
  return new AveragePooling2D(args);
}

/** Normalizes features with batch statistics in training and moving statistics in inference. @example `km.layers.batchNormalization()` */
export function batchNormalization(args?: BatchNormalizationArgs): BatchNormalization {
  checkOptions(args, BATCH_NORMALIZATION_OPTIONS, 'km.layers.batchNormalization');
  return new BatchNormalization(args);
}

/**
 * Normalises each sample over its last axis (or other adjacent axes) with its own mean and variance, the same in training and inference.
 * @example `km.layers.layerNormalization({ axis: -1, epsilon: 1e-3 })`
 */
export function layerNormalization(args?: LayerNormalizationArgs): LayerNormalization {
  checkOptions(args, LAYER_NORMALIZATION_OPTIONS, 'km.layers.layerNormalization');
  return new LayerNormalization(args);
}

/** Mean of each channel over the image, [h, w, c] to [c]. @example `km.layers.globalAveragePooling2d()` */
export function globalAveragePooling2d(args?: GlobalPooling2DArgs): GlobalAveragePooling2D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalAveragePooling2d');
  return new GlobalAveragePooling2D(args);
}

/** Maximum of each channel over the image, [h, w, c] to [c]. @example `km.layers.globalMaxPooling2d()` */
export function globalMaxPooling2d(args?: GlobalPooling2DArgs): GlobalMaxPooling2D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalMaxPooling2d');
  return new GlobalMaxPooling2D(args);
}

/** Zeros around each image. @example `km.layers.zeroPadding2d({ padding: [[1, 1], [2, 2]] })` */
export function zeroPadding2d(args?: ZeroPadding2DArgs): ZeroPadding2D {
  checkOptions(args, ZERO_PADDING2D_OPTIONS, 'km.layers.zeroPadding2d');
  return new ZeroPadding2D(args);
}

/** Repeats rows and columns (nearest neighbour), or resizes bilinearly as Keras 3. @example `km.layers.upSampling2d({ size: 2, interpolation: 'bilinear' })` */
export function upSampling2d(args?: UpSampling2DArgs): UpSampling2D {
  checkOptions(args, UP_SAMPLING2D_OPTIONS, 'km.layers.upSampling2d');
  return new UpSampling2D(args);
}

/** Randomly zeroes a fraction of its inputs while training, one mask value per noiseShape entry. @example `km.layers.dropout({ rate: 0.5 })` */
export function dropout(args: DropoutArgs): Dropout {
  checkRequiredOptions(args, DROPOUT_OPTIONS, 'km.layers.dropout');
  return new Dropout(args);
}

/** Gives each sample a new shape. @example `km.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] })` */
export function reshape(args: ReshapeArgs): Reshape {
  checkRequiredOptions(args, RESHAPE_OPTIONS, 'km.layers.reshape');
  return new Reshape(args);
}

/** Sums inputs elementwise (residual connections). @example `km.layers.add().apply([a, b])` */
export const add = mergeFactory((args?: MergeArgs): Add => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.add');
  return new Add(args);
});

/** Averages inputs elementwise. @example `km.layers.average().apply([a, b])` */
export const average = mergeFactory((args?: MergeArgs): Average => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.average');
  return new Average(args);
});

/** Multiplies inputs elementwise. @example `km.layers.multiply().apply([a, b])` */
export const multiply = mergeFactory((args?: MergeArgs): Multiply => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.multiply');
  return new Multiply(args);
});

/**
 * Joins inputs along an axis, the last by default; they must agree on every other axis.
 * @example `km.layers.concatenate().apply([a, b])`, `km.layers.concatenate({ axis: 1 }).apply([early, late])`
 */
export const concatenate = mergeFactory((args?: ConcatenateArgs): Concatenate => {
  checkOptions(args, CONCATENATE_OPTIONS, 'km.layers.concatenate');
  return new Concatenate(args);
});

/**
 * Transposed 2-D convolution, the upsampling layer of decoders and GANs; the kernel is `[kH, kW, filters, inChannels]`.
 * @example `km.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })`
 */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  checkRequiredOptions(args, CONV2D_TRANSPOSE_OPTIONS, 'km.layers.conv2dTranspose');
  return new Conv2DTranspose(args);
}

/**
 * Depthwise separable 2-D convolution: a depthwise convolution, then a 1×1 convolution across channels.
 * @example `km.layers.separableConv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' })`
 */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  checkRequiredOptions(args, SEPARABLE_CONV2D_OPTIONS, 'km.layers.separableConv2d');
  return new SeparableConv2D(args);
}

export { Conv2DTranspose, SeparableConv2D, type Conv2DTransposeArgs, type SeparableConv2DArgs };
export { LayerNormalization, type LayerNormalizationArgs };
export {
  AveragePooling1D, Conv1D, Embedding, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D,
  type Conv1DArgs, type EmbeddingArgs, type GlobalPooling1DArgs, type Pooling1DArgs,
};
export {
  Activation, Add, Average, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, DepthwiseConv2D, Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D,
  MaxPooling2D, Multiply, Reshape, UpSampling2D, ZeroPadding2D,
  type ActivationArgs, type BatchNormalizationArgs, type Conv2DArgs, type DenseArgs, type DepthwiseConv2DArgs, type DropoutArgs, type FlattenArgs, type GlobalPooling2DArgs, type MergeArgs,
  type Pooling2DArgs, type ReshapeArgs, type UpSampling2DArgs, type UpSamplingInterpolation, type ZeroPadding2DArgs,
};
export * from './activation_layers.js';
export * from './recurrent_layers.js';
export * from './convolutional_sequence_layers.js';
export * from './shape_layers.js';
export * from './volume_layers.js';
export * from './wrapper_layers.js';
export { masking, Masking, type MaskingArgs } from './masking.js';
export { einsumDense, EinsumDense, type EinsumDenseArgs, type EinsumOutputShape } from './einsum_dense.js';
export { spectralNormalization, SpectralNormalization, type SpectralNormalizationArgs } from './spectral_normalization.js';
export { inputLayer, InputLayer, type InputLayerArgs } from './input_layer.js';
export * from './attention_layers.js';
export * from './preprocessing_layers.js';
export { hashedCrossing, HashedCrossing, type CrossFeature, type HashedCrossingArgs } from './hashed_crossing.js';
export { stringLookup, StringLookup, type StringLookupArgs } from './string_lookup.js';
export { textVectorization, TextVectorization, type TextVectorizationArgs, type TextVectorizationOutput, type TextVectorizationSample } from './text_vectorization.js';
export type { TextNgrams, TextSplit, TextStandardize } from './text_standardize.js';
export * from './augmentation_layers.js';
export { randomWidth, RandomWidth, type RandomWidthArgs } from './random_width.js';
export { randomShear, RandomShear, type RandomShearArgs } from './random_shear.js';
export { randomPerspective, RandomPerspective, type RandomPerspectiveArgs } from './random_perspective.js';
export { randomResizedCrop, RandomResizedCrop, type RandomResizedCropArgs } from './random_resized_crop.js';
export { randomErasing, RandomErasing, type RandomErasingArgs } from './random_erasing.js';
export { randomGaussianBlur, RandomGaussianBlur, type RandomGaussianBlurArgs } from './random_gaussian_blur.js';
export * from './normalization_layers.js';
export { Layer, type Shape, type ForwardContext, type BackwardContext } from './layer.js';
export type { LayerArgs } from './layer_args.js';
export type { MayReturnList, ReturnsList } from './list_outputs.js';
export type { Initializer, InitializerConfig, InitializerName, InitializerSpec } from '../initializers/initializers.js';
export { LayerWeight } from './layer_weight.js';
export { registerLayer, layerFromConfig, registeredLayerClasses, type LayerFactory } from './registry.js';

// TensorFlow.js' other names for factories kerasm has (tf.layers.maxPool2d, ...): the same functions.
/** tfjs' name for {@link maxPooling1d}. @example `km.layers.maxPool1d({ poolSize: 2 })` */
export const maxPool1d = maxPooling1d;
/** tfjs' name for {@link maxPooling2d}. @example `km.layers.maxPool2d({ poolSize: 2 })` */
export const maxPool2d = maxPooling2d;
/** tfjs' name for {@link averagePooling1d}. @example `km.layers.avgPool1d({ poolSize: 2 })` */
export const avgPool1d = averagePooling1d;
/** tfjs' name for {@link averagePooling1d}. */
export const avgPooling1d = averagePooling1d;
/** tfjs' name for {@link averagePooling2d}. @example `km.layers.avgPool2d({ poolSize: 2 })` */
export const avgPool2d = averagePooling2d;
/** tfjs' name for {@link averagePooling2d}. */
export const avgPooling2d = averagePooling2d;
/** tfjs' name for `averagePooling3d`. @example `km.layers.avgPool3d({ poolSize: 2 })` */
export const avgPool3d = averagePooling3d;
/** tfjs' name for `averagePooling3d`. */
export const avgPooling3d = averagePooling3d;
/** tfjs' name for {@link globalMaxPooling1d}. */
export const globalMaxPool1d = globalMaxPooling1d;
/** tfjs' name for {@link globalMaxPooling2d}. */
export const globalMaxPool2d = globalMaxPooling2d;
// tf.layers.input: the same function as km.input, whose shape leaves out the batch axis.
export { input } from '../engine/symbolic.js';
