import type { BufferId } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import { LayerRandom } from './layer_random.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { ImageLayer } from './image_layer.js';

/** The option every random image layer takes. */
export interface RandomImageArgs extends LayerArgs {
  /** Seed of this layer's draws; by default they come from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
}

/**
 * The base of Keras' random image layers (RandomFlip, the geometric and colour augmentations,
 * RandomCrop): while training (`fit`) it draws parameters for each image of the batch into the
 * workspace and applies them; otherwise it passes the images through (RandomCrop resizes). The
 * backward pass undoes whichever the forward pass did.
 */
export abstract class RandomImageLayer extends ImageLayer {
  readonly seed: number | undefined;
  readonly #random: LayerRandom;
  /** The input image [height, width, channels], once built. */
  protected image: [number, number, number] = [0, 0, 0];
  /** Floats of drawn parameters per image. */
  protected abstract readonly drawSize: number;

  constructor(args: RandomImageArgs, className: string) {
    super(args, className);
    this.#random = new LayerRandom(args.seed, `${className} layer '${this.name}'`, this);
    this.seed = this.#random.seed;
  }

  override get trainingByDefault(): boolean {
    return true;
  }

  /** Whether one draw serves the whole batch (Keras' RandomCrop) rather than one per image. */
  protected readonly drawsPerBatch: boolean = false;
  /** One image's parameters, drawn from `random`. */
  protected abstract draw(random: Random): ArrayLike<number>;
  /**
   * The batch's parameters, `drawSize` floats per image: by default each image's own draw, or one
   * shared draw. A layer whose draws Keras takes batch-wide (a vector per parameter) overrides it.
   */
  protected drawBatch(random: Random, batch: number): Float32Array {
    const params = new Float32Array(this.drawSize * batch);
    const shared = this.drawsPerBatch ? this.draw(random) : null;
    for (let b = 0; b < batch; b++) params.set(shared ?? this.draw(random), this.drawSize * b);
    return params;
  }
  /** Applies the parameters drawn into `ctx.workspace` to the batch. */
  protected abstract applyDrawn(ctx: ForwardContext): void;
  /** The gradient of {@link applyDrawn} into `dx`. */
  protected abstract applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void;

  /** @internal The batch's parameters from `random`, for a layer that runs this one as a step of its own (RandomColorJitter). */
  drawStep(random: Random, batch: number): Float32Array {
    return this.drawBatch(random, batch);
  }

  /** @internal That step: the parameters in `ctx.workspace` applied to `ctx.inputs[0]`, into `ctx.output`. */
  applyStep(ctx: ForwardContext): void {
    this.applyDrawn(ctx);
  }

  /** @internal The step's gradient into `dx`. */
  applyStepGrad(ctx: BackwardContext, dx: BufferId): void {
    this.applyDrawnGrad(ctx, dx);
  }

  /** Whether this pass draws (while training); a call's forward and backward passes agree on it. */
  protected draws(ctx: ForwardContext): boolean {
    return ctx.training;
  }

  /** A pass that draws nothing: the identity. */
  protected passThrough(ctx: ForwardContext): void {
    ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * this.image.reduce((a, b) => a * b, 1));
  }

  /** The gradient of {@link passThrough} into `dx`. */
  protected passThroughGrad(ctx: BackwardContext, dx: BufferId): void {
    ctx.backend.copy(ctx.outputGrad, dx, ctx.batch * this.image.reduce((a, b) => a * b, 1));
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [h, w, c] = this.imageOf(singleInput(this, inputShapes));
    return this.shapeOf(h, w, c);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.image = this.imageOf(singleInput(this, inputShapes));
  }

  override workspaceSize(batch: number): number {
    return this.drawSize * batch;
  }

  forward(ctx: ForwardContext): void {
    if (!this.draws(ctx)) {
      this.passThrough(ctx);
      return;
    }
    const params = this.drawBatch(this.#random.generator, ctx.batch);
    // Into a view: a layer may keep more than its draws in the workspace, and a tfjs write replaces the whole buffer.
    ctx.backend.write(ctx.backend.view(ctx.workspace, 0, params.length), params);
    this.applyDrawn(ctx);
  }

  backward(ctx: BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    if (this.draws(ctx)) this.applyDrawnGrad(ctx, dx);
    else this.passThroughGrad(ctx, dx);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed ?? null };
  }
}
