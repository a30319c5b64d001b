import type { ColorAdjustment } from '../backend/backend.js';
import { valueRangeOf } from './color_options.js';
import { ImageLayer } from './image_layer.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { AUTO_CONTRAST_OPTIONS } from './layer_options.js';

/** Options of {@link AutoContrast}, with Keras' defaults. */
export interface AutoContrastArgs extends LayerArgs {
  /** [low, high] of the pixel values (default [0, 255]): each channel is stretched over it. */
  valueRange?: readonly [number, number];
}

/**
 * Keras 3's AutoContrast: stretches each image's channels over the whole value range, the lowest
 * value of a channel becoming `low` and its highest `high`, linearly. Deterministic, so it runs
 * alike in training and inference; a channel holding a single value passes through, as Keras
 * keeps the input where its stretch is NaN. The gradient flows through the channel bounds too.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.autoContrast({ valueRange: [0, 1], inputShape: [28, 28, 1] }),
 *   km.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class AutoContrast extends ImageLayer {
  readonly className = 'AutoContrast';
  readonly valueRange: [number, number];
  #image: [number, number, number] = [0, 0, 0];

  constructor(args: AutoContrastArgs = {}) {
    super(args, 'AutoContrast');
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], `AutoContrast layer '${this.name}'`);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(h, w, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#image = this.imageOf(singleInput(this, inputShapes));
  }

  #range(batch: number): ColorAdjustment {
    const [h, w, channels] = this.#image;
    return { batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.autoContrast(ctx.inputs[0], ctx.output, this.#range(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (dx) ctx.backend.autoContrastGrad(ctx.inputs[0], ctx.outputGrad, dx, this.#range(ctx.batch));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), valueRange: this.valueRange };
  }
}

registerBuiltinLayer('AutoContrast', (config) => new AutoContrast(config as AutoContrastArgs));

/** Stretches each image's channels over the value range, in training and inference alike, as Keras 3's AutoContrast. @example `km.layers.autoContrast({ valueRange: [0, 1] })` */
export function autoContrast(args?: AutoContrastArgs): AutoContrast {
  checkOptions(args, AUTO_CONTRAST_OPTIONS, 'km.layers.autoContrast');
  return new AutoContrast(args);
}
