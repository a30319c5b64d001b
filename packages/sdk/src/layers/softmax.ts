import { appliedActivation } from './activations.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';

/** Options of {@link Softmax}. */
export interface SoftmaxArgs extends LayerArgs {
  /**
   * The axis to normalize, counting the batch as axis 0 (default −1, the last). kerasm normalizes
   * the last axis only; tfjs' own default, 1, is accepted where it is the last axis (a [batch, n] input).
   */
  axis?: number | readonly number[];
}

/**
 * Softmax along the last axis as a layer of its own, e.g. after a Dense without activation.
 * As the output layer of a model trained with a cross-entropy loss, the loss applies it fused
 * with the cross-entropy, as for `activation: 'softmax'`.
 *
 * @example
 * ```ts
 * const model = km.sequential([km.layers.dense({ units: 10, inputShape: [784] }), km.layers.softmax()]);
 * ```
 */
export class Softmax extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'Softmax';
  readonly axis: number;
  #cols = 1;
  #sampleSize = 1;

  constructor(args: SoftmaxArgs = {}) {
    super(args, 'Softmax');
    const axis = args.axis ?? -1;
    // tfjs takes a list of axes too; a list of one is that axis.
    const single = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
    if (typeof single !== 'number' || !Number.isInteger(single)) {
      throw new Error(`Softmax layer '${this.name}': axis must be an integer (−1 for the last axis). Received: axis=${JSON.stringify(args.axis)}.`);
    }
    this.axis = single;
  }

  override get outputActivation(): string {
    return 'softmax';
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    // Axes count the batch as 0, so the last one is shape.length (or −1).
    if (this.axis !== -1 && this.axis !== shape.length) {
      throw new Error(
        `Softmax layer '${this.name}': kerasm normalizes only the last axis, which for input shape [null, ${shape.join(', ')}] is axis -1 (or ${shape.length}). ` +
          `Received: axis=${this.axis}. Use axis: -1, and arrange the input so that the axis to normalize comes last.`,
      );
    }
    return shape;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = this.computeOutputShape(inputShapes);
    this.#cols = shape[shape.length - 1] ?? 1;
    this.#sampleSize = shape.reduce((a, b) => a * b, 1);
  }

  #rows(batch: number): number {
    return (batch * this.#sampleSize) / this.#cols;
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.activation(appliedActivation('softmax', ctx.deferSoftmax), ctx.inputs[0], ctx.output, this.#rows(ctx.batch), this.#cols);
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    ctx.backend.activationGrad(appliedActivation('softmax', ctx.deferSoftmax), ctx.output, ctx.outputGrad, ctx.inputGrads[0], this.#rows(ctx.batch), this.#cols);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerLayer('Softmax', (config) => new Softmax(config as SoftmaxArgs));
