import type { Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2D, type Pooling2DArgs } from './pooling2d.js';
import { registerBuiltinLayer } from './registry.js';
import { withoutDefaultDataFormat } from './channel_axis.js';
import { padding1DOf, sequenceGeometry, sequenceShape, singleOf, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';
import { checkOptions } from '../utils/options.js';
import { POOLING1D_OPTIONS } from './layer_options.js';

/** Options of {@link MaxPooling1D} and {@link AveragePooling1D}, with Keras' defaults. */
export interface Pooling1DArgs extends LayerArgs {
  /** Window length (default 2). */
  poolSize?: number | [number];
  /** Step between windows (default: the pool size). */
  strides?: number | [number];
  /** 'valid' (default) or 'same'; windows only count positions inside the input. */
  padding?: PaddingMode;
  /** 'channelsLast' (the default: `[steps, channels]`) or 'channelsFirst' (`[channels, steps]`). */
  dataFormat?: DataFormat;
}

// The 1-D pooling layers are the 2-D ones over a sequence seen as an image of height 1; these
// helpers are the whole difference, shared by both.

function asPooling2D(args: Pooling1DArgs, className: string): Pooling2DArgs {
  const where = `${className} layer${args.name ? ` '${args.name}'` : ''}`;
  const poolSize = singleOf(args.poolSize, 2, 'poolSize', where);
  return {
    ...args,
    poolSize: [1, poolSize],
    strides: [1, args.strides === undefined || args.strides === null ? poolSize : singleOf(args.strides, 1, 'strides', where)],
    padding: padding1DOf(args.padding, where, false) as PaddingMode,
  };
}

function geometry1D(layer: Pooling2D, input: Shape): SampleGeometry {
  return sequenceGeometry(sequenceShape(input, layer.name, layer.className), layer.poolSize[1], layer.strides[1], 1, layer.padding, layer.name);
}

function config1D(layer: Pooling2D, config: Record<string, unknown>): Record<string, unknown> {
  // TensorFlow.js writes 1-D sizes as lists of one.
  return { ...withoutDefaultDataFormat(config), poolSize: [layer.poolSize[1]], strides: [layer.strides[1]] };
}

/**
 * Max over windows of a `[steps, channels]` sequence; the gradient goes to each window's first maximum.
 *
 * @example
 * ```ts
 * km.layers.maxPooling1d({ poolSize: 2 }).apply(km.input({ shape: [10, 4] })).shape; // [5, 4]
 * ```
 */
export class MaxPooling1D extends MaxPooling2D {
  override readonly className: string = 'MaxPooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(asPooling2D(args, 'MaxPooling1D'), 'MaxPooling1D');
  }

  protected override sampleGeometry(input: Shape): SampleGeometry {
    return geometry1D(this, input);
  }

  protected override outputShapeOf(g: SampleGeometry): Shape {
    return [g.outW, g.channels];
  }

  override getConfig(): Record<string, unknown> {
    return config1D(this, super.getConfig());
  }
}

/**
 * Mean over windows of a `[steps, channels]` sequence.
 *
 * @example
 * ```ts
 * km.layers.averagePooling1d({ poolSize: 3, padding: 'same' }).apply(km.input({ shape: [10, 4] })).shape; // [4, 4]
 * ```
 */
export class AveragePooling1D extends AveragePooling2D {
  override readonly className: string = 'AveragePooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(asPooling2D(args, 'AveragePooling1D'), 'AveragePooling1D');
  }

  protected override sampleGeometry(input: Shape): SampleGeometry {
    return geometry1D(this, input);
  }

  protected override outputShapeOf(g: SampleGeometry): Shape {
    return [g.outW, g.channels];
  }

  override getConfig(): Record<string, unknown> {
    return config1D(this, super.getConfig());
  }
}

registerBuiltinLayer('MaxPooling1D', (config) => new MaxPooling1D(config as Pooling1DArgs));
registerBuiltinLayer('AveragePooling1D', (config) => new AveragePooling1D(config as Pooling1DArgs));

/** Max over windows of a sequence. @example `km.layers.maxPooling1d({ poolSize: 2 })` */
export function maxPooling1d(args?: Pooling1DArgs): MaxPooling1D {
  checkOptions(args, POOLING1D_OPTIONS, 'km.layers.maxPooling1d');
  return new MaxPooling1D(args);
}

/** Mean over windows of a sequence. @example `km.layers.averagePooling1d({ poolSize: 2 })` */
export function averagePooling1d(args?: Pooling1DArgs): AveragePooling1D {
  checkOptions(args, POOLING1D_OPTIONS, 'km.layers.averagePooling1d');
  return new AveragePooling1D(args);
}

/** tfjs' name for {@link maxPooling1d}. @example `km.layers.maxPool1d({ poolSize: 2 })` */
export const maxPool1d = maxPooling1d;

/** tfjs' name for {@link averagePooling1d}. @example `km.layers.avgPool1d({ poolSize: 2 })` */
export const avgPool1d = averagePooling1d;

/** tfjs' name for {@link averagePooling1d}. */
export const avgPooling1d = averagePooling1d;
