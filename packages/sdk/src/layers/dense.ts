import { registerBuiltinLayer } from './registry.js';
import { activationBiasBackward, KernelBiasLayer, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { shapeSize } from '../tensor.js';
import type { LayerWeight } from './layer_weight.js';
import { DENSE_OPTIONS, checkRequiredOptions } from './layer_options.js';
import { effectiveMatrix, factorGrads, LayerLora, type EnableLoraOptions, type Lora, type LoraArgs, type LoraLayer } from './lora.js';
import type { BufferId } from '../backend/backend.js';

/** Options of {@link Dense}. */
export interface DenseArgs extends KernelBiasLayerArgs, LoraArgs {
  /** Number of output units (positive integer). */
  units: number;
  /** tfjs' (and Keras 1's) form of a rank-1 input shape: `inputDim: 784` is `inputShape: [784]`. */
  inputDim?: number;
}

/**
 * A densely connected layer: `output = activation(input · kernel + bias)`, the kernel shaped
 * `[inputUnits, units]` as in Keras and TensorFlow.js. On inputs of higher rank it acts on the last
 * axis, at every position: `[steps, features]` becomes `[steps, units]`, as in Keras.
 *
 * With LoRA (`loraRank`, or {@link Dense.enableLora}) the kernel is frozen and the layer computes
 * with kernel + (loraAlpha / loraRank)·A·B, training A `[inputUnits, loraRank]` and B `[loraRank, units]`.
 */
export class Dense extends KernelBiasLayer implements LoraLayer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'Dense';
  readonly units: number;
  #inputUnits = 0;
  /** Positions per sample the kernel is applied at: the product of every input axis but the last. */
  #positions = 1;
  readonly #lora: LayerLora;

  constructor(args: DenseArgs) {
    super(args, 'Dense');
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`Dense layer '${this.name}': units must be a positive integer. Received: units=${args.units}.`);
    }
    this.units = args.units;
    this.#lora = new LayerLora(this, args, `Dense layer '${this.name}'`, { option: 'kernelConstraint', constraint: this.options.kernel.constraint });
  }

  /** The LoRA settings (`rank`, `alpha`, `scale`), or null when LoRA is off. */
  get lora(): Lora | null {
    return this.#lora.settings;
  }

  /**
   * Enables LoRA with rank `rank`, before or after the layer is built (see {@link LoraLayer.enableLora}):
   * the kernel is frozen, and `lora_kernel_a` `[inputUnits, rank]` and `lora_kernel_b` `[rank, units]` train.
   *
   * @example
   * ```ts
   * const head = km.layers.dense({ units: 10 });
   * head.enableLora(4); // or km.layers.dense({ units: 10, loraRank: 4 })
   * ```
   */
  enableLora(rank: number, options: EnableLoraOptions = {}): void {
    this.#lora.enable(rank, options);
    this.redeclareWeights();
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    if (shape.length === 0) {
      throw new Error(`Dense layer '${this.name}' needs a features axis, but received inputs of shape ${formatShape(shape)} (one number per sample). Reshape the data to [n, 1].`);
    }
    return [...shape.slice(0, -1), this.units];
  }

  /** The kernel weight, `[inputUnits, units]` (tfjs' `layer.kernel`); undefined until the layer is built. */
  get kernel(): LayerWeight | undefined {
    return this.weightNamed('kernel');
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    this.#inputUnits = shape[shape.length - 1];
    this.#positions = shapeSize(shape) / this.#inputUnits;
    this.addWeight('kernel', [this.#inputUnits, this.units], this.kernelInitializer, this.lora === null);
    const kernel = this.lastDeclaredWeight;
    if (this.useBias) this.addWeight('bias', [this.units], this.biasInitializer);
    this.#lora.declareFactors(kernel, (name, shape, initializer) => {
      this.addWeight(name, shape, initializer);
      return this.lastDeclaredWeight;
    });
  }

  override workspaceSize(batch: number): number {
    return this.preActivationFloats(batch * this.#positions * this.units) + this.#loraFloats();
  }

  /** Workspace after z for LoRA: the effective kernel (its gradient in backward), then s and s·B. */
  #loraFloats(): number {
    return this.lora?.regionFloats(this.#inputUnits, this.units) ?? 0;
  }

  forward(ctx: ForwardContext): void {
    const rows = ctx.batch * this.#positions;
    const lora = this.lora;
    if (!lora) {
      this.kernelBiasForward(ctx, ctx.inputs[0], rows, this.#inputUnits, this.units);
      return;
    }
    const { backend, weights } = ctx;
    const { effective, sB } = this.#loraBuffers(ctx, rows);
    effectiveMatrix(backend, weights[0], weights[this.#aIndex], sB, effective, this.#inputUnits, this.units, lora.rank);
    this.kernelBiasForward(ctx, ctx.inputs[0], rows, this.#inputUnits, this.units, 0, effective);
  }

  /** Where A is among the weights: after the kernel and the bias. */
  get #aIndex(): number {
    return this.useBias ? 2 : 1;
  }

  /** The LoRA part of the workspace (see {@link #loraFloats}), s·B written afresh from B. */
  #loraBuffers(ctx: ForwardContext, rows: number): { effective: BufferId; s: BufferId; sB: BufferId } {
    const start = this.preActivationFloats(rows * this.units);
    return this.lora!.region(ctx.backend, ctx.workspace, start, ctx.weights[this.#aIndex + 1], this.#inputUnits, this.units);
  }

  backward(ctx: BackwardContext): void {
    const { backend, inputs, outputGrad, inputGrads, weights, weightGrads } = ctx;
    const rows = ctx.batch * this.#positions;
    // dZ and dBias (column sums of dZ), then dKernel = inputᵀ · dZ and dInput = dZ · kernelᵀ.
    activationBiasBackward(ctx, this.activation, this.useBias, rows, this.units);
    if (this.lora) {
      this.#loraBackward(ctx, rows);
      return;
    }
    if (ctx.weightGradsNeeded) backend.matMul(inputs[0], outputGrad, weightGrads[0], this.#inputUnits, this.units, rows, true, false, false);
    if (inputGrads[0]) {
      backend.matMul(outputGrad, weights[0], inputGrads[0], rows, this.#inputUnits, this.units, false, true, false);
    }
  }

  /** Backward through the effective kernel: dInput from it, then its gradient split into A's and B's; the frozen kernel gets none. */
  #loraBackward(ctx: BackwardContext, rows: number): void {
    const { backend, inputs, outputGrad, inputGrads, weights, weightGrads } = ctx;
    const { effective, s, sB } = this.#loraBuffers(ctx, rows);
    if (inputGrads[0]) backend.matMul(outputGrad, effective, inputGrads[0], rows, this.#inputUnits, this.units, false, true, false);
    if (!ctx.weightGradsNeeded) return;
    // The effective kernel is not read again this step, so its gradient takes its place.
    backend.matMul(inputs[0], outputGrad, effective, this.#inputUnits, this.units, rows, true, false, false);
    const a = this.#aIndex;
    factorGrads(backend, effective, weights[a], sB, s, weightGrads[a], weightGrads[a + 1], this.#inputUnits, this.units, this.lora!.rank);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...this.kernelBiasLayerConfig(),
      ...this.lora?.config(),
    };
  }
}

registerBuiltinLayer('Dense', (config) => new Dense(config as unknown as DenseArgs));

/** A densely connected layer. @example `km.layers.dense({ units: 64, activation: 'relu' })` */
export function dense(args: DenseArgs): Dense {
  checkRequiredOptions(args, DENSE_OPTIONS, 'km.layers.dense');
  const { inputDim, ...rest } = args;
  if (inputDim === undefined) return new Dense(rest);
  if (rest.inputShape !== undefined || rest.batchInputShape !== undefined) throw new Error(`km.layers.dense takes inputDim (tfjs' form of inputShape: [${inputDim}]) or inputShape, not both.`);
  return new Dense({ ...rest, inputShape: [inputDim] });
}
