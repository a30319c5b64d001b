import type { BufferId, ColorAdjustment } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import { unitFactorRange, valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { SOLARIZATION_OPTIONS } from './layer_options.js';

/** Options of {@link Solarization}, with Keras' defaults. */
export interface SolarizationArgs extends RandomImageArgs {
  /**
   * What is added to each image before the threshold, as a fraction of the value range drawn per
   * image (default 0: nothing): f in [0, 1] draws in [0, f], [lower, upper] in that range.
   */
  additionFactor?: number | readonly [number, number];
  /**
   * Each image's threshold as a fraction of the value range, drawn like `additionFactor` (default 0:
   * every value is solarized); only values at or above it are flipped.
   */
  thresholdFactor?: number | readonly [number, number];
  /** [low, high] of the pixel values (default [0, 255]). */
  valueRange?: readonly [number, number];
}

/**
 * Keras 3's Solarization: while training, each image's values (seen in [0, 255]) get the image's
 * addition, are clipped to [0, 255], and those at or above the image's threshold become 255 − v;
 * the addition and threshold are drawn per image as fractions of 255 from their factors' ranges.
 * Predict and evaluate pass images through. Keras' code draws the lower end of each range
 * unscaled (a slip that only shows with a [lower, upper] pair); kerasm scales both ends by 255,
 * as its documentation says.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.solarization({ additionFactor: 0.1, thresholdFactor: [0.4, 0.6], valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class Solarization extends RandomImageLayer {
  readonly className = 'Solarization';
  readonly additionFactor: [number, number];
  readonly thresholdFactor: [number, number];
  readonly valueRange: [number, number];
  /** Each image's (addition, threshold), in [0, 255] units. */
  protected readonly drawSize = 2;

  constructor(args: SolarizationArgs = {}) {
    super(args, 'Solarization');
    const where = `Solarization layer '${this.name}'`;
    this.additionFactor = unitFactorRange(args.additionFactor ?? 0, 'additionFactor', where);
    this.thresholdFactor = unitFactorRange(args.thresholdFactor ?? 0, 'thresholdFactor', where);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  protected draw(random: Random): [number, number] {
    const [a, t] = [this.additionFactor, this.thresholdFactor];
    return [random.uniform(a[0] * 255, a[1] * 255), random.uniform(t[0] * 255, t[1] * 255)];
  }

  #range(batch: number): ColorAdjustment {
    const [h, w, channels] = this.image;
    return { batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    ctx.backend.solarizeImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#range(ctx.batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.solarizeImagesGrad(ctx.inputs[0], ctx.outputGrad, dx, ctx.workspace, this.#range(ctx.batch));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), additionFactor: this.additionFactor, thresholdFactor: this.thresholdFactor, valueRange: this.valueRange };
  }
}

registerBuiltinLayer('Solarization', (config) => new Solarization(config as unknown as SolarizationArgs));

/** Flips the values at or above a threshold drawn per image (v → 255 − v, in [0, 255] terms) while training, as Keras 3's Solarization. @example `km.layers.solarization({ thresholdFactor: 0.5, valueRange: [0, 1] })` */
export function solarization(args?: SolarizationArgs): Solarization {
  checkOptions(args, SOLARIZATION_OPTIONS, 'km.layers.solarization');
  return new Solarization(args);
}
