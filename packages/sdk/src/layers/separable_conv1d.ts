import { convolvedSequenceAsImage } from './image_layer.js';
import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable_conv2d.js';
import { imageRowWindowConfig, windowAsImageRow, type Window1DSizes } from './window.js';
import { SEPARABLE_CONV1D_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link SeparableConv1D}, with Keras' defaults and TensorFlow.js-style names. */
export type SeparableConv1DArgs = Omit<SeparableConv2DArgs, 'kernelSize' | 'strides' | 'dilationRate'> & Window1DSizes;

/**
 * Depthwise separable 1-D convolution over `[steps, channels]` sequences (Keras' SeparableConv1D;
 * TensorFlow.js 4.22 has none): each channel convolved along the steps with its own
 * `depthMultiplier` filters, then a pointwise convolution mixing the channels, the bias and the
 * activation. Keras' weights: `depthwise_kernel [kernelSize, in, depthMultiplier]`,
 * `pointwise_kernel [1, in·depthMultiplier, filters]`, `bias [filters]`. It runs as SeparableConv2D
 * over the sequence seen as an image of height 1, whose kernels have the same memory layout.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.embedding({ inputDim: 5000, outputDim: 64, inputShape: [200] }),
 *   km.layers.separableConv1d({ filters: 64, kernelSize: 5, activation: 'relu' }),
 *   km.layers.globalMaxPooling1d(),
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * ```
 */
export class SeparableConv1D extends SeparableConv2D {
  override readonly className: string = 'SeparableConv1D';

  constructor(args: SeparableConv1DArgs) {
    super({ ...args, ...windowAsImageRow(args, 'SeparableConv1D') }, 'SeparableConv1D');
  }

  protected override imageOf(input: Shape): [number, number, number] {
    return convolvedSequenceAsImage(input, this);
  }

  protected override shapeOf(_h: number, w: number, c: number): Shape {
    return [w, c];
  }

  protected override kernelShapes(channels: number): [Shape, Shape] {
    return [[this.kernelSize[1], channels, this.depthMultiplier], [1, channels * this.depthMultiplier, this.filters]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...imageRowWindowConfig(this) };
  }
}

registerBuiltinLayer('SeparableConv1D', (config) => new SeparableConv1D(config as unknown as SeparableConv1DArgs));

/**
 * Depthwise separable 1-D convolution over `[steps, channels]` sequences (Keras' SeparableConv1D).
 * @example `km.layers.separableConv1d({ filters: 64, kernelSize: 5, activation: 'relu' })`
 */
export function separableConv1d(args: SeparableConv1DArgs): SeparableConv1D {
  checkRequiredOptions(args, SEPARABLE_CONV1D_OPTIONS, 'km.layers.separableConv1d');
  return new SeparableConv1D(args);
}
