import { globalGenerator, Random } from '../utils/random.js';
import { singleInput, type BackwardContext, type ForwardContext, type LayerArgs, type Shape } from './layer.js';
import { registerLayer } from './registry.js';
import { ImageLayer } from './image_layer.js';

/** Which flips {@link RandomFlip} draws, by Keras' names. */
export type RandomFlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/** Options of {@link RandomFlip}, with Keras' defaults. */
export interface RandomFlipArgs extends LayerArgs {
  /** 'horizontal_and_vertical' (default) draws each flip independently. */
  mode?: RandomFlipMode;
  /** Seed of this layer's draws; by default they come from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
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
export class RandomFlip extends ImageLayer {
  readonly className = 'RandomFlip';
  readonly mode: RandomFlipMode;
  readonly seed: number | undefined;
  readonly #random: Random | null;
  #image: [number, number, number] = [0, 0, 0];
  /** Whether the last forward pass flipped (training), so that backward mirrors the gradient. */
  #flipped = false;

  constructor(args: RandomFlipArgs = {}) {
    super(args, 'RandomFlip');
    this.mode = args.mode ?? 'horizontal_and_vertical';
    if (!MODES.includes(this.mode)) {
      throw new Error(`RandomFlip layer '${this.name}': mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical'. Received: mode=${JSON.stringify(args.mode)}.`);
    }
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) {
      throw new Error(`RandomFlip layer '${this.name}': seed must be an integer or null. Received: seed=${JSON.stringify(args.seed)}.`);
    }
    this.seed = args.seed ?? undefined;
    this.#random = this.seed === undefined ? null : new Random(this.seed);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(h, w, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#image = this.imageOf(singleInput(this, inputShapes));
  }

  /** One float of flags per sample: bit 0 flips left-right, bit 1 top-bottom. */
  override workspaceSize(batch: number): number {
    return batch;
  }

  forward(ctx: ForwardContext): void {
    const [h, w, c] = this.#image;
    this.#flipped = ctx.training;
    if (!ctx.training) {
      ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * h * w * c);
      return;
    }
    const random = this.#random ?? globalGenerator();
    const horizontal = this.mode !== 'vertical';
    const vertical = this.mode !== 'horizontal';
    const flags = Float32Array.from({ length: ctx.batch }, () => (horizontal && random.next() < 0.5 ? 1 : 0) + (vertical && random.next() < 0.5 ? 2 : 0));
    ctx.backend.write(ctx.workspace, flags);
    ctx.backend.flipImages(ctx.inputs[0], ctx.output, ctx.workspace, ctx.batch, h, w, c);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const [h, w, c] = this.#image;
    if (this.#flipped) ctx.backend.flipImages(ctx.outputGrad, dx, ctx.workspace, ctx.batch, h, w, c);
    else ctx.backend.copy(ctx.outputGrad, dx, ctx.batch * h * w * c);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode, seed: this.seed ?? null };
  }
}

registerLayer('RandomFlip', (config) => new RandomFlip(config as RandomFlipArgs));
