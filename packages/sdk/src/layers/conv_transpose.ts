import type { WindowGeometry } from '../backend/backend.js';
import { FormattedKernelLayer } from './formatted_kernel_layer.js';
import { activationBiasBackward, biasActivationForward, productBuffer, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { transposeGeometry, type TransposeWindow } from './transpose_window.js';
import type { DataFormat, PaddingMode, SampleGeometry } from './window.js';
import type { LayerWeight } from './layer_weight.js';

/** The options every transposed convolution takes, whatever its rank. */
export interface ConvTransposeArgs extends KernelBiasLayerArgs {
  /** Number of output channels. */
  filters: number;
  /**
   * 'valid' (default: output `in·stride + max(kernel − stride, 0)` per axis, the kernel dilated) or
   * 'same' (output `in·stride`).
   */
  padding?: PaddingMode;
  /** 'channelsLast' (the default) or 'channelsFirst'; each rank's options say its layout. */
  dataFormat?: DataFormat;
}

/**
 * A transposed convolution of any rank (Conv1DTranspose, Conv2DTranspose, Conv3DTranspose): the
 * adjoint of the convolution from this layer's output shape to its input shape. Its forward pass is
 * that convolution's input-gradient pass (a GEMM by the kernel transposed, then col2im) and its
 * backward pass that convolution's forward (im2col, then GEMMs). The kernel is
 * `[k…, filters, inChannels]`, as Keras and TensorFlow.js store it. Subclasses validate their
 * options per axis and say which input shape they take.
 */
export abstract class ConvTransposeLayer extends FormattedKernelLayer {
  abstract readonly filters: number;
  /** The window, its steps and its dilation, one value per spatial axis. */
  abstract readonly kernelSize: readonly number[];
  abstract readonly strides: readonly number[];
  abstract readonly dilationRate: readonly number[];
  abstract readonly padding: PaddingMode;
  /** Keras' extra output rows at the end of each axis, or null for the default output size. */
  abstract readonly outputPadding: readonly number[] | null;
  /** The convolution this layer transposes: from this layer's output shape to its input shape. */
  #adjoint: SampleGeometry | null = null;
  #inChannels = 0;

  /** The spatial sizes of a validated input shape (without the channels). */
  protected abstract spatialSizes(input: Shape): number[];

  #window(): TransposeWindow {
    return { kernelSize: [...this.kernelSize], strides: [...this.strides], dilationRate: [...this.dilationRate], padding: this.padding, outputPadding: this.outputPadding && [...this.outputPadding] };
  }

  #adjointOf(input: Shape): SampleGeometry {
    return transposeGeometry(this.spatialSizes(input), this.filters, this.#window());
  }

  protected channelsLastOutputShape(input: Shape): Shape {
    const g = this.#adjointOf(input);
    return [...[g.inD!, g.inH, g.inW].slice(3 - this.kernelSize.length), this.filters];
  }

  /** The kernel weight (tfjs' `layer.kernel`); undefined until the layer is built. */
  get kernel(): LayerWeight | undefined {
    return this.weightNamed('kernel');
  }

  protected buildChannelsLast(input: Shape): void {
    this.#adjoint = this.#adjointOf(input);
    this.#inChannels = input.at(-1)!;
    this.addWeight('kernel', [...this.kernelSize, this.filters, this.#inChannels], this.kernelInitializer);
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer);
  }

  /** Columns per input position: one output window of `filters` channels. */
  get #patch(): number {
    const g = this.#adjoint!;
    return g.kD! * g.kH * g.kW * this.filters;
  }

  /** Positions of one input sample (the rows of the column matrix). */
  get #inputPositions(): number {
    const g = this.#adjoint!;
    return g.outD! * g.outH * g.outW;
  }

  /** Positions of one output sample. */
  get #outputPositions(): number {
    const g = this.#adjoint!;
    return g.inD! * g.inH * g.inW;
  }

  #columnFloats(batch: number): number {
    return batch * this.#inputPositions * this.#patch;
  }

  /** The columns, then the pre-activation z for an activation that needs its input. */
  protected channelsLastWorkspaceSize(batch: number): number {
    return this.#columnFloats(batch) + this.preActivationFloats(batch * this.#outputPositions * this.filters);
  }

  #batchGeometry(batch: number): WindowGeometry {
    return { ...this.#adjoint!, batch };
  }

  protected forwardChannelsLast(ctx: ForwardContext): void {
    const { backend, batch, inputs, weights, workspace } = ctx;
    const rows = batch * this.#inputPositions;
    // The kernel [k…, filters, in] is the [patch, in] matrix of the adjoint convolution.
    backend.matMul(inputs[0], weights[0], workspace, rows, this.#patch, this.#inChannels, false, true, false);
    const positions = batch * this.#outputPositions;
    const product = productBuffer(ctx, this.activation, this.#columnFloats(batch), positions * this.filters);
    backend.col2im(workspace, product, this.#batchGeometry(batch));
    biasActivationForward(ctx, this.activation, this.useBias, positions, this.filters, product);
  }

  protected backwardChannelsLast(ctx: BackwardContext): void {
    const { backend, batch, inputs, outputGrad, inputGrads, weights, weightGrads, workspace } = ctx;
    const rows = batch * this.#inputPositions;
    activationBiasBackward(ctx, this.activation, this.useBias, batch * this.#outputPositions, this.filters, this.#columnFloats(batch));
    backend.im2col(outputGrad, workspace, this.#batchGeometry(batch));
    // dKernel[patch, in] = dColsᵀ · x (a frozen layer only passes the gradient on); dx = dCols · kernel.
    if (ctx.weightGradsNeeded) backend.matMul(workspace, inputs[0], weightGrads[0], this.#patch, this.#inChannels, rows, true, false, false);
    if (inputGrads[0]) backend.matMul(workspace, weights[0], inputGrads[0], rows, this.#inChannels, this.#patch, false, false, false);
  }

  /**
   * As TensorFlow.js writes Conv2DTranspose and Conv3DTranspose: the convolution's fields without
   * dilationRate. Keras' dilationRate and outputPadding (which tfjs 4.22 cannot run) are written
   * only when they change the layer, so a file tfjs can read stays as tfjs writes it.
   */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      ...(this.dilationRate.some((d) => d > 1) ? { dilationRate: this.dilationRate } : {}),
      ...(this.outputPadding ? { outputPadding: this.outputPadding } : {}),
      dataFormat: this.dataFormat, ...this.kernelBiasLayerConfig(),
    };
  }
}
