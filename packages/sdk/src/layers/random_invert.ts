import type { BufferId } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import { unitFactorRange, valueRangeOf } from './color_options.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { RANDOM_INVERT_OPTIONS } from './layer_options.js';

/** Options of {@link RandomInvert}, with Keras' defaults. */
export interface RandomInvertArgs extends RandomImageArgs {
  /**
   * Bounds of each image's inversion probability p, drawn per image (default 1, the range [0, 1]):
   * f in [0, 1] draws p in [0, f], [lower, upper] in that range; the image is inverted when a
   * second uniform draw falls below p.
   */
  factor?: number | readonly [number, number];
  /** [low, high] of the pixel values (default [0, 255]); an inverted pixel becomes high − x. */
  valueRange?: readonly [number, number];
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Keras 3's RandomInvert: while training each image is inverted, x → high − x with `high` the top
 * of `valueRange`, with a probability itself drawn per image from `factor`'s range; predict and
 * evaluate pass images through.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randomInvert({ factor: 0.3, valueRange: [0, 1], inputShape: [28, 28, 1] }),
 * ]);
 * ```
 */
export class RandomInvert extends RandomImageLayer {
  readonly className = 'RandomInvert';
  /** The probability range [lower, upper], as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  /** Each image's (scale, shift): (−1, high) to invert it, (1, 0) to keep it. */
  protected readonly drawSize = 2;

  constructor(args: RandomInvertArgs = {}) {
    super(args, 'RandomInvert');
    const where = `RandomInvert layer '${this.name}'`;
    this.factor = unitFactorRange(args.factor ?? 1, 'factor', where);
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
  }

  protected draw(random: Random): [number, number] {
    const p = random.uniform(...this.factor);
    return random.next() < p ? [-1, this.valueRange[1]] : [1, 0];
  }

  #size(): number {
    return this.image.reduce((a, b) => a * b, 1);
  }

  // After the drawn (scale, shift) pairs: the scales, then the shifts, each contiguous, then a row of ones.
  override workspaceSize(batch: number): number {
    return 4 * batch + this.#size();
  }

  #scales(ctx: ForwardContext): BufferId {
    return ctx.backend.view(ctx.workspace, 2 * ctx.batch, ctx.batch);
  }

  // y = scale·x + shift per image as two products the backends have: each image times its 1×1
  // scale, then the shifts (a column) times a row of ones added on.
  protected applyDrawn(ctx: ForwardContext): void {
    const { backend, batch, workspace } = ctx;
    const size = this.#size();
    const scales = this.#scales(ctx);
    const shifts = backend.view(workspace, 3 * batch, batch);
    const ones = backend.view(workspace, 4 * batch, size);
    backend.copyRows(workspace, 2, scales, 1, batch, 1);
    backend.copyRows(backend.view(workspace, 1, 2 * batch), 2, shifts, 1, batch, 1);
    backend.fill(ones, size, 1);
    backend.batchMatMul(scales, ctx.inputs[0], ctx.output, batch, 1, size, 1, false, false, false);
    backend.matMul(shifts, ones, ctx.output, batch, size, 1, false, false, true);
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.batchMatMul(this.#scales(ctx), ctx.outputGrad, dx, ctx.batch, 1, this.#size(), 1, false, false, false);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}

registerBuiltinLayer('RandomInvert', (config) => new RandomInvert(config as unknown as RandomInvertArgs));

/** Inverts images (x → high − x) at random while training, as Keras 3's RandomInvert. @example `km.layers.randomInvert({ factor: 0.5, valueRange: [0, 1] })` */
export function randomInvert(args?: RandomInvertArgs): RandomInvert {
  checkOptions(args, RANDOM_INVERT_OPTIONS, 'km.layers.randomInvert');
  return new RandomInvert(args);
}
