import type { BufferId, ImageTransform, ResizeGeometry } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { outputSize, resizeGeometry } from './resizing.js';
import { RANDOM_CROP_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link RandomCrop}, with Keras' defaults. */
export interface RandomCropArgs extends RandomImageArgs {
  /** Height of the output images. */
  height: number;
  /** Width of the output images. */
  width: number;
  /** Only 'channelsLast' (NHWC), Keras' default, is supported. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Keras' augmentation layer that cuts a random `height`×`width` window out of the images while
 * training (as Keras, one window for the whole batch). In predict and evaluate, and while training when the input is
 * not larger than the target in both dimensions, it does what Keras documents for inference: the
 * largest centred window with the target's aspect ratio, resized bilinearly to `height`×`width`
 * (so a 28×28 image with a 24×24 target is resized whole). Gradients flow back into the window.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomCrop({ height: 24, width: 24, inputShape: [28, 28, 1] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomCrop extends RandomImageLayer {
  readonly className = 'RandomCrop';
  readonly height: number;
  readonly width: number;
  /** The window, as an 8-float translation into the smaller output. */
  protected readonly drawSize = 8;
  protected override readonly drawsPerBatch = true;
  #centre: Omit<ResizeGeometry, 'batch'> | null = null;

  constructor(args: RandomCropArgs) {
    super(args, 'RandomCrop');
    const where = `RandomCrop layer '${this.name}'`;
    this.height = outputSize(args.height, 'height', where);
    this.width = outputSize(args.width, 'width', where);
  }

  override computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [, , c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(this.height, this.width, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    const [h, w, c] = this.image;
    this.#centre = resizeGeometry(h, w, c, this.height, this.width, true);
  }

  #window(batch: number): ImageTransform {
    const [height, width, channels] = this.image;
    return { batch, height, width, channels, outHeight: this.height, outWidth: this.width, interpolation: 'nearest', fillMode: 'constant', fillValue: 0 };
  }

  // As Keras: random windows only when the image is strictly larger in both dimensions.
  protected override draws(ctx: ForwardContext): boolean {
    return ctx.training && this.image[0] > this.height && this.image[1] > this.width;
  }

  protected draw(random: Random): number[] {
    const top = Math.trunc(random.uniform(0, this.image[0] - this.height + 1));
    const left = Math.trunc(random.uniform(0, this.image[1] - this.width + 1));
    return [1, 0, left, 0, 1, top, 0, 0];
  }

  protected applyDrawn(ctx: ForwardContext): void {
    ctx.backend.transformImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#window(ctx.batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.transformImagesGrad(ctx.outputGrad, dx, ctx.workspace, this.#window(ctx.batch));
  }

  // Keras' centred window with the target's aspect ratio, resized.
  protected override passThrough(ctx: ForwardContext): void {
    ctx.backend.resize('bilinear', ctx.inputs[0], ctx.output, { ...this.#centre!, batch: ctx.batch });
  }

  protected override passThroughGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.resizeGrad('bilinear', ctx.outputGrad, dx, { ...this.#centre!, batch: ctx.batch });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, dataFormat: 'channels_last' };
  }
}

registerBuiltinLayer('RandomCrop', (config) => new RandomCrop(config as unknown as RandomCropArgs));

/** Cuts a random window (one per batch, as Keras) out of the images while training (a centred one at inference). @example `km.layers.randomCrop({ height: 24, width: 24 })` */
export function randomCrop(args: RandomCropArgs): RandomCrop {
  checkRequiredOptions(args, RANDOM_CROP_OPTIONS, 'km.layers.randomCrop');
  return new RandomCrop(args);
}
