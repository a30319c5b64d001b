import { ConvGemmLayer, type ConvGemmArgs } from './conv_gemm.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { checkStridesWithDilation, filtersOf, groupsOf, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';
import { tripleOf, volumeGeometry, volumeShape, volumeWindowOf, type Triple } from './volume.js';
import { CONV3D_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Conv3D}, with Keras' defaults. */
export interface Conv3DArgs extends ConvGemmArgs {
  /** Number of output channels. */
  filters: number;
  /** Window depth, height and width (one number for a cube). */
  kernelSize: number | Triple;
  /** Step between windows (default 1). */
  strides?: number | Triple;
  /** 'valid' (no padding, default) or 'same' (output size ⌈input / stride⌉ on each axis). */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | Triple;
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
  /**
   * Channel groups (default 1), as in Keras: group g's filters see only group g's input channels;
   * the kernel is `[kD, kH, kW, inChannels / groups, filters]`. Both inChannels and filters must
   * be divisible by it.
   */
  groups?: number;
}

/**
 * 3-D convolution over `[depth, height, width, channels]` inputs (video clips, medical scans):
 * `activation(conv(x, kernel) + bias)`, the kernel shaped `[kD, kH, kW, inChannels, filters]` as in
 * Keras. Runs as im2col over the volume + the packed GEMM, like Conv2D. With LoRA (`loraRank`, or
 * {@link Conv3D.enableLora}) the kernel is frozen and the layer convolves with kernel +
 * (loraAlpha / loraRank)·A·B, training A `[kD, kH, kW, inChannels, loraRank]` and B `[loraRank, filters]`, as Keras 3 does.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.conv3d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [8, 16, 16, 1] }),
 *   km.layers.maxPooling3d({ poolSize: 2 }),
 *   km.layers.globalAveragePooling3d(),
 *   km.layers.dense({ units: 2, activation: 'softmax' }),
 * ]);
 * ```
 */
export class Conv3D extends ConvGemmLayer {
  readonly className: string = 'Conv3D';
  readonly filters: number;
  readonly kernelSize: Triple;
  readonly strides: Triple;
  readonly padding: PaddingMode;
  readonly dilationRate: Triple;
  readonly groups: number;
  readonly dataFormat: DataFormat;

  constructor(args: Conv3DArgs) {
    super(args, 'Conv3D');
    const where = `Conv3D layer '${this.name}'`;
    this.filters = filtersOf(args.filters, where);
    this.groups = groupsOf(args.groups, this.filters, where);
    this.kernelSize = tripleOf(args.kernelSize, 0, 'kernelSize', where);
    ({ strides: this.strides, padding: this.padding, dataFormat: this.dataFormat } = volumeWindowOf(args, [1, 1, 1], where, this.name));
    this.dilationRate = tripleOf(args.dilationRate, 1, 'dilationRate', where);
    checkStridesWithDilation(this.strides, this.dilationRate, where);
  }

  protected override sampleGeometry(input: Shape): SampleGeometry {
    return volumeGeometry(volumeShape(input, this.name, 'Conv3D'), this.kernelSize, this.strides, this.dilationRate, this.padding, this.name);
  }

  protected override outputShapeOf(g: SampleGeometry): Shape {
    return [g.outD!, g.outH, g.outW, this.filters];
  }
}

registerBuiltinLayer('Conv3D', (config) => new Conv3D(config as unknown as Conv3DArgs));

/** 3-D convolution over NDHWC volumes. @example `km.layers.conv3d({ filters: 16, kernelSize: 3, activation: 'relu' })` */
export function conv3d(args: Conv3DArgs): Conv3D {
  checkRequiredOptions(args, CONV3D_OPTIONS, 'km.layers.conv3d');
  return new Conv3D(args);
}
