import type { Random } from '../utils/random.js';
import { AffineAugmentation, factorRange, type AffineAugmentationArgs, type AugmentationFactor } from './random_affine.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_ROTATION_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomRotation}, with Keras' defaults. */
export interface RandomRotationArgs extends AffineAugmentationArgs {
  /** Rotation as a fraction of a full turn: f rotates by up to ±f·360°, [lower, upper] within that range (positive: counter-clockwise). */
  factor: AugmentationFactor;
}

/**
 * Keras' augmentation layer that rotates each image about its centre by a random angle while
 * training, filling the uncovered pixels by `fillMode`; predict and evaluate pass images through.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomRotation({ factor: 0.05, inputShape: [28, 28, 1] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomRotation extends AffineAugmentation {
  readonly className = 'RandomRotation';
  readonly factor: AugmentationFactor;
  readonly #range: [number, number];

  constructor(args: RandomRotationArgs) {
    super(args, 'RandomRotation');
    this.#range = factorRange(args.factor, 'factor', `RandomRotation layer '${this.name}'`);
    this.factor = args.factor;
  }

  /** The rotation by θ about the centre ((w − 1)/2, (h − 1)/2), θ = 2π·u, u drawn in the factor's range. */
  protected drawTransform(random: Random, height: number, width: number): number[] {
    const angle = 2 * Math.PI * random.uniform(...this.#range);
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const [w1, h1] = [width - 1, height - 1];
    const xOffset = (w1 - (cos * w1 - sin * h1)) / 2;
    const yOffset = (h1 - (sin * w1 + cos * h1)) / 2;
    return [cos, -sin, xOffset, sin, cos, yOffset, 0, 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

registerBuiltinLayer('RandomRotation', (config) => new RandomRotation(config as unknown as RandomRotationArgs));

/** Rotates images by a random fraction of a turn while training. @example `km.layers.randomRotation({ factor: 0.1 })` */
export function randomRotation(args: RandomRotationArgs): RandomRotation {
  checkRequiredOptions(args, RANDOM_ROTATION_OPTIONS, 'km.layers.randomRotation');
  return new RandomRotation(args);
}
