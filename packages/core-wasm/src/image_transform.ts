import type { ResizeInterpolation } from './geometry.js';

/**
 * How a projective image transform fills output pixels that map outside the input, by Keras'
 * names: 'reflect' (d c b a | a b c d | d c b a), 'wrap' (a b c d | a b c d), 'constant' (the
 * fill value) and 'nearest' (a a | a b c d | d d).
 */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';

/** Every fill mode, in the order the kernels number them. */
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];

/**
 * A projective transform of each image of an NHWC batch `[batch, height, width, channels]` into an
 * output of `[outHeight, outWidth]` (the input's size unless given): output pixel (x, y) samples the input at
 * ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k), k = c0·x + c1·y + 1, with the 8 floats
 * [a0, a1, a2, b0, b1, b2, c0, c1] per image, as tf.image.transform.
 */
export interface ImageTransform {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Output size (default: the input's), as tf.image.transform's outputShape. */
  readonly outHeight?: number;
  readonly outWidth?: number;
  readonly interpolation: ResizeInterpolation;
  readonly fillMode: FillMode;
  /** What 'constant' fills with (the other modes never read it). */
  readonly fillValue: number;
}

/** The kernels' integer arguments for a transform: [batch, height, width, channels, outHeight, outWidth, interpolation, fillMode]. */
export function transformArgs(t: ImageTransform): [number, number, number, number, number, number, number, number] {
  return [t.batch, t.height, t.width, t.channels, t.outHeight ?? t.height, t.outWidth ?? t.width, t.interpolation === 'bilinear' ? 1 : 0, FILL_MODES.indexOf(t.fillMode)];
}

/**
 * A per-image contrast and brightness adjustment of an NHWC batch, as Keras' RandomContrast and
 * RandomBrightness: y = clip((x − mean)·contrast + mean + delta, lo, hi), the mean per image and
 * channel, with (contrast, delta) per image in a buffer of 2·batch floats. The other colour
 * kernels (solarization, posterization, auto-contrast) read the same batch geometry, with lo and
 * hi the value range of the images.
 */
export interface ColorAdjustment {
  readonly batch: number;
  /** Pixels per image (height·width). */
  readonly pixels: number;
  readonly channels: number;
  readonly lo: number;
  readonly hi: number;
}
