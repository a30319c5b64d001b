import type { WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';
import { shapeInFormat } from './channel_axis.js';
import type { DataFormat } from './window.js';
import { checkBooleanOption } from '../utils/options.js';
import { checkOptions } from '../utils/options.js';
import { GLOBAL_POOLING2D_OPTIONS } from './layer_options.js';
import { AVERAGE_POOL, MAX_POOL, windowBackward, windowForward, type WindowKernel } from './window_kernels.js';

/** Options of {@link GlobalAveragePooling2D} and {@link GlobalMaxPooling2D}. */
export interface GlobalPooling2DArgs extends LayerArgs {
  /** 'channelsLast' (the default: `[height, width, channels]`) or 'channelsFirst' (`[channels, height, width]`). */
  dataFormat?: DataFormat;
  /** Keras 3's option: keep the pooled axes as size 1 (`[h, w, c]` to `[1, 1, c]`) instead of dropping them. Default false. */
  keepdims?: boolean;
}

/** Checks the keepdims option of a global pooling layer; `where` names the layer. */
export function keepdimsOf(value: unknown, where: string): boolean {
  return value === undefined || value === null ? false : checkBooleanOption(value, 'keepdims', where);
}

/** The keepdims entry of a global pooling layer's config: none unless set, as tfjs-layers 4.22 has no such option and reads the files without it. */
export function keepdimsConfig(keepdims: boolean): { keepdims?: true } {
  return keepdims ? { keepdims: true } : {};
}

/**
 * A global pooling's output shape: the channels, with every pooled axis kept as size 1 when
 * `keepdims` is set. Both layouts are the same `c` floats per sample, so the kernels do not change.
 */
export function globallyPooledShape(input: Shape, keepdims: boolean): Shape {
  const channels = input[input.length - 1];
  return keepdims ? [...input.slice(0, -1).map(() => 1), channels] : [channels];
}

/**
 * Pooling over the whole image, `[h, w, c]` to `[c]`. It is the pooling kernel with one window the
 * size of the image: a `[1, 1, c]` output is laid out exactly like `[c]`, so no new kernel is needed.
 */
abstract class GlobalPooling2D extends ImageLayer {
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;
  readonly keepdims: boolean;
  readonly #kernel: WindowKernel;

  constructor(args: GlobalPooling2DArgs, className: string, kernel: WindowKernel) {
    super(args, className, true);
    this.#kernel = kernel;
    this.keepdims = keepdimsOf(args.keepdims, `${className} layer '${this.name}'`);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    // Throws, naming the layer, on an input that is not an image (volume, sequence) of its kind.
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    const pooled = globallyPooledShape(this.sampleShape(h, w, c), this.keepdims);
    return shapeInFormat(this.dataFormat, pooled);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.buildBody(inputShapes);
    const [inH, inW, channels] = this.imageOf(singleInput(this, inputShapes));
    this.#geometry = {
      inH, inW, channels, kH: inH, kW: inW, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, outH: 1, outW: 1,
    };
  }

  protected geometry(batch: number): WindowGeometry {
    return { ...this.#geometry!, batch };
  }

  forward(ctx: ForwardContext): void {
    windowForward(this.#kernel, this.body, ctx, this.#geometry!);
  }

  backward(ctx: BackwardContext): void {
    windowBackward(this.#kernel, this.body, ctx, this.#geometry!);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, ...keepdimsConfig(this.keepdims) };
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
    super(args, className, AVERAGE_POOL);
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
    super(args, className, MAX_POOL);
  }
}

registerBuiltinLayer('GlobalAveragePooling2D', (config) => new GlobalAveragePooling2D(config as GlobalPooling2DArgs));
registerBuiltinLayer('GlobalMaxPooling2D', (config) => new GlobalMaxPooling2D(config as GlobalPooling2DArgs));

/** Mean of each channel over the image, [h, w, c] to [c]. @example `km.layers.globalAveragePooling2d()` */
export function globalAveragePooling2d(args?: GlobalPooling2DArgs): GlobalAveragePooling2D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalAveragePooling2d');
  return new GlobalAveragePooling2D(args);
}

/** Maximum of each channel over the image, [h, w, c] to [c]. @example `km.layers.globalMaxPooling2d()` */
export function globalMaxPooling2d(args?: GlobalPooling2DArgs): GlobalMaxPooling2D {
  checkOptions(args, GLOBAL_POOLING2D_OPTIONS, 'km.layers.globalMaxPooling2d');
  return new GlobalMaxPooling2D(args);
}

/** tfjs' name for {@link globalMaxPooling2d}. */
export const globalMaxPool2d = globalMaxPooling2d;
