import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global_pooling2d.js';
import { registerBuiltinLayer } from './registry.js';
import { sequenceAsImage } from './image_layer.js';
import { withoutDefaultDataFormat } from './channel_axis.js';
import { checkOptions } from '../utils/options.js';
import { GLOBAL_POOLING2D_OPTIONS } from './layer_options.js';

/** Options of {@link GlobalAveragePooling1D} and {@link GlobalMaxPooling1D}; `dataFormat: 'channelsFirst'` takes `[channels, steps]`. */
export type GlobalPooling1DArgs = GlobalPooling2DArgs;

/**
 * The mean of each channel over the sequence, `[steps, c]` to `[c]`: the 2-D layer over a sequence
 * seen as an image of height 1. After a mask (`embedding({ maskZero: true })`, `masking()`) it
 * averages over the unmasked steps only, as Keras does (tfjs-layers 4.22 ignores the mask there and
 * averages the padding too); a sequence with every step masked gives zeros.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [200, 16] });
 * km.layers.globalAveragePooling1d().apply(x).shape; // [16]
 * ```
 */
export class GlobalAveragePooling1D extends GlobalAveragePooling2D {
  override readonly className: string = 'GlobalAveragePooling1D';

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalAveragePooling1D');
  }

  protected override sampleImage(input: Shape): [number, number, number] {
    return sequenceAsImage(input, this.name, this.className);
  }

  protected override sampleShape(_h: number, w: number, c: number): Shape {
    return [w, c];
  }

  // Reads a padded sequence's mask and passes none on: its output has no steps.
  override get supportsMasking(): boolean {
    return true;
  }

  override get passesMask(): boolean {
    return false;
  }

  override forward(ctx: ForwardContext): void {
    if (!ctx.inputMask) return super.forward(ctx);
    const { inW, channels } = this.geometry(ctx.batch);
    this.body.forward(ctx, 0, (c) => c.backend.maskedMeanSteps(c.inputs[0], c.inputMask, c.output, c.batch, inW, channels));
  }

  override backward(ctx: BackwardContext): void {
    if (!ctx.inputMask) return super.backward(ctx);
    const { inW, channels } = this.geometry(ctx.batch);
    if (!ctx.inputGrads[0]) return;
    this.body.backward(ctx, 0, (c) => c.backend.maskedMeanStepsGrad(c.outputGrad, c.inputMask, c.inputGrads[0], c.batch, inW, channels));
  }

  override getConfig(): Record<string, unknown> {
    return withoutDefaultDataFormat(super.getConfig());
  }
}

/**
 * The maximum of each channel over the sequence, `[steps, c]` to `[c]`; the gradient goes to its first maximum.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [200, 16] });
 * km.layers.globalMaxPooling1d().apply(x).shape; // [16]
 * ```
 */
export class GlobalMaxPooling1D extends GlobalMaxPooling2D {
  override readonly className: string = 'GlobalMaxPooling1D';

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalMaxPooling1D');
  }

  protected override sampleImage(input: Shape): [number, number, number] {
    return sequenceAsImage(input, this.name, this.className);
  }

  protected override sampleShape(_h: number, w: number, c: number): Shape {
    return [w, c];
  }

  override getConfig(): Record<string, unknown> {
    return withoutDefaultDataFormat(super.getConfig());
  }
}

registerBuiltinLayer('GlobalAveragePooling1D', (config) => new GlobalAveragePooling1D(config as GlobalPooling1DArgs));
registerBuiltinLayer('GlobalMaxPooling1D', (config) => new GlobalMaxPooling1D(config as GlobalPooling1DArgs));

/** Mean of each channel over the sequence, [steps, c] to [c]. @example `km.layers.globalAveragePooling1d()` */
export function globalAveragePooling1d(args?: GlobalPooling1DArgs): GlobalAveragePooling1D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalAveragePooling1d');
  return new GlobalAveragePooling1D(args);
}

/** Maximum of each channel over the sequence, [steps, c] to [c]. @example `km.layers.globalMaxPooling1d()` */
export function globalMaxPooling1d(args?: GlobalPooling1DArgs): GlobalMaxPooling1D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalMaxPooling1d');
  return new GlobalMaxPooling1D(args);
}

/** tfjs' name for {@link globalMaxPooling1d}. */
export const globalMaxPool1d = globalMaxPooling1d;
