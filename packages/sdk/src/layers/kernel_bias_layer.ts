import type { Constraint } from '../constraints/constraints.js';
import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import type { Regularizer } from '../regularizers/regularizers.js';
import type { BufferId } from '../backend/backend.js';
import { appliedActivation, getActivation, isRowwise, needsInput, type ActivationName, type LayerActivation } from './activations.js';
import { Layer, type BackwardContext, type ForwardContext } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { kernelBiasConfig, kernelBiasOptions, type BiasActivityArgs, type KernelBiasArgs, type KernelBiasOptions, type KernelName } from './weight_options.js';
import type { LayerWeight } from './layer_weight.js';

/** Options shared by layers with a kernel, an optional bias and an activation, whatever Keras calls their kernel. */
export interface BiasLayerArgs extends LayerArgs, BiasActivityArgs {
  /** Activation applied to the output (default linear). */
  activation?: ActivationName | null;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
  /** Bias initializer (default zeros). */
  biasInitializer?: InitializerSpec;
}

/** Options shared by Dense and Conv2D. */
export interface KernelBiasLayerArgs extends BiasLayerArgs, KernelBiasArgs {
  /** Kernel initializer: a name, a saved config, or a function (default glorotUniform). */
  kernelInitializer?: InitializerSpec;
}

/**
 * The part Dense, Conv2D and DepthwiseConv2D share: activation, bias, initializers, regularizers
 * and constraints, validated in the constructor and written back by
 * {@link KernelBiasLayer.kernelBiasLayerConfig}. The kernel's options and config fields carry its
 * Keras name (`kernelInitializer`, or `depthwiseInitializer` on DepthwiseConv2D).
 */
export abstract class KernelBiasLayer extends Layer {
  readonly activation: LayerActivation;
  readonly useBias: boolean;
  /** Regularizers and constraints on the kernel, bias and output. */
  readonly options: KernelBiasOptions;
  protected readonly kernelInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  readonly #kernelName: KernelName;
  readonly #kernelInitializerSpec: InitializerSpec;
  readonly #biasInitializerSpec: InitializerSpec;
  /** How errors name the layer, e.g. "Dense layer 'dense_1'". */
  readonly #where: string;

  constructor(args: BiasLayerArgs, className: string, kernelName: KernelName = 'kernel') {
    super(args, className);
    this.#where = `${className} layer '${this.name}'`;
    this.#kernelName = kernelName;
    this.activation = getActivation(args.activation, this.name);
    this.useBias = args.useBias ?? true;
    const kernelInitializer = (args as Record<string, unknown>)[`${kernelName}Initializer`] as InitializerSpec | undefined;
    this.#kernelInitializerSpec = kernelInitializer ?? 'glorotUniform';
    this.#biasInitializerSpec = args.biasInitializer ?? 'zeros';
    this.kernelInitializer = getInitializer(this.#kernelInitializerSpec, `${this.#where} ${kernelName}Initializer`);
    this.biasInitializer = getInitializer(this.#biasInitializerSpec, `${this.#where} biasInitializer`);
    this.options = kernelBiasOptions(args, kernelName, this.#where);
  }

  /** The bias weight; undefined also without `useBias` (tfjs' `layer.bias`); undefined until the layer is built. */
  get bias(): LayerWeight | undefined {
    return this.weightNamed('bias');
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    const { kernel, bias } = this.options;
    return this.useBias ? [kernel.regularizer, bias.regularizer] : [kernel.regularizer];
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    const { kernel, bias } = this.options;
    return this.useBias ? [kernel.constraint, bias.constraint] : [kernel.constraint];
  }

  override get activityRegularizer(): Regularizer | null {
    return this.options.activityRegularizer;
  }

  override get outputActivation(): string {
    return this.activation;
  }

  /**
   * Floats of workspace the layer needs to keep its pre-activation z (`n` values per batch) from
   * forward to backward: `n` when the activation's gradient needs its input, else 0.
   */
  protected preActivationFloats(n: number): number {
    return needsInput(this.activation) ? n : 0;
  }

  /**
   * output[rows×cols] = activation(lhs[rows×depth] · kernel + bias) in one fused kernel (softmax,
   * which needs whole rows, runs after it): the forward pass once the input is a matrix. An
   * activation that needs its input gets z = lhs · kernel + bias kept in the workspace from
   * `zOffset` (see {@link preActivationFloats}), and output = f(z) after it. `kernel` is the
   * layer's kernel weight unless given (Dense's LoRA-adapted kernel).
   */
  protected kernelBiasForward(ctx: ForwardContext, lhs: BufferId, rows: number, depth: number, cols: number, zOffset = 0, kernel: BufferId = ctx.weights[0]): void {
    const { backend, output, weights } = ctx;
    const activation = appliedActivation(this.activation, ctx.deferSoftmax);
    const bias = this.useBias ? weights[1] : 0;
    if (needsInput(activation)) {
      const z = preActivation(ctx, zOffset, rows * cols);
      backend.matMulBiasActivation(lhs, kernel, bias, z, rows, cols, depth, 'linear');
      backend.inputActivation(activation, z, output, rows * cols);
      return;
    }
    backend.matMulBiasActivation(lhs, kernel, bias, output, rows, cols, depth, isRowwise(activation) ? 'linear' : activation);
    if (isRowwise(activation)) backend.activation(activation, output, output, rows, cols);
  }

  /** The shared fields of the layer's config, as Keras and TensorFlow.js write them. */
  protected kernelBiasLayerConfig(): Record<string, unknown> {
    return {
      activation: this.activation,
      useBias: this.useBias,
      [`${this.#kernelName}Initializer`]: initializerConfig(this.#kernelInitializerSpec, `${this.#where} ${this.#kernelName}Initializer`),
      biasInitializer: initializerConfig(this.#biasInitializerSpec, `${this.#where} biasInitializer`),
      ...kernelBiasConfig(this.#kernelName, this.options),
    };
  }
}

/**
 * Where a layer whose product cannot fuse its bias and activation (DepthwiseConv2D,
 * Conv2DTranspose) writes that product: its output, or the kept pre-activation z at `zOffset` in
 * its workspace when the activation needs its input.
 */
export function productBuffer(ctx: ForwardContext, activation: LayerActivation, zOffset: number, length: number): BufferId {
  return needsInput(appliedActivation(activation, ctx.deferSoftmax)) ? preActivation(ctx, zOffset, length) : ctx.output;
}

/**
 * `product` (from {@link productBuffer}) += bias, then the activation into the output; softmax is
 * left to the loss when it is deferred.
 */
export function biasActivationForward(ctx: ForwardContext, activation: LayerActivation, useBias: boolean, rows: number, cols: number, product: BufferId = ctx.output): void {
  const { backend, output, weights } = ctx;
  if (useBias) backend.biasAdd(product, weights[1], rows, cols);
  const applied = appliedActivation(activation, ctx.deferSoftmax);
  if (needsInput(applied)) backend.inputActivation(applied, product, output, rows * cols);
  else if (applied !== 'linear') backend.activation(applied, output, output, rows, cols);
}

/**
 * The layer's kept pre-activation z: `length` floats of its workspace from `offset`. Throws when the
 * layer reserved no workspace for it (its workspaceSize must add preActivationFloats).
 */
export function preActivation(ctx: ForwardContext, offset: number, length: number): BufferId {
  if (!ctx.workspace) {
    throw new Error(`kerasm internal error: a layer with an activation that needs its input reserved no workspace for its pre-activation (${length} floats); its workspaceSize must add preActivationFloats.`);
  }
  return ctx.backend.view(ctx.workspace, offset, length);
}

/**
 * Turns a layer's output gradient into dZ in place (through its activation: from the forward
 * output, or from the kept pre-activation z at `zOffset` in the workspace for an activation that
 * needs its input) and, when it has a bias and trains, writes the bias gradient Σ_rows dZ in the same pass.
 */
export function activationBiasBackward(ctx: BackwardContext, activation: LayerActivation, useBias: boolean, rows: number, cols: number, zOffset = 0): void {
  const { backend, output, outputGrad, weightGrads } = ctx;
  const applied = appliedActivation(activation, ctx.deferSoftmax);
  // A frozen layer (nothing reads its weight gradients) only passes the gradient on.
  useBias &&= ctx.weightGradsNeeded;
  if (needsInput(applied)) {
    const z = preActivation(ctx, zOffset, rows * cols);
    backend.inputActivationGrad(applied, z, outputGrad, outputGrad, useBias ? weightGrads[1] : 0, rows, cols);
  } else if (useBias) backend.activationGradBias(applied, output, outputGrad, outputGrad, weightGrads[1], rows, cols, false);
  else if (applied !== 'linear') backend.activationGrad(applied, output, outputGrad, outputGrad, rows, cols);
}
