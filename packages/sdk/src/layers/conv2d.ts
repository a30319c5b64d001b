import { ConvGemmLayer, type ConvGemmArgs } from './conv_gemm.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { convWindowOf, filtersOf, groupsOf, imageShape, type DataFormat, type PaddingMode, sampleGeometry, type SampleGeometry } from './window.js';
import { CONV2D_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Conv2D}, with Keras' defaults. */
export interface Conv2DArgs extends ConvGemmArgs {
  /** Number of output channels. */
  filters: number;
  /** Window height and width (one number for a square window). */
  kernelSize: number | [number, number];
  /** Step between windows (default 1). */
  strides?: number | [number, number];
  /** 'valid' (no padding, default) or 'same' (output size ⌈input / stride⌉). */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number, number];
  /**
   * 'channelsLast' (the default: `[height, width, channels]`, NHWC) or 'channelsFirst'
   * (`[channels, height, width]`, NCHW; transposed around the same kernels).
   */
  dataFormat?: DataFormat;
  /**
   * Channel groups (default 1), as in Keras: input channels and filters are split into `groups`
   * groups and group g's filters see only group g's channels (ResNeXt's grouped convolution);
   * the kernel is `[kH, kW, inChannels / groups, filters]`. Both inChannels and filters must be
   * divisible by it.
   */
  groups?: number;
}

/**
 * 2-D convolution over `[height, width, channels]` inputs (`[channels, height, width]` with
 * `dataFormat: 'channelsFirst'`): `activation(conv(x, kernel) + bias)`, the kernel shaped
 * `[kH, kW, inChannels, filters]` as in Keras whatever the data format. Runs as im2col + the
 * packed GEMM. With LoRA (`loraRank`, or {@link Conv2D.enableLora}) the kernel is frozen and the
 * layer convolves with kernel + (loraAlpha / loraRank)·A·B, training A `[kH, kW, inChannels, loraRank]`
 * and B `[loraRank, filters]`, as Keras 3 does.
 *
 * @example
 * ```ts
 * // ResNeXt-style grouped convolution: 32 groups, each 4 filters over 4 of the 128 input channels.
 * km.layers.conv2d({ filters: 128, kernelSize: 3, padding: 'same', groups: 32, activation: 'relu' });
 * ```
 */
export class Conv2D extends ConvGemmLayer {
  readonly className: string = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly groups: number;
  readonly dataFormat: DataFormat;

  /** `className` is the subclass' (Conv1D runs as a Conv2D over images of height 1). */
  constructor(args: Conv2DArgs, className = 'Conv2D') {
    super(args, className);
    this.filters = filtersOf(args.filters, `${className} layer '${this.name}'`);
    this.groups = groupsOf(args.groups, this.filters, `${className} layer '${this.name}'`);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, dataFormat: this.dataFormat } = convWindowOf(args, className, this.name, true));
  }

  /** The window over one sample of the given input shape; Conv1D overrides it to see a sequence as an image of height 1. */
  protected override sampleGeometry(input: Shape): SampleGeometry {
    return sampleGeometry(imageShape(input, this.name, 'Conv2D'), this.kernelSize, this.strides, this.dilationRate, this.padding, this.name);
  }

  /** The output shape for a window geometry: [outH, outW, filters]. */
  protected override outputShapeOf(g: SampleGeometry): Shape {
    return [g.outH, g.outW, this.filters];
  }
}

registerBuiltinLayer('Conv2D', (config) => new Conv2D(config as unknown as Conv2DArgs));

/** 2-D convolution over NHWC images. @example `km.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' })` */
export function conv2d(args: Conv2DArgs): Conv2D {
  checkRequiredOptions(args, CONV2D_OPTIONS, 'km.layers.conv2d');
  return new Conv2D(args);
}
