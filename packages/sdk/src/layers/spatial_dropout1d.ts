import { formatShape, Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { drawNoiseSeed, checkRate } from './noise.js';
import { registerLayer } from './registry.js';
import { repeatRows } from './repeat_vector.js';

/** Options of {@link SpatialDropout1D}. */
export interface SpatialDropout1DArgs extends LayerArgs {
  /** Fraction of the channels to drop while training, in [0, 1). */
  rate: number;
  /** Saved by tfjs with Dropout's options; kerasm takes only null (one mask value per sample and channel). */
  noiseShape?: null;
  /** Accepted for tfjs configs; kerasm draws from the generator `km.utils.setRandomSeed` and fit's seed set. */
  seed?: number | null;
}

/**
 * Dropout of whole channels: on `[steps, channels]` inputs it zeroes each channel of a sample at
 * every step at once (rate of them) and scales the rest by 1/(1 − rate), while training; passes
 * inputs through at inference. Neighbouring steps are correlated, so this regularizes convolutional
 * sequence models where plain Dropout does not.
 *
 * @example
 * ```ts
 * km.layers.spatialDropout1d({ rate: 0.2 });
 * ```
 */
export class SpatialDropout1D extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'SpatialDropout1D';
  readonly rate: number;
  #steps = 0;
  #channels = 0;

  constructor(args: SpatialDropout1DArgs) {
    super(args, 'SpatialDropout1D');
    this.rate = checkRate(args.rate, `SpatialDropout1D layer '${this.name}'`);
    if (args.noiseShape !== undefined && args.noiseShape !== null) {
      throw new Error(`SpatialDropout1D layer '${this.name}': noiseShape is fixed to (batch, 1, channels). Received: noiseShape=${JSON.stringify(args.noiseShape)}. Remove noiseShape.`);
    }
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const input = singleInput(this, inputShapes);
    if (input.length !== 2) {
      throw new Error(`SpatialDropout1D layer '${this.name}' expects inputs of shape (None, steps, channels), but received ${formatShape(input)}.`);
    }
    return input;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    [this.#steps, this.#channels] = this.computeOutputShape(inputShapes);
  }

  override workspaceSize(batch: number): number {
    // One mask value per sample and channel, then the mask repeated over the steps.
    return batch * this.#channels * (1 + this.#steps);
  }

  #fullMask(ctx: ForwardContext): number {
    return ctx.backend.view(ctx.workspace, ctx.batch * this.#channels, ctx.batch * this.#channels * this.#steps);
  }

  forward(ctx: ForwardContext): void {
    const n = ctx.batch * this.#steps * this.#channels;
    if (!ctx.training || this.rate === 0) {
      ctx.backend.copy(ctx.inputs[0], ctx.output, n);
      return;
    }
    const channelMask = ctx.backend.view(ctx.workspace, 0, ctx.batch * this.#channels);
    ctx.backend.dropoutMask(channelMask, ctx.batch * this.#channels, this.rate, drawNoiseSeed());
    const full = this.#fullMask(ctx);
    repeatRows(ctx.backend, channelMask, full, ctx.batch, this.#steps, this.#channels);
    ctx.backend.mul(ctx.inputs[0], full, ctx.output, n);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const n = ctx.batch * this.#steps * this.#channels;
    if (this.rate === 0) ctx.backend.copy(ctx.outputGrad, dx, n);
    else ctx.backend.mul(ctx.outputGrad, this.#fullMask(ctx), dx, n);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null, seed: null };
  }
}

registerLayer('SpatialDropout1D', (config) => new SpatialDropout1D(config as unknown as SpatialDropout1DArgs));
