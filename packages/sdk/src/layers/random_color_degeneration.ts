import type { BufferId, ColorAdjustment } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import { boundedFactorRange, valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { GRAYSCALE_WEIGHTS } from './random_grayscale.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_COLOR_DEGENERATION_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomColorDegeneration}, with Keras' defaults. */
export interface RandomColorDegenerationArgs extends RandomImageArgs {
  /**
   * How far each image moves toward its grey version, drawn per image: f in [−1, 1] draws in
   * [−|f|, |f|] (as Keras' code reads it; a negative draw moves away from grey), a [lower, upper]
   * pair in that range. 0 keeps the image, 1 makes it grey.
   */
  factor: number | readonly [number, number];
  /** [low, high] of the pixel values: outputs are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Keras 3's RandomColorDegeneration: while training each RGB image becomes
 * clip(x + f·(grey − x), valueRange), grey the luma 0.2989·R + 0.587·G + 0.114·B in every channel
 * and f drawn per image from `factor`'s range; predict and evaluate pass images through. The
 * gradient flows through the blend and the clip.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomColorDegeneration({ factor: [0, 0.5], valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomColorDegeneration extends RandomImageLayer {
  readonly className = 'RandomColorDegeneration';
  /** The range f is drawn from, [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  /** Each image's 3×3 channel matrix [input channel, output channel]: (1 − f)·I + f·(luma in every column). */
  protected readonly drawSize = 9;

  constructor(args: RandomColorDegenerationArgs) {
    super(args, 'RandomColorDegeneration');
    const where = `RandomColorDegeneration layer '${this.name}'`;
    this.factor = boundedFactorRange(args.factor, [-1, 1], 'factor', where);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    const channels = this.image[2];
    if (channels !== 3) {
      throw new Error(`RandomColorDegeneration layer '${this.name}' blends RGB images with their grey version, so it needs 3 channels, as Keras' rgb_to_grayscale does. Received: images of ${channels} channel(s), shape (None, ${this.image.join(', ')}). Give it RGB images (None, height, width, 3).`);
    }
  }

  protected draw(random: Random): number[] {
    const f = random.uniform(...this.factor);
    return GRAYSCALE_WEIGHTS.flatMap((w, i) => [0, 1, 2].map((j) => f * w + (i === j ? 1 - f : 0)));
  }

  #size(batch: number): number {
    return batch * this.image[0] * this.image[1] * 3;
  }

  // After the matrices: (1, 0) per image for the clip (adjustImages at contrast 1), the blend before
  // the clip, and the blend's gradient.
  override workspaceSize(batch: number): number {
    return 11 * batch + 2 * this.#size(batch);
  }

  #clip(batch: number): ColorAdjustment {
    return { batch, pixels: this.image[0] * this.image[1], channels: 3, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  #parts(ctx: ForwardContext): { matrices: BufferId; clip: BufferId; blend: BufferId; dBlend: BufferId } {
    const { backend, batch, workspace } = ctx;
    const size = this.#size(batch);
    return {
      matrices: backend.view(workspace, 0, 9 * batch),
      clip: backend.view(workspace, 9 * batch, 2 * batch),
      blend: backend.view(workspace, 11 * batch, size),
      dBlend: backend.view(workspace, 11 * batch + size, size),
    };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const { backend, batch } = ctx;
    const { matrices, clip, blend } = this.#parts(ctx);
    backend.write(clip, Float32Array.from({ length: 2 * batch }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    backend.batchMatMul(ctx.inputs[0], matrices, blend, batch, this.image[0] * this.image[1], 3, 3, false, false, false);
    backend.adjustImages(blend, ctx.output, clip, this.#clip(batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const { backend, batch } = ctx;
    const { matrices, clip, blend, dBlend } = this.#parts(ctx);
    backend.adjustImagesGrad(blend, ctx.outputGrad, dBlend, clip, this.#clip(batch));
    backend.batchMatMul(dBlend, matrices, dx, batch, this.image[0] * this.image[1], 3, 3, false, true, false);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}

registerBuiltinLayer('RandomColorDegeneration', (config) => new RandomColorDegeneration(config as unknown as RandomColorDegenerationArgs));

/** Blends each RGB image toward its grey version by a factor drawn per image while training, as Keras 3's RandomColorDegeneration. @example `km.layers.randomColorDegeneration({ factor: [0, 0.5], valueRange: [0, 1] })` */
export function randomColorDegeneration(args: RandomColorDegenerationArgs): RandomColorDegeneration {
  checkRequiredOptions(args, RANDOM_COLOR_DEGENERATION_OPTIONS, 'km.layers.randomColorDegeneration');
  return new RandomColorDegeneration(args);
}
