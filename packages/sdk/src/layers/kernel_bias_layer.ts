import type { Constraint } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import type { BufferId } from '../backend/backend.js';
import { appliedActivation, getActivation, type ActivationName } from './activations.js';
import { Layer, type BackwardContext, type ForwardContext, type LayerArgs } from './layer.js';
import { kernelBiasConfig, kernelBiasOptions, type KernelBiasArgs, type KernelBiasOptions } from './weight_options.js';

/** Options shared by layers with a kernel, an optional bias and an activation (Dense, Conv2D). */
export interface KernelBiasLayerArgs extends LayerArgs, KernelBiasArgs {
  /** Activation applied to the output (default linear). */
  activation?: ActivationName | null;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
  /** Kernel initializer: a name, a saved config, or a function (default glorotUniform). */
  kernelInitializer?: InitializerSpec;
  /** Bias initializer (default zeros). */
  biasInitializer?: InitializerSpec;
}

/**
 * The part Dense and Conv2D share: activation, bias, initializers, regularizers and constraints,
 * validated in the constructor and written back by {@link KernelBiasLayer.kernelBiasLayerConfig}.
 */
export abstract class KernelBiasLayer extends Layer {
  readonly activation: ActivationName;
  readonly useBias: boolean;
  /** Regularizers and constraints on the kernel, bias and output. */
  readonly options: KernelBiasOptions;
  protected readonly kernelInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  readonly #kernelInitializerSpec: InitializerSpec;
  readonly #biasInitializerSpec: InitializerSpec;
  /** How errors name the layer, e.g. "Dense layer 'dense_1'". */
  readonly #where: string;

  constructor(args: KernelBiasLayerArgs, className: string) {
    super(args, className);
    this.#where = `${className} layer '${this.name}'`;
    this.activation = getActivation(args.activation, this.name);
    this.useBias = args.useBias ?? true;
    this.#kernelInitializerSpec = args.kernelInitializer ?? 'glorotUniform';
    this.#biasInitializerSpec = args.biasInitializer ?? 'zeros';
    this.kernelInitializer = getInitializer(this.#kernelInitializerSpec);
    this.biasInitializer = getInitializer(this.#biasInitializerSpec);
    this.options = kernelBiasOptions(args, this.#where);
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    return this.useBias ? [this.options.kernelRegularizer, this.options.biasRegularizer] : [this.options.kernelRegularizer];
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    return this.useBias ? [this.options.kernelConstraint, this.options.biasConstraint] : [this.options.kernelConstraint];
  }

  override get activityRegularizer(): Regularizer | null {
    return this.options.activityRegularizer;
  }

  override get outputActivation(): string {
    return this.activation;
  }

  /**
   * output[rows×cols] = activation(lhs[rows×depth] · kernel + bias) in one fused kernel (softmax,
   * which needs whole rows, runs after it): the forward pass once the input is a matrix.
   */
  protected kernelBiasForward(ctx: ForwardContext, lhs: BufferId, rows: number, depth: number, cols: number): void {
    const { backend, output, weights } = ctx;
    const activation = appliedActivation(this.activation, ctx.deferSoftmax);
    const fused = activation === 'softmax' ? 'linear' : activation;
    backend.matMulBiasActivation(lhs, weights[0], this.useBias ? weights[1] : 0, output, rows, cols, depth, fused);
    if (activation === 'softmax') backend.activation('softmax', output, output, rows, cols);
  }

  /** The shared fields of the layer's config, as Keras and TensorFlow.js write them. */
  protected kernelBiasLayerConfig(): Record<string, unknown> {
    return {
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.#kernelInitializerSpec, `${this.#where} kernelInitializer`),
      biasInitializer: initializerConfig(this.#biasInitializerSpec, `${this.#where} biasInitializer`),
      ...kernelBiasConfig(this.options),
    };
  }
}

/**
 * Turns a layer's output gradient into dZ in place (through its activation, from the forward
 * output) and, when it has a bias, writes the bias gradient Σ_rows dZ in the same pass.
 */
export function activationBiasBackward(ctx: BackwardContext, activation: ActivationName, useBias: boolean, rows: number, cols: number): void {
  const { backend, output, outputGrad, weightGrads } = ctx;
  const applied = appliedActivation(activation, ctx.deferSoftmax);
  if (useBias) backend.activationGradBias(applied, output, outputGrad, outputGrad, weightGrads[1], rows, cols, false);
  else if (applied !== 'linear') backend.activationGrad(applied, output, outputGrad, outputGrad, rows, cols);
}
