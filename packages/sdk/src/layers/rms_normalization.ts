import { getInitializer } from '../initializers/initializers.js';
import { shapeSize } from '../tensor.js';
import { checkNumberOption } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { checkNormalizedAxesOption, normalizedAxes, normalizedOrder } from './normalization_axes.js';
import { ChannelsLastBody } from './channel_axis.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { RMS_NORMALIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link RMSNormalization}, with Keras 3's defaults. */
export interface RMSNormalizationArgs extends LayerArgs {
  /**
   * The axis or axes to normalise over, counting the batch as 0 (default -1, the last): -1,
   * [-2, -1] to normalise `[h, w, c]` images over w and c, 1 for each feature of
   * `[steps, features]` over the steps, or axes that are not adjacent, such as [1, 3].
   */
  axis?: number | readonly number[];
  /** Added to the mean square before the square root (default 1e-6). */
  epsilon?: number;
}

/**
 * Keras 3's RMSNormalization (Zhang and Sennrich's RMSNorm, the normalization of Llama-style
 * transformers): y = x / √(mean(x²) + ε) · scale over `axis` of each sample (each position, for
 * inputs of higher rank), with no centring. `scale` is learned, shaped like the normalised axes,
 * and starts at ones. It acts the same in training and inference.
 *
 * @example
 * ```ts
 * const tokens = km.input({ shape: [16, 32] });
 * const normed = km.layers.rmsNormalization().apply(tokens); // [16, 32], each position normalised over its 32 features
 * km.layers.rmsNormalization({ axis: [-2, -1], epsilon: 1e-5 }); // over the last two axes
 * ```
 */
export class RMSNormalization extends Layer {
  readonly className = 'RMSNormalization';
  readonly epsilon: number;
  readonly #axis: number | readonly number[];
  readonly #where: string;
  /** The axes counted from 0 (the batch) and sorted, as Keras keeps them once built. */
  #resolvedAxes: readonly number[] | null = null;
  /** Values per normalised row and per sample. */
  #cols = 0;
  #size = 0;
  /** The normalised axes, transposed last for the kernels when others follow them. */
  #body: ChannelsLastBody | null = null;

  constructor(args: RMSNormalizationArgs = {}) {
    super(args, 'RMSNormalization');
    this.#where = `RMSNormalization layer '${this.name}'`;
    this.#axis = checkNormalizedAxesOption(args.axis, this.#where);
    this.epsilon = checkNumberOption(args.epsilon ?? 1e-6, 'epsilon', this.#where, (v) => v > 0 && Number.isFinite(v), 'a positive number, e.g. 1e-6');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    normalizedOrder(normalizedAxes(this.#axis, shape, this.#where), shape, this.#where);
    return shape;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    const axes = normalizedAxes(this.#axis, shape, this.#where).sort((a, b) => a - b);
    const layout = normalizedOrder(axes, shape, this.#where);
    this.#body = new ChannelsLastBody(layout, layout);
    const scaleShape = axes.map((a) => shape[a - 1]);
    this.#resolvedAxes = axes;
    this.#cols = shapeSize(scaleShape);
    this.#size = shapeSize(shape);
    this.addWeight('scale', scaleShape, getInitializer('ones'));
  }

  /** Each row's 1/√(mean(x²) + ε), kept from the forward to the backward pass, then the transposes' scratch. */
  override workspaceSize(batch: number): number {
    return this.#rows(batch) + this.#body!.scratchSize(batch);
  }

  #rows(batch: number): number {
    return (batch * this.#size) / this.#cols;
  }

  forward(ctx: ForwardContext): void {
    const rows = this.#rows(ctx.batch);
    this.#body!.forward(ctx, rows, (c) => c.backend.rmsNormForward(c.inputs[0], c.output, c.weights[0], c.workspace, rows, this.#cols, this.epsilon));
  }

  backward(ctx: BackwardContext): void {
    const rows = this.#rows(ctx.batch);
    // A frozen layer only passes the gradient on: the kernel skips dScale given 0.
    const dScale = ctx.weightGradsNeeded ? ctx.weightGrads[0] : 0;
    this.#body!.backward(ctx, rows, (c) => c.backend.rmsNormBackward(c.inputs[0], c.outputGrad, c.inputGrads[0], c.weights[0], c.workspace, dScale, rows, this.#cols));
  }

  override getConfig(): Record<string, unknown> {
    // As Keras 3 writes it: the sorted axes counted from the batch once built, else as given.
    return { ...super.getConfig(), axis: this.#resolvedAxes ? [...this.#resolvedAxes] : this.#axis, epsilon: this.epsilon };
  }
}

registerBuiltinLayer('RMSNormalization', (config) => new RMSNormalization(config as RMSNormalizationArgs));

/**
 * Scales each sample by the reciprocal of its root mean square over `axis` (default -1) and a learned
 * `scale`, as Keras 3's RMSNormalization (no centring, unlike layerNormalization).
 * @example `km.layers.rmsNormalization({ axis: -1, epsilon: 1e-6 })`
 */
export function rmsNormalization(args?: RMSNormalizationArgs): RMSNormalization {
  checkOptions(args, RMS_NORMALIZATION_OPTIONS, 'km.layers.rmsNormalization');
  return new RMSNormalization(args);
}
