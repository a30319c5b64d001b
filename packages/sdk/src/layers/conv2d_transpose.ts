import { ConvTransposeLayer, type ConvTransposeArgs } from './conv_transpose.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { outputPaddingOf } from './transpose_window.js';
import { convWindowOf, filtersOf, imageShape, type DataFormat, type PaddingMode } from './window.js';
import { CONV2D_TRANSPOSE_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Conv2DTranspose}, with Keras' defaults and TensorFlow.js' names. */
export interface Conv2DTransposeArgs extends ConvTransposeArgs {
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
  /** Window height and width (one number for a square window). */
  kernelSize: number | [number, number];
  /** Upsampling factor: the output is about `strides` times the input (default 1). */
  strides?: number | [number, number];
  /**
   * Spacing between kernel taps (default 1), as in Keras; strides must be 1 when it is above 1.
   * TensorFlow.js 4.22 ignores it, so tfjs cannot run a model saved with it.
   */
  dilationRate?: number | [number, number];
  /**
   * Keras' extra output rows and columns at the bottom and right, each below its stride (default
   * null: the output size given under `padding`). With it the output is
   * `(in − 1)·stride + kernel − 2·pad + outputPadding`, pad being ⌊kernel / 2⌋ for 'same' and 0 for
   * 'valid'. TensorFlow.js 4.22 has no such option.
   */
  outputPadding?: number | [number, number] | null;
}

/**
 * Transposed 2-D convolution (sometimes called deconvolution), the upsampling layer of decoders,
 * autoencoders and GANs: `activation(convᵀ(x, kernel) + bias)` over `[height, width, channels]`
 * inputs, the kernel shaped `[kH, kW, filters, inChannels]` as Keras and TensorFlow.js store it.
 *
 * @example
 * ```ts
 * const decoder = km.sequential([
 *   km.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
 *   km.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
 * ]);
 * decoder.outputs[0].shape; // [28, 28, 1]
 * ```
 */
export class Conv2DTranspose extends ConvTransposeLayer {
  readonly className = 'Conv2DTranspose';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly padding: PaddingMode;
  readonly outputPadding: number[] | null;
  readonly dataFormat: DataFormat;

  constructor(args: Conv2DTransposeArgs) {
    super(args, 'Conv2DTranspose');
    const where = `Conv2DTranspose layer '${this.name}'`;
    this.filters = filtersOf(args.filters, where);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, dataFormat: this.dataFormat } = convWindowOf(args, 'Conv2DTranspose', this.name, true));
    this.outputPadding = outputPaddingOf(args.outputPadding, this.strides, where);
  }

  protected override spatialSizes(input: Shape): number[] {
    return imageShape(input, this.name, 'Conv2DTranspose').slice(0, 2);
  }
}

registerBuiltinLayer('Conv2DTranspose', (config) => new Conv2DTranspose(config as unknown as Conv2DTransposeArgs));

/**
 * Transposed 2-D convolution, the upsampling layer of decoders and GANs; the kernel is `[kH, kW, filters, inChannels]`.
 * @example `km.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })`
 */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  checkRequiredOptions(args, CONV2D_TRANSPOSE_OPTIONS, 'km.layers.conv2dTranspose');
  return new Conv2DTranspose(args);
}
