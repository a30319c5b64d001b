import type { WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import type { DataFormat } from './window.js';
import { VolumeLayer } from './volume.js';
import { sideTriples, volumePaddingGeometry, type SideTriples, type SideTriplesSpec } from './zero_padding3d.js';
import { checkOptions } from '../utils/options.js';
import { CROPPING3D_OPTIONS } from './layer_options.js';
import { CROP, windowBackward, windowForward } from './window_kernels.js';

/** Options of {@link Cropping3D}. */
export interface Cropping3DArgs extends LayerArgs {
  /** What to remove on each side: `c` (all six sides), `[d, h, w]` (symmetric per axis), or `[[front, back], [top, bottom], [left, right]]`. Default 1, as in Keras. */
  cropping?: SideTriplesSpec;
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
}

/**
 * Removes planes, rows and columns at the sides of each volume. It is ZeroPadding3D's adjoint: it
 * runs as col2im over the geometry that would pad the cropped volume back, its gradient as im2col.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [8, 16, 16, 1] });
 * km.layers.cropping3D({ cropping: [[1, 1], [2, 0], [0, 0]] }).apply(x).shape; // [6, 14, 16, 1]
 * ```
 */
export class Cropping3D extends VolumeLayer {
  readonly className: string = 'Cropping3D';
  readonly cropping: SideTriples;
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;

  constructor(args: Cropping3DArgs = {}) {
    super(args, 'Cropping3D');
    this.cropping = sideTriples(args.cropping, 1, 'Cropping3D', this.name, 'cropping');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [d, h, w, c] = this.#cropped(inputShapes);
    return this.shapeOf(d, h, w, c);
  }

  /** The output as a channels-last volume. */
  #cropped(inputShapes: readonly Shape[]): [number, number, number, number] {
    const input = singleInput(this, inputShapes);
    const [d, h, w, c] = this.volumeOf(input);
    const out = [d, h, w].map((size, a) => size - this.cropping[a][0] - this.cropping[a][1]);
    if (out.some((size) => size < 1)) {
      throw new Error(`Cropping3D layer '${this.name}' crops ${JSON.stringify(this.cropping)} from ${formatShape(input)}, which leaves ${out.join('x')} voxels. Crop less than the input: at most ${d - 1} planes, ${h - 1} rows and ${w - 1} columns in all.`);
    }
    return [out[0], out[1], out[2], c];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [d, h, w, c] = this.#cropped(inputShapes);
    this.#geometry = volumePaddingGeometry(d, h, w, c, this.cropping);
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

registerBuiltinLayer('Cropping3D', (config) => new Cropping3D(config as Cropping3DArgs));

/** Removes planes, rows and columns at the sides of each volume (Keras' Cropping3D). @example `km.layers.cropping3D({ cropping: [0, 2, 2] })` */
export function cropping3D(args?: Cropping3DArgs): Cropping3D {
  checkOptions(args, CROPPING3D_OPTIONS, 'km.layers.cropping3D');
  return new Cropping3D(args);
}
