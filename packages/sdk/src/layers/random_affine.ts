import type { BufferId, FillMode, ImageTransform, ResizeInterpolation } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';

/** A factor of Keras' augmentation layers: ±f, or a [lower, upper] range. */
export type AugmentationFactor = number | readonly [number, number];

/** The options every geometric augmentation layer takes, with Keras' defaults. */
export interface AffineAugmentationArgs extends RandomImageArgs {
  /** How pixels that map outside the image are filled (default 'reflect'). */
  fillMode?: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: ResizeInterpolation;
  /** What fillMode 'constant' fills with (default 0). */
  fillValue?: number;
  /** Only 'channelsLast' (NHWC), Keras' default, is supported. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
const INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest'];

/**
 * A factor as its [lower, upper] range, as Keras reads it: a number f gives [−|f|, |f|], a pair is
 * sorted; every bound must lie in [−1, 1].
 */
export function factorRange(factor: unknown, option: string, where: string): [number, number] {
  const valid = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -1 && v <= 1;
  if (valid(factor)) return [-Math.abs(factor), Math.abs(factor)];
  if (Array.isArray(factor) && factor.length === 2 && factor.every(valid)) {
    const [a, b] = factor as [number, number];
    return [Math.min(a, b), Math.max(a, b)];
  }
  throw new Error(`${where}: ${option} must be a number or a [lower, upper] pair of numbers in [-1, 1], e.g. ${option}: 0.1 or ${option}: [-0.2, 0.3]. Received: ${option}=${JSON.stringify(factor)}.`);
}

/**
 * The base of Keras' RandomTranslation, RandomRotation and RandomZoom: while training (`fit`) it
 * draws one projective transform per image per batch and samples the image through it as
 * tf.image.transform does; in predict and evaluate it passes images through unchanged. Its
 * gradient is the transpose of the sampling, so trainable layers may sit before it.
 */
export abstract class AffineAugmentation extends RandomImageLayer {
  readonly fillMode: FillMode;
  readonly interpolation: ResizeInterpolation;
  readonly fillValue: number;
  /** The 8 numbers of each image's transform. */
  protected readonly drawSize = 8;

  constructor(args: AffineAugmentationArgs, className: string) {
    super(args, className);
    const where = `${className} layer '${this.name}'`;
    this.fillMode = args.fillMode ?? 'reflect';
    if (!FILL_MODES.includes(this.fillMode)) {
      throw new Error(`${where}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}. Received: fillMode=${JSON.stringify(args.fillMode)}.`);
    }
    this.interpolation = args.interpolation ?? 'bilinear';
    if (!INTERPOLATIONS.includes(this.interpolation)) {
      throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest'. Received: interpolation=${JSON.stringify(args.interpolation)}.`);
    }
    this.fillValue = args.fillValue ?? 0;
    if (typeof this.fillValue !== 'number' || !Number.isFinite(this.fillValue)) {
      throw new Error(`${where}: fillValue must be a finite number. Received: fillValue=${JSON.stringify(args.fillValue)}.`);
    }
  }

  /**
   * The 8 numbers [a0, a1, a2, b0, b1, b2, c0, c1] of one image's transform, drawn from `random`:
   * output pixel (x, y) reads the input at (a0·x + a1·y + a2, b0·x + b1·y + b2) when c0 = c1 = 0.
   */
  protected abstract drawTransform(random: Random, height: number, width: number): number[];

  protected draw(random: Random): number[] {
    return this.drawTransform(random, this.image[0], this.image[1]);
  }

  #transform(batch: number): ImageTransform {
    const [height, width, channels] = this.image;
    return { batch, height, width, channels, interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    ctx.backend.transformImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#transform(ctx.batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.transformImagesGrad(ctx.outputGrad, dx, ctx.workspace, this.#transform(ctx.batch));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue, dataFormat: 'channels_last' };
  }
}
