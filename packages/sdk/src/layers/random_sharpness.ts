import type { BufferId, ColorAdjustment, WindowGeometry } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import { boundedFactorRange, valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';
import { RANDOM_SHARPNESS_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomSharpness}, with Keras' defaults. */
export interface RandomSharpnessArgs extends RandomImageArgs {
  /**
   * Each image's f is drawn from this range: 0 blurs fully, 0.5 keeps the image, 1 sharpens
   * beyond it. f in [0, 1] draws in [0, f], a [lower, upper] pair in that range.
   */
  factor: number | readonly [number, number];
  /** [low, high] of the pixel values: outputs are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Keras' smoothing kernel: 1/13 around each pixel, 5/13 on it. */
const TAP = 1 / 13;
const CENTRE = 5 / 13;

/**
 * Keras 3's RandomSharpness: while training each image becomes
 * clip(x + (1 − 2f)·(smooth − x), valueRange), smooth the image under Keras' 3×3 kernel (1/13
 * around, 5/13 at the centre, zeros beyond the edges) per channel and f drawn per image; predict
 * and evaluate pass images through. The gradient flows through the blur, the blend and the clip.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomSharpness({ factor: [0.3, 0.7], valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomSharpness extends RandomImageLayer {
  readonly className = 'RandomSharpness';
  /** The range f is drawn from, [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  /** Each image's (weight of the image, weight of its blur): (2f, 1 − 2f). */
  protected readonly drawSize = 2;

  constructor(args: RandomSharpnessArgs) {
    super(args, 'RandomSharpness');
    const where = `RandomSharpness layer '${this.name}'`;
    this.factor = boundedFactorRange(args.factor, [0, 1], 'factor', where);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  protected draw(random: Random): [number, number] {
    const s = 2 * random.uniform(...this.factor);
    return [s, 1 - s];
  }

  #size(batch: number): number {
    return batch * this.image.reduce((a, b) => a * b, 1);
  }

  #window(batch: number): WindowGeometry {
    const [h, w, channels] = this.image;
    return { batch, inH: h, inW: w, channels, kH: 3, kW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1, outH: h, outW: w };
  }

  #clip(batch: number): ColorAdjustment {
    const [h, w, channels] = this.image;
    return { batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  // After the draws: the two weights each contiguous, (1, 0) per image for the clip (adjustImages
  // at contrast 1), the kernel, the im2col columns, the blur and the blend before the clip. The
  // backward pass reuses the blur's and the blend's room once they have been read.
  override workspaceSize(batch: number): number {
    return 6 * batch + 9 * this.image[2] + 11 * this.#size(batch);
  }

  #parts(ctx: ForwardContext) {
    const { backend, batch, workspace } = ctx;
    const [size, taps] = [this.#size(batch), 9 * this.image[2]];
    const at = 6 * batch + taps;
    return {
      keep: backend.view(workspace, 2 * batch, batch),
      blur: backend.view(workspace, 3 * batch, batch),
      clip: backend.view(workspace, 4 * batch, 2 * batch),
      kernel: backend.view(workspace, 6 * batch, taps),
      cols: backend.view(workspace, at, 9 * size),
      smooth: backend.view(workspace, at + 9 * size, size),
      blend: backend.view(workspace, at + 10 * size, size),
    };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const { backend, batch } = ctx;
    const [h, w, channels] = this.image;
    const size = this.#size(batch) / batch;
    const { keep, blur, clip, kernel, cols, smooth, blend } = this.#parts(ctx);
    backend.copyRows(ctx.workspace, 2, keep, 1, batch, 1);
    backend.copyRows(backend.view(ctx.workspace, 1, 2 * batch), 2, blur, 1, batch, 1);
    backend.write(clip, Float32Array.from({ length: 2 * batch }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    backend.write(kernel, Float32Array.from({ length: 9 * channels }, (_, i) => (Math.floor(i / channels) === 4 ? CENTRE : TAP)));
    backend.im2col(ctx.inputs[0], cols, this.#window(batch));
    backend.depthwiseForward(cols, kernel, smooth, batch * h * w, 9, channels, 1);
    backend.batchMatMul(keep, ctx.inputs[0], blend, batch, 1, size, 1, false, false, false);
    backend.batchMatMul(blur, smooth, blend, batch, 1, size, 1, false, false, true);
    backend.adjustImages(blend, ctx.output, clip, this.#clip(batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const { backend, batch } = ctx;
    const [h, w, channels] = this.image;
    const size = this.#size(batch) / batch;
    const { keep, blur, clip, kernel, cols, smooth, blend } = this.#parts(ctx);
    const [dBlend, dSmooth] = [smooth, blend];
    backend.adjustImagesGrad(blend, ctx.outputGrad, dBlend, clip, this.#clip(batch));
    backend.batchMatMul(blur, dBlend, dSmooth, batch, 1, size, 1, false, false, false);
    backend.batchMatMul(keep, dBlend, dx, batch, 1, size, 1, false, false, false);
    backend.depthwiseBackward(cols, kernel, dSmooth, cols, 0, batch * h * w, 9, channels, 1);
    backend.col2im(cols, dBlend, this.#window(batch));
    backend.add(dx, dBlend, dx, this.#size(batch));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}

registerBuiltinLayer('RandomSharpness', (config) => new RandomSharpness(config as unknown as RandomSharpnessArgs));

/** Blurs or sharpens each image by a factor drawn per image while training, as Keras 3's RandomSharpness. @example `km.layers.randomSharpness({ factor: [0.3, 0.7], valueRange: [0, 1] })` */
export function randomSharpness(args: RandomSharpnessArgs): RandomSharpness {
  checkRequiredOptions(args, RANDOM_SHARPNESS_OPTIONS, 'km.layers.randomSharpness');
  return new RandomSharpness(args);
}
