import type { BufferId } from '../backend/backend.js';
import type { Constraint, ConstraintSpec } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import type { Regularizer, RegularizerSpec } from '../regularizers/regularizers.js';
import { Conv2D } from './conv2d.js';
import { DepthwiseConv2D, depthMultiplierOf } from './depthwise_conv2d.js';
import { FormattedKernelLayer } from './formatted_kernel_layer.js';
import type { BiasLayerArgs } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerWeight } from './layer_weight.js';
import { registerBuiltinLayer } from './registry.js';
import { weightOptions, weightOptionsConfig, type WeightOptions } from './weight_options.js';
import { convWindowOf, filtersOf, imageShape, type DataFormat, type PaddingMode } from './window.js';
import { SEPARABLE_CONV2D_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link SeparableConv2D}, with Keras' defaults and TensorFlow.js' names. */
export interface SeparableConv2DArgs extends BiasLayerArgs {
  /** Number of output channels (of the pointwise convolution). */
  filters: number;
  /** Depthwise window height and width (one number for a square window). */
  kernelSize: number | [number, number];
  /** Depthwise output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Step between windows along height and width (default 1; one number for both). */
  strides?: number | [number, number];
  /** 'valid' (the default: windows only where they fit) or 'same' (zero-padded so the output is input / strides, rounded up). */
  padding?: PaddingMode;
  /** Spacing between depthwise kernel taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number, number];
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
  /** Initializer of the depthwise kernel (default glorotUniform). */
  depthwiseInitializer?: InitializerSpec;
  /** Initializer of the pointwise kernel (default glorotUniform). */
  pointwiseInitializer?: InitializerSpec;
  /** Penalty on the depthwise kernel, e.g. `km.regularizers.l2({ l2: 1e-4 })`. */
  depthwiseRegularizer?: RegularizerSpec;
  /** Penalty on the pointwise kernel. */
  pointwiseRegularizer?: RegularizerSpec;
  /** Applied to the depthwise kernel `[kH, kW, inChannels, depthMultiplier]` after each optimizer step. */
  depthwiseConstraint?: ConstraintSpec;
  /** Applied to the pointwise kernel `[1, 1, inChannels·depthMultiplier, filters]` after each optimizer step. */
  pointwiseConstraint?: ConstraintSpec;
}

/**
 * Depthwise separable 2-D convolution, the building block of mobile-style networks: a
 * DepthwiseConv2D (each input channel convolved with its own `depthMultiplier` filters) followed by
 * a 1×1 Conv2D that mixes the channels, then the bias and activation, in one layer with Keras'
 * weights `depthwise_kernel` `[kH, kW, in, depthMultiplier]`, `pointwise_kernel`
 * `[1, 1, in·depthMultiplier, filters]` and `bias` `[filters]`. It runs the two layers' own kernels
 * on an intermediate buffer it keeps from the forward to the backward pass.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [32, 32, 16] });
 * km.layers.separableConv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x).shape; // [32, 32, 32]
 * ```
 */
export class SeparableConv2D extends FormattedKernelLayer {
  readonly className: string = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  /** Regularizer and constraint of the pointwise kernel (the depthwise one's are `options.kernel`). */
  readonly pointwiseOptions: WeightOptions;
  readonly #pointwiseInitializerSpec: InitializerSpec;
  readonly #pointwiseInitializer: Initializer;
  readonly #depthwise: DepthwiseConv2D;
  readonly #pointwise: Conv2D;
  readonly dataFormat: DataFormat;
  /** Floats per sample of the depthwise output (and of its gradient). */
  #middle = 0;

  /** `className` is the subclass' (SeparableConv1D runs as this layer over images of height 1). */
  constructor(args: SeparableConv2DArgs, className = 'SeparableConv2D') {
    super(args, className, 'depthwise');
    const where = `${className} layer '${this.name}'`;
    this.filters = filtersOf(args.filters, where);
    this.depthMultiplier = depthMultiplierOf(args.depthMultiplier, where);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, dataFormat: this.dataFormat } = convWindowOf(args, className, this.name, true));
    this.pointwiseOptions = weightOptions(args, 'pointwise', where);
    this.#pointwiseInitializerSpec = args.pointwiseInitializer ?? 'glorotUniform';
    this.#pointwiseInitializer = getInitializer(this.#pointwiseInitializerSpec, `${where} pointwiseInitializer`);
    // The two halves compute; this layer owns the weights and hands each half its own.
    const window = { kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate };
    this.#depthwise = new DepthwiseConv2D({ name: `${this.name}/depthwise`, ...window, depthMultiplier: this.depthMultiplier, useBias: false });
    this.#pointwise = new Conv2D({ name: `${this.name}/pointwise`, filters: this.filters, kernelSize: 1, useBias: this.useBias, activation: this.activation });
  }

  /** The input as an image [height, width, channels] (SeparableConv1D: a sequence as an image of height 1). */
  protected imageOf(input: Shape): [number, number, number] {
    return imageShape(input, this.name, this.className);
  }

  /** The output shape of an image of this size. */
  protected shapeOf(h: number, w: number, c: number): Shape {
    return [h, w, c];
  }

  /** The depthwise and pointwise kernels' shapes as Keras stores them, for `channels` input channels. */
  protected kernelShapes(channels: number): [Shape, Shape] {
    return [[...this.kernelSize, channels, this.depthMultiplier], [1, 1, channels * this.depthMultiplier, this.filters]];
  }

  protected channelsLastOutputShape(input: Shape): Shape {
    const [h, w, c] = this.#pointwise.computeOutputShape([this.#depthwise.computeOutputShape([this.imageOf(input)])]);
    return this.shapeOf(h, w, c);
  }

  /** The depthwise kernel weight (tfjs' `layer.depthwiseKernel`); undefined until the layer is built. */
  get depthwiseKernel(): LayerWeight | undefined {
    return this.weightNamed('depthwise_kernel');
  }

  /** The pointwise kernel weight (tfjs' `layer.pointwiseKernel`); undefined until the layer is built. */
  get pointwiseKernel(): LayerWeight | undefined {
    return this.weightNamed('pointwise_kernel');
  }

  protected buildChannelsLast(inputShape: Shape): void {
    const input = this.imageOf(inputShape);
    const middle = this.#depthwise.computeOutputShape([input]);
    this.#depthwise.ensureBuilt([input]);
    this.#pointwise.ensureBuilt([middle]);
    this.#middle = middle.reduce((a, b) => a * b, 1);
    const [depthwiseShape, pointwiseShape] = this.kernelShapes(input[2]);
    this.addWeight('depthwise_kernel', depthwiseShape, this.kernelInitializer);
    this.addWeight('pointwise_kernel', pointwiseShape, this.#pointwiseInitializer);
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer);
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    const [depthwise, ...bias] = super.weightRegularizers;
    return [depthwise, this.pointwiseOptions.regularizer, ...bias];
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    const [depthwise, ...bias] = super.weightConstraints;
    return [depthwise, this.pointwiseOptions.constraint, ...bias];
  }

  /** The depthwise layer's im2col columns, the depthwise output and its gradient, then the pointwise layer's own (its pre-activation, if any). */
  protected channelsLastWorkspaceSize(batch: number): number {
    return this.#depthwise.workspaceSize(batch) + 2 * batch * this.#middle + this.#pointwise.workspaceSize(batch);
  }

  #buffers(ctx: ForwardContext): { columns: BufferId; middle: BufferId; middleGrad: BufferId; pointwise: BufferId } {
    const { backend, batch, workspace } = ctx;
    const columns = this.#depthwise.workspaceSize(batch);
    const middle = batch * this.#middle;
    const pointwise = this.#pointwise.workspaceSize(batch);
    return {
      columns: backend.view(workspace, 0, columns),
      middle: backend.view(workspace, columns, middle),
      middleGrad: backend.view(workspace, columns + middle, middle),
      pointwise: pointwise > 0 ? backend.view(workspace, columns + 2 * middle, pointwise) : 0,
    };
  }

  protected forwardChannelsLast(ctx: ForwardContext): void {
    const { columns, middle, pointwise } = this.#buffers(ctx);
    const [depthwiseKernel, ...pointwiseWeights] = ctx.weights;
    this.#depthwise.forward({ ...ctx, output: middle, workspace: columns, weights: [depthwiseKernel], deferSoftmax: false });
    this.#pointwise.forward({ ...ctx, inputs: [middle], workspace: pointwise, weights: pointwiseWeights });
  }

  protected backwardChannelsLast(ctx: BackwardContext): void {
    const { columns, middle, middleGrad, pointwise } = this.#buffers(ctx);
    const [depthwiseKernel, ...pointwiseWeights] = ctx.weights;
    const [depthwiseGrad, ...pointwiseGrads] = ctx.weightGrads;
    this.#pointwise.backward({ ...ctx, inputs: [middle], workspace: pointwise, weights: pointwiseWeights, weightGrads: pointwiseGrads, inputGrads: [middleGrad] });
    this.#depthwise.backward({
      ...ctx, output: middle, outputGrad: middleGrad, workspace: columns, weights: [depthwiseKernel], weightGrads: [depthwiseGrad], deferSoftmax: false,
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      dataFormat: this.dataFormat, dilationRate: this.dilationRate, depthMultiplier: this.depthMultiplier,
      ...this.kernelBiasLayerConfig(),
      pointwiseInitializer: initializerConfig(this.#pointwiseInitializerSpec, `${this.className} layer '${this.name}' pointwiseInitializer`),
      ...weightOptionsConfig('pointwise', this.pointwiseOptions),
    };
  }
}

registerBuiltinLayer('SeparableConv2D', (config) => new SeparableConv2D(config as unknown as SeparableConv2DArgs));

/**
 * Depthwise separable 2-D convolution: a depthwise convolution, then a 1×1 convolution across channels.
 * @example `km.layers.separableConv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' })`
 */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  checkRequiredOptions(args, SEPARABLE_CONV2D_OPTIONS, 'km.layers.separableConv2d');
  return new SeparableConv2D(args);
}
