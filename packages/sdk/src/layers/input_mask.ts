import type { Shape } from './layer.js';
import { singleInput } from './layer_shapes.js';
import { ReinterpretLayer } from './reinterpret.js';

/**
 * The mask given for a model input (`model.apply(x, { mask })`, Keras' `model(x, mask=m)`): passes
 * the input on unchanged, called with the mask given explicitly, so its output carries that mask as
 * if the input itself had it, which is what Keras does (it sets the mask on the input tensor). It
 * belongs to the model's application, and is neither listed nor saved: the application saves the
 * mask as its `mask` kwarg, and loading applies the model with it again. (A node given a mask
 * explicitly never shares its input's buffers, so this one copies.)
 */
export class InputMask extends ReinterpretLayer {
  readonly className = 'InputMask';

  constructor() {
    super({}, 'InputMask');
  }

  override get supportsMasking(): boolean {
    return true;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }
}
