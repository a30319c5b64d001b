import type { WindowGeometry } from '../backend/backend.js';
import { FormattedKernelLayer } from './formatted_kernel_layer.js';
import { activationBiasBackward, biasActivationForward, productBuffer } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import type { PaddingMode, SampleGeometry } from './window.js';
import type { LayerWeight } from './layer_weight.js';

/**
 * A convolution run as im2col + the packed GEMM against its kernel (Keras' `[k…, in, filters]`
 * layout is already the `[taps·in, filters]` matrix), over images or, with the geometry's depth
 * axis, volumes. Subclasses (Conv2D, Conv1D, Conv3D) validate their options and say how an input
 * shape maps to a window geometry, an output shape and a kernel shape.
 *
 * With `groups` > 1 (grouped convolution), im2col lays each row out group by group and each group
 * is one GEMM over its block of the columns, the kernel `[k…, in / groups, filters]` and the
 * output (strided operands, no copies); groups = 1 runs the plain GEMM with its fused epilogue.
 */
export abstract class ConvGemmLayer extends FormattedKernelLayer {
  /** Number of output channels. */
  abstract readonly filters: number;
  /** The window, its steps and its dilation, one value per spatial axis. */
  abstract readonly kernelSize: readonly number[];
  abstract readonly strides: readonly number[];
  abstract readonly dilationRate: readonly number[];
  abstract readonly padding: PaddingMode;
  /** Channel groups: group g's filters see only group g's input channels (1: an ordinary convolution). */
  abstract readonly groups: number;
  #geometry: SampleGeometry | null = null;

  /** The window over one sample of the given input shape. */
  protected abstract sampleGeometry(input: Shape): SampleGeometry;

  /** The output shape for a window geometry. */
  protected abstract outputShapeOf(g: SampleGeometry): Shape;

  /** The kernel's shape as Keras stores it: [k…, in / groups, filters]. */
  protected kernelShape(channels: number): Shape {
    return [...this.kernelSize, channels, this.filters];
  }

  protected channelsLastOutputShape(input: Shape): Shape {
    return this.outputShapeOf(this.#groupedGeometry(input));
  }

  /** The sample geometry, once the input's channels are known to split into the groups. */
  #groupedGeometry(input: Shape): SampleGeometry {
    const g = this.sampleGeometry(input);
    if (g.channels % this.groups !== 0) {
      throw new Error(`${this.className} layer '${this.name}': the number of input channels must be evenly divisible by the number of groups. Received: groups=${this.groups}, but the input has ${g.channels} channels (input shape ${formatShape(input)}). Use a groups value that divides ${g.channels}, or give the input a multiple of ${this.groups} channels.`);
    }
    return this.groups === 1 ? g : { ...g, groups: this.groups };
  }

  /** The kernel weight (tfjs' `layer.kernel`); undefined until the layer is built. */
  get kernel(): LayerWeight | undefined {
    return this.weightNamed('kernel');
  }

  protected buildChannelsLast(input: Shape): void {
    this.#geometry = this.#groupedGeometry(input);
    this.addWeight('kernel', this.kernelShape(this.#geometry.channels / this.groups), this.kernelInitializer);
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer);
  }

  /** A 1×1(×1) kernel with stride 1 reads each position once: the input already is the column matrix. */
  get #pointwise(): boolean {
    const g = this.#geometry!;
    return (g.kD ?? 1) * g.kH * g.kW === 1 && (g.strideD ?? 1) === 1 && g.strideH === 1 && g.strideW === 1;
  }

  /** Columns of im2col's matrix: taps · input channels. */
  get #patch(): number {
    const g = this.#geometry!;
    return (g.kD ?? 1) * g.kH * g.kW * g.channels;
  }

  /** Output positions of one sample. */
  get #positions(): number {
    const g = this.#geometry!;
    return (g.outD ?? 1) * g.outH * g.outW;
  }

  /** Floats of im2col columns for a batch, at the start of the workspace (the pre-activation, when kept, follows). */
  #columnFloats(batch: number): number {
    return this.#pointwise ? 0 : batch * this.#positions * this.#patch;
  }

  /** The columns, then the kept pre-activation. */
  protected channelsLastWorkspaceSize(batch: number): number {
    return this.#columnFloats(batch) + this.preActivationFloats(batch * this.#positions * this.filters);
  }

  #batchGeometry(batch: number): WindowGeometry {
    return { ...this.#geometry!, batch };
  }

  protected forwardChannelsLast(ctx: ForwardContext): void {
    const { backend, batch, inputs, workspace } = ctx;
    const rows = batch * this.#positions;
    const cols = this.#pointwise ? inputs[0] : workspace;
    if (!this.#pointwise) backend.im2col(inputs[0], cols, this.#batchGeometry(batch));
    if (this.groups === 1) {
      this.kernelBiasForward(ctx, cols, rows, this.#patch, this.filters, this.#columnFloats(batch));
      return;
    }
    const product = productBuffer(ctx, this.activation, this.#columnFloats(batch), rows * this.filters);
    backend.groupedMatMul(cols, ctx.weights[0], product, this.groups, rows, this.filters / this.groups, this.#patch / this.groups, false, false, false);
    biasActivationForward(ctx, this.activation, this.useBias, rows, this.filters, product);
  }

  protected backwardChannelsLast(ctx: BackwardContext): void {
    const { backend, batch, inputs, outputGrad, inputGrads, weights, weightGrads, workspace } = ctx;
    const rows = batch * this.#positions;
    activationBiasBackward(ctx, this.activation, this.useBias, rows, this.filters, this.#columnFloats(batch));
    const cols = this.#pointwise ? inputs[0] : workspace;
    // dKernel = colsᵀ · dZ, then the columns' gradient dZ · kernelᵀ, which reuses the column
    // buffer (its forward contents are no longer needed) before col2im.
    const [groups, patch, filters] = [this.groups, this.#patch / this.groups, this.filters / this.groups];
    if (!ctx.weightGradsNeeded) {
      // A frozen layer only passes the gradient on.
    } else if (groups === 1) backend.matMul(cols, outputGrad, weightGrads[0], patch, filters, rows, true, false, false);
    else backend.groupedMatMul(cols, outputGrad, weightGrads[0], groups, patch, filters, rows, true, false, false);
    if (!inputGrads[0]) return;
    const dCols = this.#pointwise ? inputGrads[0] : workspace;
    if (groups === 1) backend.matMul(outputGrad, weights[0], dCols, rows, patch, filters, false, true, false);
    else backend.groupedMatMul(outputGrad, weights[0], dCols, groups, rows, patch, filters, false, true, false);
    if (!this.#pointwise) backend.col2im(dCols, inputGrads[0], this.#batchGeometry(batch));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      dilationRate: this.dilationRate, dataFormat: this.dataFormat,
      // Only where it matters, so an ungrouped layer saves exactly what TensorFlow.js writes.
      ...(this.groups === 1 ? {} : { groups: this.groups }),
      ...this.kernelBiasLayerConfig(),
    };
  }
}
