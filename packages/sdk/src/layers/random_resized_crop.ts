import type { BufferId, ResizeGeometry, ResizeInterpolation } from '../backend/backend.js';
import { checkRequiredOptions, LAYER } from './layer_options.js';
import { optionNames } from '../utils/options.js';
import type { Random } from '../utils/random.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { outputSize } from './resizing.js';

/** Options of {@link RandomResizedCrop}, with Keras 3's defaults. */
export interface RandomResizedCropArgs extends RandomImageArgs {
  /** Height of the output images. */
  height: number;
  /** Width of the output images. */
  width: number;
  /** [min, max] of the crop's area as a fraction of the image's (default [0.08, 1]). */
  scale?: readonly [number, number];
  /** [min, max] of the crop's aspect ratio width / height, drawn in log space (default [0.75, 1.33]). */
  ratio?: readonly [number, number];
  /** How the crop is resized: 'bilinear' (default) or 'nearest'. */
  interpolation?: ResizeInterpolation;
  /** Only 'channelsLast' (NHWC), Keras' default, is supported. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

type Window = Omit<ResizeGeometry, 'batch'>;

const f32 = Math.fround;
const INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest'];
// Windows of recent training passes by workspace (one per call site and batch size), for their backward passes.
const KEPT_WINDOWS = 32;

/** A [min, max] pair of positive finite numbers, min ≤ max, or the error that names the option. */
function positiveRange(value: unknown, option: string, where: string, example: string): [number, number] {
  const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (Array.isArray(value) && value.length === 2 && value.every(positive) && value[0] <= value[1]) return [value[0], value[1]];
  throw new Error(`${where}: ${option} must be a [min, max] pair of positive numbers with min ≤ max, e.g. ${option}: ${example}. Received: ${option}=${JSON.stringify(value)}.`);
}

/**
 * Keras 3's RandomResizedCrop: while training, one window per batch (as Keras) of a random area
 * (a `scale` fraction of the image) and aspect ratio (`ratio`, drawn in log space), clipped into
 * the image and placed at random, is cut out of every image and resized to `height`×`width`. In
 * predict and evaluate it resizes the largest centred window with the target's aspect ratio, as
 * Keras does at inference. The window's bounds are computed in float32 and truncated, as Keras
 * casts them. Gradients flow back into the window.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomResizedCrop({ height: 24, width: 24, scale: [0.5, 1], inputShape: [32, 32, 3] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomResizedCrop extends RandomImageLayer {
  readonly className = 'RandomResizedCrop';
  readonly height: number;
  readonly width: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly interpolation: ResizeInterpolation;
  /** The window [top, left, height, width], drawn once per batch. */
  protected readonly drawSize = 4;
  protected override readonly drawsPerBatch = true;
  #centre: Window | null = null;
  #windows = new Map<BufferId, Window>();
  #last: number[] = [];

  constructor(args: RandomResizedCropArgs) {
    super(args, 'RandomResizedCrop');
    const where = `RandomResizedCrop layer '${this.name}'`;
    this.height = outputSize(args.height, 'height', where);
    this.width = outputSize(args.width, 'width', where);
    this.scale = positiveRange(args.scale ?? [0.08, 1], 'scale', where, '[0.08, 1]');
    this.ratio = positiveRange(args.ratio ?? [0.75, 1.33], 'ratio', where, '[0.75, 1.33]');
    this.interpolation = args.interpolation ?? 'bilinear';
    if (!INTERPOLATIONS.includes(this.interpolation)) {
      throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest' (kerasm has no other resize kernels). Received: interpolation=${JSON.stringify(args.interpolation)}.`);
    }
  }

  override computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [, , c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(this.height, this.width, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    this.#centre = this.#window(this.centreWindow());
  }

  /** Keras' inference window [top, left, height, width]: the largest centred one with the target's aspect ratio, in float32 as Keras computes it. */
  protected centreWindow(): number[] {
    const [h, w] = this.image;
    const target = f32(this.width / this.height);
    const wide = f32(w / h) > target;
    const cropH = wide ? h : f32(w / target);
    const cropW = wide ? f32(h * target) : w;
    return [f32((h - cropH) / 2), f32((w - cropW) / 2), cropH, cropW].map(Math.trunc);
  }

  /** Keras' draws, in its order: the area fraction, the log aspect ratio, then the top and left offsets as fractions of the room left. */
  protected draw(random: Random): number[] {
    const [h, w] = this.image;
    const area = f32(f32(random.uniform(...this.scale)) * f32(h * w));
    const aspect = f32(Math.exp(f32(random.uniform(f32(Math.log(this.ratio[0])), f32(Math.log(this.ratio[1]))))));
    const cropH = Math.min(Math.max(f32(Math.sqrt(f32(area / aspect))), 1), h);
    const cropW = Math.min(Math.max(f32(Math.sqrt(f32(area * aspect))), 1), w);
    const top = f32(f32(random.next()) * Math.max(f32(h - cropH), 0));
    const left = f32(f32(random.next()) * Math.max(f32(w - cropW), 0));
    // Drawn once per batch, just before applyDrawn, which needs the window on the host.
    this.#last = [top, left, cropH, cropW].map(Math.trunc);
    return this.#last;
  }

  #window([cropTop, cropLeft, cropH, cropW]: readonly number[]): Window {
    const [inH, inW, channels] = this.image;
    return { inH, inW, channels, cropTop, cropLeft, cropH, cropW, outH: this.height, outW: this.width };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const window = this.#window(this.#last);
    this.#windows.delete(ctx.workspace);
    this.#windows.set(ctx.workspace, window);
    if (this.#windows.size > KEPT_WINDOWS) this.#windows.delete(this.#windows.keys().next().value!);
    ctx.backend.resize(this.interpolation, ctx.inputs[0], ctx.output, { ...window, batch: ctx.batch });
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const window = this.#windows.get(ctx.workspace) ?? this.#centre!;
    ctx.backend.resizeGrad(this.interpolation, ctx.outputGrad, dx, { ...window, batch: ctx.batch });
  }

  protected override passThrough(ctx: ForwardContext): void {
    ctx.backend.resize(this.interpolation, ctx.inputs[0], ctx.output, { ...this.#centre!, batch: ctx.batch });
  }

  protected override passThroughGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.resizeGrad(this.interpolation, ctx.outputGrad, dx, { ...this.#centre!, batch: ctx.batch });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), height: this.height, width: this.width, scale: [...this.scale], ratio: [...this.ratio],
      interpolation: this.interpolation, dataFormat: 'channels_last',
    };
  }
}

registerBuiltinLayer('RandomResizedCrop', (config) => new RandomResizedCrop(config as unknown as RandomResizedCropArgs));

const RANDOM_RESIZED_CROP_OPTIONS = optionNames<RandomResizedCropArgs>({
  ...LAYER, height: true, width: true, scale: true, ratio: true, interpolation: true, seed: true, dataFormat: true,
});

/** Crops a random area and aspect ratio (one window per batch) and resizes it while training, as Keras 3's RandomResizedCrop; a centred window at inference. @example `km.layers.randomResizedCrop({ height: 224, width: 224 })` */
export function randomResizedCrop(args: RandomResizedCropArgs): RandomResizedCrop {
  checkRequiredOptions(args, RANDOM_RESIZED_CROP_OPTIONS, 'km.layers.randomResizedCrop');
  return new RandomResizedCrop(args);
}
