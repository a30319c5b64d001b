import type { Random } from '../utils/random.js';
import { factorRange, type AugmentationFactor } from './random_affine.js';
import { ColorAugmentation, type ColorAugmentationArgs } from './random_color.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_BRIGHTNESS_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomBrightness}, with Keras' defaults. */
export interface RandomBrightnessArgs extends ColorAugmentationArgs {
  /** The shift as a fraction of the value range: f shifts by up to ±f, [lower, upper] within that range (−1: black, 1: white). */
  factor: AugmentationFactor;
}

/**
 * Keras' augmentation layer that adds a random shift to each image while training: a fraction of
 * the value range drawn per image, the result clipped to `valueRange`; predict and evaluate pass
 * images through.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomBrightness({ factor: 0.2, valueRange: [0, 1], inputShape: [32, 32, 3] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomBrightness extends ColorAugmentation {
  readonly className = 'RandomBrightness';
  readonly factor: AugmentationFactor;
  readonly #range: [number, number];

  constructor(args: RandomBrightnessArgs) {
    super(args, 'RandomBrightness');
    this.#range = factorRange(args.factor, 'factor', `RandomBrightness layer '${this.name}'`);
    this.factor = args.factor;
  }

  protected drawAdjustment(random: Random): [number, number] {
    return [1, random.uniform(...this.#range) * (this.valueRange[1] - this.valueRange[0])];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

registerBuiltinLayer('RandomBrightness', (config) => new RandomBrightness(config as unknown as RandomBrightnessArgs));

/** Shifts each image's brightness by a random amount while training. @example `km.layers.randomBrightness({ factor: 0.2, valueRange: [0, 1] })` */
export function randomBrightness(args: RandomBrightnessArgs): RandomBrightness {
  checkRequiredOptions(args, RANDOM_BRIGHTNESS_OPTIONS, 'km.layers.randomBrightness');
  return new RandomBrightness(args);
}
