import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { singleInput } from './layer_shapes.js';

/**
 * The mask given for a model input (`model.apply(x, { mask })`, Keras' `model(x, mask=m)`): passes
 * the input on unchanged, called with the mask given explicitly, so its output carries that mask as
 * if the input itself had it, which is what Keras does (it sets the mask on the input tensor). It
 * belongs to the model's application, and is neither listed nor saved: the application saves the
 * mask as its `mask` kwarg, and loading applies the model with it again.
 */
export class InputMask extends Layer {
  readonly className = 'InputMask';
  #size = 0;

  constructor() {
    super({}, 'InputMask');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#size = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  override get supportsMasking(): boolean {
    return true;
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * this.#size);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (dx) ctx.backend.copy(ctx.outputGrad, dx, ctx.batch * this.#size);
  }
}
