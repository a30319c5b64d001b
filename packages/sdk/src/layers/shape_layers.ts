// The km.layers factories of the shape, merge, noise and regularization layers (TensorFlow.js' names; Keras' for the 1-D ones tfjs lacks), each checking its options.
import { checkOptions } from '../utils/options.js';
import { mergeFactory } from './merge_factory.js';
import { Cropping2D, type Cropping2DArgs } from './cropping2d.js';
import { Dot, type DotArgs } from './dot.js';
import { checkRequiredOptions, ACTIVITY_REGULARIZATION_OPTIONS, ALPHA_DROPOUT_OPTIONS, CROPPING1D_OPTIONS, CROPPING2D_OPTIONS, DOT_OPTIONS, GAUSSIAN_DROPOUT_OPTIONS, GAUSSIAN_NOISE_OPTIONS, LAYER_OPTIONS, PERMUTE_OPTIONS, REPEAT_VECTOR_OPTIONS, RESCALING_OPTIONS, SPATIAL_DROPOUT1D_OPTIONS, SPATIAL_DROPOUT_OPTIONS, UP_SAMPLING1D_OPTIONS, ZERO_PADDING1D_OPTIONS } from './layer_options.js';
import { Identity, type IdentityArgs } from './identity.js';
import { ActivityRegularization, type ActivityRegularizationArgs } from './activity_regularization.js';
import { Subtract, type MergeArgs } from './merge.js';
import { Maximum, Minimum } from './min_max_merge.js';
import { AlphaDropout, GaussianDropout, GaussianNoise, type AlphaDropoutArgs, type GaussianNoiseArgs, type NoiseRateArgs } from './noise.js';
import { Permute, type PermuteArgs } from './permute.js';
import { RepeatVector, type RepeatVectorArgs } from './repeat_vector.js';
import { Rescaling, type RescalingArgs } from './rescaling.js';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, type SpatialDataFormat, type SpatialDropout1DArgs, type SpatialDropoutArgs } from './spatial_dropout.js';
import { Cropping1D, UpSampling1D, ZeroPadding1D, type Cropping1DArgs, type UpSampling1DArgs, type ZeroPadding1DArgs } from './spatial1d.js';

/** `[batch, f]` to `[batch, n, f]`. @example `km.layers.repeatVector({ n: 10 })` */
export function repeatVector(args: RepeatVectorArgs): RepeatVector {
  checkRequiredOptions(args, REPEAT_VECTOR_OPTIONS, 'km.layers.repeatVector');
  return new RepeatVector(args);
}

/** Reorders the sample's axes (numbered from 1). @example `km.layers.permute({ dims: [2, 1] })` */
export function permute(args: PermuteArgs): Permute {
  checkRequiredOptions(args, PERMUTE_OPTIONS, 'km.layers.permute');
  return new Permute(args);
}

/** Removes rows and columns at the sides of each image. @example `km.layers.cropping2D({ cropping: [[1, 1], [2, 2]] })` */
export function cropping2D(args: Cropping2DArgs): Cropping2D {
  checkRequiredOptions(args, CROPPING2D_OPTIONS, 'km.layers.cropping2D');
  return new Cropping2D(args);
}

/** Zero steps at the start and end of each sequence (Keras' ZeroPadding1D). @example `km.layers.zeroPadding1d({ padding: [2, 0] })` */
export function zeroPadding1d(args?: ZeroPadding1DArgs): ZeroPadding1D {
  checkOptions(args, ZERO_PADDING1D_OPTIONS, 'km.layers.zeroPadding1d');
  return new ZeroPadding1D(args);
}

/** Removes steps at the start and end of each sequence (Keras' Cropping1D). @example `km.layers.cropping1D({ cropping: [1, 2] })` */
export function cropping1D(args?: Cropping1DArgs): Cropping1D {
  checkOptions(args, CROPPING1D_OPTIONS, 'km.layers.cropping1D');
  return new Cropping1D(args);
}

/** Repeats each step of a sequence (Keras' UpSampling1D). @example `km.layers.upSampling1d({ size: 2 })` */
export function upSampling1d(args?: UpSampling1DArgs): UpSampling1D {
  checkOptions(args, UP_SAMPLING1D_OPTIONS, 'km.layers.upSampling1d');
  return new UpSampling1D(args);
}

/** Elementwise maximum of its inputs. @example `km.layers.maximum().apply([a, b])` */
export const maximum = mergeFactory((args?: MergeArgs): Maximum => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.maximum');
  return new Maximum(args);
});

/** Elementwise minimum of its inputs. @example `km.layers.minimum().apply([a, b])` */
export const minimum = mergeFactory((args?: MergeArgs): Minimum => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.minimum');
  return new Minimum(args);
});

/** First input minus the second, elementwise (exactly two inputs of one shape). @example `km.layers.subtract().apply([a, b])` */
export const subtract = mergeFactory((args?: MergeArgs): Subtract => {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.subtract');
  return new Subtract(args);
});

/** Passes its input (and its mask) on unchanged. @example `km.layers.identity().apply(x)` */
export function identity(args?: IdentityArgs): Identity {
  checkOptions(args, LAYER_OPTIONS, 'km.layers.identity');
  return new Identity(args);
}

/**
 * Passes its input on and adds l1·Σ|x| + l2·Σx² to the training loss, as Keras' ActivityRegularization.
 * @example `km.layers.activityRegularization({ l1: 1e-5 })`
 */
export function activityRegularization(args?: ActivityRegularizationArgs): ActivityRegularization {
  checkOptions(args, ACTIVITY_REGULARIZATION_OPTIONS, 'km.layers.activityRegularization');
  return new ActivityRegularization(args);
}

/** Dot product of two `[batch, f]` inputs. @example `km.layers.dot({ axes: 1 }).apply([a, b])` */
export function dot(args: DotArgs): Dot {
  checkRequiredOptions(args, DOT_OPTIONS, 'km.layers.dot');
  return new Dot(args);
}

/** y = x·scale + offset. @example `km.layers.rescaling({ scale: 1 / 255 })` */
export function rescaling(args: RescalingArgs): Rescaling {
  checkRequiredOptions(args, RESCALING_OPTIONS, 'km.layers.rescaling');
  return new Rescaling(args);
}

/** Adds Gaussian noise while training. @example `km.layers.gaussianNoise({ stddev: 0.1 })` */
export function gaussianNoise(args: GaussianNoiseArgs): GaussianNoise {
  checkRequiredOptions(args, GAUSSIAN_NOISE_OPTIONS, 'km.layers.gaussianNoise');
  return new GaussianNoise(args);
}

/** Multiplies by Gaussian noise of mean 1 while training. @example `km.layers.gaussianDropout({ rate: 0.2 })` */
export function gaussianDropout(args: NoiseRateArgs): GaussianDropout {
  checkRequiredOptions(args, GAUSSIAN_DROPOUT_OPTIONS, 'km.layers.gaussianDropout');
  return new GaussianDropout(args);
}

/** Dropout that keeps SELU's self-normalization. @example `km.layers.alphaDropout({ rate: 0.1 })` */
export function alphaDropout(args: AlphaDropoutArgs): AlphaDropout {
  checkRequiredOptions(args, ALPHA_DROPOUT_OPTIONS, 'km.layers.alphaDropout');
  return new AlphaDropout(args);
}

/** Drops whole channels of `[steps, channels]` samples while training. @example `km.layers.spatialDropout1d({ rate: 0.2 })` */
export function spatialDropout1d(args: SpatialDropout1DArgs): SpatialDropout1D {
  checkRequiredOptions(args, SPATIAL_DROPOUT1D_OPTIONS, 'km.layers.spatialDropout1d');
  return new SpatialDropout1D(args);
}

/** Drops whole feature maps of `[rows, cols, channels]` images while training. @example `km.layers.spatialDropout2d({ rate: 0.2 })` */
export function spatialDropout2d(args: SpatialDropoutArgs): SpatialDropout2D {
  checkRequiredOptions(args, SPATIAL_DROPOUT_OPTIONS, 'km.layers.spatialDropout2d');
  return new SpatialDropout2D(args);
}

/** Drops whole feature maps of `[dim1, dim2, dim3, channels]` volumes while training. @example `km.layers.spatialDropout3d({ rate: 0.2 })` */
export function spatialDropout3d(args: SpatialDropoutArgs): SpatialDropout3D {
  checkRequiredOptions(args, SPATIAL_DROPOUT_OPTIONS, 'km.layers.spatialDropout3d');
  return new SpatialDropout3D(args);
}

export {
  ActivityRegularization, AlphaDropout, Cropping1D, Cropping2D, Dot, GaussianDropout, GaussianNoise, Maximum, Minimum, Permute, RepeatVector, Rescaling, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, Identity, Subtract, UpSampling1D, ZeroPadding1D,
  type ActivityRegularizationArgs, type AlphaDropoutArgs, type Cropping1DArgs, type Cropping2DArgs, type DotArgs, type GaussianNoiseArgs, type NoiseRateArgs, type PermuteArgs, type RepeatVectorArgs, type RescalingArgs,
  type SpatialDropout1DArgs, type SpatialDropoutArgs, type SpatialDataFormat, type IdentityArgs, type UpSampling1DArgs, type ZeroPadding1DArgs,
};
