import { shapeSize } from '../tensor.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { singleInput } from './layer_shapes.js';
import { checkNormalizedAxesOption, normalizedAxes, normalizedOrder } from './normalization_axes.js';
import { ChannelsLastBody } from './channel_axis.js';
import { registerBuiltinLayer } from './registry.js';
import { GammaBetaNormalization, type GammaBetaArgs } from './gamma_beta_normalization.js';
import { checkOptions } from '../utils/options.js';
import { LAYER_NORMALIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link LayerNormalization}, with Keras' and TensorFlow.js' defaults. */
export interface LayerNormalizationArgs extends GammaBetaArgs {
  /**
   * The axis or axes to normalise over, counting the batch as 0 (default -1, the last): -1,
   * [-2, -1] for `[h, w, c]` images to normalise over w and c, 1 for each feature of
   * `[steps, features]` over the steps, or axes that are not adjacent, such as [1, 3].
   */
  axis?: number | readonly number[];
}

/**
 * Normalises each sample (each position, for inputs of higher rank) over `axis` to zero mean and
 * unit variance (the biased variance, as Keras), then scales by `gamma` and shifts by `beta`, both
 * shaped like the normalised axes. It acts the same in training and inference: no moving statistics.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.dense({ units: 64, inputShape: [784] }),
 *   km.layers.layerNormalization(),
 *   km.layers.activation({ activation: 'relu' }),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * // Over the last two axes of [h, w, c] images (w and c):
 * km.layers.layerNormalization({ axis: [-2, -1] });
 * // Each feature of [steps, features] sequences over the steps:
 * km.layers.layerNormalization({ axis: 1 });
 * ```
 */
export class LayerNormalization extends GammaBetaNormalization {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'LayerNormalization';
  readonly #axis: number | readonly number[];
  /** The axes counted from 0 (the batch), in the order given, once built. */
  #resolvedAxes: readonly number[] | null = null;
  /** Values per normalised row and per sample. */
  #cols = 0;
  #size = 0;
  /** The normalised axes, transposed last for the kernels when others follow them. */
  #body: ChannelsLastBody | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, 'LayerNormalization');
    this.#axis = checkNormalizedAxesOption(args.axis, this.where);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    normalizedOrder(normalizedAxes(this.#axis, shape, this.where), shape, this.where);
    return shape;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    const axes = normalizedAxes(this.#axis, shape, this.where);
    const layout = normalizedOrder(axes, shape, this.where);
    this.#body = new ChannelsLastBody(layout, layout);
    // tfjs-layers shapes gamma and beta by the axes in the order given and reshapes them onto the
    // input without transposing, so their flat values always run in memory order, as here.
    const paramShape = axes.map((a) => shape[a - 1]);
    this.#resolvedAxes = axes;
    this.#cols = shapeSize(paramShape);
    this.#size = shapeSize(shape);
    this.addGammaBeta(paramShape);
  }

  /** Each row's mean and 1/√(var + ε), kept from the forward to the backward pass, then the transposes' scratch. */
  override workspaceSize(batch: number): number {
    return 2 * this.#rows(batch) + this.#body!.scratchSize(batch);
  }

  #rows(batch: number): number {
    return (batch * this.#size) / this.#cols;
  }

  forward(ctx: ForwardContext): void {
    const { backend, workspace } = ctx;
    const rows = this.#rows(ctx.batch);
    const [gamma, beta] = this.gammaBeta(ctx.weights);
    const [mean, invStd] = [backend.view(workspace, 0, rows), backend.view(workspace, rows, rows)];
    this.#body!.forward(ctx, 2 * rows, ({ inputs: [x], output }) => backend.layerNormForward(x, output, gamma, beta, mean, invStd, rows, this.#cols, this.epsilon));
  }

  backward(ctx: BackwardContext): void {
    const { backend, workspace } = ctx;
    const rows = this.#rows(ctx.batch);
    const [gamma] = this.gammaBeta(ctx.weights);
    // A frozen layer only passes the gradient on: the kernel skips dGamma and dBeta given 0.
    const [dGamma, dBeta] = ctx.weightGradsNeeded ? this.gammaBeta(ctx.weightGrads) : [0, 0];
    const [mean, invStd] = [backend.view(workspace, 0, rows), backend.view(workspace, rows, rows)];
    this.#body!.backward(ctx, 2 * rows, ({ inputs: [x], outputGrad, inputGrads: [dx] }) => backend.layerNormBackward(x, outputGrad, dx, gamma, mean, invStd, dGamma, dBeta, rows, this.#cols));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      // As tfjs-layers writes it: the axes counted from the batch once built, else as given.
      axis: this.#resolvedAxes ? [...this.#resolvedAxes] : this.#axis,
      ...this.gammaBetaConfig(),
    };
  }
}

registerBuiltinLayer('LayerNormalization', (config) => new LayerNormalization(config as LayerNormalizationArgs));

/**
 * Normalises each sample over its last axis (or other adjacent axes) with its own mean and variance, the same in training and inference.
 * @example `km.layers.layerNormalization({ axis: -1, epsilon: 1e-3 })`
 */
export function layerNormalization(args?: LayerNormalizationArgs): LayerNormalization {
  checkOptions(args, LAYER_NORMALIZATION_OPTIONS, 'km.layers.layerNormalization');
  return new LayerNormalization(args);
}
