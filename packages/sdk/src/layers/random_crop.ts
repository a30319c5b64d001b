import type { ImageTransform, ResizeGeometry } from '../backend/backend.js';
import { globalGenerator, Random } from '../utils/random.js';
import { singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import { outputSize, resizeGeometry } from './resizing.js';
import { checkChannelsLast } from './window.js';

/** Options of {@link RandomCrop}, with Keras' defaults. */
export interface RandomCropArgs extends LayerArgs {
  /** Height of the output images. */
  height: number;
  /** Width of the output images. */
  width: number;
  /** Seed of this layer's draws; by default they come from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
  /** Only 'channelsLast' (NHWC), Keras' default, is supported. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Keras' augmentation layer that cuts a random `height`×`width` window out of each image while
 * training (a window per image). In predict and evaluate, and while training when the input is
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
export class RandomCrop extends ImageLayer {
  readonly className = 'RandomCrop';
  readonly height: number;
  readonly width: number;
  readonly seed: number | undefined;
  readonly #random: Random | null;
  #image: [number, number, number] = [0, 0, 0];
  #centre: Omit<ResizeGeometry, 'batch'> | null = null;
  /** Whether the last forward pass cut random windows (so backward scatters into them). */
  #cropped = false;

  constructor(args: RandomCropArgs) {
    super(args, 'RandomCrop');
    const where = `RandomCrop layer '${this.name}'`;
    this.height = outputSize(args.height, 'height', where);
    this.width = outputSize(args.width, 'width', where);
    checkChannelsLast(args.dataFormat, this.name);
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) {
      throw new Error(`${where}: seed must be an integer or null. Received: seed=${JSON.stringify(args.seed)}.`);
    }
    this.seed = args.seed ?? undefined;
    this.#random = this.seed === undefined ? null : new Random(this.seed);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [, , c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(this.height, this.width, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#image = this.imageOf(singleInput(this, inputShapes));
    const [h, w, c] = this.#image;
    this.#centre = resizeGeometry(h, w, c, this.height, this.width, true);
  }

  /** The window of each sample as an 8-float translation, kept from forward to backward. */
  override workspaceSize(batch: number): number {
    return 8 * batch;
  }

  #window(batch: number): ImageTransform {
    const [height, width, channels] = this.#image;
    return { batch, height, width, channels, outHeight: this.height, outWidth: this.width, interpolation: 'nearest', fillMode: 'constant', fillValue: 0 };
  }

  forward(ctx: ForwardContext): void {
    const [h, w] = this.#image;
    // As Keras: random windows only when the image is strictly larger in both dimensions.
    this.#cropped = ctx.training && h > this.height && w > this.width;
    if (!this.#cropped) {
      ctx.backend.resize('bilinear', ctx.inputs[0], ctx.output, { ...this.#centre!, batch: ctx.batch });
      return;
    }
    const random = this.#random ?? globalGenerator();
    const windows = new Float32Array(8 * ctx.batch);
    for (let b = 0; b < ctx.batch; b++) {
      const top = Math.trunc(random.uniform(0, h - this.height + 1));
      const left = Math.trunc(random.uniform(0, w - this.width + 1));
      windows.set([1, 0, left, 0, 1, top, 0, 0], 8 * b);
    }
    ctx.backend.write(ctx.workspace, windows);
    ctx.backend.transformImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#window(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    if (this.#cropped) ctx.backend.transformImagesGrad(ctx.outputGrad, dx, ctx.workspace, this.#window(ctx.batch));
    else ctx.backend.resizeGrad('bilinear', ctx.outputGrad, dx, { ...this.#centre!, batch: ctx.batch });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, seed: this.seed ?? null, dataFormat: 'channels_last' };
  }
}

registerLayer('RandomCrop', (config) => new RandomCrop(config as unknown as RandomCropArgs));
