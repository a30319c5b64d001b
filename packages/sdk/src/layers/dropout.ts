import { LayerRandom } from './layer_random.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';

/** Options of {@link Dropout}. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop while training, in [0, 1). */
  rate: number;
  /** Seed for this layer's masks; by default they draw from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
  /** Keras' per-axis mask sharing; kerasm draws one mask value per input, so only null is accepted. */
  noiseShape?: null;
}

/**
 * Sets a random fraction `rate` of its inputs to 0 while training and scales the rest by
 * 1/(1 − rate), so inference (where it passes inputs through) sees the same expected values.
 */
export class Dropout extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number | undefined;
  readonly #random: LayerRandom;
  #size = 0;

  constructor(args: DropoutArgs) {
    super(args, 'Dropout');
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`Dropout layer '${this.name}': rate must be a number in [0, 1). Received: rate=${args.rate}.`);
    }
    if (args.noiseShape !== undefined && args.noiseShape !== null) {
      throw new Error(`Dropout layer '${this.name}': noiseShape is not supported; kerasm drops each input independently. Received: noiseShape=${JSON.stringify(args.noiseShape)}. Remove noiseShape (or set it to null).`);
    }
    this.rate = args.rate;
    this.#random = new LayerRandom(args.seed, `Dropout layer '${this.name}'`);
    this.seed = this.#random.seed;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#size = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  override workspaceSize(batch: number): number {
    return batch * this.#size;
  }

  forward(ctx: ForwardContext): void {
    const n = ctx.batch * this.#size;
    if (!ctx.training || this.rate === 0) {
      ctx.backend.copy(ctx.inputs[0], ctx.output, n);
      return;
    }
    const seed = this.#random.kernelSeed();
    ctx.backend.dropoutMask(ctx.workspace, n, this.rate, seed);
    ctx.backend.mul(ctx.inputs[0], ctx.workspace, ctx.output, n);
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    const n = ctx.batch * this.#size;
    if (!ctx.training || this.rate === 0) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], n);
    else ctx.backend.mul(ctx.outputGrad, ctx.workspace, ctx.inputGrads[0], n);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null, seed: this.seed ?? null };
  }
}

registerLayer('Dropout', (config) => new Dropout(config as unknown as DropoutArgs));
