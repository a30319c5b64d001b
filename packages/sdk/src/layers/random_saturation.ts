import type { Random } from '../utils/random.js';
import { boundedFactorRange } from './color_options.js';
import { HsvAugmentation, type HsvAugmentationArgs } from './hsv_augmentation.js';
import { registerBuiltinLayer } from './registry.js';
import { HSV_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomSaturation}, with Keras' defaults. */
export interface RandomSaturationArgs extends HsvAugmentationArgs {
  /**
   * Each image's f is drawn from this range and scales the saturation by f / (1 − f): 0.5 keeps
   * the image, 0 makes it grey, 1 saturates it fully. f in [−1, 1] draws in [−|f|, |f|] (as Keras'
   * code reads it; a negative draw greys the image), a [lower, upper] pair in that range.
   */
  factor: number | readonly [number, number];
}

/**
 * Keras 3's RandomSaturation: while training each RGB image's saturation (from Keras'
 * rgb_to_hsv) is multiplied by f / (1 − f + 1e-7), f drawn per image, and clipped to `valueRange`
 * as Keras' code does, then the image comes back through hsv_to_rgb (unclipped); predict and
 * evaluate pass images through. No gradient flows back through it.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomSaturation({ factor: [0.3, 0.7], valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomSaturation extends HsvAugmentation {
  readonly className = 'RandomSaturation';
  protected readonly turnsHue = false;

  constructor(args: RandomSaturationArgs) {
    super(args, 'RandomSaturation', (factor, where) => boundedFactorRange(factor, [-1, 1], 'factor', where));
  }

  protected draw(random: Random): [number, number] {
    const f = random.uniform(...this.factor);
    // Keras' backend epsilon keeps f = 1 finite.
    return [0, f / (1 - f + 1e-7)];
  }
}

registerBuiltinLayer('RandomSaturation', (config) => new RandomSaturation(config as unknown as RandomSaturationArgs));

/** Scales each RGB image's saturation by f / (1 − f), f drawn per image, while training, as Keras 3's RandomSaturation. @example `km.layers.randomSaturation({ factor: [0.3, 0.7], valueRange: [0, 1] })` */
export function randomSaturation(args: RandomSaturationArgs): RandomSaturation {
  checkRequiredOptions(args, HSV_OPTIONS, 'km.layers.randomSaturation');
  return new RandomSaturation(args);
}
