import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { singleInput } from './layer_shapes.js';

/**
 * A layer that only gives each sample another shape (Flatten, Reshape). Row-major storage needs
 * no change, so the plan shares the input's buffers; the copies below run only where it cannot.
 */
export abstract class ReinterpretLayer extends Layer {
  #sampleSize = 0;

  protected override build(inputShapes: readonly Shape[]): void {
    this.#sampleSize = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  override get aliasesInput(): boolean {
    return true;
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * this.#sampleSize);
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], ctx.batch * this.#sampleSize);
  }
}
