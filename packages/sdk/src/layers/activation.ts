import { registerLayer } from './registry.js';
import { appliedActivation, getActivation, needsInput, type ActivationName, type LayerActivation } from './activations.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';

/** Options of {@link Activation}. */
export interface ActivationArgs extends LayerArgs {
  activation: ActivationName;
}

/** Applies an activation function to its input (softmax along the last axis). */
export class Activation extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'Activation';
  readonly activation: LayerActivation;
  #cols = 1;
  #sampleSize = 1;

  constructor(args: ActivationArgs) {
    super(args, 'Activation');
    this.activation = getActivation(args.activation, this.name);
  }

  override get outputActivation(): string {
    return this.activation;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    // Softmax normalises the last axis; element-wise activations do not care how rows are cut.
    this.#cols = shape[shape.length - 1] ?? 1;
    this.#sampleSize = shape.reduce((a, b) => a * b, 1);
  }

  #rows(ctx: ForwardContext): number {
    return (ctx.batch * this.#sampleSize) / this.#cols;
  }

  forward(ctx: ForwardContext): void {
    const activation = appliedActivation(this.activation, ctx.deferSoftmax);
    const rows = this.#rows(ctx);
    if (needsInput(activation)) ctx.backend.inputActivation(activation, ctx.inputs[0], ctx.output, rows * this.#cols);
    else ctx.backend.activation(activation, ctx.inputs[0], ctx.output, rows, this.#cols);
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    const activation = appliedActivation(this.activation, ctx.deferSoftmax);
    const rows = this.#rows(ctx);
    // The layer's input is its pre-activation: still there in backward, so nothing needs keeping.
    if (needsInput(activation)) ctx.backend.inputActivationGrad(activation, ctx.inputs[0], ctx.outputGrad, ctx.inputGrads[0], 0, rows, this.#cols);
    else ctx.backend.activationGrad(activation, ctx.output, ctx.outputGrad, ctx.inputGrads[0], rows, this.#cols);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

registerLayer('Activation', (config) => new Activation(config as unknown as ActivationArgs));
