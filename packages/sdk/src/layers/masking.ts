import { checkOptions } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { MASKING_OPTIONS } from './layer_options.js';
import { registerBuiltinLayer } from './registry.js';
import { shapeSize, type Tensor } from '../tensor.js';
import { BUILT_IN_COMPUTE_MASKS, maskOfValues } from './compute_mask.js';

/** Options of {@link Masking}. */
export interface MaskingArgs extends LayerArgs {
  /** A step whose every feature equals this value is padding (default 0). */
  maskValue?: number;
}

/**
 * Marks padding in sequences of feature vectors, as Keras' Masking: a step (a position along every
 * axis but the last) whose features all equal `maskValue` is masked, its output is zeros, and the
 * layers after it honour the mask (recurrent layers carry their state over masked steps,
 * GlobalAveragePooling1D averages the others; a layer that cannot is refused when the model is built).
 *
 * @example
 * ```ts
 * // Time series of different lengths, padded with 0 at the end to 50 steps of 3 features.
 * const model = km.sequential([
 *   km.layers.masking({ maskValue: 0, inputShape: [50, 3] }),
 *   km.layers.lstm({ units: 16 }),
 *   km.layers.dense({ units: 1 }),
 * ]);
 * ```
 */
export class Masking extends Layer {
  readonly className = 'Masking';
  readonly maskValue: number;
  #steps = 0;
  #features = 0;

  constructor(args: MaskingArgs = {}) {
    super(args, 'Masking');
    const value = args.maskValue ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`Masking layer '${this.name}': maskValue must be a finite number. Received: maskValue=${JSON.stringify(args.maskValue)}. Use the value your sequences are padded with, e.g. maskValue: 0.`);
    }
    this.maskValue = value;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    if (shape.length < 2) {
      throw new Error(`Masking layer '${this.name}' expects sequences of shape [steps, features], but received inputs of shape (None, ${shape.join(', ')}). ` +
        `Give each sample a features axis (e.g. km.layers.reshape({ targetShape: [steps, 1] }) before it for a sequence of single numbers).`);
    }
    return shape;
  }

  /**
   * The mask this layer gives its output for `inputs` (Keras' `compute_mask`, tfjs' `computeMask`):
   * float32 of the input's shape without its last axis, 1 for a step with some feature other than
   * `maskValue`, 0 for padding. It is read on the host, to look at a mask (Keras'
   * `output._keras_mask`); a model makes its own.
   *
   * @example
   * ```ts
   * km.layers.masking({ maskValue: 0 }).computeMask(km.tensor([[[1, 2], [0, 0]]])).print(); // [[1, 0]]
   * ```
   */
  computeMask(inputs: Tensor, _mask?: Tensor | null): Tensor<'float32'> {
    return maskOfValues(inputs, this.maskValue, 1, `Masking layer '${this.name}'`);
  }

  // A new mask replaces whatever mask the input carried, as in Keras.
  override get supportsMasking(): boolean {
    return true;
  }

  override get producesMask(): boolean {
    return true;
  }

  // Its mask comes from the input's values, so a mask given explicitly has no meaning for it.
  override get makesMaskFromValues(): boolean {
    return true;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = this.computeOutputShape(inputShapes);
    this.#features = shape[shape.length - 1];
    this.#steps = shapeSize(shape) / this.#features;
  }

  forward(ctx: ForwardContext): void {
    const { backend } = ctx;
    const rows = ctx.batch * this.#steps;
    backend.maskFromValues(ctx.inputs[0], ctx.outputMask, rows, this.#features, this.maskValue);
    backend.copy(ctx.inputs[0], ctx.output, rows * this.#features);
    backend.maskSelectRows(ctx.outputMask, ctx.output, 0, rows, this.#features);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const rows = ctx.batch * this.#steps;
    ctx.backend.copy(ctx.outputGrad, dx, rows * this.#features);
    ctx.backend.maskSelectRows(ctx.outputMask, dx, 0, rows, this.#features);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

/**
 * Masks the steps of a padded sequence whose features all equal `maskValue`, for the layers after it.
 * @example `km.layers.masking({ maskValue: 0, inputShape: [50, 3] })`
 */
export function masking(args?: MaskingArgs): Masking {
  checkOptions(args, MASKING_OPTIONS, 'km.layers.masking');
  return new Masking(args);
}

registerBuiltinLayer('Masking', (config) => new Masking(config as MaskingArgs));

BUILT_IN_COMPUTE_MASKS.add(Masking.prototype.computeMask);
