import { ConvTransposeLayer, type ConvTransposeArgs } from './conv_transpose.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { outputPaddingOf } from './transpose_window.js';
import { tripleOf, volumeShape, volumeWindowOf, type Triple } from './volume.js';
import { checkStridesWithDilation, filtersOf, type DataFormat, type PaddingMode } from './window.js';
import { CONV3D_TRANSPOSE_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Conv3DTranspose}, with Keras' defaults and TensorFlow.js' names. */
export interface Conv3DTransposeArgs extends ConvTransposeArgs {
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
  /** Window depth, height and width (one number for a cube). */
  kernelSize: number | Triple;
  /** Upsampling factor per axis: the output is about `strides` times the input (default 1). */
  strides?: number | Triple;
  /**
   * Spacing between kernel taps (default 1), as in Keras; strides must be 1 when it is above 1.
   * TensorFlow.js 4.22 ignores it, so tfjs cannot run a model saved with it.
   */
  dilationRate?: number | Triple;
  /**
   * Keras' extra output planes, rows and columns at the end of each axis, each below its stride
   * (default null). With it the output is `(in − 1)·stride + kernel − 2·pad + outputPadding`, pad
   * being ⌊kernel / 2⌋ for 'same' and 0 for 'valid'. TensorFlow.js 4.22 has no such option.
   */
  outputPadding?: number | Triple | null;
}

/**
 * Transposed 3-D convolution, the upsampling layer of volume and video decoders:
 * `activation(convᵀ(x, kernel) + bias)` over `[depth, height, width, channels]` inputs, the kernel
 * shaped `[kD, kH, kW, filters, inChannels]` as Keras and TensorFlow.js store it. Runs as a GEMM
 * then col2im over the volume, like Conv2DTranspose.
 *
 * @example
 * ```ts
 * const autoencoder = km.sequential([
 *   km.layers.conv3d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [8, 16, 16, 1] }),
 *   km.layers.conv3dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
 * ]);
 * autoencoder.outputs[0].shape; // [8, 16, 16, 1]
 * ```
 */
export class Conv3DTranspose extends ConvTransposeLayer {
  readonly className = 'Conv3DTranspose';
  readonly filters: number;
  readonly kernelSize: Triple;
  readonly strides: Triple;
  readonly dilationRate: Triple;
  readonly padding: PaddingMode;
  readonly outputPadding: number[] | null;
  readonly dataFormat: DataFormat;

  constructor(args: Conv3DTransposeArgs) {
    super(args, 'Conv3DTranspose');
    const where = `Conv3DTranspose layer '${this.name}'`;
    this.filters = filtersOf(args.filters, where);
    this.kernelSize = tripleOf(args.kernelSize, 0, 'kernelSize', where);
    ({ strides: this.strides, padding: this.padding, dataFormat: this.dataFormat } = volumeWindowOf(args, [1, 1, 1], where, this.name));
    this.dilationRate = tripleOf(args.dilationRate, 1, 'dilationRate', where);
    checkStridesWithDilation(this.strides, this.dilationRate, where);
    this.outputPadding = outputPaddingOf(args.outputPadding, this.strides, where);
  }

  protected override spatialSizes(input: Shape): number[] {
    return volumeShape(input, this.name, 'Conv3DTranspose').slice(0, 3);
  }
}

registerBuiltinLayer('Conv3DTranspose', (config) => new Conv3DTranspose(config as unknown as Conv3DTransposeArgs));

/**
 * Transposed 3-D convolution, the upsampling layer of volume decoders; the kernel is `[kD, kH, kW, filters, inChannels]`.
 * @example `km.layers.conv3dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })`
 */
export function conv3dTranspose(args: Conv3DTransposeArgs): Conv3DTranspose {
  checkRequiredOptions(args, CONV3D_TRANSPOSE_OPTIONS, 'km.layers.conv3dTranspose');
  return new Conv3DTranspose(args);
}
