import type { Random } from '../utils/random.js';
import { boundedFactorRange } from './color_options.js';
import { HsvAugmentation, type HsvAugmentationArgs } from './hsv_augmentation.js';
import { registerBuiltinLayer } from './registry.js';
import { HSV_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomHue}, with Keras' defaults. */
export interface RandomHueArgs extends HsvAugmentationArgs {
  /**
   * Each image's f is drawn from this range and turns the hue by ±f/2 of a full turn (the sign
   * drawn too): 0 keeps the image, 1 turns it by up to half a turn. f in [0, 1] draws in [0, f], a
   * [lower, upper] pair in that range.
   */
  factor: number | readonly [number, number];
}

/**
 * Keras 3's RandomHue: while training each RGB image, seen in [0, 1] through `valueRange`, goes
 * to HSV with Keras' rgb_to_hsv, its hue turned by ±f/2 (f and the sign drawn per image, the sign
 * negative when a uniform draw exceeds 0.5) and wrapped into [0, 1], then back through hsv_to_rgb,
 * clipped to [0, 1] and mapped back; predict and evaluate pass images through. No gradient flows
 * back through it.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomHue({ factor: 0.2, valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomHue extends HsvAugmentation {
  readonly className = 'RandomHue';
  protected readonly turnsHue = true;

  constructor(args: RandomHueArgs) {
    super(args, 'RandomHue', (factor, where) => boundedFactorRange(factor, [0, 1], 'factor', where));
  }

  protected draw(random: Random): [number, number] {
    const sign = random.next() > 0.5 ? -1 : 1;
    return [sign * random.uniform(...this.factor) * 0.5, 1];
  }
}

registerBuiltinLayer('RandomHue', (config) => new RandomHue(config as unknown as RandomHueArgs));

/** Turns each RGB image's hue by a random fraction of a turn while training, as Keras 3's RandomHue. @example `km.layers.randomHue({ factor: 0.2, valueRange: [0, 1] })` */
export function randomHue(args: RandomHueArgs): RandomHue {
  checkRequiredOptions(args, HSV_OPTIONS, 'km.layers.randomHue');
  return new RandomHue(args);
}
