import { checkRequiredOptions } from './layer_options.js';
import { RANDOM_AXIS_RESIZE_OPTIONS, RandomAxisResize, type RandomAxisResizeArgs } from './random_axis_resize.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomWidth}: tfjs-layers 4.22's. `factor` is the range of the width change. */
export type RandomWidthArgs = RandomAxisResizeArgs;

/**
 * tfjs-layers' RandomWidth preprocessing layer: resizes a batch of `[height, width, channels]`
 * images (or one image) to a width scaled by a factor drawn per call, keeping the height, with
 * tfjs' draw and sampling, equal to tfjs' output. It runs on data only (`layer.apply(images)`), as
 * {@link RandomAxisResize} explains; unlike tfjs' layer, `apply(images, { training: false })` passes
 * the images through. {@link RandomHeight} is its twin along the height.
 *
 * @example
 * ```ts
 * const widen = km.layers.randomWidth({ factor: [0, 0.5], seed: 1 });
 * const wider = widen.apply(images); // [batch, height, between width and 1.5·width, channels]
 * ```
 */
export class RandomWidth extends RandomAxisResize {
  readonly className = 'RandomWidth';

  constructor(args: RandomWidthArgs) {
    super(args, 'RandomWidth', 'width');
  }
}

/**
 * tfjs' RandomWidth: resizes images to a random width per call, on data only (`layer.apply(images)`).
 * @example `const wider = km.layers.randomWidth({ factor: [0, 0.5] }).apply(images)`
 */
export function randomWidth(args: RandomWidthArgs): RandomWidth {
  checkRequiredOptions(args, RANDOM_AXIS_RESIZE_OPTIONS, 'km.layers.randomWidth');
  return new RandomWidth(args);
}

registerBuiltinLayer('RandomWidth', (config) => new RandomWidth(config as unknown as RandomWidthArgs));
