import type { WindowGeometry } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import type { DataFormat } from './window.js';
import { tripleOf, VolumeLayer, type Triple } from './volume.js';
import { checkOptions } from '../utils/options.js';
import { UP_SAMPLING3D_OPTIONS } from './layer_options.js';

/** Options of {@link UpSampling3D}. */
export interface UpSampling3DArgs extends LayerArgs {
  /** How many times to repeat each plane, row and column (default 2). */
  size?: number | Triple;
  /** 'channelsLast' (the default: `[depth, height, width, channels]`) or 'channelsFirst' (`[channels, depth, height, width]`). */
  dataFormat?: DataFormat;
}

/**
 * Repeats each plane `size[0]` times, each row `size[1]` times and each column `size[2]` times.
 * As in UpSampling2D, nearest upsampling is the adjoint of sum pooling over `size` windows: the
 * forward pass is the average-pooling gradient and the backward pass average pooling, each scaled
 * by the window volume.
 *
 * @example
 * ```ts
 * km.layers.upSampling3d({ size: [1, 2, 2] }).apply(km.input({ shape: [4, 7, 7, 16] })).shape; // [4, 14, 14, 16]
 * ```
 */
export class UpSampling3D extends VolumeLayer {
  readonly className: string = 'UpSampling3D';
  readonly size: Triple;
  /** Pooling geometry over the upsampled volume: one window per input voxel. */
  #geometry: Omit<WindowGeometry, 'batch'> | null = null;
  #outSize = 0;

  constructor(args: UpSampling3DArgs = {}) {
    super(args, 'UpSampling3D');
    this.size = tripleOf(args.size, 2, 'size', `UpSampling3D layer '${this.name}'`);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [d, h, w, c] = this.volumeOf(singleInput(this, inputShapes));
    return this.shapeOf(d * this.size[0], h * this.size[1], w * this.size[2], c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [d, h, w, channels] = this.volumeOf(singleInput(this, inputShapes));
    const [sd, sh, sw] = this.size;
    this.#geometry = {
      inD: d * sd, inH: h * sh, inW: w * sw, channels, kD: sd, kH: sh, kW: sw, strideD: sd, strideH: sh, strideW: sw,
      dilationD: 1, dilationH: 1, dilationW: 1, padFront: 0, padTop: 0, padLeft: 0, outD: d, outH: h, outW: w,
    };
    this.#outSize = d * sd * h * sh * w * sw * channels;
    this.buildBody(inputShapes);
  }

  get #volume(): number {
    return this.size[0] * this.size[1] * this.size[2];
  }

  forward(ctx: ForwardContext): void {
    this.body.forward(ctx, 0, ({ backend, inputs, output, batch }) => {
      backend.avgPoolGrad(inputs[0], output, { ...this.#geometry!, batch });
      if (this.#volume !== 1) backend.scale(output, batch * this.#outSize, this.#volume);
    });
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    this.body.backward(ctx, 0, ({ backend, outputGrad, inputGrads: [dx], batch }) => {
      backend.avgPool(outputGrad, dx, { ...this.#geometry!, batch });
      if (this.#volume !== 1) backend.scale(dx, (batch * this.#outSize) / this.#volume, this.#volume);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, dataFormat: this.dataFormat };
  }
}

registerBuiltinLayer('UpSampling3D', (config) => new UpSampling3D(config as UpSampling3DArgs));

/** Repeats each plane, row and column (Keras' UpSampling3D). @example `km.layers.upSampling3d({ size: 2 })` */
export function upSampling3d(args?: UpSampling3DArgs): UpSampling3D {
  checkOptions(args, UP_SAMPLING3D_OPTIONS, 'km.layers.upSampling3d');
  return new UpSampling3D(args);
}
