import type { WindowGeometry } from '../backend/backend.js';
import { activationBiasBackward, KernelBiasLayer, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import { singleInput, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { convWindowOf, filtersOf, imageShape, type PaddingMode, sampleGeometry, type SampleGeometry } from './window.js';

/** Options of {@link Conv2D}, with Keras' defaults. */
export interface Conv2DArgs extends KernelBiasLayerArgs {
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
  /** Only 'channelsLast' (NHWC) is supported. */
  dataFormat?: 'channelsLast';
}

/**
 * 2-D convolution over `[height, width, channels]` inputs: `activation(conv(x, kernel) + bias)`,
 * the kernel shaped `[kH, kW, inChannels, filters]` as in Keras. Runs as im2col + the packed GEMM.
 */
export class Conv2D extends KernelBiasLayer {
  readonly className: string = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  #geometry: SampleGeometry | null = null;

  /** `className` is the subclass' (Conv1D runs as a Conv2D over images of height 1). */
  constructor(args: Conv2DArgs, className = 'Conv2D') {
    super(args, className);
    this.filters = filtersOf(args.filters, `${className} layer '${this.name}'`);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate } = convWindowOf(args, className, this.name));
  }

  /** The window over one sample of the given input shape; Conv1D overrides it to see a sequence as an image of height 1. */
  protected sampleGeometry(input: Shape): SampleGeometry {
    return sampleGeometry(imageShape(input, this.name, 'Conv2D'), this.kernelSize, this.strides, this.dilationRate, this.padding, this.name);
  }

  /** The output shape for a window geometry: [outH, outW, filters]. */
  protected outputShapeOf(g: SampleGeometry): Shape {
    return [g.outH, g.outW, this.filters];
  }

  /** The kernel's shape as Keras stores it: [kH, kW, in, filters]. */
  protected kernelShape(channels: number): Shape {
    return [...this.kernelSize, channels, this.filters];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.outputShapeOf(this.sampleGeometry(singleInput(this, inputShapes)));
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#geometry = this.sampleGeometry(singleInput(this, inputShapes));
    this.addWeight('kernel', this.kernelShape(this.#geometry.channels), this.kernelInitializer);
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer);
  }

  /** A 1×1 kernel with stride 1 reads each position once: the input already is the column matrix. */
  get #pointwise(): boolean {
    return this.kernelSize[0] === 1 && this.kernelSize[1] === 1 && this.strides[0] === 1 && this.strides[1] === 1;
  }

  get #patch(): number {
    return this.kernelSize[0] * this.kernelSize[1] * this.#geometry!.channels;
  }

  /** Floats of im2col columns for a batch, at the start of the workspace (the pre-activation, when kept, follows). */
  #columnFloats(batch: number): number {
    const g = this.#geometry!;
    return this.#pointwise ? 0 : batch * g.outH * g.outW * this.#patch;
  }

  override workspaceSize(batch: number): number {
    const g = this.#geometry!;
    return this.#columnFloats(batch) + this.preActivationFloats(batch * g.outH * g.outW * this.filters);
  }

  #batchGeometry(batch: number): WindowGeometry {
    return { ...this.#geometry!, batch };
  }

  forward(ctx: ForwardContext): void {
    const { backend, batch, inputs, workspace } = ctx;
    const g = this.#batchGeometry(batch);
    const rows = batch * g.outH * g.outW;
    const cols = this.#pointwise ? inputs[0] : workspace;
    if (!this.#pointwise) backend.im2col(inputs[0], cols, g);
    this.kernelBiasForward(ctx, cols, rows, this.#patch, this.filters, this.#columnFloats(batch));
  }

  backward(ctx: BackwardContext): void {
    const { backend, batch, inputs, outputGrad, inputGrads, weights, weightGrads, workspace } = ctx;
    const g = this.#batchGeometry(batch);
    const rows = batch * g.outH * g.outW;
    activationBiasBackward(ctx, this.activation, this.useBias, rows, this.filters, this.#columnFloats(batch));
    const cols = this.#pointwise ? inputs[0] : workspace;
    // dKernel = colsᵀ · dZ, then the columns' gradient dZ · kernelᵀ, which reuses the column
    // buffer (its forward contents are no longer needed) before col2im.
    backend.matMul(cols, outputGrad, weightGrads[0], this.#patch, this.filters, rows, true, false, false);
    if (!inputGrads[0]) return;
    const dCols = this.#pointwise ? inputGrads[0] : workspace;
    backend.matMul(outputGrad, weights[0], dCols, rows, this.#patch, this.filters, false, true, false);
    if (!this.#pointwise) backend.col2im(dCols, inputGrads[0], g);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      dilationRate: this.dilationRate, dataFormat: 'channelsLast',
      ...this.kernelBiasLayerConfig(),
    };
  }
}

registerLayer('Conv2D', (config) => new Conv2D(config as unknown as Conv2DArgs));
