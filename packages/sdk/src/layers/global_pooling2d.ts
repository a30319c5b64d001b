import type { WindowGeometry } from '../backend/backend.js';
import { singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import { checkChannelsLast } from './window.js';

/** Options of {@link GlobalAveragePooling2D} and {@link GlobalMaxPooling2D}. */
export interface GlobalPooling2DArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
}

/**
 * Pooling over the whole image, `[h, w, c]` to `[c]`. It is the pooling kernel with one window the
 * size of the image: a `[1, 1, c]` output is laid out exactly like `[c]`, so no new kernel is needed.
 */
abstract class GlobalPooling2D extends ImageLayer {
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;

  constructor(args: GlobalPooling2DArgs, className: string) {
    super(args, className);
    checkChannelsLast(args.dataFormat, this.name);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return [this.imageOf(singleInput(this, inputShapes))[2]];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [inH, inW, channels] = this.imageOf(singleInput(this, inputShapes));
    this.#geometry = {
      inH, inW, channels, kH: inH, kW: inW, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, outH: 1, outW: 1,
    };
  }

  protected geometry(batch: number): WindowGeometry {
    return { ...this.#geometry!, batch };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast' };
  }
}

/**
 * The mean of each channel over the image.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [7, 7, 32] });
 * km.layers.globalAveragePooling2d().apply(x).shape; // [32]
 * ```
 */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className: string = 'GlobalAveragePooling2D';

  constructor(args: GlobalPooling2DArgs = {}, className = 'GlobalAveragePooling2D') {
    super(args, className);
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.avgPool(ctx.inputs[0], ctx.output, this.geometry(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.avgPoolGrad(ctx.outputGrad, ctx.inputGrads[0], this.geometry(ctx.batch));
  }
}

/**
 * The maximum of each channel over the image; the gradient goes to its first maximum.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [7, 7, 32] });
 * km.layers.globalMaxPooling2d().apply(x).shape; // [32]
 * ```
 */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className: string = 'GlobalMaxPooling2D';

  constructor(args: GlobalPooling2DArgs = {}, className = 'GlobalMaxPooling2D') {
    super(args, className);
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.maxPool(ctx.inputs[0], ctx.output, this.geometry(ctx.batch));
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.maxPoolGrad(ctx.inputs[0], ctx.output, ctx.outputGrad, ctx.inputGrads[0], this.geometry(ctx.batch));
  }
}

registerLayer('GlobalAveragePooling2D', (config) => new GlobalAveragePooling2D(config as GlobalPooling2DArgs));
registerLayer('GlobalMaxPooling2D', (config) => new GlobalMaxPooling2D(config as GlobalPooling2DArgs));
