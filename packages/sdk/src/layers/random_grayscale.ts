import type { BufferId } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { RANDOM_GRAYSCALE_OPTIONS } from './layer_options.js';
import { LUMA_WEIGHTS } from '../ops/image/grayscale.js';

/** Options of {@link RandomGrayscale}, with Keras' defaults. */
export interface RandomGrayscaleArgs extends RandomImageArgs {
  /** The chance that an image turns grey, in [0, 1] (default 0.5): 1 converts every image, 0 none. */
  factor?: number;
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** The luma weights of R, G and B that Keras' rgb_to_grayscale (after tf.image.rgb_to_grayscale) uses: km.image's. */
export const GRAYSCALE_WEIGHTS = LUMA_WEIGHTS;

// Each image is multiplied by a 3×3 channel matrix [input channel, output channel]: every column
// the luma weights for a grey image, the identity for the others. One batched product then serves
// the forward pass and (transposed) the backward pass, on every backend, with no kernel of its own.
const GREY = GRAYSCALE_WEIGHTS.flatMap((w) => [w, w, w]);
const SAME = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/**
 * Keras 3's RandomGrayscale: while training each RGB image turns grey with probability `factor`,
 * every channel becoming the luma 0.2989·R + 0.587·G + 0.114·B, so the output keeps 3 channels;
 * predict and evaluate pass images through.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomGrayscale({ factor: 0.2, inputShape: [32, 32, 3] }),
 *   km.layers.randomFlip({ mode: 'horizontal' }),
 * ]);
 * ```
 */
export class RandomGrayscale extends RandomImageLayer {
  readonly className = 'RandomGrayscale';
  readonly factor: number;
  /** Each image's channel matrix. */
  protected readonly drawSize = 9;

  constructor(args: RandomGrayscaleArgs = {}) {
    super(args, 'RandomGrayscale');
    const factor = args.factor ?? 0.5;
    if (typeof factor !== 'number' || !(factor >= 0 && factor <= 1)) {
      throw new Error(`RandomGrayscale layer '${this.name}': factor must be a number in [0, 1], the chance that an image turns grey, e.g. factor: 0.5. Received: factor=${JSON.stringify(factor)}.`);
    }
    this.factor = factor;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    const channels = this.image[2];
    if (channels !== 3) {
      throw new Error(`RandomGrayscale layer '${this.name}' converts RGB images, so it needs 3 channels, as Keras' rgb_to_grayscale does. Received: images of ${channels} channel(s), shape (None, ${this.image.join(', ')}). Give it RGB images (None, height, width, 3); a 1-channel image is grey already.`);
    }
  }

  protected draw(random: Random): number[] {
    return random.next() < this.factor ? GREY : SAME;
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const [h, w] = this.image;
    ctx.backend.batchMatMul(ctx.inputs[0], ctx.workspace, ctx.output, ctx.batch, h * w, 3, 3, false, false, false);
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const [h, w] = this.image;
    ctx.backend.batchMatMul(ctx.outputGrad, ctx.workspace, dx, ctx.batch, h * w, 3, 3, false, true, false);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

registerBuiltinLayer('RandomGrayscale', (config) => new RandomGrayscale(config as RandomGrayscaleArgs));

/** Turns each RGB image grey (keeping 3 channels) with probability `factor` while training, as Keras 3's RandomGrayscale. @example `km.layers.randomGrayscale({ factor: 0.2 })` */
export function randomGrayscale(args?: RandomGrayscaleArgs): RandomGrayscale {
  checkOptions(args, RANDOM_GRAYSCALE_OPTIONS, 'km.layers.randomGrayscale');
  return new RandomGrayscale(args);
}
