import { shapeSize } from '../tensor.js';
import { formatShape, singleInput, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { GammaBetaNormalization, type GammaBetaArgs } from './gamma_beta_normalization.js';

/** Options of {@link LayerNormalization}, with Keras' and TensorFlow.js' defaults. */
export interface LayerNormalizationArgs extends GammaBetaArgs {
  /**
   * The axis or axes to normalise over, counting the batch as 0 (default -1, the last). They must
   * be the trailing axes, e.g. -1, or [-2, -1] for `[h, w, c]` images to normalise over w and c.
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

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, 'LayerNormalization');
    const axis = args.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(list) || list.length === 0 || !list.every((a) => Number.isInteger(a)) || new Set(list).size !== list.length) {
      throw new Error(`${this.where}: axis must be an integer or a non-empty list of distinct integers, e.g. -1 or [-2, -1]. Received: axis=${JSON.stringify(args.axis)}.`);
    }
    this.#axis = typeof axis === 'number' ? axis : [...list];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = singleInput(this, inputShapes);
    this.#resolveAxes(shape);
    return shape;
  }

  /**
   * The axes counted from the batch (0), checked against the input: in range, not the batch, and
   * the trailing ones, so that each normalised group is one contiguous row in memory.
   */
  #resolveAxes(shape: Shape): number[] {
    const rank = shape.length + 1;
    const given = typeof this.#axis === 'number' ? [this.#axis] : this.#axis;
    const resolved = given.map((a) => (a < 0 ? a + rank : a));
    const received = `Received: axis=${JSON.stringify(this.#axis)} for input shape ${formatShape(shape)}`;
    const bad = resolved.findIndex((a) => a < 1 || a >= rank);
    if (bad >= 0) {
      throw new Error(
        `${this.where}: axis ${given[bad]} is out of range for an input of rank ${rank} (batch included); axes 1 to ${rank - 1} (or -1 to -${rank - 1}) can be normalised, not the batch axis 0. ${received}. ` +
          `Pick an axis of the sample, e.g. -1.`,
      );
    }
    const sorted = [...resolved].sort((a, b) => a - b);
    if (sorted.some((a, i) => a !== rank - sorted.length + i)) {
      throw new Error(
        `${this.where}: kerasm normalises over the trailing axes only (-1, [-2, -1], ...: they are contiguous in memory), but axis names ${JSON.stringify(resolved)} of rank ${rank}. ${received}. ` +
          `Use axis -1 or a list of the last axes, or move the axes to normalise to the end first.`,
      );
    }
    return resolved;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const shape = singleInput(this, inputShapes);
    const axes = this.#resolveAxes(shape);
    // tfjs-layers shapes gamma and beta by the axes in the order given and reshapes them onto the
    // input without transposing, so their flat values always run in memory order, as here.
    const paramShape = axes.map((a) => shape[a - 1]);
    this.#resolvedAxes = axes;
    this.#cols = shapeSize(paramShape);
    this.#size = shapeSize(shape);
    this.addGammaBeta(paramShape);
  }

  /** Each row's mean and 1/√(var + ε), kept from the forward to the backward pass. */
  override workspaceSize(batch: number): number {
    return 2 * this.#rows(batch);
  }

  #rows(batch: number): number {
    return (batch * this.#size) / this.#cols;
  }

  forward(ctx: ForwardContext): void {
    const { backend, workspace } = ctx;
    const rows = this.#rows(ctx.batch);
    const [gamma, beta] = this.gammaBeta(ctx.weights);
    backend.layerNormForward(ctx.inputs[0], ctx.output, gamma, beta, backend.view(workspace, 0, rows), backend.view(workspace, rows, rows), rows, this.#cols, this.epsilon);
  }

  backward(ctx: BackwardContext): void {
    const { backend, workspace } = ctx;
    const rows = this.#rows(ctx.batch);
    const [gamma] = this.gammaBeta(ctx.weights);
    const [dGamma, dBeta] = this.gammaBeta(ctx.weightGrads);
    backend.layerNormBackward(ctx.inputs[0], ctx.outputGrad, ctx.inputGrads[0], gamma, backend.view(workspace, 0, rows), backend.view(workspace, rows, rows), dGamma, dBeta, rows, this.#cols);
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

registerLayer('LayerNormalization', (config) => new LayerNormalization(config as LayerNormalizationArgs));
