import type { ResizeGeometry, WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import { resizeGeometry } from './resizing.js';
import { pairOf, type DataFormat } from './window.js';
import { checkOptions } from '../utils/options.js';
import { UP_SAMPLING2D_OPTIONS } from './layer_options.js';

/** How {@link UpSampling2D} fills the new pixels. */
export type UpSamplingInterpolation = 'nearest' | 'bilinear';

/** Options of {@link UpSampling2D}. */
export interface UpSampling2DArgs extends LayerArgs {
  /** How many times to repeat each row and column (default 2). */
  size?: number | [number, number];
  /**
   * 'nearest' (the default) repeats each pixel; 'bilinear' blends the four nearest input pixels
   * with half-pixel centres, as Keras 3 (tf.image.resize) does. tfjs-layers 4.22 instead samples
   * output pixel i at i/size (TF1's resize_bilinear without half-pixel centres), so a tfjs model
   * with 'bilinear' loads here with the same weights but computes Keras' values, not tfjs' ones.
   */
  interpolation?: UpSamplingInterpolation;
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
}

/**
 * Repeats each row `size[0]` times and each column `size[1]` times (nearest neighbour), or with
 * `interpolation: 'bilinear'` resizes each image to `size` times its height and width as Keras 3
 * does: output row i samples input row (i + 0.5)/size[0] − 0.5, clamped to the image, and blends
 * its two neighbours (likewise for columns). Its gradient is the exact adjoint, each output
 * gradient spread over the four input pixels by the same weights.
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
  /** 'nearest' (repeat) or 'bilinear' (Keras 3's half-pixel resize). */
  readonly interpolation: UpSamplingInterpolation;
  /** Bilinear: the resize geometry from the input image to the upsampled one. */
  #resize: Omit<ResizeGeometry, 'batch'> | null = null;
  /** Pooling geometry over the upsampled image: one size[0]×size[1] window per input pixel. */
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;
  #outSize = 0;

  constructor(args: UpSampling2DArgs = {}, className = 'UpSampling2D', size?: [number, number]) {
    super(args, className, true);
    this.size = size ?? pairOf(args.size, 2, 'size', this.name);
    this.interpolation = args.interpolation ?? 'nearest';
    if (this.interpolation !== 'nearest' && this.interpolation !== 'bilinear') {
      throw new Error(`${className} layer '${this.name}': interpolation must be 'nearest' or 'bilinear'. Received: interpolation=${JSON.stringify(args.interpolation)}.`);
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
    this.#resize = resizeGeometry(h, w, channels, h * sh, w * sw, false);
    this.buildBody(inputShapes);
  }

  get #area(): number {
    return this.size[0] * this.size[1];
  }

  forward(ctx: ForwardContext): void {
    this.body.forward(ctx, 0, ({ backend, inputs, output, batch }) => {
      if (this.interpolation === 'bilinear') return backend.resize('bilinear', inputs[0], output, { ...this.#resize!, batch });
      backend.avgPoolGrad(inputs[0], output, { ...this.#geometry!, batch });
      if (this.#area !== 1) backend.scale(output, batch * this.#outSize, this.#area);
    });
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    this.body.backward(ctx, 0, ({ backend, outputGrad, inputGrads: [dx], batch }) => {
      if (this.interpolation === 'bilinear') return backend.resizeGrad('bilinear', outputGrad, dx, { ...this.#resize!, batch });
      backend.avgPool(outputGrad, dx, { ...this.#geometry!, batch });
      if (this.#area !== 1) backend.scale(dx, (batch * this.#outSize) / this.#area, this.#area);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, dataFormat: this.dataFormat, interpolation: this.interpolation };
  }
}

registerBuiltinLayer('UpSampling2D', (config) => new UpSampling2D(config as UpSampling2DArgs));

/** Repeats rows and columns (nearest neighbour), or resizes bilinearly as Keras 3. @example `km.layers.upSampling2d({ size: 2, interpolation: 'bilinear' })` */
export function upSampling2d(args?: UpSampling2DArgs): UpSampling2D {
  checkOptions(args, UP_SAMPLING2D_OPTIONS, 'km.layers.upSampling2d');
  return new UpSampling2D(args);
}
