import { checkRequiredOptions } from './layer_options.js';
import { RANDOM_AXIS_RESIZE_OPTIONS, RandomAxisResize, type RandomAxisResizeArgs } from './random_axis_resize.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomHeight}: Keras'. `factor` is the range of the height change. */
export type RandomHeightArgs = RandomAxisResizeArgs;

/**
 * Keras' RandomHeight preprocessing layer: resizes a batch of `[height, width, channels]` images
 * (or one image) to a height scaled by a factor drawn per call, keeping the width;
 * `apply(images, { training: false })` passes the images through. It runs on data only
 * (`layer.apply(images)`), as {@link RandomAxisResize} explains. It is the twin of
 * {@link RandomWidth} along the height, with its draw and sampling, those of the RandomHeight class
 * tfjs-layers 4.22 ships but does not export: the new height is factor·height rounded (Keras
 * truncates), sampled without half-pixel centres (Keras' `tf.image.resize` has them).
 *
 * @example
 * ```ts
 * const stretch = km.layers.randomHeight({ factor: [0, 0.5], seed: 1 });
 * const taller = stretch.apply(images); // [batch, between height and 1.5·height, width, channels]
 * ```
 */
export class RandomHeight extends RandomAxisResize {
  readonly className = 'RandomHeight';

  constructor(args: RandomHeightArgs) {
    super(args, 'RandomHeight', 'height');
  }
}

/**
 * Keras' RandomHeight: resizes images to a random height per call, on data only (`layer.apply(images)`).
 * @example `const taller = km.layers.randomHeight({ factor: [0, 0.5] }).apply(images)`
 */
export function randomHeight(args: RandomHeightArgs): RandomHeight {
  checkRequiredOptions(args, RANDOM_AXIS_RESIZE_OPTIONS, 'km.layers.randomHeight');
  return new RandomHeight(args);
}

registerBuiltinLayer('RandomHeight', (config) => new RandomHeight(config as unknown as RandomHeightArgs));
