import { Conv2D, type Conv2DArgs } from './conv2d.js';
import type { ConvGemmArgs } from './conv_gemm.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { withoutDefaultDataFormat } from './channel_axis.js';
import { padding1DOf, sequenceGeometry, sequenceShape, singleOf, type DataFormat, type PaddingMode1D, type SampleGeometry } from './window.js';
import { CONV1D_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Conv1D}, with Keras' defaults. */
export interface Conv1DArgs extends ConvGemmArgs {
  /** Number of output channels. */
  filters: number;
  /** Window length. */
  kernelSize: number | [number];
  /** Step between windows (default 1). */
  strides?: number | [number];
  /** 'valid' (default), 'same' (output length ⌈steps / stride⌉) or 'causal' (zeros on the left only: output t sees inputs up to t). */
  padding?: PaddingMode1D;
  /** Spacing between kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number];
  /** 'channelsLast' (the default: `[steps, channels]`) or 'channelsFirst' (`[channels, steps]`). */
  dataFormat?: DataFormat;
  /**
   * Channel groups (default 1), as in Keras: group g's filters see only group g's input channels;
   * the kernel is `[kernelSize, inChannels / groups, filters]`. Both inChannels and filters must
   * be divisible by it.
   */
  groups?: number;
}

/** The Conv2D options of the same convolution over an image of height 1. */
function asConv2D(args: Conv1DArgs): Conv2DArgs {
  const where = `Conv1D layer${args.name ? ` '${args.name}'` : ''}`;
  const padding = padding1DOf(args.padding, where, true);
  return {
    ...args,
    kernelSize: [1, singleOf(args.kernelSize, 0, 'kernelSize', where)],
    strides: [1, singleOf(args.strides, 1, 'strides', where)],
    dilationRate: [1, singleOf(args.dilationRate, 1, 'dilationRate', where)],
    padding: padding === 'causal' ? 'valid' : padding,
  };
}

/**
 * 1-D convolution over `[steps, channels]` inputs (text, audio, time series):
 * `activation(conv(x, kernel) + bias)`, the kernel shaped `[kernelSize, inChannels, filters]` as in
 * Keras. It runs as Conv2D over a sequence seen as an image of height 1, whose kernel
 * `[1, k, in, out]` has the same memory layout. With LoRA (`loraRank`, or {@link Conv1D.enableLora})
 * the kernel is frozen and the layer convolves with kernel + (loraAlpha / loraRank)·A·B, training
 * A `[kernelSize, inChannels, loraRank]` and B `[loraRank, filters]`, as Keras 3 does.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.embedding({ inputDim: 20000, outputDim: 128, inputShape: [500] }),
 *   km.layers.conv1d({ filters: 128, kernelSize: 7, strides: 3, activation: 'relu' }),
 *   km.layers.globalMaxPooling1d(),
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * ```
 */
export class Conv1D extends Conv2D {
  override readonly className: string = 'Conv1D';
  /** The padding as given: 'causal' runs as 'valid' with zeros on the left. */
  readonly padding1D: PaddingMode1D;

  constructor(args: Conv1DArgs) {
    super(asConv2D(args), 'Conv1D');
    this.padding1D = args.padding ?? 'valid';
  }

  protected override sampleGeometry(input: Shape): SampleGeometry {
    const sequence = sequenceShape(input, this.name, 'Conv1D');
    return sequenceGeometry(sequence, this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding1D, this.name);
  }

  protected override outputShapeOf(g: SampleGeometry): Shape {
    return [g.outW, this.filters];
  }

  protected override kernelShape(channels: number): Shape {
    return [this.kernelSize[1], channels, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    // TensorFlow.js writes 1-D sizes as lists of one.
    return { ...withoutDefaultDataFormat(super.getConfig()), kernelSize: [this.kernelSize[1]], strides: [this.strides[1]], padding: this.padding1D, dilationRate: [this.dilationRate[1]] };
  }
}

registerBuiltinLayer('Conv1D', (config) => new Conv1D(config as unknown as Conv1DArgs));

/** 1-D convolution over [steps, channels] sequences. @example `km.layers.conv1d({ filters: 128, kernelSize: 7, activation: 'relu' })` */
export function conv1d(args: Conv1DArgs): Conv1D {
  checkRequiredOptions(args, CONV1D_OPTIONS, 'km.layers.conv1d');
  return new Conv1D(args);
}
