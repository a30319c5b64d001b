import { registerBuiltinLayer } from './registry.js';
import { appliedActivation, getActivation, needsInput, type ActivationLayerName, type LayerActivation } from './activations.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { ACTIVATION_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Activation}. */
export interface ActivationArgs extends LayerArgs {
  /** The function to apply, by name: 'relu', 'softmax', 'tanh', ... (Keras' snake_case names are read too). */
  activation: ActivationLayerName;
}

/** Applies an activation function to its input (softmax, sparsemax and glu along the last axis). */
export class Activation extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'Activation';
  readonly activation: LayerActivation | 'glu';
  #cols = 1;
  #sampleSize = 1;

  constructor(args: ActivationArgs) {
    super(args, 'Activation');
    this.activation = args.activation === 'glu' ? 'glu' : getActivation(args.activation, this.name);
  }

  override get outputActivation(): string {
    return this.activation;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    if (this.activation !== 'glu') return shape;
    const last = shape[shape.length - 1];
    if (last === undefined || last % 2 !== 0) {
      throw new Error(`Activation layer '${this.name}': glu splits the last axis into two halves, so its size must be even. ` +
        `Received: input shape ${formatShape(shape)} (last axis ${last ?? 'missing'}). Give the layer before it an even number of units or filters.`);
    }
    return [...shape.slice(0, -1), last / 2];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    this.computeOutputShape(inputShapes);
    // Softmax normalises the last axis; element-wise activations do not care how rows are cut.
    this.#cols = shape[shape.length - 1] ?? 1;
    this.#sampleSize = shape.reduce((a, b) => a * b, 1);
  }

  #rows(ctx: ForwardContext): number {
    return (ctx.batch * this.#sampleSize) / this.#cols;
  }

  forward(ctx: ForwardContext): void {
    const rows = this.#rows(ctx);
    if (this.activation === 'glu') {
      ctx.backend.glu(ctx.inputs[0], ctx.output, rows, this.#cols / 2);
      return;
    }
    const activation = appliedActivation(this.activation, ctx.deferSoftmax);
    if (needsInput(activation)) ctx.backend.inputActivation(activation, ctx.inputs[0], ctx.output, rows * this.#cols);
    else ctx.backend.activation(activation, ctx.inputs[0], ctx.output, rows, this.#cols);
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    const rows = this.#rows(ctx);
    // The layer's input is its pre-activation: still there in backward, so nothing needs keeping.
    if (this.activation === 'glu') {
      ctx.backend.gluGrad(ctx.inputs[0], ctx.outputGrad, ctx.inputGrads[0], rows, this.#cols / 2);
      return;
    }
    const activation = appliedActivation(this.activation, ctx.deferSoftmax);
    if (needsInput(activation)) ctx.backend.inputActivationGrad(activation, ctx.inputs[0], ctx.outputGrad, ctx.inputGrads[0], 0, rows, this.#cols);
    else ctx.backend.activationGrad(activation, ctx.output, ctx.outputGrad, ctx.inputGrads[0], rows, this.#cols);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

registerBuiltinLayer('Activation', (config) => new Activation(config as unknown as ActivationArgs));

/**
 * Applies an activation to its input: any name the `ActivationName` type lists (softmax, log-softmax
 * and sparsemax along the last axis, the others element by element), or Keras 3's `'glu'`, which
 * halves the last axis.
 * @example `km.layers.activation({ activation: 'elu' })`, `km.layers.activation({ activation: 'glu' })`
 */
export function activation(args: ActivationArgs): Activation {
  checkRequiredOptions(args, ACTIVATION_OPTIONS, 'km.layers.activation');
  return new Activation(args);
}
