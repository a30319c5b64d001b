import type { WindowGeometry } from '../backend/backend.js';
import { singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { checkChannelsLast } from './window.js';
import { tripleOf, VolumeLayer, type Triple } from './volume.js';

/** Options of {@link UpSampling3D}. */
export interface UpSampling3DArgs extends LayerArgs {
  /** How many times to repeat each plane, row and column (default 2). */
  size?: number | Triple;
  dataFormat?: 'channelsLast';
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
    checkChannelsLast(args.dataFormat, this.name, 'NDHWC');
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [d, h, w, c] = this.volumeOf(singleInput(this, inputShapes));
    return [d * this.size[0], h * this.size[1], w * this.size[2], c];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const [d, h, w, channels] = this.volumeOf(singleInput(this, inputShapes));
    const [sd, sh, sw] = this.size;
    this.#geometry = {
      inD: d * sd, inH: h * sh, inW: w * sw, channels, kD: sd, kH: sh, kW: sw, strideD: sd, strideH: sh, strideW: sw,
      dilationD: 1, dilationH: 1, dilationW: 1, padFront: 0, padTop: 0, padLeft: 0, outD: d, outH: h, outW: w,
    };
    this.#outSize = d * sd * h * sh * w * sw * channels;
  }

  get #volume(): number {
    return this.size[0] * this.size[1] * this.size[2];
  }

  forward(ctx: ForwardContext): void {
    ctx.backend.avgPoolGrad(ctx.inputs[0], ctx.output, { ...this.#geometry!, batch: ctx.batch });
    if (this.#volume !== 1) ctx.backend.scale(ctx.output, ctx.batch * this.#outSize, this.#volume);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    ctx.backend.avgPool(ctx.outputGrad, dx, { ...this.#geometry!, batch: ctx.batch });
    if (this.#volume !== 1) ctx.backend.scale(dx, (ctx.batch * this.#outSize) / this.#volume, this.#volume);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, dataFormat: 'channelsLast' };
  }
}

registerLayer('UpSampling3D', (config) => new UpSampling3D(config as UpSampling3DArgs));
