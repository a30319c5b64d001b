import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise_conv2d.js';
import { convolvedSequenceAsImage } from './image_layer.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { imageRowWindowConfig, windowAsImageRow, type Window1DSizes } from './window.js';
import { DEPTHWISE_CONV1D_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link DepthwiseConv1D}, with Keras 3's defaults. */
export type DepthwiseConv1DArgs = Omit<DepthwiseConv2DArgs, 'kernelSize' | 'strides' | 'dilationRate'> & Window1DSizes;

/**
 * Keras 3's DepthwiseConv1D over `[steps, channels]` sequences (TensorFlow.js 4.22 has none):
 * each channel convolved along the steps with its own `depthMultiplier` filters, no mixing across
 * channels; output channel `c·depthMultiplier + j` is filter j of input channel c. Keras' weights:
 * `depthwise_kernel [kernelSize, inChannels, depthMultiplier]` and `bias [inChannels·depthMultiplier]`.
 * It runs as DepthwiseConv2D over the sequence seen as an image of height 1, whose kernel has the
 * same memory layout.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [100, 8] });
 * km.layers.depthwiseConv1d({ kernelSize: 5, depthMultiplier: 2, padding: 'same', activation: 'relu' }).apply(x).shape; // [100, 16]
 * ```
 */
export class DepthwiseConv1D extends DepthwiseConv2D {
  override readonly className: string = 'DepthwiseConv1D';

  constructor(args: DepthwiseConv1DArgs) {
    super({ ...args, ...windowAsImageRow(args, 'DepthwiseConv1D') }, 'DepthwiseConv1D');
  }

  protected override imageOf(input: Shape): [number, number, number] {
    return convolvedSequenceAsImage(input, this);
  }

  protected override shapeOf(_h: number, w: number, c: number): Shape {
    return [w, c];
  }

  protected override kernelShape(channels: number): Shape {
    return [this.kernelSize[1], channels, this.depthMultiplier];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...imageRowWindowConfig(this) };
  }
}

registerBuiltinLayer('DepthwiseConv1D', (config) => new DepthwiseConv1D(config as unknown as DepthwiseConv1DArgs));

/**
 * Keras 3's depthwise 1-D convolution over `[steps, channels]` sequences: each channel with its own
 * `depthMultiplier` filters; the kernel is `[kernelSize, inChannels, depthMultiplier]`.
 * @example `km.layers.depthwiseConv1d({ kernelSize: 5, depthMultiplier: 2, padding: 'same' })`
 */
export function depthwiseConv1d(args: DepthwiseConv1DArgs): DepthwiseConv1D {
  checkRequiredOptions(args, DEPTHWISE_CONV1D_OPTIONS, 'km.layers.depthwiseConv1d');
  return new DepthwiseConv1D(args);
}
