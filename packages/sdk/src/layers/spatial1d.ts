import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { sequenceAsImage } from './image_layer.js';
import { Cropping2D } from './cropping2d.js';
import { registerBuiltinLayer } from './registry.js';
import { withoutDefaultDataFormat } from './channel_axis.js';
import { UpSampling2D } from './up_sampling2d.js';
import { isCount, ZeroPadding2D, type SidePairs } from './zero_padding2d.js';
import { checkOptions } from '../utils/options.js';
import { CROPPING1D_OPTIONS, UP_SAMPLING1D_OPTIONS, ZERO_PADDING1D_OPTIONS } from './layer_options.js';

// Keras' 1-D padding, cropping and upsampling are the 2-D layers over a sequence seen as an image of
// height 1 (ImageLayer's two hooks); the option spellings and configs are the rest of the difference.

/** [start, end] from Keras' `n` or `[start, end]` spellings, as the 2-D layers' side pairs. */
function ends(value: unknown, fallback: number, className: string, layer: string, option: string): SidePairs {
  const p = value ?? fallback;
  if (isCount(p)) return [[0, 0], [p, p]];
  if (Array.isArray(p) && p.length === 2 && p.every(isCount)) return [[0, 0], [p[0], p[1]]];
  throw new Error(`${className} layer '${layer}': ${option} must be a non-negative integer or [start, end]. Received: ${option}=${JSON.stringify(value)}.`);
}

/** Options of {@link ZeroPadding1D}. */
export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zeros before and after the steps: `p` (both ends) or `[start, end]`. Default 1. */
  padding?: number | [number, number];
}

/**
 * Adds zero steps at the start and end of each `[steps, channels]` sequence (Keras' ZeroPadding1D).
 *
 * @example
 * ```ts
 * km.layers.zeroPadding1d({ padding: [2, 1] }).apply(km.input({ shape: [10, 4] })).shape; // [13, 4]
 * ```
 */
export class ZeroPadding1D extends ZeroPadding2D {
  override readonly className: string = 'ZeroPadding1D';

  constructor(args: ZeroPadding1DArgs = {}) {
    super({ ...args, padding: undefined }, 'ZeroPadding1D', ends(args.padding, 1, 'ZeroPadding1D', args.name ?? 'zero_padding1d', 'padding'));
  }

  protected override sampleImage(input: Shape): [number, number, number] {
    return sequenceAsImage(input, this.name, this.className);
  }

  protected override sampleShape(_h: number, w: number, c: number): Shape {
    return [w, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...withoutDefaultDataFormat(super.getConfig()), padding: this.padding[1] };
  }
}

/** Options of {@link Cropping1D}. */
export interface Cropping1DArgs extends LayerArgs {
  /** Steps to remove at the start and end: `c` (both ends) or `[start, end]`. Default [1, 1], as Keras. */
  cropping?: number | [number, number];
}

/**
 * Removes steps at the start and end of each `[steps, channels]` sequence (Keras' Cropping1D).
 *
 * @example
 * ```ts
 * km.layers.cropping1D({ cropping: [2, 0] }).apply(km.input({ shape: [10, 4] })).shape; // [8, 4]
 * ```
 */
export class Cropping1D extends Cropping2D {
  override readonly className: string = 'Cropping1D';

  constructor(args: Cropping1DArgs = {}) {
    super({ ...args, cropping: 0 }, 'Cropping1D', ends(args.cropping, 1, 'Cropping1D', args.name ?? 'cropping1d', 'cropping'));
  }

  protected override sampleImage(input: Shape): [number, number, number] {
    return sequenceAsImage(input, this.name, this.className);
  }

  protected override sampleShape(_h: number, w: number, c: number): Shape {
    return [w, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...withoutDefaultDataFormat(super.getConfig()), cropping: this.cropping[1] };
  }
}

/** Options of {@link UpSampling1D}. */
export interface UpSampling1DArgs extends LayerArgs {
  /** How many times to repeat each step (default 2). */
  size?: number;
}

/**
 * Repeats each step of a `[steps, channels]` sequence `size` times (Keras' UpSampling1D).
 *
 * @example
 * ```ts
 * km.layers.upSampling1d({ size: 3 }).apply(km.input({ shape: [10, 4] })).shape; // [30, 4]
 * ```
 */
export class UpSampling1D extends UpSampling2D {
  override readonly className: string = 'UpSampling1D';

  constructor(args: UpSampling1DArgs = {}) {
    const size = args.size ?? 2;
    if (!Number.isInteger(size) || size < 1) {
      throw new Error(`UpSampling1D layer '${args.name ?? 'up_sampling1d'}': size must be a positive integer. Received: size=${JSON.stringify(args.size)}.`);
    }
    super({ ...args, size: undefined }, 'UpSampling1D', [1, size]);
  }

  protected override sampleImage(input: Shape): [number, number, number] {
    return sequenceAsImage(input, this.name, this.className);
  }

  protected override sampleShape(_h: number, w: number, c: number): Shape {
    return [w, c];
  }

  override getConfig(): Record<string, unknown> {
    const { interpolation: _, ...rest } = withoutDefaultDataFormat(super.getConfig());
    return { ...rest, size: this.size[1] };
  }
}

registerBuiltinLayer('ZeroPadding1D', (config) => new ZeroPadding1D(config as ZeroPadding1DArgs));
registerBuiltinLayer('Cropping1D', (config) => new Cropping1D(config as Cropping1DArgs));
registerBuiltinLayer('UpSampling1D', (config) => new UpSampling1D(config as UpSampling1DArgs));

/** Zero steps at the start and end of each sequence (Keras' ZeroPadding1D). @example `km.layers.zeroPadding1d({ padding: [2, 0] })` */
export function zeroPadding1d(args?: ZeroPadding1DArgs): ZeroPadding1D {
  checkOptions(args, ZERO_PADDING1D_OPTIONS, 'km.layers.zeroPadding1d');
  return new ZeroPadding1D(args);
}

/** Removes steps at the start and end of each sequence (Keras' Cropping1D). @example `km.layers.cropping1D({ cropping: [1, 2] })` */
export function cropping1D(args?: Cropping1DArgs): Cropping1D {
  checkOptions(args, CROPPING1D_OPTIONS, 'km.layers.cropping1D');
  return new Cropping1D(args);
}

/** Repeats each step of a sequence (Keras' UpSampling1D). @example `km.layers.upSampling1d({ size: 2 })` */
export function upSampling1d(args?: UpSampling1DArgs): UpSampling1D {
  checkOptions(args, UP_SAMPLING1D_OPTIONS, 'km.layers.upSampling1d');
  return new UpSampling1D(args);
}
