import type { ResizeGeometry, ResizeInterpolation } from '../backend/backend.js';
import { checkNumberOption } from '../utils/options.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import { RESIZING_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Resizing}, with Keras' defaults. */
export interface ResizingArgs extends LayerArgs {
  /** Height of the output images. */
  height: number;
  /** Width of the output images. */
  width: number;
  /** 'bilinear' (default) blends the four nearest pixels and passes gradients; 'nearest' copies one. */
  interpolation?: ResizeInterpolation;
  /**
   * Whether to keep the aspect ratio (default false): the largest centred window of the input with
   * the output's aspect ratio is resized, and the rest cropped away.
   */
  cropToAspectRatio?: boolean;
  /** Only 'channelsLast' (`[height, width, channels]`), the default; named for Keras configs that carry it. */
  dataFormat?: 'channelsLast';
}

const INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest'];

/** A positive integer output size, or the error that names it. */
export function outputSize(value: unknown, name: string, where: string): number {
  return checkNumberOption(value, name, where, (v) => Number.isInteger(v) && v > 0, 'a positive integer');
}

/**
 * The resize geometry of Keras' crop_to_aspect_ratio (its image_utils.smart_resize): the largest
 * centred window of an `h`×`w` image with the aspect ratio of `outH`×`outW`; the whole image when `crop` is false.
 */
export function resizeGeometry(h: number, w: number, channels: number, outH: number, outW: number, crop: boolean): Omit<ResizeGeometry, 'batch'> {
  const cropH = crop ? Math.max(Math.min(h, Math.trunc((w * outH) / outW)), 1) : h;
  const cropW = crop ? Math.max(Math.min(w, Math.trunc((h * outW) / outH)), 1) : w;
  return { inH: h, inW: w, channels, cropTop: Math.trunc((h - cropH) / 2), cropLeft: Math.trunc((w - cropW) / 2), cropH, cropW, outH, outW };
}

/**
 * Keras' preprocessing layer that resizes `[height, width, channels]` images to a fixed size, so
 * that a model takes images of one size and works on another. It samples with half-pixel centres
 * as Keras (tf.image.resize) does; bilinear resizing passes gradients to its input, so the layer
 * may also sit inside a network.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.resizing({ height: 14, width: 14, inputShape: [28, 28, 1] }),
 *   km.layers.flatten(),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export class Resizing extends ImageLayer {
  readonly className = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: ResizeInterpolation;
  readonly cropToAspectRatio: boolean;
  #geometry: Omit<ResizeGeometry, 'batch'> | null = null;

  constructor(args: ResizingArgs) {
    super(args, 'Resizing');
    const where = `Resizing layer '${this.name}'`;
    this.height = outputSize(args.height, 'height', where);
    this.width = outputSize(args.width, 'width', where);
    this.interpolation = args.interpolation ?? 'bilinear';
    if (!INTERPOLATIONS.includes(this.interpolation)) {
      throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest'. Received: interpolation=${JSON.stringify(args.interpolation)}.`);
    }
    const crop = args.cropToAspectRatio ?? false;
    if (typeof crop !== 'boolean') throw new Error(`${where}: cropToAspectRatio must be true or false. Received: cropToAspectRatio=${JSON.stringify(crop)}.`);
    this.cropToAspectRatio = crop;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [, , c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(this.height, this.width, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    this.#geometry = resizeGeometry(h, w, c, this.height, this.width, this.cropToAspectRatio);
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.resize(this.interpolation, ctx.inputs[0], ctx.output, { ...this.#geometry!, batch: ctx.batch });
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.resizeGrad(this.interpolation, ctx.outputGrad, ctx.inputGrads[0], { ...this.#geometry!, batch: ctx.batch });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio };
  }
}

registerBuiltinLayer('Resizing', (config) => new Resizing(config as unknown as ResizingArgs));

/** Resizes images to `height`×`width` (bilinear or nearest, Keras' half-pixel centres). @example `km.layers.resizing({ height: 64, width: 64 })` */
export function resizing(args: ResizingArgs): Resizing {
  checkRequiredOptions(args, RESIZING_OPTIONS, 'km.layers.resizing');
  return new Resizing(args);
}
