import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { Pooling } from './pooling.js';
import { registerBuiltinLayer } from './registry.js';
import type { DataFormat, PaddingMode, SampleGeometry } from './window.js';
import { tripleOf, volumeGeometry, volumeShape, volumeWindowOf, type Triple } from './volume.js';
import { checkOptions } from '../utils/options.js';
import { POOLING3D_OPTIONS } from './layer_options.js';
import { AVERAGE_POOL, MAX_POOL, type WindowKernel } from './window_kernels.js';

/** Options of {@link MaxPooling3D} and {@link AveragePooling3D}, with Keras' defaults. */
export interface Pooling3DArgs extends LayerArgs {
  /** Window depth, height and width (default 2). */
  poolSize?: number | Triple;
  /** Step between windows (default: the pool size). */
  strides?: number | Triple;
  /** 'valid' (default) or 'same'; windows only count positions inside the input. */
  padding?: PaddingMode;
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
}

/** The 3-D pooling layers: their window options and its geometry over one volume. */
abstract class Pooling3D extends Pooling {
  readonly poolSize: Triple;
  readonly strides: Triple;
  readonly padding: PaddingMode;

  constructor(args: Pooling3DArgs, className: string, kernel: WindowKernel) {
    super(args, className, kernel, 'NDHWC');
    const where = `${className} layer '${this.name}'`;
    this.poolSize = tripleOf(args.poolSize, 2, 'poolSize', where);
    ({ strides: this.strides, padding: this.padding } = volumeWindowOf(args, this.poolSize, where, this.name));
  }

  protected override sampleGeometry(input: Shape): SampleGeometry {
    return volumeGeometry(volumeShape(input, this.name, this.className), this.poolSize, this.strides, [1, 1, 1], this.padding, this.name);
  }

  protected override outputShapeOf(g: SampleGeometry): Shape {
    return [g.outD!, g.outH, g.outW, g.channels];
  }
}

/**
 * Max over each 3-D window; the gradient goes to the window's first maximum, as in TensorFlow.
 *
 * @example
 * ```ts
 * km.layers.maxPooling3d({ poolSize: 2 }).apply(km.input({ shape: [8, 16, 16, 4] })).shape; // [4, 8, 8, 4]
 * ```
 */
export class MaxPooling3D extends Pooling3D {
  readonly className: string = 'MaxPooling3D';

  constructor(args: Pooling3DArgs = {}) {
    super(args, 'MaxPooling3D', MAX_POOL);
  }
}

/**
 * Mean over each 3-D window's positions inside the input.
 *
 * @example
 * ```ts
 * km.layers.averagePooling3d({ poolSize: [1, 2, 2] }).apply(km.input({ shape: [8, 16, 16, 4] })).shape; // [8, 8, 8, 4]
 * ```
 */
export class AveragePooling3D extends Pooling3D {
  readonly className: string = 'AveragePooling3D';

  constructor(args: Pooling3DArgs = {}) {
    super(args, 'AveragePooling3D', AVERAGE_POOL);
  }
}

registerBuiltinLayer('MaxPooling3D', (config) => new MaxPooling3D(config as Pooling3DArgs));
registerBuiltinLayer('AveragePooling3D', (config) => new AveragePooling3D(config as Pooling3DArgs));

/** Max over 3-D windows. @example `km.layers.maxPooling3d({ poolSize: 2 })` */
export function maxPooling3d(args?: Pooling3DArgs): MaxPooling3D {
  checkOptions(args, POOLING3D_OPTIONS, 'km.layers.maxPooling3d');
  return new MaxPooling3D(args);
}

/** Mean over 3-D windows. @example `km.layers.averagePooling3d({ poolSize: [1, 2, 2] })` */
export function averagePooling3d(args?: Pooling3DArgs): AveragePooling3D {
  checkOptions(args, POOLING3D_OPTIONS, 'km.layers.averagePooling3d');
  return new AveragePooling3D(args);
}

/** tfjs' name for {@link averagePooling3d}. @example `km.layers.avgPool3d({ poolSize: 2 })` */
export const avgPool3d = averagePooling3d;
/** tfjs' name for {@link averagePooling3d}. */
export const avgPooling3d = averagePooling3d;
