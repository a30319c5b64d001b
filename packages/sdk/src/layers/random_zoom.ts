import type { Random } from '../utils/random.js';
import { AffineAugmentation, factorRange, type AffineAugmentationArgs, type AugmentationFactor } from './random_affine.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_ZOOM_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomZoom}, with Keras' defaults. */
export interface RandomZoomArgs extends AffineAugmentationArgs {
  /** Vertical zoom: f zooms by 1 ± up to f, [lower, upper] by 1 + that range (positive: zoom out, negative: zoom in). */
  heightFactor: AugmentationFactor;
  /** Horizontal zoom, as heightFactor; null or absent (default) keeps each image's aspect ratio by reusing its vertical zoom. */
  widthFactor?: AugmentationFactor | null;
}

/**
 * Keras' augmentation layer that zooms each image in or out about its centre by a random amount
 * per axis while training, filling the uncovered pixels by `fillMode`; predict and evaluate pass
 * images through.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomZoom({ heightFactor: [-0.2, 0.1], inputShape: [32, 32, 3] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomZoom extends AffineAugmentation {
  readonly className = 'RandomZoom';
  readonly heightFactor: AugmentationFactor;
  readonly widthFactor: AugmentationFactor | null;
  readonly #height: [number, number];
  readonly #width: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    super(args, 'RandomZoom');
    const where = `RandomZoom layer '${this.name}'`;
    this.#height = factorRange(args.heightFactor, 'heightFactor', where);
    this.#width = args.widthFactor === undefined || args.widthFactor === null ? null : factorRange(args.widthFactor, 'widthFactor', where);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
  }

  /** Keras' zoom matrix: zoom z per axis about the centre, the vertical one drawn first. */
  protected drawTransform(random: Random, height: number, width: number): number[] {
    const zy = 1 + random.uniform(...this.#height);
    const zx = this.#width ? 1 + random.uniform(...this.#width) : zy;
    return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}

registerBuiltinLayer('RandomZoom', (config) => new RandomZoom(config as unknown as RandomZoomArgs));

/** Zooms images in or out at random while training. @example `km.layers.randomZoom({ heightFactor: 0.2 })` */
export function randomZoom(args: RandomZoomArgs): RandomZoom {
  checkRequiredOptions(args, RANDOM_ZOOM_OPTIONS, 'km.layers.randomZoom');
  return new RandomZoom(args);
}
