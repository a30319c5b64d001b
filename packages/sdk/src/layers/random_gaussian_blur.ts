import type { BufferId, ColorAdjustment, WindowGeometry } from '../backend/backend.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Random } from '../utils/random.js';
import { boundedFactorRange, valueRangeOf } from './color_options.js';
import { gaussian1d } from './gaussian_kernel.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { LAYER } from './layer_options.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandomGaussianBlur}, with Keras 3's defaults. */
export interface RandomGaussianBlurArgs extends RandomImageArgs {
  /**
   * Bounds of each image's blur probability p (default 1, the range [0, 1]): f in [0, 1] draws p
   * in [0, f], a [lower, upper] pair within [0, 1] in that range; an image is blurred when a
   * second uniform draw falls below its p.
   */
  factor?: number | readonly [number, number];
  /** Side of the square Gaussian kernel, an odd positive integer (default 3); Keras saves it as [k, k]. */
  kernelSize?: number | readonly [number, number];
  /**
   * Range of the kernel's standard deviations, two drawn per batch (default 1, the range [0, 1]):
   * s in [0, 1] stands for [0, s], a [lower, upper] pair for itself. Keras adds 1e-6 to each draw.
   */
  sigma?: number | readonly [number, number];
  /** [low, high] of the pixel values: every image is clipped to it while training (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** An odd positive integer k, or Keras' [k, k]: non-square kernels break Keras' own backends, so none is taken. */
function kernelSizeOf(size: unknown, where: string): number {
  const odd = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) % 2 === 1;
  if (odd(size)) return size;
  if (Array.isArray(size) && size.length === 2 && odd(size[0]) && size[1] === size[0]) return size[0];
  throw new Error(`${where}: kernelSize must be an odd positive integer, or a [k, k] pair of one (Keras' backends build square kernels only), e.g. kernelSize: 3 or kernelSize: 5. Received: kernelSize=${JSON.stringify(size)}.`);
}

/**
 * Keras 3's RandomGaussianBlur: while training, each image is blurred with probability p (p drawn
 * per image from `factor`'s range) by a k×k Gaussian kernel, zero-padded at the edges, whose
 * standard deviations are drawn once per batch from `sigma`'s range: Keras' kernel is the outer
 * product of a 1-D Gaussian down the rows under the second draw and one along the columns under
 * the first. Then every image, blurred or not, is clipped to `valueRange`, as Keras clips. Predict
 * and evaluate pass images through. The gradient flows through the blur, the choice and the clip.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomGaussianBlur({ factor: 0.5, kernelSize: 5, sigma: [0.5, 1], valueRange: [0, 1], inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandomGaussianBlur extends RandomImageLayer {
  readonly className = 'RandomGaussianBlur';
  /** The range each image's blur probability is drawn from, [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly kernelSize: number;
  /** The range the two standard deviations are drawn from, [lower, upper]. */
  readonly sigma: [number, number];
  readonly valueRange: [number, number];
  /** Every image's blur weight (1 when blurred, else 0), then every image's keep weight (1 − it). */
  protected readonly drawSize = 2;
  /** The latest batch's standard deviations [columns, rows], read by the forward pass that drew them. */
  #sigmas: [number, number] = [1, 1];

  constructor(args: RandomGaussianBlurArgs = {}) {
    super(args, 'RandomGaussianBlur');
    const where = `RandomGaussianBlur layer '${this.name}'`;
    this.factor = boundedFactorRange(args.factor ?? 1, [0, 1], 'factor', where);
    this.kernelSize = kernelSizeOf(args.kernelSize ?? 3, where);
    this.sigma = boundedFactorRange(args.sigma ?? 1, [0, 1], 'sigma', where);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  /** Keras' draws in its order: every image's probability, every image's threshold, then the two standard deviations. */
  protected override drawBatch(random: Random, batch: number): Float32Array {
    const p = Array.from({ length: batch }, () => random.uniform(...this.factor));
    const blurred = p.map((pb) => (random.next() < pb ? 1 : 0));
    this.#sigmas = [random.uniform(...this.sigma) + 1e-6, random.uniform(...this.sigma) + 1e-6];
    return Float32Array.from([...blurred, ...blurred.map((b) => 1 - b)]);
  }

  protected draw(random: Random): Float32Array {
    return this.drawBatch(random, 1);
  }

  #size(batch: number): number {
    return batch * this.image.reduce((a, b) => a * b, 1);
  }

  #window(batch: number): WindowGeometry {
    const [h, w, channels] = this.image;
    const [k, pad] = [this.kernelSize, (this.kernelSize - 1) / 2];
    return { batch, inH: h, inW: w, channels, kH: k, kW: k, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad, outH: h, outW: w };
  }

  #clip(batch: number): ColorAdjustment {
    const [h, w, channels] = this.image;
    return { batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  // After the draws: (1, 0) per image for the clip (adjustImages at contrast 1), the depthwise
  // kernel, the im2col columns, the blur and the choice before the clip. The backward pass reuses
  // the blur's and the choice's room once they have been read.
  override workspaceSize(batch: number): number {
    const taps = this.kernelSize ** 2;
    return 4 * batch + taps * this.image[2] + (taps + 2) * this.#size(batch);
  }

  #parts(ctx: ForwardContext) {
    const { backend, batch, workspace } = ctx;
    const size = this.#size(batch);
    const taps = this.kernelSize ** 2;
    const at = 4 * batch + taps * this.image[2];
    return {
      blur: backend.view(workspace, 0, batch),
      keep: backend.view(workspace, batch, batch),
      clip: backend.view(workspace, 2 * batch, 2 * batch),
      kernel: backend.view(workspace, 4 * batch, taps * this.image[2]),
      cols: backend.view(workspace, at, taps * size),
      smooth: backend.view(workspace, at + taps * size, size),
      chosen: backend.view(workspace, at + (taps + 1) * size, size),
    };
  }

  /** Keras' kernel [k, k, channels, 1]: rows under the second deviation, columns under the first. */
  #kernel(): Float32Array {
    const [k, channels] = [this.kernelSize, this.image[2]];
    const [cols, rows] = [gaussian1d(k, this.#sigmas[0]), gaussian1d(k, this.#sigmas[1])];
    return Float32Array.from({ length: k * k * channels }, (_, i) => {
      const tap = Math.floor(i / channels);
      return rows[Math.floor(tap / k)] * cols[tap % k];
    });
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const { backend, batch } = ctx;
    const [h, w, channels] = this.image;
    const size = this.#size(batch) / batch;
    const taps = this.kernelSize ** 2;
    const { blur, keep, clip, kernel, cols, smooth, chosen } = this.#parts(ctx);
    backend.write(clip, Float32Array.from({ length: 2 * batch }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    backend.write(kernel, this.#kernel());
    backend.im2col(ctx.inputs[0], cols, this.#window(batch));
    backend.depthwiseForward(cols, kernel, smooth, batch * h * w, taps, channels, 1);
    backend.batchMatMul(keep, ctx.inputs[0], chosen, batch, 1, size, 1, false, false, false);
    backend.batchMatMul(blur, smooth, chosen, batch, 1, size, 1, false, false, true);
    backend.adjustImages(chosen, ctx.output, clip, this.#clip(batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const { backend, batch } = ctx;
    const [h, w, channels] = this.image;
    const size = this.#size(batch) / batch;
    const taps = this.kernelSize ** 2;
    const { blur, keep, clip, kernel, cols, smooth, chosen } = this.#parts(ctx);
    const [dChosen, dSmooth] = [smooth, chosen];
    backend.adjustImagesGrad(chosen, ctx.outputGrad, dChosen, clip, this.#clip(batch));
    backend.batchMatMul(blur, dChosen, dSmooth, batch, 1, size, 1, false, false, false);
    backend.batchMatMul(keep, dChosen, dx, batch, 1, size, 1, false, false, false);
    backend.depthwiseBackward(cols, kernel, dSmooth, cols, 0, batch * h * w, taps, channels, 1);
    backend.col2im(cols, dChosen, this.#window(batch));
    backend.add(dx, dChosen, dx, this.#size(batch));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: this.factor,
      kernelSize: [this.kernelSize, this.kernelSize],
      sigma: this.sigma,
      valueRange: this.valueRange,
    };
  }
}

registerBuiltinLayer('RandomGaussianBlur', (config) => new RandomGaussianBlur(config as unknown as RandomGaussianBlurArgs));

const RANDOM_GAUSSIAN_BLUR_OPTIONS = optionNames<RandomGaussianBlurArgs>({
  ...LAYER, factor: true, kernelSize: true, sigma: true, valueRange: true, seed: true, dataFormat: true,
});

/** Blurs each image with probability drawn per image, by a Gaussian kernel whose deviations are drawn per batch, while training, as Keras 3's RandomGaussianBlur. @example `km.layers.randomGaussianBlur({ factor: 0.5, kernelSize: 5, sigma: 1, valueRange: [0, 1] })` */
export function randomGaussianBlur(args?: RandomGaussianBlurArgs): RandomGaussianBlur {
  checkOptions(args, RANDOM_GAUSSIAN_BLUR_OPTIONS, 'km.layers.randomGaussianBlur');
  return new RandomGaussianBlur(args);
}
