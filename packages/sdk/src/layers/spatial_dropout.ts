import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { LayerRandom } from './layer_random.js';
import { checkRate } from './noise.js';
import { registerBuiltinLayer } from './registry.js';
import { SPATIAL_DROPOUT1D_OPTIONS, SPATIAL_DROPOUT_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link SpatialDropout1D}. */
export interface SpatialDropout1DArgs extends LayerArgs {
  /** Fraction of the channels to drop while training, in [0, 1). */
  rate: number;
  /** Saved by tfjs with Dropout's options; kerasm takes only null (one mask value per sample and channel). */
  noiseShape?: null;
  /** Seed for this layer's masks; by default they draw from the generator `km.utils.setRandomSeed` and fit's seed set. */
  seed?: number | null;
}

/** Where the channels sit in each sample: last (`[..., channels]`, the default) or first (`[channels, ...]`). */
export type SpatialDataFormat = 'channelsLast' | 'channelsFirst';

/** Options of {@link SpatialDropout2D} and {@link SpatialDropout3D}. */
export interface SpatialDropoutArgs extends LayerArgs {
  /** Fraction of the feature maps to drop while training, in [0, 1). */
  rate: number;
  /** Where the channels sit in each sample; Keras' `'channels_last'` and `'channels_first'` are read too. */
  dataFormat?: SpatialDataFormat | 'channels_last' | 'channels_first';
  /** Seed for this layer's masks; by default they draw from the generator `km.utils.setRandomSeed` and fit's seed set. */
  seed?: number | null;
}

/** The axes of one sample each form names, for messages. */
const SAMPLE_AXES: Record<number, string> = { 2: 'steps', 3: 'rows, cols', 4: 'dim1, dim2, dim3' };

function dataFormatOf(value: unknown, where: string): SpatialDataFormat {
  if (value === undefined || value === null || value === 'channelsLast' || value === 'channels_last') return 'channelsLast';
  if (value === 'channelsFirst' || value === 'channels_first') return 'channelsFirst';
  throw new Error(`${where}: dataFormat must be 'channelsLast' or 'channelsFirst'. Received: dataFormat=${JSON.stringify(value)}.`);
}

/**
 * Dropout of whole feature maps: each channel of a sample is kept or dropped (rate of them) at every
 * position at once, the kept ones scaled by 1/(1 − rate), while training; inference passes inputs
 * through. One mask value per sample and channel, spread over the positions by a rank-1 product
 * (mask · ones), so every backend does it in one matMul (and a transpose for channelsLast).
 */
abstract class SpatialDropout extends Layer {
  // Acts on each position alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly rate: number;
  readonly seed: number | undefined;
  readonly dataFormat: SpatialDataFormat;
  readonly #random: LayerRandom;
  /** The sample's rank: 2 for sequences, 3 for images, 4 for volumes. */
  readonly #rank: number;
  #positions = 0;
  #channels = 0;

  constructor(args: SpatialDropoutArgs, className: string, rank: number) {
    super(args, className);
    const where = `${className} layer '${this.name}'`;
    this.rate = checkRate(args.rate, where);
    this.dataFormat = dataFormatOf(args.dataFormat, where);
    this.#random = new LayerRandom(args.seed, where, this);
    this.seed = this.#random.seed;
    this.#rank = rank;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const input = singleInput(this, inputShapes);
    if (input.length !== this.#rank) {
      const axes = SAMPLE_AXES[this.#rank];
      const expected = this.dataFormat === 'channelsLast' ? `(None, ${axes}, channels)` : `(None, channels, ${axes})`;
      throw new Error(`${this.className} layer '${this.name}' expects inputs of shape ${expected}, but received ${formatShape(input)}. Use ${SPATIAL_DROPOUT_OF_RANK[input.length] ?? 'Dropout'} for inputs of that rank.`);
    }
    return input;
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const input = this.computeOutputShape(inputShapes);
    const channelAxis = this.dataFormat === 'channelsLast' ? input.length - 1 : 0;
    this.#channels = input[channelAxis];
    this.#positions = input.reduce((a, b) => a * b, 1) / this.#channels;
  }

  override workspaceSize(batch: number): number {
    // The mask per sample and channel, a row of ones, then the mask spread over every position.
    return batch * this.#channels + this.#positions + batch * this.#channels * this.#positions;
  }

  #fullMask(ctx: ForwardContext): number {
    const offset = ctx.batch * this.#channels + this.#positions;
    return ctx.backend.view(ctx.workspace, offset, ctx.batch * this.#channels * this.#positions);
  }

  forward(ctx: ForwardContext): void {
    const b = ctx.backend;
    const [rows, positions] = [ctx.batch * this.#channels, this.#positions];
    const n = rows * positions;
    if (!ctx.training || this.rate === 0) {
      b.copy(ctx.inputs[0], ctx.output, n);
      return;
    }
    const seed = this.#random.kernelSeed();
    const channelMask = b.view(ctx.workspace, 0, rows);
    const ones = b.view(ctx.workspace, rows, positions);
    const full = this.#fullMask(ctx);
    b.dropoutMask(channelMask, rows, this.rate, seed);
    b.fill(ones, positions, 1);
    if (this.dataFormat === 'channelsFirst') {
      b.matMul(channelMask, ones, full, rows, positions, 1, false, false, false);
    } else {
      // [batch, channels, positions] in the output buffer (free until the last step), then transposed into place.
      b.matMul(channelMask, ones, ctx.output, rows, positions, 1, false, false, false);
      b.transpose(ctx.output, full, [ctx.batch, this.#channels, positions], [0, 2, 1]);
    }
    b.mul(ctx.inputs[0], full, ctx.output, n);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const n = ctx.batch * this.#channels * this.#positions;
    if (!ctx.training || this.rate === 0) ctx.backend.copy(ctx.outputGrad, dx, n);
    else ctx.backend.mul(ctx.outputGrad, this.#fullMask(ctx), dx, n);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null, dataFormat: this.dataFormat };
  }
}

/** The spatial dropout layer for samples of each rank, for the message on a wrong rank. */
const SPATIAL_DROPOUT_OF_RANK: Record<number, string> = { 2: 'SpatialDropout1D', 3: 'SpatialDropout2D', 4: 'SpatialDropout3D' };

/**
 * Dropout of whole channels of `[steps, channels]` sequences: each channel of a sample is zeroed at
 * every step at once (rate of them) and the rest scaled by 1/(1 − rate), while training; inputs pass
 * through at inference. Neighbouring steps are correlated, so this regularizes convolutional sequence
 * models where plain Dropout does not.
 *
 * @example
 * ```ts
 * km.layers.spatialDropout1d({ rate: 0.2 });
 * ```
 */
export class SpatialDropout1D extends SpatialDropout {
  readonly className = 'SpatialDropout1D';

  constructor(args: SpatialDropout1DArgs) {
    super({ ...args, dataFormat: undefined }, 'SpatialDropout1D', 2);
    if (args.noiseShape !== undefined && args.noiseShape !== null) {
      throw new Error(`SpatialDropout1D layer '${this.name}': noiseShape is fixed to (batch, 1, channels). Received: noiseShape=${JSON.stringify(args.noiseShape)}. Remove noiseShape.`);
    }
  }

  override getConfig(): Record<string, unknown> {
    // tfjs and Keras write SpatialDropout1D with Dropout's options and no dataFormat.
    const { dataFormat: _, ...config } = super.getConfig();
    return { ...config, noiseShape: null };
  }
}

/**
 * Dropout of whole 2-D feature maps (Keras' SpatialDropout2D): on `[rows, cols, channels]` images
 * (or `[channels, rows, cols]` with `dataFormat: 'channelsFirst'`) each channel of a sample is
 * zeroed everywhere at once (rate of them) and the rest scaled by 1/(1 − rate), while training;
 * inputs pass through at inference. Adjacent pixels are correlated, so this regularizes early
 * convolution layers where plain Dropout does not.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [28, 28, 16] });
 * km.layers.spatialDropout2d({ rate: 0.2 }).apply(x).shape; // [28, 28, 16]
 * ```
 */
export class SpatialDropout2D extends SpatialDropout {
  readonly className = 'SpatialDropout2D';

  constructor(args: SpatialDropoutArgs) {
    super(args, 'SpatialDropout2D', 3);
  }
}

/**
 * Dropout of whole 3-D feature maps (Keras' SpatialDropout3D): on `[dim1, dim2, dim3, channels]`
 * volumes (or channels first) each channel of a sample is zeroed everywhere at once while training.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [4, 8, 8, 3] });
 * km.layers.spatialDropout3d({ rate: 0.1 }).apply(x).shape; // [4, 8, 8, 3]
 * ```
 */
export class SpatialDropout3D extends SpatialDropout {
  readonly className = 'SpatialDropout3D';

  constructor(args: SpatialDropoutArgs) {
    super(args, 'SpatialDropout3D', 4);
  }
}

registerBuiltinLayer('SpatialDropout1D', (config) => new SpatialDropout1D(config as unknown as SpatialDropout1DArgs));
registerBuiltinLayer('SpatialDropout2D', (config) => new SpatialDropout2D(config as unknown as SpatialDropoutArgs));
registerBuiltinLayer('SpatialDropout3D', (config) => new SpatialDropout3D(config as unknown as SpatialDropoutArgs));

/** Drops whole channels of `[steps, channels]` samples while training. @example `km.layers.spatialDropout1d({ rate: 0.2 })` */
export function spatialDropout1d(args: SpatialDropout1DArgs): SpatialDropout1D {
  checkRequiredOptions(args, SPATIAL_DROPOUT1D_OPTIONS, 'km.layers.spatialDropout1d');
  return new SpatialDropout1D(args);
}

/** Drops whole feature maps of `[rows, cols, channels]` images while training. @example `km.layers.spatialDropout2d({ rate: 0.2 })` */
export function spatialDropout2d(args: SpatialDropoutArgs): SpatialDropout2D {
  checkRequiredOptions(args, SPATIAL_DROPOUT_OPTIONS, 'km.layers.spatialDropout2d');
  return new SpatialDropout2D(args);
}

/** Drops whole feature maps of `[dim1, dim2, dim3, channels]` volumes while training. @example `km.layers.spatialDropout3d({ rate: 0.2 })` */
export function spatialDropout3d(args: SpatialDropoutArgs): SpatialDropout3D {
  checkRequiredOptions(args, SPATIAL_DROPOUT_OPTIONS, 'km.layers.spatialDropout3d');
  return new SpatialDropout3D(args);
}
