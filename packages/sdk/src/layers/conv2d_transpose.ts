import type { WindowGeometry } from '../backend/backend.js';
import { activationBiasBackward, biasActivationForward, KernelBiasLayer, productBuffer, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import { singleInput, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { convWindowOf, filtersOf, imageShape, type PaddingMode, sampleGeometry, type SampleGeometry } from './window.js';

/** Options of {@link Conv2DTranspose}, with Keras' defaults and TensorFlow.js' names. */
export interface Conv2DTransposeArgs extends KernelBiasLayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Window height and width (one number for a square window). */
  kernelSize: number | [number, number];
  /** Upsampling factor: the output is about `strides` times the input (default 1). */
  strides?: number | [number, number];
  /** 'valid' (default: output `in·stride + max(kernel − stride, 0)`) or 'same' (output `in·stride`). */
  padding?: PaddingMode;
  /** Only 1 (TensorFlow.js 4.22 ignores any other value; kerasm rejects it). */
  dilationRate?: number | [number, number];
  /** Only null: Keras' extra output rows and columns are not supported. */
  outputPadding?: null;
  /** Only 'channelsLast' (NHWC) is supported. */
  dataFormat?: 'channelsLast';
}

/**
 * Transposed 2-D convolution (sometimes called deconvolution), the upsampling layer of decoders,
 * autoencoders and GANs: `activation(convᵀ(x, kernel) + bias)` over `[height, width, channels]`
 * inputs, the kernel shaped `[kH, kW, filters, inChannels]` as Keras and TensorFlow.js store it.
 * It is the adjoint of the Conv2D whose input has this layer's output shape: its forward pass is
 * that convolution's input-gradient pass (a GEMM by the kernel transposed, then col2im) and its
 * backward pass that convolution's forward (im2col, then GEMMs).
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
export class Conv2DTranspose extends KernelBiasLayer {
  readonly className = 'Conv2DTranspose';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  /** The convolution this layer transposes: from this layer's output shape to its input shape. */
  #adjoint: SampleGeometry | null = null;
  #inChannels = 0;

  constructor(args: Conv2DTransposeArgs) {
    super(args, 'Conv2DTranspose');
    const where = `Conv2DTranspose layer '${this.name}'`;
    this.filters = filtersOf(args.filters, where);
    const window = convWindowOf(args, 'Conv2DTranspose', this.name);
    if (window.dilationRate.some((d) => d > 1)) {
      throw new Error(`${where}: dilationRate above 1 is not supported (TensorFlow.js 4.22 ignores it). Received: dilationRate=${JSON.stringify(args.dilationRate)}. Remove dilationRate, or upsample with strides instead.`);
    }
    if (args.outputPadding !== undefined && args.outputPadding !== null) {
      throw new Error(`${where}: outputPadding is not supported (TensorFlow.js 4.22 has none either). Received: outputPadding=${JSON.stringify(args.outputPadding)}. Remove it; for a larger output, follow the layer with km.layers.zeroPadding2d.`);
    }
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding } = window);
  }

  /** Keras' deconv_output_length per axis: `in·stride`, plus `max(kernel − stride, 0)` for 'valid'. */
  #outputSize(inH: number, inW: number): [number, number] {
    const length = (size: number, a: 0 | 1) => size * this.strides[a] + (this.padding === 'valid' ? Math.max(this.kernelSize[a] - this.strides[a], 0) : 0);
    return [length(inH, 0), length(inW, 1)];
  }

  #adjointOf(inputShapes: readonly Shape[]): SampleGeometry {
    const [inH, inW] = imageShape(singleInput(this, inputShapes), this.name, 'Conv2DTranspose');
    // That convolution's output size is this layer's input size for every output size above.
    return sampleGeometry([...this.#outputSize(inH, inW), this.filters], this.kernelSize, this.strides, [1, 1], this.padding, this.name);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const g = this.#adjointOf(inputShapes);
    return [g.inH, g.inW, this.filters];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#adjoint = this.#adjointOf(inputShapes);
    this.#inChannels = singleInput(this, inputShapes)[2];
    this.addWeight('kernel', [...this.kernelSize, this.filters, this.#inChannels], this.kernelInitializer);
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer);
  }

  /** Columns per input position: one output window of `filters` channels. */
  get #patch(): number {
    return this.kernelSize[0] * this.kernelSize[1] * this.filters;
  }

  #columnFloats(batch: number): number {
    const g = this.#adjoint!;
    return batch * g.outH * g.outW * this.#patch;
  }

  /** The columns, then the pre-activation z for an activation that needs its input. */
  override workspaceSize(batch: number): number {
    const g = this.#adjoint!;
    return this.#columnFloats(batch) + this.preActivationFloats(batch * g.inH * g.inW * this.filters);
  }

  #batchGeometry(batch: number): WindowGeometry {
    return { ...this.#adjoint!, batch };
  }

  forward(ctx: ForwardContext): void {
    const { backend, batch, inputs, weights, workspace } = ctx;
    const g = this.#batchGeometry(batch);
    const rows = batch * g.outH * g.outW;
    // The kernel [kH, kW, filters, in] is the [patch, in] matrix of the adjoint convolution.
    backend.matMul(inputs[0], weights[0], workspace, rows, this.#patch, this.#inChannels, false, true, false);
    const positions = batch * g.inH * g.inW;
    const product = productBuffer(ctx, this.activation, this.#columnFloats(batch), positions * this.filters);
    backend.col2im(workspace, product, g);
    biasActivationForward(ctx, this.activation, this.useBias, positions, this.filters, product);
  }

  backward(ctx: BackwardContext): void {
    const { backend, batch, inputs, outputGrad, inputGrads, weights, weightGrads, workspace } = ctx;
    const g = this.#batchGeometry(batch);
    const rows = batch * g.outH * g.outW;
    activationBiasBackward(ctx, this.activation, this.useBias, batch * g.inH * g.inW, this.filters, this.#columnFloats(batch));
    backend.im2col(outputGrad, workspace, g);
    // dKernel[patch, in] = dColsᵀ · x; dx = dCols · kernel.
    backend.matMul(workspace, inputs[0], weightGrads[0], this.#patch, this.#inChannels, rows, true, false, false);
    if (inputGrads[0]) backend.matMul(workspace, weights[0], inputGrads[0], rows, this.#inChannels, this.#patch, false, false, false);
  }

  override getConfig(): Record<string, unknown> {
    // As TensorFlow.js writes it: Conv2D's fields without dilationRate.
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      dataFormat: 'channelsLast', ...this.kernelBiasLayerConfig(),
    };
  }
}

registerLayer('Conv2DTranspose', (config) => new Conv2DTranspose(config as unknown as Conv2DTransposeArgs));
