import { registerLayer } from './registry.js';
import { activationBiasBackward, KernelBiasLayer, type KernelBiasLayerArgs } from './kernel_bias_layer.js';
import { formatShape, singleInput, type BackwardContext, type ForwardContext, type Shape } from './layer.js';

/** Options of {@link Dense}. */
export interface DenseArgs extends KernelBiasLayerArgs {
  /** Number of output units (positive integer). */
  units: number;
}

/**
 * A densely connected layer: `output = activation(input · kernel + bias)`, the kernel shaped
 * `[inputUnits, units]` as in Keras and TensorFlow.js.
 */
export class Dense extends KernelBiasLayer {
  readonly className = 'Dense';
  readonly units: number;
  #inputUnits = 0;

  constructor(args: DenseArgs) {
    super(args, 'Dense');
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`Dense layer '${this.name}': units must be a positive integer. Received: units=${args.units}.`);
    }
    this.units = args.units;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    if (shape.length !== 1) {
      const flat = shape.reduce((a, b) => a * b, 1);
      throw new Error(
        `Dense layer '${this.name}' expects inputs of shape (None, features) but received ${formatShape(shape)}. ` +
          `Add km.layers.flatten() before it (as km.layers.flatten({ inputShape: [${shape.join(', ')}] }) when it is the first layer), ` +
          `or reshape the data to [n, ${flat}].`,
      );
    }
    return [this.units];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#inputUnits = singleInput(this, inputShapes)[0];
    this.addWeight('kernel', [this.#inputUnits, this.units], this.kernelInitializer);
    if (this.useBias) this.addWeight('bias', [this.units], this.biasInitializer);
  }

  forward(ctx: ForwardContext): void {
    this.kernelBiasForward(ctx, ctx.inputs[0], ctx.batch, this.#inputUnits, this.units);
  }

  backward(ctx: BackwardContext): void {
    const { backend, batch, inputs, outputGrad, inputGrads, weights, weightGrads } = ctx;
    // dZ and dBias (column sums of dZ), then dKernel = inputᵀ · dZ and dInput = dZ · kernelᵀ.
    activationBiasBackward(ctx, this.activation, this.useBias, batch, this.units);
    backend.matMul(inputs[0], outputGrad, weightGrads[0], this.#inputUnits, this.units, batch, true, false, false);
    if (inputGrads[0]) {
      backend.matMul(outputGrad, weights[0], inputGrads[0], batch, this.#inputUnits, this.units, false, true, false);
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

registerLayer('Dense', (config) => new Dense(config as unknown as DenseArgs));
