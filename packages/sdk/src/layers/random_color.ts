import type { ColorAdjustment } from '../backend/backend.js';
import { globalGenerator, Random } from '../utils/random.js';
import { singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { ImageLayer } from './image_layer.js';

/** The options of Keras' colour augmentation layers, with Keras' defaults. */
export interface ColorAugmentationArgs extends LayerArgs {
  /** [low, high] of the pixel values: outputs are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
  /** Seed of this layer's draws; by default they come from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
}

/**
 * The base of Keras' RandomContrast and RandomBrightness: while training it draws a (contrast,
 * delta) pair per image per batch and applies clip((x − mean)·contrast + mean + delta, valueRange)
 * per channel; in predict and evaluate it passes images through. Its gradient flows through the
 * clip and the channel means.
 */
export abstract class ColorAugmentation extends ImageLayer {
  readonly valueRange: [number, number];
  readonly seed: number | undefined;
  readonly #random: Random | null;
  #image: [number, number, number] = [0, 0, 0];
  #adjusted = false;

  constructor(args: ColorAugmentationArgs, className: string) {
    super(args, className);
    const where = `${className} layer '${this.name}'`;
    const range = args.valueRange ?? [0, 255];
    if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && Number.isFinite(v)) || range[0] === range[1]) {
      throw new Error(`${where}: valueRange must be a [low, high] pair of different finite numbers, e.g. [0, 1] or [0, 255]. Received: valueRange=${JSON.stringify(args.valueRange)}.`);
    }
    this.valueRange = [Math.min(...range), Math.max(...range)];
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) {
      throw new Error(`${where}: seed must be an integer or null. Received: seed=${JSON.stringify(args.seed)}.`);
    }
    this.seed = args.seed ?? undefined;
    this.#random = this.seed === undefined ? null : new Random(this.seed);
  }

  /** One image's (contrast, delta), drawn from `random`. */
  protected abstract drawAdjustment(random: Random): [number, number];

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(h, w, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#image = this.imageOf(singleInput(this, inputShapes));
  }

  /** Each sample's (contrast, delta), kept from forward to backward. */
  override workspaceSize(batch: number): number {
    return 2 * batch;
  }

  #adjustment(batch: number): ColorAdjustment {
    const [h, w, channels] = this.#image;
    return { batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  forward(ctx: ForwardContext): void {
    const [h, w, c] = this.#image;
    this.#adjusted = ctx.training;
    if (!ctx.training) {
      ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * h * w * c);
      return;
    }
    const random = this.#random ?? globalGenerator();
    const params = new Float32Array(2 * ctx.batch);
    for (let b = 0; b < ctx.batch; b++) params.set(this.drawAdjustment(random), 2 * b);
    ctx.backend.write(ctx.workspace, params);
    ctx.backend.adjustImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#adjustment(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const [h, w, c] = this.#image;
    if (this.#adjusted) ctx.backend.adjustImagesGrad(ctx.inputs[0], ctx.outputGrad, dx, ctx.workspace, this.#adjustment(ctx.batch));
    else ctx.backend.copy(ctx.outputGrad, dx, ctx.batch * h * w * c);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), valueRange: this.valueRange, seed: this.seed ?? null };
  }
}
