import type { Random } from '../utils/random.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { homography } from './homography.js';
import { LAYER } from './layer_options.js';
import { AffineAugmentation, type AffineAugmentationArgs, type AugmentationFactor } from './random_affine.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomPerspective}, with Keras 3's defaults. */
export interface RandomPerspectiveArgs extends Omit<AffineAugmentationArgs, 'fillMode'> {
  /**
   * The chance of transforming each image: per image, a probability is drawn from [0, f] (a number
   * f in [0, 1]) or from [lower, upper] (a pair in [0, 1]), and the image is transformed when a
   * uniform draw falls below it. Default 1, Keras' default, which therefore transforms about half
   * the images; [1, 1] transforms them all.
   */
  factor?: AugmentationFactor;
  /** How far the corners move, in [0, 1]: each corner coordinate c becomes c·(1 + d), d drawn from [−scale/2, scale/2]. Default 1. */
  scale?: number;
}

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0];

/**
 * Keras 3's augmentation layer that distorts the perspective of images while training: it moves
 * the image corners by random fractions of their coordinates (the top-left corner, at the origin,
 * stays) and samples the image through the homography that takes them there, filling the uncovered
 * pixels with `fillValue`. Predict and evaluate pass images through.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomPerspective({ factor: [0.5, 0.5], scale: 0.3, inputShape: [32, 32, 3] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomPerspective extends AffineAugmentation {
  readonly className = 'RandomPerspective';
  /** The range each image's probability of being transformed is drawn from, as Keras keeps it. */
  readonly factor: [number, number];
  readonly scale: number;

  constructor(args: RandomPerspectiveArgs = {}) {
    // Keras samples the perspective with constant fill only.
    super({ ...args, fillMode: 'constant' }, 'RandomPerspective');
    const where = `RandomPerspective layer '${this.name}'`;
    this.factor = probabilityRange(args.factor ?? 1, where);
    this.scale = args.scale ?? 1;
    if (typeof this.scale !== 'number' || !(this.scale >= 0 && this.scale <= 1)) {
      throw new Error(`${where}: scale must be a number in [0, 1]: each corner coordinate moves by up to scale/2 of itself, e.g. scale: 0.3. Received: scale=${JSON.stringify(args.scale)}.`);
    }
  }

  /**
   * Per image, as Keras: the probability, the draw it must exceed, then a shift d per corner
   * coordinate; the corners (0, 0), (w − 1, 0), (0, h − 1), (w − 1, h − 1) move to c·(1 + d), and
   * output pixels at the moved corners read the original ones.
   */
  protected drawTransform(random: Random, height: number, width: number): number[] {
    const probability = random.uniform(...this.factor);
    const applies = random.next() < probability;
    const half = this.scale / 2;
    const corners = [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]] as const;
    const moved = corners.map(([x, y]) => [x * (1 + random.uniform(-half, half)), y * (1 + random.uniform(-half, half))] as const);
    return (applies && homography(corners, moved)) || IDENTITY;
  }

  override getConfig(): Record<string, unknown> {
    // Keras' RandomPerspective has no fill_mode, and writes no data_format.
    const config: Record<string, unknown> = { ...super.getConfig(), factor: [...this.factor], scale: this.scale };
    delete config.fillMode;
    delete config.dataFormat;
    return config;
  }
}

/** Keras' reading of a probability factor: f gives [0, f], a pair is sorted, each value in [0, 1]. */
function probabilityRange(factor: unknown, where: string): [number, number] {
  const unit = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  if (unit(factor)) return [0, factor];
  if (Array.isArray(factor) && factor.length === 2 && factor.every(unit)) {
    const [a, b] = factor as [number, number];
    return [Math.min(a, b), Math.max(a, b)];
  }
  throw new Error(`${where}: factor must be a number in [0, 1] or a [lower, upper] pair of numbers in [0, 1], the range each image's chance of being transformed is drawn from, e.g. factor: 0.5 or factor: [1, 1] (always). Received: factor=${JSON.stringify(factor)}.`);
}

registerBuiltinLayer('RandomPerspective', (config) => new RandomPerspective(config as unknown as RandomPerspectiveArgs));

const RANDOM_PERSPECTIVE_OPTIONS = optionNames<RandomPerspectiveArgs>({
  ...LAYER, factor: true, scale: true, interpolation: true, fillValue: true, dataFormat: true, seed: true,
});

/** Distorts images' perspective at random while training, as Keras 3's RandomPerspective. @example `km.layers.randomPerspective({ scale: 0.3 })` */
export function randomPerspective(args?: RandomPerspectiveArgs): RandomPerspective {
  checkOptions(args, RANDOM_PERSPECTIVE_OPTIONS, 'km.layers.randomPerspective');
  return new RandomPerspective(args);
}
