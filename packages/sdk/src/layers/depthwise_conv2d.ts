import type { WindowGeometry } from '../backend/backend.js';
import type { ConstraintSpec } from '../constraints/constraints.js';
import type { InitializerSpec } from '../initializers/initializers.js';
import type { RegularizerSpec } from '../regularizers/regularizers.js';
import { FormattedKernelLayer } from './formatted_kernel_layer.js';
import { activationBiasBackward, biasActivationForward, productBuffer, type BiasLayerArgs } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { convWindowOf, imageShape, type DataFormat, type PaddingMode, sampleGeometry, type SampleGeometry } from './window.js';
import type { LayerWeight } from './layer_weight.js';
import { DEPTHWISE_CONV2D_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link DepthwiseConv2D}, with Keras' defaults. */
export interface DepthwiseConv2DArgs extends BiasLayerArgs {
  /** Window height and width (one number for a square window). */
  kernelSize: number | [number, number];
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Step between windows along height and width (default 1; one number for both). */
  strides?: number | [number, number];
  /** 'valid' (the default: windows only where they fit) or 'same' (zero-padded so the output is input / strides, rounded up). */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number, number];
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
  /** Initializer of the depthwise kernel (default glorotUniform). */
  depthwiseInitializer?: InitializerSpec;
  /** Penalty on the depthwise kernel, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  depthwiseRegularizer?: RegularizerSpec;
  /**
   * Applied to the depthwise kernel, shaped `[kH, kW, inChannels, depthMultiplier]`, after each
   * optimizer step. Norm constraints take their norm over `axis` (default 0, as in Keras); for one
   * norm per filter give the window axes, e.g. `km.constraints.maxNorm({ maxValue: 2, axis: [0, 1] })`.
   */
  depthwiseConstraint?: ConstraintSpec;
}

/**
 * Convolves each input channel with its own `depthMultiplier` filters (no mixing across
 * channels); output channel `c·depthMultiplier + j` is filter j of input channel c, as in Keras.
 * The kernel is `[kH, kW, inChannels, depthMultiplier]`. Runs as im2col plus a per-channel product.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [28, 28, 8] });
 * km.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(x).shape; // [28, 28, 16]
 * // Weight decay and a norm cap per filter:
 * km.layers.depthwiseConv2d({ kernelSize: 3, depthwiseRegularizer: km.regularizers.l2({ l2: 1e-4 }), depthwiseConstraint: km.constraints.maxNorm({ axis: [0, 1] }) });
 * ```
 */
export class DepthwiseConv2D extends FormattedKernelLayer {
  readonly className: string = 'DepthwiseConv2D';
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly dataFormat: DataFormat;
  #geometry: SampleGeometry | null = null;

  /** `className` is the subclass' (DepthwiseConv1D runs as this layer over images of height 1). */
  constructor(args: DepthwiseConv2DArgs, className = 'DepthwiseConv2D') {
    super(args, className, 'depthwise');
    this.depthMultiplier = depthMultiplierOf(args.depthMultiplier, `${className} layer '${this.name}'`);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, dataFormat: this.dataFormat } = convWindowOf(args, className, this.name, true));
  }

  /** The input as an image [height, width, channels] (DepthwiseConv1D: a sequence as an image of height 1). */
  protected imageOf(input: Shape): [number, number, number] {
    return imageShape(input, this.name, this.className);
  }

  /** The output shape of an image of this size. */
  protected shapeOf(h: number, w: number, c: number): Shape {
    return [h, w, c];
  }

  /** The depthwise kernel's shape as Keras stores it, for `channels` input channels. */
  protected kernelShape(channels: number): Shape {
    return [...this.kernelSize, channels, this.depthMultiplier];
  }

  #sampleGeometry(input: Shape): SampleGeometry {
    return sampleGeometry(this.imageOf(input), this.kernelSize, this.strides, this.dilationRate, this.padding, this.name);
  }

  protected channelsLastOutputShape(input: Shape): Shape {
    const g = this.#sampleGeometry(input);
    return this.shapeOf(g.outH, g.outW, g.channels * this.depthMultiplier);
  }

  /** The depthwise kernel weight (tfjs' `layer.depthwiseKernel`); undefined until the layer is built. */
  get depthwiseKernel(): LayerWeight | undefined {
    return this.weightNamed('depthwise_kernel');
  }

  protected buildChannelsLast(input: Shape): void {
    this.#geometry = this.#sampleGeometry(input);
    this.addWeight('depthwise_kernel', this.kernelShape(this.#geometry.channels), this.kernelInitializer);
    if (this.useBias) this.addWeight('bias', [this.#geometry.channels * this.depthMultiplier], this.biasInitializer);
  }

  get #taps(): number {
    return this.kernelSize[0] * this.kernelSize[1];
  }

  /** Floats of im2col columns for a batch, at the start of the workspace (the pre-activation, when kept, follows). */
  #columnFloats(batch: number): number {
    const g = this.#geometry!;
    return batch * g.outH * g.outW * this.#taps * g.channels;
  }

  /** The columns, then the kept pre-activation. */
  protected channelsLastWorkspaceSize(batch: number): number {
    const g = this.#geometry!;
    return this.#columnFloats(batch) + this.preActivationFloats(batch * g.outH * g.outW * g.channels * this.depthMultiplier);
  }

  #batchGeometry(batch: number): WindowGeometry {
    return { ...this.#geometry!, batch };
  }

  protected forwardChannelsLast(ctx: ForwardContext): void {
    const { backend, batch, inputs, weights, workspace } = ctx;
    const g = this.#batchGeometry(batch);
    const rows = batch * g.outH * g.outW;
    const outChannels = g.channels * this.depthMultiplier;
    // An activation that needs its input gets z kept in the workspace, after the columns.
    const product = productBuffer(ctx, this.activation, this.#columnFloats(batch), rows * outChannels);
    backend.im2col(inputs[0], workspace, g);
    backend.depthwiseForward(workspace, weights[0], product, rows, this.#taps, g.channels, this.depthMultiplier);
    biasActivationForward(ctx, this.activation, this.useBias, rows, outChannels, product);
  }

  protected backwardChannelsLast(ctx: BackwardContext): void {
    const { backend, batch, outputGrad, inputGrads, weights, weightGrads, workspace } = ctx;
    const g = this.#batchGeometry(batch);
    const rows = batch * g.outH * g.outW;
    const outChannels = g.channels * this.depthMultiplier;
    activationBiasBackward(ctx, this.activation, this.useBias, rows, outChannels, this.#columnFloats(batch));
    // The columns' gradient overwrites the columns (read first, row by row), then col2im; a frozen layer gets no kernel gradient.
    const dCols = inputGrads[0] ? workspace : 0;
    backend.depthwiseBackward(workspace, weights[0], outputGrad, dCols, ctx.weightGradsNeeded ? weightGrads[0] : 0, rows, this.#taps, g.channels, this.depthMultiplier);
    if (inputGrads[0]) backend.col2im(workspace, inputGrads[0], g);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), kernelSize: this.kernelSize, depthMultiplier: this.depthMultiplier, strides: this.strides, padding: this.padding,
      dataFormat: this.dataFormat, dilationRate: this.dilationRate,
      ...this.kernelBiasLayerConfig(),
    };
  }
}

/** Validates a depthwise multiplier (DepthwiseConv2D, SeparableConv2D); `where` names the layer. */
export function depthMultiplierOf(value: number | undefined, where: string): number {
  const multiplier = value ?? 1;
  if (!Number.isInteger(multiplier) || multiplier < 1) {
    throw new Error(`${where}: depthMultiplier must be a positive integer. Received: depthMultiplier=${JSON.stringify(value)}.`);
  }
  return multiplier;
}

registerBuiltinLayer('DepthwiseConv2D', (config) => new DepthwiseConv2D(config as unknown as DepthwiseConv2DArgs));

/** Convolves each channel with its own filters. @example `km.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 })` */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  checkRequiredOptions(args, DEPTHWISE_CONV2D_OPTIONS, 'km.layers.depthwiseConv2d');
  return new DepthwiseConv2D(args);
}
