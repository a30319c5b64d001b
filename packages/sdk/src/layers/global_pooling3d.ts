import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import type { DataFormat, SampleGeometry } from './window.js';
import { shapeInFormat } from './channel_axis.js';
import { VolumeLayer, wholeVolumeGeometry } from './volume.js';
import { globallyPooledShape, keepdimsConfig, keepdimsOf } from './global_pooling2d.js';
import { checkOptions } from '../utils/options.js';
import { GLOBAL_POOLING3D_OPTIONS } from './layer_options.js';
import { AVERAGE_POOL, MAX_POOL, windowBackward, windowForward, type WindowKernel } from './window_kernels.js';

/** Options of {@link GlobalAveragePooling3D} and {@link GlobalMaxPooling3D}. */
export interface GlobalPooling3DArgs extends LayerArgs {
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
  /** Keras 3's option: keep the pooled axes as size 1 (`[d, h, w, c]` to `[1, 1, 1, c]`). Default false. */
  keepdims?: boolean;
}

/** Pooling over the whole volume, `[d, h, w, c]` to `[c]`: the pooling kernel with one window the size of the volume. */
abstract class GlobalPooling3D extends VolumeLayer {
  #geometry: SampleGeometry | null = null;
  readonly keepdims: boolean;
  readonly #kernel: WindowKernel;

  constructor(args: GlobalPooling3DArgs, className: string, kernel: WindowKernel) {
    super(args, className);
    this.#kernel = kernel;
    this.keepdims = keepdimsOf(args.keepdims, `${className} layer '${this.name}'`);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    // Throws, naming the layer, on an input that is not a volume.
    const volume = this.volumeOf(singleInput(this, inputShapes));
    return shapeInFormat(this.dataFormat, globallyPooledShape(volume, this.keepdims));
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#geometry = wholeVolumeGeometry(this.volumeOf(singleInput(this, inputShapes)));
    this.buildBody(inputShapes);
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
 * The mean of each channel over the volume.
 *
 * @example
 * ```ts
 * km.layers.globalAveragePooling3d().apply(km.input({ shape: [4, 7, 7, 32] })).shape; // [32]
 * ```
 */
export class GlobalAveragePooling3D extends GlobalPooling3D {
  readonly className: string = 'GlobalAveragePooling3D';

  constructor(args: GlobalPooling3DArgs = {}) {
    super(args, 'GlobalAveragePooling3D', AVERAGE_POOL);
  }
}

/**
 * The maximum of each channel over the volume; the gradient goes to its first maximum.
 *
 * @example
 * ```ts
 * km.layers.globalMaxPooling3d().apply(km.input({ shape: [4, 7, 7, 32] })).shape; // [32]
 * ```
 */
export class GlobalMaxPooling3D extends GlobalPooling3D {
  readonly className: string = 'GlobalMaxPooling3D';

  constructor(args: GlobalPooling3DArgs = {}) {
    super(args, 'GlobalMaxPooling3D', MAX_POOL);
  }
}

registerBuiltinLayer('GlobalAveragePooling3D', (config) => new GlobalAveragePooling3D(config as GlobalPooling3DArgs));
registerBuiltinLayer('GlobalMaxPooling3D', (config) => new GlobalMaxPooling3D(config as GlobalPooling3DArgs));

/** Maximum of each channel over the volume, [d, h, w, c] to [c]. @example `km.layers.globalMaxPooling3d()` */
export function globalMaxPooling3d(args?: GlobalPooling3DArgs): GlobalMaxPooling3D {
  checkOptions(args, GLOBAL_POOLING3D_OPTIONS, 'km.layers.globalMaxPooling3d');
  return new GlobalMaxPooling3D(args);
}

/** Mean of each channel over the volume, [d, h, w, c] to [c]. @example `km.layers.globalAveragePooling3d()` */
export function globalAveragePooling3d(args?: GlobalPooling3DArgs): GlobalAveragePooling3D {
  checkOptions(args, GLOBAL_POOLING3D_OPTIONS, 'km.layers.globalAveragePooling3d');
  return new GlobalAveragePooling3D(args);
}
