import type { BufferId } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { checkOptions } from '../utils/options.js';
import { RANDOM_FLIP_OPTIONS } from './layer_options.js';

/** Which flips {@link RandomFlip} draws, by Keras' names. */
export type RandomFlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/** Options of {@link RandomFlip}, with Keras' defaults. */
export interface RandomFlipArgs extends RandomImageArgs {
  /** 'horizontal_and_vertical' (default) draws each flip independently. */
  mode?: RandomFlipMode;
}

const MODES: readonly RandomFlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

/**
 * Keras' augmentation layer that mirrors each image left-right and/or top-bottom with probability
 * 1/2 while training (`fit`), drawing afresh every batch; in predict and evaluate it passes images
 * through. Its gradient flips back the way the image was flipped.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.randomFlip({ mode: 'horizontal', inputShape: [32, 32, 3] }),
 *   km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
 * ]);
 * ```
 */
export class RandomFlip extends RandomImageLayer {
  readonly className = 'RandomFlip';
  readonly mode: RandomFlipMode;
  /** One float of flags per image: bit 0 flips left-right, bit 1 top-bottom. */
  protected readonly drawSize = 1;

  constructor(args: RandomFlipArgs = {}) {
    super(args, 'RandomFlip');
    this.mode = args.mode ?? 'horizontal_and_vertical';
    if (!MODES.includes(this.mode)) {
      throw new Error(`RandomFlip layer '${this.name}': mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical'. Received: mode=${JSON.stringify(args.mode)}.`);
    }
  }

  protected draw(random: Random): number[] {
    return [(this.mode !== 'vertical' && random.next() < 0.5 ? 1 : 0) + (this.mode !== 'horizontal' && random.next() < 0.5 ? 2 : 0)];
  }

  protected applyDrawn(ctx: ForwardContext): void {
    ctx.backend.flipImages(ctx.inputs[0], ctx.output, ctx.workspace, ctx.batch, ...this.image);
  }

  // A flip is its own inverse.
  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.flipImages(ctx.outputGrad, dx, ctx.workspace, ctx.batch, ...this.image);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode };
  }
}

registerBuiltinLayer('RandomFlip', (config) => new RandomFlip(config as RandomFlipArgs));

/** Mirrors images at random while training. @example `km.layers.randomFlip({ mode: 'horizontal' })` */
export function randomFlip(args?: RandomFlipArgs): RandomFlip {
  checkOptions(args, RANDOM_FLIP_OPTIONS, 'km.layers.randomFlip');
  return new RandomFlip(args);
}
