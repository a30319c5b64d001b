import type { ResizeGeometry, WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import { outputSize, resizeGeometry } from './resizing.js';
import { paddingGeometry } from './zero_padding2d.js';
import { CENTER_CROP_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link CenterCrop}. */
export interface CenterCropArgs extends LayerArgs {
  /** Height of the output images. */
  height: number;
  /** Width of the output images. */
  width: number;
}

/**
 * Keras' preprocessing layer that keeps the central `height`×`width` window of each image; the
 * window starts floor((input − output) / 2) rows and columns in, as Keras places it. An image
 * smaller than the target in either dimension is resized instead, as Keras does: its largest
 * centred window with the target's aspect ratio, bilinearly. Cropping runs on Cropping2D's
 * kernels (col2im over a 1×1 window, im2col for the gradient).
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [32, 32, 3] });
 * km.layers.centerCrop({ height: 24, width: 24 }).apply(x).shape; // [24, 24, 3]
 * ```
 */
export class CenterCrop extends ImageLayer {
  readonly className = 'CenterCrop';
  readonly height: number;
  readonly width: number;
  #crop: Omit<WindowGeometry, 'batch'> | null = null;
  #resize: Omit<ResizeGeometry, 'batch'> | null = null;

  constructor(args: CenterCropArgs) {
    super(args, 'CenterCrop');
    const where = `CenterCrop layer '${this.name}'`;
    this.height = outputSize(args.height, 'height', where);
    this.width = outputSize(args.width, 'width', where);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [, , c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(this.height, this.width, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    if (h < this.height || w < this.width) {
      this.#resize = resizeGeometry(h, w, c, this.height, this.width, true);
      return;
    }
    const [top, left] = [Math.floor((h - this.height) / 2), Math.floor((w - this.width) / 2)];
    // The crop is the adjoint of padding the output back to the input's size.
    this.#crop = paddingGeometry(this.height, this.width, c, [[top, h - this.height - top], [left, w - this.width - left]]);
  }

  forward(ctx: ForwardContext): void {
    if (this.#resize) ctx.backend.resize('bilinear', ctx.inputs[0], ctx.output, { ...this.#resize, batch: ctx.batch });
    else ctx.backend.col2im(ctx.inputs[0], ctx.output, { ...this.#crop!, batch: ctx.batch });
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    if (this.#resize) ctx.backend.resizeGrad('bilinear', ctx.outputGrad, dx, { ...this.#resize, batch: ctx.batch });
    else ctx.backend.im2col(ctx.outputGrad, dx, { ...this.#crop!, batch: ctx.batch });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

registerBuiltinLayer('CenterCrop', (config) => new CenterCrop(config as unknown as CenterCropArgs));

/** Keeps the central `height`×`width` window of each image. @example `km.layers.centerCrop({ height: 24, width: 24 })` */
export function centerCrop(args: CenterCropArgs): CenterCrop {
  checkRequiredOptions(args, CENTER_CROP_OPTIONS, 'km.layers.centerCrop');
  return new CenterCrop(args);
}
