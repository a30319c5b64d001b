import type { FillMode, ImageTransform, ResizeInterpolation } from '../backend/backend.js';
import { globalGenerator, Random } from '../utils/random.js';
import { singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { ImageLayer } from './image_layer.js';
import { checkChannelsLast } from './window.js';

/** A factor of Keras' augmentation layers: ±f, or a [lower, upper] range. */
export type AugmentationFactor = number | readonly [number, number];

/** The options every geometric augmentation layer takes, with Keras' defaults. */
export interface AffineAugmentationArgs extends LayerArgs {
  /** How pixels that map outside the image are filled (default 'reflect'). */
  fillMode?: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: ResizeInterpolation;
  /** Seed of this layer's draws; by default they come from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
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
export abstract class AffineAugmentation extends ImageLayer {
  readonly fillMode: FillMode;
  readonly interpolation: ResizeInterpolation;
  readonly seed: number | undefined;
  readonly fillValue: number;
  readonly #random: Random | null;
  #image: [number, number, number] = [0, 0, 0];
  /** Whether the last forward pass transformed (training), so that backward takes the transpose. */
  #transformed = false;

  constructor(args: AffineAugmentationArgs, className: string) {
    super(args, className);
    const where = `${className} layer '${this.name}'`;
    checkChannelsLast(args.dataFormat, this.name);
    this.fillMode = args.fillMode ?? 'reflect';
    if (!FILL_MODES.includes(this.fillMode)) {
      throw new Error(`${where}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}. Received: fillMode=${JSON.stringify(args.fillMode)}.`);
    }
    this.interpolation = args.interpolation ?? 'bilinear';
    if (!INTERPOLATIONS.includes(this.interpolation)) {
      throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest'. Received: interpolation=${JSON.stringify(args.interpolation)}.`);
    }
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) {
      throw new Error(`${where}: seed must be an integer or null. Received: seed=${JSON.stringify(args.seed)}.`);
    }
    this.fillValue = args.fillValue ?? 0;
    if (typeof this.fillValue !== 'number' || !Number.isFinite(this.fillValue)) {
      throw new Error(`${where}: fillValue must be a finite number. Received: fillValue=${JSON.stringify(args.fillValue)}.`);
    }
    this.seed = args.seed ?? undefined;
    this.#random = this.seed === undefined ? null : new Random(this.seed);
  }

  /**
   * The 8 numbers [a0, a1, a2, b0, b1, b2, c0, c1] of one image's transform, drawn from `random`:
   * output pixel (x, y) reads the input at (a0·x + a1·y + a2, b0·x + b1·y + b2) when c0 = c1 = 0.
   */
  protected abstract drawTransform(random: Random, height: number, width: number): number[];

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(h, w, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#image = this.imageOf(singleInput(this, inputShapes));
  }

  /** The 8 transform numbers of each sample, kept from forward to backward. */
  override workspaceSize(batch: number): number {
    return 8 * batch;
  }

  #transform(batch: number): ImageTransform {
    const [height, width, channels] = this.#image;
    return { batch, height, width, channels, interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue };
  }

  forward(ctx: ForwardContext): void {
    const [h, w, c] = this.#image;
    this.#transformed = ctx.training;
    if (!ctx.training) {
      ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * h * w * c);
      return;
    }
    const random = this.#random ?? globalGenerator();
    const transforms = new Float32Array(8 * ctx.batch);
    for (let b = 0; b < ctx.batch; b++) transforms.set(this.drawTransform(random, h, w), 8 * b);
    ctx.backend.write(ctx.workspace, transforms);
    ctx.backend.transformImages(ctx.inputs[0], ctx.output, ctx.workspace, this.#transform(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const [h, w, c] = this.#image;
    if (this.#transformed) ctx.backend.transformImagesGrad(ctx.outputGrad, dx, ctx.workspace, this.#transform(ctx.batch));
    else ctx.backend.copy(ctx.outputGrad, dx, ctx.batch * h * w * c);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, seed: this.seed ?? null, fillValue: this.fillValue, dataFormat: 'channels_last' };
  }
}
