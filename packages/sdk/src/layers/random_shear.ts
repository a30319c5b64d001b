import type { Random } from '../utils/random.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { LAYER } from './layer_options.js';
import { AffineAugmentation, type AffineAugmentationArgs, type AugmentationFactor } from './random_affine.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomShear}, with Keras 3's defaults. */
export interface RandomShearArgs extends AffineAugmentationArgs {
  /**
   * Horizontal shear: output pixel (x, y) reads the input at x + s·y, s drawn per image. A number f
   * in [0, 1] draws s from [−f, f]; a pair [lower, upper] of numbers in [0, 1] draws |s| from that
   * range with a random sign. Default 0 (no horizontal shear).
   */
  xFactor?: AugmentationFactor;
  /** Vertical shear: output pixel (x, y) reads the input at y + s·x; read as xFactor. Default 0. */
  yFactor?: AugmentationFactor;
}

/**
 * A shear factor as Keras 3's RandomShear reads it: f gives [−f, f], a pair is sorted, each value in
 * [0, 1]. Also [−f, f] itself, the range Keras' get_config writes for f, so that saved layers load.
 */
function shearRange(factor: unknown, option: string, where: string): [number, number] {
  const unit = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  if (unit(factor)) return [-factor, factor];
  if (Array.isArray(factor) && factor.length === 2) {
    const [a, b] = factor as unknown[];
    if (unit(a) && unit(b)) return [Math.min(a, b), Math.max(a, b)];
    if (typeof a === 'number' && unit(b) && a === -b) return [a, b];
  }
  throw new Error(`${where}: ${option} must be a number in [0, 1] or a [lower, upper] pair of numbers in [0, 1] (each image's shear takes a random sign), e.g. ${option}: 0.2 or ${option}: [0.1, 0.3]. Received: ${option}=${JSON.stringify(factor)}.`);
}

/**
 * Keras 3's augmentation layer that shears each image by random amounts along x and y while
 * training (about the top-left corner, as Keras), filling the uncovered pixels by `fillMode`;
 * predict and evaluate pass images through.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomShear({ xFactor: 0.2, yFactor: 0.2, inputShape: [28, 28, 1] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomShear extends AffineAugmentation {
  readonly className = 'RandomShear';
  /** The range the horizontal shear's magnitude is drawn from, as Keras keeps it. */
  readonly xFactor: [number, number];
  /** The range the vertical shear's magnitude is drawn from. */
  readonly yFactor: [number, number];

  constructor(args: RandomShearArgs = {}) {
    super(args, 'RandomShear');
    const where = `RandomShear layer '${this.name}'`;
    this.xFactor = shearRange(args.xFactor ?? 0, 'xFactor', where);
    this.yFactor = shearRange(args.yFactor ?? 0, 'yFactor', where);
  }

  /** Keras' shear matrix [[1, sx, 0], [sy, 1, 0]]: a sign (−1 when a uniform draw exceeds 0.5), then sy, then sx per image. */
  protected drawTransform(random: Random): number[] {
    const sign = random.next() > 0.5 ? -1 : 1;
    const sy = random.uniform(...this.yFactor) * sign;
    const sx = random.uniform(...this.xFactor) * sign;
    return [1, sx, 0, sy, 1, 0, 0, 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), xFactor: [...this.xFactor], yFactor: [...this.yFactor] };
  }
}

registerBuiltinLayer('RandomShear', (config) => new RandomShear(config as unknown as RandomShearArgs));

const RANDOM_SHEAR_OPTIONS = optionNames<RandomShearArgs>({
  ...LAYER, xFactor: true, yFactor: true, fillMode: true, interpolation: true, fillValue: true, dataFormat: true, seed: true,
});

/** Shears images by random amounts while training, as Keras 3's RandomShear. @example `km.layers.randomShear({ xFactor: 0.2, yFactor: 0.2 })` */
export function randomShear(args?: RandomShearArgs): RandomShear {
  checkOptions(args, RANDOM_SHEAR_OPTIONS, 'km.layers.randomShear');
  return new RandomShear(args);
}
