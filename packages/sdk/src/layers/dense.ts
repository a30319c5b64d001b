import { registerBuiltinLayer } from './registry.js';
import { activationBiasBackward, KernelBiasLayer, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { shapeSize } from '../tensor.js';
import type { LayerWeight } from './layer_weight.js';
import { DENSE_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Dense}. */
export interface DenseArgs extends KernelBiasLayerArgs {
  /** Number of output units (positive integer). */
  units: number;
  /** tfjs' (and Keras 1's) form of a rank-1 input shape: `inputDim: 784` is `inputShape: [784]`. */
  inputDim?: number;
}

/**
 * A densely connected layer: `output = activation(input · kernel + bias)`, the kernel shaped
 * `[inputUnits, units]` as in Keras and TensorFlow.js. On inputs of higher rank it acts on the last
 * axis, at every position: `[steps, features]` becomes `[steps, units]`, as in Keras.
 */
export class Dense extends KernelBiasLayer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'Dense';
  readonly units: number;
  #inputUnits = 0;
  /** Positions per sample the kernel is applied at: the product of every input axis but the last. */
  #positions = 1;

  constructor(args: DenseArgs) {
    super(args, 'Dense');
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`Dense layer '${this.name}': units must be a positive integer. Received: units=${args.units}.`);
    }
    this.units = args.units;
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
    this.addWeight('kernel', [this.#inputUnits, this.units], this.kernelInitializer);
    if (this.useBias) this.addWeight('bias', [this.units], this.biasInitializer);
  }

  override workspaceSize(batch: number): number {
    return this.preActivationFloats(batch * this.#positions * this.units);
  }

  forward(ctx: ForwardContext): void {
    this.kernelBiasForward(ctx, ctx.inputs[0], ctx.batch * this.#positions, this.#inputUnits, this.units);
  }

  backward(ctx: BackwardContext): void {
    const { backend, inputs, outputGrad, inputGrads, weights, weightGrads } = ctx;
    const rows = ctx.batch * this.#positions;
    // dZ and dBias (column sums of dZ), then dKernel = inputᵀ · dZ and dInput = dZ · kernelᵀ.
    activationBiasBackward(ctx, this.activation, this.useBias, rows, this.units);
    if (ctx.weightGradsNeeded) backend.matMul(inputs[0], outputGrad, weightGrads[0], this.#inputUnits, this.units, rows, true, false, false);
    if (inputGrads[0]) {
      backend.matMul(outputGrad, weights[0], inputGrads[0], rows, this.#inputUnits, this.units, false, true, false);
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...this.kernelBiasLayerConfig(),
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
