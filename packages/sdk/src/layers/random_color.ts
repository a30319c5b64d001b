import type { BufferId, ColorAdjustment } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { valueRangeOf } from './color_options.js';

/** The options of Keras' colour augmentation layers, with Keras' defaults. */
export interface ColorAugmentationArgs extends RandomImageArgs {
  /** [low, high] of the pixel values: outputs are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
}

/**
 * The base of Keras' RandomContrast and RandomBrightness: while training it draws a (contrast,
 * delta) pair per image per batch and applies clip((x − mean)·contrast + mean + delta, valueRange)
 * per channel; in predict and evaluate it passes images through. Its gradient flows through the
 * clip and the channel means.
 */
export abstract class ColorAugmentation extends RandomImageLayer {
  readonly valueRange: [number, number];
  /** Each image's (contrast, delta). */
  protected readonly drawSize = 2;

  constructor(args: ColorAugmentationArgs, className: string) {
    super(args, className);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], `${className} layer '${this.name}'`);
  }

  /** One image's (contrast, delta), drawn from `random`. */
  protected abstract drawAdjustment(random: Random): [number, number];

  protected draw(random: Random): [number, number] {
    return this.drawAdjustment(random);
  }

  #adjustment(batch: number): ColorAdjustment {
    const [h, w, channels] = this.image;
    return { batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    ctx.backend.adjustImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#adjustment(ctx.batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.adjustImagesGrad(ctx.inputs[0], ctx.outputGrad, dx, ctx.workspace, this.#adjustment(ctx.batch));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), valueRange: this.valueRange };
  }
}
