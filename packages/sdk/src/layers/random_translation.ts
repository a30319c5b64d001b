import type { Random } from '../utils/random.js';
import { AffineAugmentation, factorRange, type AffineAugmentationArgs, type AugmentationFactor } from './random_affine.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_TRANSLATION_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomTranslation}, with Keras' defaults. */
export interface RandomTranslationArgs extends AffineAugmentationArgs {
  /** Vertical shift as a fraction of the height: f shifts by up to ±f, [lower, upper] within that range (negative: up). */
  heightFactor: AugmentationFactor;
  /** Horizontal shift as a fraction of the width: f shifts by up to ±f, [lower, upper] within that range (negative: left). */
  widthFactor: AugmentationFactor;
}

/**
 * Keras' augmentation layer that shifts each image by a random fraction of its height and width
 * while training, filling the uncovered pixels by `fillMode`; predict and evaluate pass images through.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, inputShape: [28, 28, 1] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomTranslation extends AffineAugmentation {
  readonly className = 'RandomTranslation';
  readonly heightFactor: AugmentationFactor;
  readonly widthFactor: AugmentationFactor;
  readonly #height: [number, number];
  readonly #width: [number, number];

  constructor(args: RandomTranslationArgs) {
    super(args, 'RandomTranslation');
    const where = `RandomTranslation layer '${this.name}'`;
    this.#height = factorRange(args.heightFactor, 'heightFactor', where);
    this.#width = factorRange(args.widthFactor, 'widthFactor', where);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  /** Keras' translation matrix [[1, 0, −dx], [0, 1, −dy]], dy then dx drawn per image as fractions of the size. */
  protected drawTransform(random: Random, height: number, width: number): number[] {
    const dy = random.uniform(...this.#height) * height;
    const dx = random.uniform(...this.#width) * width;
    return [1, 0, -dx, 0, 1, -dy, 0, 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}

registerBuiltinLayer('RandomTranslation', (config) => new RandomTranslation(config as unknown as RandomTranslationArgs));

/** Shifts images by a random fraction of their size while training. @example `km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 })` */
export function randomTranslation(args: RandomTranslationArgs): RandomTranslation {
  checkRequiredOptions(args, RANDOM_TRANSLATION_OPTIONS, 'km.layers.randomTranslation');
  return new RandomTranslation(args);
}
