import type { WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import type { DataFormat } from './window.js';
import { VolumeLayer } from './volume.js';
import { isCount } from './zero_padding2d.js';
import { checkOptions } from '../utils/options.js';
import { ZERO_PADDING3D_OPTIONS } from './layer_options.js';
import { ZERO_PAD, windowBackward, windowForward } from './window_kernels.js';

/** Planes, rows and columns at each side of a volume: [[front, back], [top, bottom], [left, right]]. */
export type SideTriples = [[number, number], [number, number], [number, number]];

/** How Keras spells 3-D padding or cropping: one count, one per axis, or a pair per axis. */
export type SideTriplesSpec = number | [number, number, number] | SideTriples;

/** Reads Keras' three spellings of 3-D padding (or cropping) into [[front, back], [top, bottom], [left, right]]. */
export function sideTriples(value: SideTriplesSpec | undefined, fallback: number, className: string, layer: string, option: string): SideTriples {
  const p: unknown = value ?? fallback;
  if (isCount(p)) return [[p, p], [p, p], [p, p]];
  if (Array.isArray(p) && p.length === 3) {
    if (p.every(isCount)) return p.map((v: number) => [v, v]) as SideTriples;
    const isPair = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && q.every(isCount);
    if (p.every(isPair)) return p.map(([a, b]: [number, number]) => [a, b]) as SideTriples;
  }
  throw new Error(`${className} layer '${layer}': ${option} must be a non-negative integer, [depth, rows, cols], or [[front, back], [top, bottom], [left, right]]. Received: ${option}=${JSON.stringify(value)}.`);
}

/**
 * The 1×1×1-window geometry that pads a d×h×w volume by `pads`: im2col with it zero-pads, and
 * col2im, its adjoint, crops the padded volume back (ZeroPadding3D and Cropping3D share it).
 */
export function volumePaddingGeometry(d: number, h: number, w: number, channels: number, [[front, back], [top, bottom], [left, right]]: SideTriples): Omit<WindowGeometry, 'batch'> {
  return {
    inD: d, inH: h, inW: w, channels, kD: 1, kH: 1, kW: 1, strideD: 1, strideH: 1, strideW: 1, dilationD: 1, dilationH: 1, dilationW: 1,
    padFront: front, padTop: top, padLeft: left, outD: d + front + back, outH: h + top + bottom, outW: w + left + right,
  };
}

/** Options of {@link ZeroPadding3D}. */
export interface ZeroPadding3DArgs extends LayerArgs {
  /** Zeros on each side: `p` (all six sides), `[d, h, w]` (symmetric per axis), or `[[front, back], [top, bottom], [left, right]]`. Default 1. */
  padding?: SideTriplesSpec;
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
}

/**
 * Adds planes, rows and columns of zeros around each volume. It runs as im2col with a 1×1×1
 * window, whose padded positions read as zero, and its gradient as col2im, which crops them away.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [8, 16, 16, 1] });
 * km.layers.zeroPadding3d({ padding: [1, 2, 0] }).apply(x).shape; // [10, 20, 16, 1]
 * ```
 */
export class ZeroPadding3D extends VolumeLayer {
  readonly className: string = 'ZeroPadding3D';
  readonly padding: SideTriples;
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;

  constructor(args: ZeroPadding3DArgs = {}) {
    super(args, 'ZeroPadding3D');
    this.padding = sideTriples(args.padding, 1, 'ZeroPadding3D', this.name, 'padding');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [d, h, w, c] = this.volumeOf(singleInput(this, inputShapes));
    const [[front, back], [top, bottom], [left, right]] = this.padding;
    return this.shapeOf(d + front + back, h + top + bottom, w + left + right, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [d, h, w, c] = this.volumeOf(singleInput(this, inputShapes));
    this.#geometry = volumePaddingGeometry(d, h, w, c, this.padding);
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

registerBuiltinLayer('ZeroPadding3D', (config) => new ZeroPadding3D(config as ZeroPadding3DArgs));

/** Zeros around each volume (Keras' ZeroPadding3D). @example `km.layers.zeroPadding3d({ padding: [1, 2, 2] })` */
export function zeroPadding3d(args?: ZeroPadding3DArgs): ZeroPadding3D {
  checkOptions(args, ZERO_PADDING3D_OPTIONS, 'km.layers.zeroPadding3d');
  return new ZeroPadding3D(args);
}
