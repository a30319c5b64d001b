import type { WindowGeometry } from '../backend/backend.js';
import { singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import { pairOf, type DataFormat } from './window.js';

/** Options of {@link UpSampling2D}. */
export interface UpSampling2DArgs extends LayerArgs {
  /** How many times to repeat each row and column (default 2). */
  size?: number | [number, number];
  /** Only 'nearest' (repeat) is implemented. */
  interpolation?: 'nearest';
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
}

/**
 * Repeats each row `size[0]` times and each column `size[1]` times (nearest neighbour).
 *
 * Nearest upsampling is the adjoint of sum pooling over `size` windows, which is average pooling
 * times the window area; so the forward pass is the average-pooling gradient kernel and the
 * backward pass the average-pooling kernel, each scaled by the area.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [7, 7, 16] });
 * km.layers.upSampling2d({ size: 2 }).apply(x).shape; // [14, 14, 16]
 * ```
 */
export class UpSampling2D extends ImageLayer {
  readonly className: string = 'UpSampling2D';
  readonly size: [number, number];
  /** Pooling geometry over the upsampled image: one size[0]×size[1] window per input pixel. */
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;
  #outSize = 0;

  constructor(args: UpSampling2DArgs = {}, className = 'UpSampling2D', size?: [number, number]) {
    super(args, className, true);
    this.size = size ?? pairOf(args.size, 2, 'size', this.name);
    if (args.interpolation !== undefined && args.interpolation !== 'nearest') {
      throw new Error(`${className} layer '${this.name}': only interpolation 'nearest' is implemented. Received: interpolation=${JSON.stringify(args.interpolation)}.`);
    }
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(h * this.size[0], w * this.size[1], c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [h, w, channels] = this.imageOf(singleInput(this, inputShapes));
    const [sh, sw] = this.size;
    this.#geometry = { inH: h * sh, inW: w * sw, channels, kH: sh, kW: sw, strideH: sh, strideW: sw, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, outH: h, outW: w };
    this.#outSize = h * sh * w * sw * channels;
    this.buildBody(inputShapes);
  }

  get #area(): number {
    return this.size[0] * this.size[1];
  }

  forward(ctx: ForwardContext): void {
    this.body.forward(ctx, 0, ({ backend, inputs, output, batch }) => {
      backend.avgPoolGrad(inputs[0], output, { ...this.#geometry!, batch });
      if (this.#area !== 1) backend.scale(output, batch * this.#outSize, this.#area);
    });
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    this.body.backward(ctx, 0, ({ backend, outputGrad, inputGrads: [dx], batch }) => {
      backend.avgPool(outputGrad, dx, { ...this.#geometry!, batch });
      if (this.#area !== 1) backend.scale(dx, (batch * this.#outSize) / this.#area, this.#area);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, dataFormat: this.dataFormat, interpolation: 'nearest' };
  }
}

registerLayer('UpSampling2D', (config) => new UpSampling2D(config as UpSampling2DArgs));
