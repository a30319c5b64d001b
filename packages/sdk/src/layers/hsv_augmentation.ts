import type { BufferId, ColorAdjustment } from '../backend/backend.js';
import { valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';

/** The options of Keras' HSV augmentation layers, RandomHue and RandomSaturation. */
export interface HsvAugmentationArgs extends RandomImageArgs {
  /** The range f is drawn from per image: a number or a [lower, upper] pair (see each layer). */
  factor: number | readonly [number, number];
  /** [low, high] of the pixel values (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * The base of Keras 3's RandomHue and RandomSaturation: while training each RGB image goes through
 * Keras' rgb_to_hsv, has its hue turned or its saturation scaled by what was drawn for it, and
 * comes back through hsv_to_rgb; predict and evaluate pass images through. No gradient flows back
 * through it (0), as through RandomPosterization: it belongs before the trainable layers.
 */
export abstract class HsvAugmentation extends RandomImageLayer {
  /** The range f is drawn from, [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  /** Each image's (hue delta, saturation scale). */
  protected readonly drawSize = 2;
  /** Whether the hue is turned (RandomHue) rather than the saturation scaled. */
  protected abstract readonly turnsHue: boolean;

  constructor(args: HsvAugmentationArgs, className: string, factorRange: (factor: unknown, where: string) => [number, number]) {
    super(args, className);
    const where = `${className} layer '${this.name}'`;
    this.factor = factorRange(args.factor, where);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    const channels = this.image[2];
    if (channels !== 3) {
      throw new Error(`${this.className} layer '${this.name}' works in HSV, so it needs RGB images of 3 channels, as Keras' rgb_to_hsv does. Received: images of ${channels} channel(s), shape (None, ${this.image.join(', ')}). Give it RGB images (None, height, width, 3).`);
    }
  }

  #adjustment(batch: number): ColorAdjustment {
    return { batch, pixels: this.image[0] * this.image[1], channels: 3, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    ctx.backend.hsvAdjustImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#adjustment(ctx.batch), this.turnsHue);
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.fill(dx, ctx.batch * this.image[0] * this.image[1] * 3, 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
