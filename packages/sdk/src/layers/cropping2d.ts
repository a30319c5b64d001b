import type { WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import type { DataFormat } from './window.js';
import { paddingGeometry, sidePairs, type SidePairs } from './zero_padding2d.js';
import { CROPPING2D_OPTIONS, checkRequiredOptions } from './layer_options.js';
import { CROP, windowBackward, windowForward } from './window_kernels.js';

/** Options of {@link Cropping2D}. */
export interface Cropping2DArgs extends LayerArgs {
  /**
   * Rows and columns to remove: `c` (all four sides), `[rows, cols]` (symmetric), or
   * `[[top, bottom], [left, right]]`, as tfjs takes them.
   */
  cropping: number | [number, number] | [[number, number], [number, number]];
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
}

/**
 * Removes rows and columns at the sides of each image. It is ZeroPadding2D's adjoint: it runs as
 * col2im over the 1×1-window geometry that would pad the cropped image back, and its gradient
 * as im2col, which pads with zeros.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [28, 28, 1] });
 * km.layers.cropping2D({ cropping: [[2, 2], [4, 0]] }).apply(x).shape; // [24, 24, 1]
 * ```
 */
export class Cropping2D extends ImageLayer {
  readonly className: string = 'Cropping2D';
  readonly cropping: SidePairs;
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;

  constructor(args: Cropping2DArgs, className = 'Cropping2D', cropping?: SidePairs) {
    super(args, className, true);
    this.cropping = cropping ?? sidePairs(args.cropping, 0, className, this.name, 'cropping');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const input = singleInput(this, inputShapes);
    const [h, w, c] = this.imageOf(input);
    const [[top, bottom], [left, right]] = this.cropping;
    const [outH, outW] = [h - top - bottom, w - left - right];
    if (outH < 1 || outW < 1) {
      throw new Error(`${this.className} layer '${this.name}' crops ${JSON.stringify(this.cropping)} from ${formatShape(input)}, which leaves ${outH}x${outW} pixels. Crop less than the input: at most ${h - 1} rows and ${w - 1} columns in all.`);
    }
    return this.shapeOf(outH, outW, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [h, w, channels] = this.imageOf(singleInput(this, inputShapes));
    const [[top, bottom], [left, right]] = this.cropping;
    this.computeOutputShape(inputShapes);
    this.#geometry = paddingGeometry(h - top - bottom, w - left - right, channels, this.cropping);
    this.buildBody(inputShapes);
  }

  forward(ctx: ForwardContext): void {
    windowForward(CROP, this.body, ctx, this.#geometry!);
  }

  backward(ctx: BackwardContext): void {
    windowBackward(CROP, this.body, ctx, this.#geometry!);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping, dataFormat: this.dataFormat };
  }
}

registerBuiltinLayer('Cropping2D', (config) => new Cropping2D(config as unknown as Cropping2DArgs));

/** Removes rows and columns at the sides of each image. @example `km.layers.cropping2D({ cropping: [[1, 1], [2, 2]] })` */
export function cropping2D(args: Cropping2DArgs): Cropping2D {
  checkRequiredOptions(args, CROPPING2D_OPTIONS, 'km.layers.cropping2D');
  return new Cropping2D(args);
}
