import type { WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import type { DataFormat } from './window.js';
import { checkOptions } from '../utils/options.js';
import { ZERO_PADDING2D_OPTIONS } from './layer_options.js';
import { ZERO_PAD, windowBackward, windowForward } from './window_kernels.js';

/** Options of {@link ZeroPadding2D}. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /**
   * Rows and columns of zeros: `p` (all four sides), `[rows, cols]` (symmetric), or
   * `[[top, bottom], [left, right]]`. Default 1.
   */
  padding?: number | [number, number] | [[number, number], [number, number]];
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
}

/** Whether `v` is a count of rows, columns or steps to pad or crop: an integer ≥ 0. */
export function isCount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}

/** Rows and columns at each side of an image: [[top, bottom], [left, right]]. */
export type SidePairs = [[number, number], [number, number]];

/**
 * Reads Keras' three spellings of 2-D padding (or cropping) into [[top, bottom], [left, right]];
 * `what` names the layer and option in the error ("ZeroPadding2D layer 'z': padding").
 */
export function sidePairs(value: number | readonly unknown[] | undefined, fallback: number, className: string, layer: string, option: string): SidePairs {
  const p = value ?? fallback;
  if (isCount(p)) return [[p, p], [p, p]];
  if (Array.isArray(p) && p.length === 2) {
    if (isCount(p[0]) && isCount(p[1])) return [[p[0], p[0]], [p[1], p[1]]];
    const [rows, cols] = p as unknown[];
    const isPair = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && q.every(isCount);
    if (isPair(rows) && isPair(cols)) return [[rows[0], rows[1]], [cols[0], cols[1]]];
  }
  throw new Error(`${className} layer '${layer}': ${option} must be a non-negative integer, [rows, cols], or [[top, bottom], [left, right]]. Received: ${option}=${JSON.stringify(value)}.`);
}

/**
 * The 1×1-window geometry that pads an h×w image by `pads`: im2col with it zero-pads, and col2im,
 * its adjoint, crops the padded image back to h×w (ZeroPadding2D and Cropping2D share it).
 */
export function paddingGeometry(h: number, w: number, channels: number, [[top, bottom], [left, right]]: SidePairs): Omit<WindowGeometry, 'batch'> {
  return {
    inH: h, inW: w, channels, kH: 1, kW: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
    padTop: top, padLeft: left, outH: h + top + bottom, outW: w + left + right,
  };
}

/**
 * Adds rows and columns of zeros around each image. It runs as im2col with a 1×1 window, whose
 * padded positions read as zero, and its gradient as col2im, which crops the padding away.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [28, 28, 1] });
 * km.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }).apply(x).shape; // [31, 31, 1]
 * ```
 */
export class ZeroPadding2D extends ImageLayer {
  readonly className: string = 'ZeroPadding2D';
  readonly padding: SidePairs;
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;

  constructor(args: ZeroPadding2DArgs = {}, className = 'ZeroPadding2D', padding?: SidePairs) {
    super(args, className, true);
    this.padding = padding ?? sidePairs(args.padding, 1, className, this.name, 'padding');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    const [[top, bottom], [left, right]] = this.padding;
    return this.shapeOf(h + top + bottom, w + left + right, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [inH, inW, channels] = this.imageOf(singleInput(this, inputShapes));
    this.#geometry = paddingGeometry(inH, inW, channels, this.padding);
    this.buildBody(inputShapes);
  }

  forward(ctx: ForwardContext): void {
    windowForward(ZERO_PAD, this.body, ctx, this.#geometry!);
  }

  backward(ctx: BackwardContext): void {
    windowBackward(ZERO_PAD, this.body, ctx, this.#geometry!);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding, dataFormat: this.dataFormat };
  }
}

registerBuiltinLayer('ZeroPadding2D', (config) => new ZeroPadding2D(config as ZeroPadding2DArgs));

/** Zeros around each image. @example `km.layers.zeroPadding2d({ padding: [[1, 1], [2, 2]] })` */
export function zeroPadding2d(args?: ZeroPadding2DArgs): ZeroPadding2D {
  checkOptions(args, ZERO_PADDING2D_OPTIONS, 'km.layers.zeroPadding2d');
  return new ZeroPadding2D(args);
}
