import type { WindowGeometry } from '../backend/backend.js';
import { Layer, singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { checkChannelsLast, imageShape } from './window.js';

/** Options of {@link ZeroPadding2D}. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /**
   * Rows and columns of zeros: `p` (all four sides), `[rows, cols]` (symmetric), or
   * `[[top, bottom], [left, right]]`. Default 1.
   */
  padding?: number | [number, number] | [[number, number], [number, number]];
  dataFormat?: 'channelsLast';
}

function isCount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}

/** Reads Keras' three spellings of 2-D padding into [[top, bottom], [left, right]]. */
function paddingPairs(value: ZeroPadding2DArgs['padding'], layer: string): [[number, number], [number, number]] {
  const p = value ?? 1;
  if (isCount(p)) return [[p, p], [p, p]];
  if (Array.isArray(p) && p.length === 2) {
    if (isCount(p[0]) && isCount(p[1])) return [[p[0], p[0]], [p[1], p[1]]];
    const [rows, cols] = p as unknown[];
    const isPair = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && q.every(isCount);
    if (isPair(rows) && isPair(cols)) return [[rows[0], rows[1]], [cols[0], cols[1]]];
  }
  throw new Error(`ZeroPadding2D layer '${layer}': padding must be a non-negative integer, [rows, cols], or [[top, bottom], [left, right]]. Received: padding=${JSON.stringify(value)}.`);
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
export class ZeroPadding2D extends Layer {
  readonly className = 'ZeroPadding2D';
  readonly padding: [[number, number], [number, number]];
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'ZeroPadding2D');
    this.padding = paddingPairs(args.padding, this.name);
    checkChannelsLast(args.dataFormat, this.name);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = imageShape(singleInput(this, inputShapes), this.name, 'ZeroPadding2D');
    const [[top, bottom], [left, right]] = this.padding;
    return [h + top + bottom, w + left + right, c];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [inH, inW, channels] = imageShape(singleInput(this, inputShapes), this.name, 'ZeroPadding2D');
    const [outH, outW] = this.computeOutputShape(inputShapes);
    this.#geometry = {
      inH, inW, channels, kH: 1, kW: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
      padTop: this.padding[0][0], padLeft: this.padding[1][0], outH, outW,
    };
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.im2col(ctx.inputs[0], ctx.output, { ...this.#geometry!, batch: ctx.batch });
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.col2im(ctx.outputGrad, ctx.inputGrads[0], { ...this.#geometry!, batch: ctx.batch });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding, dataFormat: 'channelsLast' };
  }
}

registerLayer('ZeroPadding2D', (config) => new ZeroPadding2D(config as ZeroPadding2DArgs));
