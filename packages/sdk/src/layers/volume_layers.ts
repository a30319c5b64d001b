// The km.layers factories of the 3-D (volume) layers, each checking its options. TensorFlow.js'
// names where it has the layer (conv3d, maxPooling3d, averagePooling3d), Keras' otherwise.
import { checkOptions } from '../utils/options.js';
import { Conv3D, type Conv3DArgs } from './conv3d.js';
import { Conv3DTranspose, type Conv3DTransposeArgs } from './conv3d_transpose.js';
import { Cropping3D, type Cropping3DArgs } from './cropping3d.js';
import { GlobalAveragePooling3D, GlobalMaxPooling3D, type GlobalPooling3DArgs } from './global_pooling3d.js';
import { checkRequiredOptions, CONV3D_OPTIONS, CONV3D_TRANSPOSE_OPTIONS, CROPPING3D_OPTIONS, GLOBAL_POOLING3D_OPTIONS, POOLING3D_OPTIONS, UP_SAMPLING3D_OPTIONS, ZERO_PADDING3D_OPTIONS } from './layer_options.js';
import { AveragePooling3D, MaxPooling3D, type Pooling3DArgs } from './pooling3d.js';
import { UpSampling3D, type UpSampling3DArgs } from './up_sampling3d.js';
import { ZeroPadding3D, type ZeroPadding3DArgs } from './zero_padding3d.js';

/** 3-D convolution over NDHWC volumes. @example `km.layers.conv3d({ filters: 16, kernelSize: 3, activation: 'relu' })` */
export function conv3d(args: Conv3DArgs): Conv3D {
  checkRequiredOptions(args, CONV3D_OPTIONS, 'km.layers.conv3d');
  return new Conv3D(args);
}

/**
 * Transposed 3-D convolution, the upsampling layer of volume decoders; the kernel is `[kD, kH, kW, filters, inChannels]`.
 * @example `km.layers.conv3dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })`
 */
export function conv3dTranspose(args: Conv3DTransposeArgs): Conv3DTranspose {
  checkRequiredOptions(args, CONV3D_TRANSPOSE_OPTIONS, 'km.layers.conv3dTranspose');
  return new Conv3DTranspose(args);
}

/** Max over 3-D windows. @example `km.layers.maxPooling3d({ poolSize: 2 })` */
export function maxPooling3d(args?: Pooling3DArgs): MaxPooling3D {
  checkOptions(args, POOLING3D_OPTIONS, 'km.layers.maxPooling3d');
  return new MaxPooling3D(args);
}

/** Mean over 3-D windows. @example `km.layers.averagePooling3d({ poolSize: [1, 2, 2] })` */
export function averagePooling3d(args?: Pooling3DArgs): AveragePooling3D {
  checkOptions(args, POOLING3D_OPTIONS, 'km.layers.averagePooling3d');
  return new AveragePooling3D(args);
}

/** Maximum of each channel over the volume, [d, h, w, c] to [c]. @example `km.layers.globalMaxPooling3d()` */
export function globalMaxPooling3d(args?: GlobalPooling3DArgs): GlobalMaxPooling3D {
  checkOptions(args, GLOBAL_POOLING3D_OPTIONS, 'km.layers.globalMaxPooling3d');
  return new GlobalMaxPooling3D(args);
}

/** Mean of each channel over the volume, [d, h, w, c] to [c]. @example `km.layers.globalAveragePooling3d()` */
export function globalAveragePooling3d(args?: GlobalPooling3DArgs): GlobalAveragePooling3D {
  checkOptions(args, GLOBAL_POOLING3D_OPTIONS, 'km.layers.globalAveragePooling3d');
  return new GlobalAveragePooling3D(args);
}

/** Zeros around each volume (Keras' ZeroPadding3D). @example `km.layers.zeroPadding3d({ padding: [1, 2, 2] })` */
export function zeroPadding3d(args?: ZeroPadding3DArgs): ZeroPadding3D {
  checkOptions(args, ZERO_PADDING3D_OPTIONS, 'km.layers.zeroPadding3d');
  return new ZeroPadding3D(args);
}

/** Removes planes, rows and columns at the sides of each volume (Keras' Cropping3D). @example `km.layers.cropping3D({ cropping: [0, 2, 2] })` */
export function cropping3D(args?: Cropping3DArgs): Cropping3D {
  checkOptions(args, CROPPING3D_OPTIONS, 'km.layers.cropping3D');
  return new Cropping3D(args);
}

/** Repeats each plane, row and column (Keras' UpSampling3D). @example `km.layers.upSampling3d({ size: 2 })` */
export function upSampling3d(args?: UpSampling3DArgs): UpSampling3D {
  checkOptions(args, UP_SAMPLING3D_OPTIONS, 'km.layers.upSampling3d');
  return new UpSampling3D(args);
}

export {
  AveragePooling3D, Conv3D, Conv3DTranspose, Cropping3D, GlobalAveragePooling3D, GlobalMaxPooling3D, MaxPooling3D, UpSampling3D, ZeroPadding3D,
  type Conv3DArgs, type Conv3DTransposeArgs, type Cropping3DArgs, type GlobalPooling3DArgs, type Pooling3DArgs, type UpSampling3DArgs, type ZeroPadding3DArgs,
};

/** tfjs' name for `averagePooling3d`. @example `km.layers.avgPool3d({ poolSize: 2 })` */
export const avgPool3d = averagePooling3d;

/** tfjs' name for `averagePooling3d`. */
export const avgPooling3d = averagePooling3d;
