import type { ColorAdjustment } from '../backend/backend.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { valueRangeOf } from './color_options.js';
import { ImageLayer } from './image_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { LAYER } from './layer_options.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link Equalization}, with Keras' defaults. */
export interface EqualizationArgs extends LayerArgs {
  /** [low, high] of the pixel values (default [0, 255]): they are equalized as if seen in [0, 255] and mapped back. */
  valueRange?: readonly [number, number];
  /** Histogram bins, a positive integer (default 256, one per level of an 8-bit image); fewer merge levels. */
  bins?: number;
  /** Keras' data_format: kerasm's image preprocessing layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Keras 3's Equalization: histogram equalization of each image's channels. A channel's values,
 * seen in [0, 255], are counted into `bins` bins; each value becomes its bin's cumulative count
 * rescaled so that the first non-empty bin goes to 0 and the last to 255, rounded half to even as
 * Keras rounds, then is mapped back to `valueRange`. A channel whose values all fall in one bin (a
 * constant one among them) passes through. Deterministic, so it runs alike in training and
 * inference, as Keras documents.
 *
 * Two departures from Keras' code, both for results that do not depend on how a call is batched:
 * Keras pools each channel's histogram over the whole batch it is given (per image only when it
 * maps over single images, as in a tf.data pipeline), where kerasm equalizes every image on its
 * own; and Keras' code skips the layer when called with `training=False` (as `predict` does),
 * where kerasm applies it, as AutoContrast.
 *
 * No gradient flows back through it (0), as through Keras' integer bins and table lookup: put it
 * before the trainable layers.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.equalization({ valueRange: [0, 1], bins: 128, inputShape: [32, 32, 3] }),
 *   km.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class Equalization extends ImageLayer {
  readonly className = 'Equalization';
  readonly valueRange: [number, number];
  readonly bins: number;
  #image: [number, number, number] = [0, 0, 0];

  constructor(args: EqualizationArgs = {}) {
    super(args, 'Equalization');
    const where = `Equalization layer '${this.name}'`;
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
    const bins = args.bins ?? 256;
    if (!Number.isInteger(bins) || bins < 1) {
      throw new Error(`${where}: bins must be a positive integer, the histogram's bin count, e.g. bins: 256 for 8-bit levels or bins: 64 to merge them. Received: bins=${JSON.stringify(bins)}.`);
    }
    this.bins = bins;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(h, w, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#image = this.imageOf(singleInput(this, inputShapes));
  }

  forward(ctx: ForwardContext): void {
    const [h, w, channels] = this.#image;
    const range: ColorAdjustment = { batch: ctx.batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
    ctx.backend.equalizeImages(ctx.inputs[0], ctx.output, range, this.bins);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (dx) ctx.backend.fill(dx, ctx.batch * this.#image.reduce((a, b) => a * b, 1), 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), valueRange: this.valueRange, bins: this.bins };
  }
}

registerBuiltinLayer('Equalization', (config) => new Equalization(config as EqualizationArgs));

const EQUALIZATION_OPTIONS = optionNames<EqualizationArgs>({ ...LAYER, valueRange: true, bins: true, dataFormat: true });

/** Histogram-equalizes each image's channels, in training and inference alike, as Keras 3's Equalization. @example `km.layers.equalization({ valueRange: [0, 1] })` */
export function equalization(args?: EqualizationArgs): Equalization {
  checkOptions(args, EQUALIZATION_OPTIONS, 'km.layers.equalization');
  return new Equalization(args);
}
