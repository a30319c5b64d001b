import type { Random } from '../utils/random.js';
import type { AugmentationFactor } from './random_affine.js';
import { ColorAugmentation, type ColorAugmentationArgs } from './random_color.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_CONTRAST_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomContrast}, with Keras' defaults. */
export interface RandomContrastArgs extends ColorAugmentationArgs {
  /** f in [0, 1] draws the contrast factor in [1 − f, 1 + f]; [lower, upper] draws it in [1 − lower, 1 + upper]. */
  factor: AugmentationFactor;
}

/**
 * Keras' augmentation layer that scales each image's contrast by a random factor while training:
 * each channel becomes (x − mean)·factor + mean, clipped to `valueRange`; predict and evaluate
 * pass images through.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomContrast({ factor: 0.2, valueRange: [0, 1], inputShape: [32, 32, 3] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomContrast extends ColorAugmentation {
  readonly className = 'RandomContrast';
  readonly factor: AugmentationFactor;
  readonly #range: [number, number];

  constructor(args: RandomContrastArgs) {
    super(args, 'RandomContrast');
    const valid = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
    const f = args.factor;
    if (valid(f)) this.#range = [1 - f, 1 + f];
    else if (Array.isArray(f) && f.length === 2 && f.every(valid)) this.#range = [1 - f[0], 1 + f[1]];
    else {
      throw new Error(`RandomContrast layer '${this.name}': factor must be a number in [0, 1] or a [lower, upper] pair of them (the contrast factor is drawn in [1 − lower, 1 + upper]), e.g. factor: 0.2. Received: factor=${JSON.stringify(f)}.`);
    }
    this.factor = f;
  }

  protected drawAdjustment(random: Random): [number, number] {
    return [random.uniform(...this.#range), 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

registerBuiltinLayer('RandomContrast', (config) => new RandomContrast(config as unknown as RandomContrastArgs));

/** Scales each image's contrast by a random factor while training. @example `km.layers.randomContrast({ factor: 0.2, valueRange: [0, 1] })` */
export function randomContrast(args: RandomContrastArgs): RandomContrast {
  checkRequiredOptions(args, RANDOM_CONTRAST_OPTIONS, 'km.layers.randomContrast');
  return new RandomContrast(args);
}
