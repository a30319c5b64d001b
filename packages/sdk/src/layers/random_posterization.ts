import type { BufferId, ColorAdjustment } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import { valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_POSTERIZATION_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomPosterization}, with Keras' defaults. */
export interface RandomPosterizationArgs extends RandomImageArgs {
  /**
   * The bits kept per channel value, an integer in [1, 8] (required): f stands for [1, f], and a
   * [lower, upper] pair draws each image's bits among lower, …, upper − 1 as Keras' randint does
   * (lower alone when the two are equal).
   */
  factor: number | readonly [number, number];
  /** [low, high] of the pixel values (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Keras 3's RandomPosterization: while training each image keeps only the top bits of its values
 * seen as bytes in [0, 255], the number of bits drawn per image from `factor`; predict and evaluate
 * pass images through. As through Keras' uint8 cast, no gradient flows back in training.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomPosterization({ factor: [3, 6], valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomPosterization extends RandomImageLayer {
  readonly className = 'RandomPosterization';
  /** The bits range [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  /** Each image's shift, 8 − the bits it keeps. */
  protected readonly drawSize = 1;

  constructor(args: RandomPosterizationArgs) {
    super(args, 'RandomPosterization');
    const where = `RandomPosterization layer '${this.name}'`;
    const f = args?.factor;
    const valid = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 8;
    if (valid(f)) this.factor = [1, f];
    else if (Array.isArray(f) && f.length === 2 && f.every(valid)) this.factor = [Math.min(...f), Math.max(...f)];
    else {
      throw new Error(`${where}: factor must be the bits to keep, an integer in [1, 8] or a [lower, upper] pair of them, e.g. factor: 4 or factor: [3, 6]. Received: factor=${JSON.stringify(f)}.`);
    }
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  protected draw(random: Random): [number] {
    const [lower, upper] = this.factor;
    const bits = lower === upper ? lower : lower + Math.floor(random.next() * (upper - lower));
    return [8 - bits];
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const [h, w, channels] = this.image;
    const range: ColorAdjustment = { batch: ctx.batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
    ctx.backend.posterizeImages(ctx.inputs[0], ctx.output, ctx.workspace, range);
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.fill(dx, ctx.batch * this.image.reduce((a, b) => a * b, 1), 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}

registerBuiltinLayer('RandomPosterization', (config) => new RandomPosterization(config as unknown as RandomPosterizationArgs));

/** Keeps only the top bits of each image's values (as bytes) while training, as Keras 3's RandomPosterization. @example `km.layers.randomPosterization({ factor: [3, 6], valueRange: [0, 1] })` */
export function randomPosterization(args: RandomPosterizationArgs): RandomPosterization {
  checkRequiredOptions(args, RANDOM_POSTERIZATION_OPTIONS, 'km.layers.randomPosterization');
  return new RandomPosterization(args);
}
