import { checkNumberOption } from '../utils/options.js';
import { LayerRandom } from './layer_random.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ALPHA_DROPOUT_OPTIONS, GAUSSIAN_DROPOUT_OPTIONS, GAUSSIAN_NOISE_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** The seed option of the noise layers (Keras 3's `seed`). */
export interface NoiseSeedArgs extends LayerArgs {
  /** Seed of this layer's noise; by default it draws from the generator `km.utils.setRandomSeed` and fit's seed set. */
  seed?: number | null;
}

/** Options of {@link GaussianNoise}. */
export interface GaussianNoiseArgs extends NoiseSeedArgs {
  /** Standard deviation of the noise, ≥ 0. */
  stddev: number;
}

/** Options of {@link GaussianDropout} and {@link AlphaDropout}. */
export interface NoiseRateArgs extends NoiseSeedArgs {
  /** Drop probability, in [0, 1). */
  rate: number;
}

/** Options of {@link AlphaDropout}. */
export interface AlphaDropoutArgs extends NoiseRateArgs {
  /** tfjs' per-axis mask sharing; kerasm draws one mask value per input, so only null is accepted. */
  noiseShape?: null;
}

/** Checks a drop rate in [0, 1); `where` names the layer. */
export function checkRate(rate: unknown, where: string): number {
  return checkNumberOption(rate, 'rate', where, (r) => r >= 0 && r < 1, 'a number in [0, 1)');
}

/**
 * A layer that perturbs its input while training and passes it through at inference, as Dropout:
 * the shape checks, the sample size and the inference path.
 */
abstract class TrainingNoise extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  protected size = 0;
  readonly seed: number | undefined;
  readonly #random: LayerRandom;

  constructor(args: NoiseSeedArgs, className: string) {
    super(args, className);
    this.#random = new LayerRandom(args.seed, `${className} layer '${this.name}'`, this);
    this.seed = this.#random.seed;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.size = singleInput(this, inputShapes).reduce((a, b) => a * b, 1);
  }

  /** Whether the layer changes anything while training (a rate or stddev of 0 does not). */
  protected abstract get active(): boolean;

  /** The training pass over n values, drawing its noise from `seed`. */
  protected abstract perturb(ctx: ForwardContext, n: number, seed: number): void;

  forward(ctx: ForwardContext): void {
    const n = ctx.batch * this.size;
    if (ctx.training && this.active) this.perturb(ctx, n, this.#random.kernelSeed());
    else ctx.backend.copy(ctx.inputs[0], ctx.output, n);
  }

  // tfjs' noise layers have no seed key, so it is written only when given.
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

/**
 * Adds zero-mean Gaussian noise of standard deviation `stddev` while training (a regularizer, and
 * the corruption of a denoising autoencoder); passes inputs through at inference.
 *
 * @example
 * ```ts
 * km.layers.gaussianNoise({ stddev: 0.1, inputShape: [784] });
 * ```
 */
export class GaussianNoise extends TrainingNoise {
  readonly className = 'GaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    super(args, 'GaussianNoise');
    this.stddev = checkNumberOption(args.stddev, 'stddev', `GaussianNoise layer '${this.name}'`, (s) => s >= 0 && Number.isFinite(s), 'a finite number ≥ 0');
  }

  protected get active(): boolean {
    return this.stddev > 0;
  }

  protected perturb(ctx: ForwardContext, n: number, seed: number): void {
    ctx.backend.normalNoise(ctx.output, n, 0, this.stddev, seed);
    ctx.backend.add(ctx.output, ctx.inputs[0], ctx.output, n);
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], ctx.batch * this.size);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

/**
 * A dropout that multiplies each input by a factor drawn while training (rate 0: none), keeping the
 * factors in the workspace's first n floats: its gradient is dy times them.
 */
abstract class MultiplicativeDropout extends TrainingNoise {
  readonly rate: number;

  constructor(args: NoiseRateArgs, className: string) {
    super(args, className);
    this.rate = checkRate(args.rate, `${className} layer '${this.name}'`);
  }

  protected get active(): boolean {
    return this.rate > 0;
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const n = ctx.batch * this.size;
    if (ctx.training && this.rate > 0) ctx.backend.mul(ctx.outputGrad, ctx.backend.view(ctx.workspace, 0, n), dx, n);
    else ctx.backend.copy(ctx.outputGrad, dx, n);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/**
 * Multiplies its inputs by Gaussian noise of mean 1 and standard deviation √(rate / (1 − rate))
 * while training; passes them through at inference.
 *
 * @example
 * ```ts
 * km.layers.gaussianDropout({ rate: 0.2 });
 * ```
 */
export class GaussianDropout extends MultiplicativeDropout {
  readonly className = 'GaussianDropout';

  constructor(args: NoiseRateArgs) {
    super(args, 'GaussianDropout');
  }

  override workspaceSize(batch: number): number {
    return batch * this.size;
  }

  protected perturb(ctx: ForwardContext, n: number, seed: number): void {
    ctx.backend.normalNoise(ctx.workspace, n, 1, Math.sqrt(this.rate / (1 - this.rate)), seed);
    ctx.backend.mul(ctx.inputs[0], ctx.workspace, ctx.output, n);
  }
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for SELU networks: dropped inputs are set to SELU's negative saturation −α·λ, then an
 * affine map a·x + b restores the mean and variance of a unit normal input (Klambauer et al., 2017).
 * Training only; inference passes inputs through.
 *
 * @example
 * ```ts
 * km.layers.alphaDropout({ rate: 0.1 });
 * ```
 */
export class AlphaDropout extends MultiplicativeDropout {
  readonly className = 'AlphaDropout';

  constructor(args: AlphaDropoutArgs) {
    super(args, 'AlphaDropout');
    if (args.noiseShape !== undefined && args.noiseShape !== null) {
      throw new Error(`AlphaDropout layer '${this.name}': noiseShape is not supported; kerasm drops each input independently. Received: noiseShape=${JSON.stringify(args.noiseShape)}. Remove noiseShape (or set it to null).`);
    }
  }

  // The factors a·keep (the gradient's), then scratch.
  override workspaceSize(batch: number): number {
    return 2 * batch * this.size;
  }

  protected perturb(ctx: ForwardContext, n: number, seed: number): void {
    // keep ∈ {0, 1}: y = a·(x·keep + α'·(1 − keep)) + b = M·x + (a·α' + b) − α'·M, with M = a·keep.
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * this.rate;
    const backend = ctx.backend;
    const mask = backend.view(ctx.workspace, 0, n);
    const term = backend.view(ctx.workspace, n, n);
    backend.dropoutMask(mask, n, this.rate, seed);
    backend.scale(mask, n, a * (1 - this.rate));
    backend.fill(ctx.output, n, a * alphaP + b);
    backend.copy(mask, term, n);
    backend.scale(term, n, -alphaP);
    backend.add(ctx.output, term, ctx.output, n);
    backend.mul(ctx.inputs[0], mask, term, n);
    backend.add(ctx.output, term, ctx.output, n);
  }
}

registerBuiltinLayer('GaussianNoise', (config) => new GaussianNoise(config as unknown as GaussianNoiseArgs));
registerBuiltinLayer('GaussianDropout', (config) => new GaussianDropout(config as unknown as NoiseRateArgs));
registerBuiltinLayer('AlphaDropout', (config) => new AlphaDropout(config as unknown as AlphaDropoutArgs));

/** Adds Gaussian noise while training. @example `km.layers.gaussianNoise({ stddev: 0.1 })` */
export function gaussianNoise(args: GaussianNoiseArgs): GaussianNoise {
  checkRequiredOptions(args, GAUSSIAN_NOISE_OPTIONS, 'km.layers.gaussianNoise');
  return new GaussianNoise(args);
}

/** Multiplies by Gaussian noise of mean 1 while training. @example `km.layers.gaussianDropout({ rate: 0.2 })` */
export function gaussianDropout(args: NoiseRateArgs): GaussianDropout {
  checkRequiredOptions(args, GAUSSIAN_DROPOUT_OPTIONS, 'km.layers.gaussianDropout');
  return new GaussianDropout(args);
}

/** Dropout that keeps SELU's self-normalization. @example `km.layers.alphaDropout({ rate: 0.1 })` */
export function alphaDropout(args: AlphaDropoutArgs): AlphaDropout {
  checkRequiredOptions(args, ALPHA_DROPOUT_OPTIONS, 'km.layers.alphaDropout');
  return new AlphaDropout(args);
}
