import type { BufferId } from '../backend/backend.js';
import { appliedActivation, isRowwise, needsInput } from './activations.js';
import { EinsumBias, type BiasScratch } from './einsum_bias.js';
import { EinsumContraction, type ContractionScratch } from './einsum_contraction.js';
import { einsumLayout, parseBiasAxes, parseEinsumEquation, parseOutputShape, type EinsumEquation, type EinsumLayout, type EinsumOutputShape } from './einsum_equation.js';
import { KernelBiasLayer, preActivation, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { EINSUM_DENSE_OPTIONS, checkRequiredOptions } from './layer_options.js';
import { formatShape, singleInput } from './layer_shapes.js';
import type { LayerWeight } from './layer_weight.js';
import { effectiveMatrix, factorGrads, LayerLora, type EnableLoraOptions, type Lora, type LoraArgs, type LoraLayer } from './lora.js';
import { registerBuiltinLayer } from './registry.js';

export type { EinsumOutputShape } from './einsum_equation.js';

/** Options of {@link EinsumDense}, with Keras 3's names and defaults. */
export interface EinsumDenseArgs extends Omit<KernelBiasLayerArgs, 'useBias'>, LoraArgs {
  /**
   * The einsum `input,kernel->output`, in one of Keras' forms: `'ab,bc->ac'` (the input's first
   * axis is the batch), `'...b,bc->...c'` (the ellipsis stands for the leading axes, the batch's
   * included) or `'ab...,bc->ac...'` (for trailing axes). Each letter names an axis.
   */
  equation: string;
  /**
   * The output's shape without the batch axis and the ellipsis' axes: a number for one axis, else a
   * list, null for an axis the input sizes (`[null, 64]` for `'abc,cd->abd'`).
   */
  outputShape: EinsumOutputShape;
  /** The output axes the bias varies along, e.g. `'d'` (default none: no bias). */
  biasAxes?: string | null;
}

/** What the layer derives from its input shape: the equation's layout and how it runs. */
interface EinsumPlan {
  readonly layout: EinsumLayout;
  readonly contraction: EinsumContraction;
  readonly bias: EinsumBias | null;
  /** Floats per sample of the output. */
  readonly outputSize: number;
}

/**
 * Keras 3's EinsumDense: `output = activation(einsum(equation, input, kernel) + bias)`, a Dense
 * layer over any axes. The kernel's shape follows from the equation: its axes take the input's
 * sizes, or outputShape's for axes only the kernel and output have. The bias spans the output's
 * axes from the first of `biasAxes` on, 1 along those not in it, as in Keras (`'abcd'` with
 * biasAxes `'bd'` gives `[b, 1, d]`). The weights are `kernel` and `bias`.
 *
 * Axes of the input alone are summed over; an axis in all three operands pairs input and kernel
 * slices (one product per entry). kerasm computes it as matrix products (`layers/einsum_contraction.ts`).
 *
 * With LoRA (`loraRank`, or {@link EinsumDense.enableLora}) the kernel is frozen and the layer
 * computes with kernel + (loraAlpha / loraRank)·A·B, training A `[...kernel.shape[:-1], loraRank]`
 * and B `[loraRank, kernel.shape[-1]]`, as Keras 3 does.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [16, 32] });
 * // A Dense over the last axis, as 'abc,cd->abd':
 * km.layers.einsumDense({ equation: 'abc,cd->abd', outputShape: [null, 64], biasAxes: 'd' }).apply(x).shape; // [16, 64]
 * // Attention's projection to 4 heads of 8 (kernel [32, 4, 8], bias [4, 8]):
 * km.layers.einsumDense({ equation: 'abc,cde->abde', outputShape: [null, 4, 8], biasAxes: 'de' }).apply(x).shape; // [16, 4, 8]
 * // Any leading axes:
 * km.layers.einsumDense({ equation: '...b,bc->...c', outputShape: 10, activation: 'relu' }).apply(x).shape; // [16, 10]
 * ```
 */
export class EinsumDense extends KernelBiasLayer implements LoraLayer {
  readonly className = 'EinsumDense';
  readonly equation: string;
  /** The output axes the bias varies along; null: no bias. */
  readonly biasAxes: string | null;
  /** outputShape as given (Keras' `partial_output_shape`), as a list. */
  readonly partialOutputShape: readonly (number | null)[];
  readonly #equation: EinsumEquation;
  #builtPlan: EinsumPlan | null = null;
  readonly #lora: LayerLora;

  constructor(args: EinsumDenseArgs) {
    super({ ...args, useBias: args.biasAxes !== undefined && args.biasAxes !== null }, 'EinsumDense');
    const where = `EinsumDense layer '${this.name}'`;
    this.#equation = parseEinsumEquation(args.equation, where);
    this.equation = this.#equation.text;
    this.partialOutputShape = parseOutputShape(args.outputShape, this.#equation, where);
    this.biasAxes = parseBiasAxes(args.biasAxes, this.#equation, where);
    this.#lora = new LayerLora(this, args, where, { option: 'kernelConstraint', constraint: this.options.kernel.constraint });
  }

  /** The LoRA settings (`rank`, `alpha`, `scale`), or null when LoRA is off. */
  get lora(): Lora | null {
    return this.#lora.settings;
  }

  /**
   * Enables LoRA with rank `rank`, before or after the layer is built (see {@link LoraLayer.enableLora}):
   * the kernel is frozen, and `lora_kernel_a` `[...kernel.shape[:-1], rank]` and `lora_kernel_b`
   * `[rank, kernel.shape[-1]]` train.
   *
   * @example
   * ```ts
   * const query = km.layers.einsumDense({ equation: 'abc,cde->abde', outputShape: [null, 4, 8] });
   * query.enableLora(4); // or einsumDense({ ..., loraRank: 4 })
   * ```
   */
  enableLora(rank: number, options: EnableLoraOptions = {}): void {
    this.#lora.enable(rank, options);
    this.redeclareWeights();
  }

  /** The kernel weight (Keras' `layer.kernel`); undefined until the layer is built. */
  get kernel(): LayerWeight | undefined {
    return this.weightNamed('kernel');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.#plan(singleInput(this, inputShapes)).layout.outputShape;
  }

  #plan(shape: Shape): EinsumPlan {
    const where = `EinsumDense layer '${this.name}'`;
    const layout = einsumLayout(this.#equation, this.partialOutputShape, this.biasAxes, shape, where);
    const contraction = new EinsumContraction(layout, `${where} with equation '${this.equation}' on inputs of shape ${formatShape(shape)}`);
    const bias = layout.biasShape ? new EinsumBias(layout) : null;
    return { layout, contraction, bias, outputSize: layout.outputShape.reduce((a, b) => a * b, 1) };
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const plan = (this.#builtPlan = this.#plan(singleInput(this, inputShapes)));
    this.addWeight('kernel', plan.layout.kernelShape, this.kernelInitializer, this.lora === null);
    const kernel = this.lastDeclaredWeight;
    if (plan.layout.biasShape) this.addWeight('bias', plan.layout.biasShape, this.biasInitializer);
    this.#lora.declareFactors(kernel, (name, shape, initializer) => {
      this.addWeight(name, shape, initializer);
      return this.lastDeclaredWeight;
    });
  }

  /** The kernel as LoRA adapts it, a matrix: [prod(kernel.shape[:-1]), kernel.shape[-1]]. */
  #loraMatrix(): { rows: number; cols: number } {
    const shape = this.#ready().layout.kernelShape;
    const cols = shape[shape.length - 1];
    return { rows: shape.reduce((a, b) => a * b, 1) / cols, cols };
  }

  /** Where A is among the weights: after the kernel and the bias. */
  get #aIndex(): number {
    return this.useBias ? 2 : 1;
  }

  #ready(): EinsumPlan {
    if (!this.#builtPlan) throw new Error(`kerasm internal error: EinsumDense layer '${this.name}' ran before it was built.`);
    return this.#builtPlan;
  }

  /** Floats of each workspace region: the kept pre-activation, the contraction's scratch, the bias'. */
  #regionSizes(batch: number): number[] {
    const { contraction, bias, outputSize } = this.#ready();
    return [this.preActivationFloats(batch * outputSize), ...contraction.scratchSizes(batch), ...(bias ? bias.scratchSizes() : [0, 0, 0])];
  }

  #baseFloats(batch: number): number {
    return this.#regionSizes(batch).reduce((a, b) => a + b, 0);
  }

  override workspaceSize(batch: number): number {
    const lora = this.lora;
    if (!lora) return this.#baseFloats(batch);
    const { rows, cols } = this.#loraMatrix();
    // After the other regions: LoRA's (the effective kernel, s, s·B), then the effective kernel's gradient.
    return this.#baseFloats(batch) + lora.regionWithGradientFloats(rows, cols);
  }

  /** The LoRA part of the workspace (see {@link workspaceSize}), s·B written afresh from B. */
  #loraBuffers(ctx: ForwardContext): { effective: BufferId; s: BufferId; sB: BufferId; effectiveGrad: BufferId } {
    const { rows, cols } = this.#loraMatrix();
    return this.lora!.regionWithGradient(ctx.backend, ctx.workspace, this.#baseFloats(ctx.batch), ctx.weights[this.#aIndex + 1], rows, cols);
  }

  /** The kernel the layer computes with: the weight, or with LoRA the effective kernel written into the workspace. */
  #forwardKernel(ctx: ForwardContext): BufferId {
    const lora = this.lora;
    if (!lora) return ctx.weights[0];
    const { rows, cols } = this.#loraMatrix();
    const { effective, sB } = this.#loraBuffers(ctx);
    effectiveMatrix(ctx.backend, ctx.weights[0], ctx.weights[this.#aIndex], sB, effective, rows, cols, lora.rank);
    return effective;
  }

  #scratch(ctx: ForwardContext): { contraction: ContractionScratch; bias: BiasScratch } {
    const sizes = this.#regionSizes(ctx.batch);
    let offset = sizes[0];
    const [input, summed, ones, kernel, kernelGrad, product, full, arranged, biasOnes] = sizes.slice(1).map((size) => {
      const view: BufferId = size > 0 ? ctx.backend.view(ctx.workspace, offset, size) : 0;
      offset += size;
      return view;
    });
    return { contraction: { input, summed, ones, kernel, kernelGrad, product }, bias: { full, arranged, ones: biasOnes } };
  }

  forward(ctx: ForwardContext): void {
    const { backend: b, batch, output, weights } = ctx;
    const { contraction, bias, outputSize, layout } = this.#ready();
    const s = this.#scratch(ctx);
    const n = batch * outputSize;
    const applied = appliedActivation(this.activation, ctx.deferSoftmax);
    const z = needsInput(applied) ? preActivation(ctx, 0, n) : output;
    const last = layout.outputShape[layout.outputShape.length - 1];
    // Dense's case: the product is already the output, and the bias runs along its rows.
    const fused = contraction.fusable && (!bias || (bias.direct && bias.tail === contraction.kernelOnly));
    const fusedActivation = fused && !needsInput(applied) && !isRowwise(applied);
    const kernel = this.#forwardKernel(ctx);
    if (fused) {
      contraction.forward(b, ctx.inputs[0], kernel, z, batch, s.contraction, { bias: bias ? weights[1] : 0, activation: fusedActivation ? applied : 'linear' });
    } else {
      contraction.forward(b, ctx.inputs[0], kernel, z, batch, s.contraction);
      if (bias) b.biasAdd(z, bias.full(b, weights[1], s.bias), n / bias.tail, bias.tail);
    }
    if (needsInput(applied)) b.inputActivation(applied, z, output, n);
    else if (applied !== 'linear' && !fusedActivation) b.activation(applied, output, output, n / last, last);
  }

  backward(ctx: BackwardContext): void {
    const { backend: b, batch, output, outputGrad: dy, weights, weightGrads } = ctx;
    const { contraction, bias, outputSize, layout } = this.#ready();
    const s = this.#scratch(ctx);
    const n = batch * outputSize;
    const applied = appliedActivation(this.activation, ctx.deferSoftmax);
    // A frozen layer (nothing reads its weight gradients) only passes the gradient on.
    const biasGrad = bias !== null && ctx.weightGradsNeeded;
    const fuseBias = biasGrad && bias.direct && !isRowwise(applied);
    const last = layout.outputShape[layout.outputShape.length - 1];
    const [rows, cols] = fuseBias ? [n / bias.tail, bias.tail] : [n / last, last];
    if (needsInput(applied)) b.inputActivationGrad(applied, preActivation(ctx, 0, n), dy, dy, fuseBias ? weightGrads[1] : 0, rows, cols);
    else if (fuseBias) b.activationGradBias(applied, output, dy, dy, weightGrads[1], rows, cols, false);
    else if (applied !== 'linear') b.activationGrad(applied, output, dy, dy, rows, cols);
    if (biasGrad && !fuseBias) bias.gradient(b, dy, n / bias.tail, weightGrads[1], s.bias);
    const lora = this.lora;
    if (!lora) {
      contraction.backward(b, ctx.inputs[0], weights[0], dy, ctx.weightGradsNeeded ? weightGrads[0] : 0, ctx.inputGrads[0], batch, s.contraction);
      return;
    }
    // Through the effective kernel forward left in the workspace; its gradient splits into A's and B's, the frozen kernel gets none.
    const { effective, s: scale, sB, effectiveGrad } = this.#loraBuffers(ctx);
    contraction.backward(b, ctx.inputs[0], effective, dy, ctx.weightGradsNeeded ? effectiveGrad : 0, ctx.inputGrads[0], batch, s.contraction);
    if (!ctx.weightGradsNeeded) return;
    const matrix = this.#loraMatrix();
    const a = this.#aIndex;
    factorGrads(b, effectiveGrad, weights[a], sB, scale, weightGrads[a], weightGrads[a + 1], matrix.rows, matrix.cols, lora.rank);
  }

  override getConfig(): Record<string, unknown> {
    const { useBias: _useBias, ...shared } = this.kernelBiasLayerConfig();
    return {
      ...super.getConfig(),
      outputShape: [...this.partialOutputShape],
      equation: this.equation,
      biasAxes: this.biasAxes,
      ...shared,
      ...this.lora?.config(),
    };
  }
}

/**
 * Keras 3's EinsumDense: a Dense layer over any axes, written as an einsum.
 * @example `km.layers.einsumDense({ equation: 'abc,cde->abde', outputShape: [null, 4, 8], biasAxes: 'de' })`
 */
export function einsumDense(args: EinsumDenseArgs): EinsumDense {
  checkRequiredOptions(args, EINSUM_DENSE_OPTIONS, 'km.layers.einsumDense');
  return new EinsumDense(args);
}

registerBuiltinLayer('EinsumDense', (config) => new EinsumDense(config as unknown as EinsumDenseArgs));
