import { ConvTransposeLayer, type ConvTransposeArgs } from './conv_transpose.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { outputPaddingOf } from './transpose_window.js';
import { checkStridesWithDilation, dataFormatOf, filtersOf, padding1DOf, sequenceShape, singleOf, type DataFormat, type PaddingMode } from './window.js';
import { CONV1D_TRANSPOSE_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Conv1DTranspose}, with Keras' names and defaults. */
export interface Conv1DTransposeArgs extends ConvTransposeArgs {
  /** 'channelsLast' (the default: `[steps, channels]`) or 'channelsFirst' (`[channels, steps]`). */
  dataFormat?: DataFormat;
  /** Window length. */
  kernelSize: number | [number];
  /** Upsampling factor: the output is about `strides` times the input (default 1). */
  strides?: number | [number];
  /** Spacing between kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number];
  /**
   * Extra output steps at the end, below the stride (default null). With it the output length is
   * `(steps − 1)·stride + kernel − 2·pad + outputPadding`, pad being ⌊kernel / 2⌋ for 'same' and 0
   * for 'valid'.
   */
  outputPadding?: number | [number] | null;
}

/**
 * Keras' transposed 1-D convolution, the upsampling layer of sequence and audio decoders:
 * `activation(convᵀ(x, kernel) + bias)` over `[steps, channels]` inputs, the kernel shaped
 * `[kernelSize, filters, inChannels]` as Keras stores it. TensorFlow.js 4.22 has no such layer; a
 * saved model carries Keras 3's config. It runs as Conv2DTranspose over a sequence seen as an image
 * of height 1.
 *
 * @example
 * ```ts
 * const decoder = km.sequential([
 *   km.layers.conv1d({ filters: 16, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', inputShape: [64, 1] }),
 *   km.layers.conv1dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same' }),
 * ]);
 * decoder.outputs[0].shape; // [64, 1]
 * ```
 */
export class Conv1DTranspose extends ConvTransposeLayer {
  readonly className = 'Conv1DTranspose';
  readonly filters: number;
  readonly kernelSize: [number];
  readonly strides: [number];
  readonly dilationRate: [number];
  readonly padding: PaddingMode;
  readonly outputPadding: number[] | null;
  readonly dataFormat: DataFormat;

  constructor(args: Conv1DTransposeArgs) {
    super(args, 'Conv1DTranspose');
    const where = `Conv1DTranspose layer '${this.name}'`;
    this.filters = filtersOf(args.filters, where);
    this.kernelSize = [singleOf(args.kernelSize, 0, 'kernelSize', where)];
    this.strides = [singleOf(args.strides, 1, 'strides', where)];
    this.dilationRate = [singleOf(args.dilationRate, 1, 'dilationRate', where)];
    checkStridesWithDilation(this.strides, this.dilationRate, where);
    this.padding = padding1DOf(args.padding, where, false) as PaddingMode;
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
    this.outputPadding = outputPaddingOf(args.outputPadding, this.strides, where);
  }

  protected override spatialSizes(input: Shape): number[] {
    return sequenceShape(input, this.name, 'Conv1DTranspose').slice(0, 1);
  }

  /** As Keras 3 writes it: every field, dilationRate and outputPadding included. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dilationRate: this.dilationRate, outputPadding: this.outputPadding };
  }
}

registerBuiltinLayer('Conv1DTranspose', (config) => new Conv1DTranspose(config as unknown as Conv1DTransposeArgs));

/**
 * Keras' transposed 1-D convolution over `[steps, channels]` sequences, the upsampling layer of
 * sequence decoders; the kernel is `[kernelSize, filters, inChannels]`.
 * @example `km.layers.conv1dTranspose({ filters: 16, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' })`
 */
export function conv1dTranspose(args: Conv1DTransposeArgs): Conv1DTranspose {
  checkRequiredOptions(args, CONV1D_TRANSPOSE_OPTIONS, 'km.layers.conv1dTranspose');
  return new Conv1DTranspose(args);
}
