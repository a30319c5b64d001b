import type { BufferId, WindowGeometry } from '../backend/backend.js';
import { FormattedKernelLayer } from './formatted_kernel_layer.js';
import { activationBiasBackward, biasActivationForward, productBuffer, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import type { PaddingMode, SampleGeometry } from './window.js';
import type { LayerWeight } from './layer_weight.js';
import { effectiveMatrix, factorGrads, LayerLora, type EnableLoraOptions, type Lora, type LoraArgs, type LoraLayer } from './lora.js';

/** Options every convolution run as a GEMM takes (Conv1D, Conv2D, Conv3D add their window's). */
export interface ConvGemmArgs extends KernelBiasLayerArgs, LoraArgs {}

/**
 * A convolution run as im2col + the packed GEMM against its kernel (Keras' `[k…, in, filters]`
 * layout is already the `[taps·in, filters]` matrix), over images or, with the geometry's depth
 * axis, volumes. Subclasses (Conv2D, Conv1D, Conv3D) validate their options and say how an input
 * shape maps to a window geometry, an output shape and a kernel shape.
 *
 * With `groups` > 1 (grouped convolution), im2col lays each row out group by group and each group
 * is one GEMM over its block of the columns, the kernel `[k…, in / groups, filters]` and the
 * output (strided operands, no copies); groups = 1 runs the plain GEMM with its fused epilogue.
 *
 * With LoRA (`loraRank`, or {@link ConvGemmLayer.enableLora}), as Keras 3's BaseConv, the kernel is
 * frozen and the layer convolves with kernel + (loraAlpha / loraRank)·A·B, the kernel seen as the
 * matrix `[prod(kernel.shape[:-1]), filters]` the GEMM reads: forward writes that effective kernel
 * into the workspace, and backward turns its gradient into A's and B's.
 */
export abstract class ConvGemmLayer extends FormattedKernelLayer implements LoraLayer {
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
  readonly #lora: LayerLora;

  constructor(args: ConvGemmArgs, className: string) {
    super(args, className);
    this.#lora = new LayerLora(this, args, `${className} layer '${this.name}'`, { option: 'kernelConstraint', constraint: this.options.kernel.constraint });
  }

  /** The LoRA settings (`rank`, `alpha`, `scale`), or null when LoRA is off. */
  get lora(): Lora | null {
    return this.#lora.settings;
  }

  /**
   * Enables LoRA with rank `rank`, before or after the layer is built (see {@link LoraLayer.enableLora}):
   * the kernel `[k…, in / groups, filters]` is frozen, and `lora_kernel_a` `[k…, in / groups, rank]`
   * and `lora_kernel_b` `[rank, filters]` train. A layer with a kernelConstraint refuses it, as in Keras 3.
   *
   * @example
   * ```ts
   * const features = km.layers.conv2d({ filters: 16, kernelSize: 3 });
   * features.enableLora(4); // or km.layers.conv2d({ filters: 16, kernelSize: 3, loraRank: 4 })
   * ```
   */
  enableLora(rank: number, options: EnableLoraOptions = {}): void {
    this.#lora.enable(rank, options);
    this.redeclareWeights();
  }

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
    this.addWeight('kernel', this.kernelShape(this.#geometry.channels / this.groups), this.kernelInitializer, this.lora === null);
    const kernel = this.lastDeclaredWeight;
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer);
    this.#lora.declareFactors(kernel, (name, shape, initializer) => {
      this.addWeight(name, shape, initializer);
      return this.lastDeclaredWeight;
    });
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

  /** The columns, then the kept pre-activation, then LoRA's region. */
  protected channelsLastWorkspaceSize(batch: number): number {
    return this.#loraStart(batch) + this.#loraFloats();
  }

  /** Where LoRA's region starts: after the columns and the kept pre-activation. */
  #loraStart(batch: number): number {
    return this.#columnFloats(batch) + this.preActivationFloats(batch * this.#positions * this.filters);
  }

  /** LoRA's region: the effective kernel, s and s·B, then the effective kernel's gradient apart from it (backward reads the kernel after its gradient, for the columns'). */
  #loraFloats(): number {
    return this.lora?.regionWithGradientFloats(this.#kernelRows, this.filters) ?? 0;
  }

  /** Rows of the kernel as a matrix (the GEMM's and LoRA's): taps · input channels per group. */
  get #kernelRows(): number {
    return this.#patch / this.groups;
  }

  /** The LoRA region (see {@link #loraFloats}), s·B written afresh from B. */
  #loraBuffers(ctx: ForwardContext): ReturnType<Lora['regionWithGradient']> {
    return this.lora!.regionWithGradient(ctx.backend, ctx.workspace, this.#loraStart(ctx.batch), ctx.weights[this.#aIndex + 1], this.#kernelRows, this.filters);
  }

  /** Where A is among the weights: after the kernel and the bias. */
  get #aIndex(): number {
    return this.useBias ? 2 : 1;
  }

  /** The kernel the GEMM reads: the weight, or with LoRA the effective kernel written into the workspace (backward reads it there). */
  #forwardKernel(ctx: ForwardContext): BufferId {
    const lora = this.lora;
    if (!lora) return ctx.weights[0];
    const { effective, sB } = this.#loraBuffers(ctx);
    effectiveMatrix(ctx.backend, ctx.weights[0], ctx.weights[this.#aIndex], sB, effective, this.#kernelRows, this.filters, lora.rank);
    return effective;
  }

  /** The im2col columns at the start of the workspace (the input itself for a pointwise kernel). */
  #columns(ctx: ForwardContext): BufferId {
    // A view of their own size: the tfjs backends read a buffer whole, and the workspace holds more after them.
    return this.#pointwise ? ctx.inputs[0] : ctx.backend.view(ctx.workspace, 0, this.#columnFloats(ctx.batch));
  }

  #batchGeometry(batch: number): WindowGeometry {
    return { ...this.#geometry!, batch };
  }

  protected forwardChannelsLast(ctx: ForwardContext): void {
    const { backend, batch, inputs } = ctx;
    const rows = batch * this.#positions;
    const cols = this.#columns(ctx);
    if (!this.#pointwise) backend.im2col(inputs[0], cols, this.#batchGeometry(batch));
    const kernel = this.#forwardKernel(ctx);
    if (this.groups === 1) {
      this.kernelBiasForward(ctx, cols, rows, this.#patch, this.filters, this.#columnFloats(batch), kernel);
      return;
    }
    const product = productBuffer(ctx, this.activation, this.#columnFloats(batch), rows * this.filters);
    backend.groupedMatMul(cols, kernel, product, this.groups, rows, this.filters / this.groups, this.#patch / this.groups, false, false, false);
    biasActivationForward(ctx, this.activation, this.useBias, rows, this.filters, product);
  }

  protected backwardChannelsLast(ctx: BackwardContext): void {
    const { backend, batch, outputGrad, inputGrads, weights, weightGrads } = ctx;
    const rows = batch * this.#positions;
    activationBiasBackward(ctx, this.activation, this.useBias, rows, this.filters, this.#columnFloats(batch));
    const cols = this.#columns(ctx);
    const lora = this.lora;
    // With LoRA, the effective kernel forward left in the workspace; its gradient splits into A's
    // and B's, and the frozen kernel gets none.
    const loraBuffers = lora && this.#loraBuffers(ctx);
    const kernel = loraBuffers ? loraBuffers.effective : weights[0];
    // dKernel = colsᵀ · dZ, then the columns' gradient dZ · kernelᵀ, which reuses the column
    // buffer (its forward contents are no longer needed) before col2im.
    const [groups, patch, filters] = [this.groups, this.#patch / this.groups, this.filters / this.groups];
    if (ctx.weightGradsNeeded) {
      const dKernel = loraBuffers ? loraBuffers.effectiveGrad : weightGrads[0];
      if (groups === 1) backend.matMul(cols, outputGrad, dKernel, patch, filters, rows, true, false, false);
      else backend.groupedMatMul(cols, outputGrad, dKernel, groups, patch, filters, rows, true, false, false);
      if (loraBuffers) {
        const { s, sB, effectiveGrad } = loraBuffers;
        const a = this.#aIndex;
        factorGrads(backend, effectiveGrad, weights[a], sB, s, weightGrads[a], weightGrads[a + 1], patch, this.filters, lora.rank);
      }
    }
    if (!inputGrads[0]) return;
    const dCols = this.#pointwise ? inputGrads[0] : cols;
    if (groups === 1) backend.matMul(outputGrad, kernel, dCols, rows, patch, filters, false, true, false);
    else backend.groupedMatMul(outputGrad, kernel, dCols, groups, rows, patch, filters, false, true, false);
    if (!this.#pointwise) backend.col2im(dCols, inputGrads[0], this.#batchGeometry(batch));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      dilationRate: this.dilationRate, dataFormat: this.dataFormat,
      // Only where it matters, so an ungrouped layer saves exactly what TensorFlow.js writes.
      ...(this.groups === 1 ? {} : { groups: this.groups }),
      ...this.kernelBiasLayerConfig(),
      ...this.lora?.config(),
    };
  }
}
