import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { Pooling } from './pooling.js';
import { registerBuiltinLayer } from './registry.js';
import { imageShape, pairOf, paddingOf, sampleGeometry, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';
import { checkOptions } from '../utils/options.js';
import { POOLING2D_OPTIONS } from './layer_options.js';
import { AVERAGE_POOL, MAX_POOL, type WindowKernel } from './window_kernels.js';

/** Options of {@link MaxPooling2D} and {@link AveragePooling2D}, with Keras' defaults. */
export interface Pooling2DArgs extends LayerArgs {
  /** Window height and width (default 2). */
  poolSize?: number | [number, number];
  /** Step between windows (default: the pool size). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'; windows only count positions inside the input. */
  padding?: PaddingMode;
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
}

/**
 * The 2-D pooling layers (and the 1-D ones, which run over images of height 1, overriding the two
 * hooks): their window options and its geometry over one image.
 */
export abstract class Pooling2D extends Pooling {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;

  constructor(args: Pooling2DArgs, className: string, kernel: WindowKernel) {
    super(args, className, kernel, 'NHWC');
    this.poolSize = pairOf(args.poolSize, 2, 'poolSize', this.name);
    this.strides = args.strides === undefined || args.strides === null ? this.poolSize : pairOf(args.strides, 1, 'strides', this.name);
    this.padding = paddingOf(args.padding, this.name);
  }

  /** The window over one sample of the given input shape; the 1-D layers see a sequence as an image of height 1. */
  protected override sampleGeometry(input: Shape): SampleGeometry {
    return sampleGeometry(imageShape(input, this.name, this.className), this.poolSize, this.strides, [1, 1], this.padding, this.name);
  }

  /** The output shape for a window geometry: [outH, outW, channels]. */
  protected override outputShapeOf(g: SampleGeometry): Shape {
    return [g.outH, g.outW, g.channels];
  }
}

/** Max over each window; the gradient goes to the window's first maximum, as in TensorFlow. */
export class MaxPooling2D extends Pooling2D {
  readonly className: string = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}, className = 'MaxPooling2D') {
    super(args, className, MAX_POOL);
  }
}

/** Mean over each window's positions inside the input. */
export class AveragePooling2D extends Pooling2D {
  readonly className: string = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}, className = 'AveragePooling2D') {
    super(args, className, AVERAGE_POOL);
  }
}

registerBuiltinLayer('MaxPooling2D', (config) => new MaxPooling2D(config as Pooling2DArgs));
registerBuiltinLayer('AveragePooling2D', (config) => new AveragePooling2D(config as Pooling2DArgs));

/** Max over 2-D windows. @example `km.layers.maxPooling2d({ poolSize: 2 })` */
export function maxPooling2d(args?: Pooling2DArgs): MaxPooling2D {
  checkOptions(args, POOLING2D_OPTIONS, 'km.layers.maxPooling2d');
  return new MaxPooling2D(args);
}

/** Mean over 2-D windows. @example `km.layers.averagePooling2d({ poolSize: 2 })` */
export function averagePooling2d(args?: Pooling2DArgs): AveragePooling2D {
  checkOptions(args, POOLING2D_OPTIONS, 'km.layers.averagePooling2d');
  return new AveragePooling2D(args);
}

/** tfjs' name for {@link maxPooling2d}. @example `km.layers.maxPool2d({ poolSize: 2 })` */
export const maxPool2d = maxPooling2d;

/** tfjs' name for {@link averagePooling2d}. @example `km.layers.avgPool2d({ poolSize: 2 })` */
export const avgPool2d = averagePooling2d;

/** tfjs' name for {@link averagePooling2d}. */
export const avgPooling2d = averagePooling2d;
