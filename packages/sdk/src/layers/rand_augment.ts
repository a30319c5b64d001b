import type { BufferId, ResizeInterpolation } from '../backend/backend.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Random } from '../utils/random.js';
import { augmentOps, buildAugmentOps, policyFactorRange, policyInterpolation, type AugmentOpName } from './augment_ops.js';
import { valueRangeOf } from './color_options.js';
import { applyStepChain, applyStepChainGrad, type ImageStep, type StepChainBuffers } from './image_step.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { LAYER } from './layer_options.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link RandAugment}, with Keras 3's defaults. */
export interface RandAugmentArgs extends RandomImageArgs {
  /** [low, high] of the pixel values (default [0, 255]), for the colour ops. */
  valueRange?: readonly [number, number];
  /** How many ops run on each batch, one after another (default 2); each is drawn from all 11, so one may come twice. 0 passes images through. */
  numOps?: number;
  /**
   * The ops' strength (default 0.5): f in [0, 1] stands for the range [0, f], a [lower, upper] pair
   * within [0, 1] for itself. Each op but posterization draws its magnitude per image from this
   * range, read as that layer reads a factor; posterization keeps from 1 to max(1, ⌊8·upper⌋ − 1) bits.
   */
  factor?: number | readonly [number, number];
  /** How shear, translation and rotation sample: 'bilinear' (default) or 'nearest'. */
  interpolation?: ResizeInterpolation;
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Keras' ops in its order: the order of the drawn indices and of the draws. */
const OPS: readonly AugmentOpName[] = [
  'random_shear', 'random_translation', 'random_rotation', 'random_brightness', 'random_color_degeneration', 'random_contrast',
  'random_sharpness', 'random_posterization', 'solarization', 'auto_contrast', 'equalization',
];

/** The names of RandAugment's ops, in Keras' order: index k of a draw picks `RAND_AUGMENT_OPS[k]`. */
export const RAND_AUGMENT_OPS: readonly string[] = OPS;

/**
 * Keras 3's RandAugment: while training, `numOps` ops are drawn for each batch, uniformly and
 * independently from Keras' 11 (shear, translation, rotation, brightness, colour degeneration,
 * contrast, sharpness, posterization, solarization, auto-contrast, equalization), so an op may come
 * twice, and run in the drawn order on every image of the batch, each with its own layer's
 * per-image draws and kernels. As in Keras' code, the op indices are drawn first, then every op's
 * draws in Keras' order (those of ops not chosen too), all from this layer's one generator; an op
 * that comes twice runs twice with the same draws. Predict and evaluate pass images through.
 *
 * `factor` f gives each op the range [0, f] as its factor: shear by up to f of the other axis
 * (random sign), translation down and right by up to f of the size, rotation counter-clockwise by
 * up to f·360°, brightness up by up to f of the value range, degeneration toward grey by up to f,
 * contrast ×[1, 1 + f], sharpness weight in [0, f] (below 0.5: a blur), solarization addition and
 * threshold up to f·255 (in [0, 255] units); posterization keeps from 1 to max(1, ⌊8f⌋ − 1) bits.
 * Needs RGB images (colour degeneration does).
 *
 * Gradients follow the ops a batch ran, in reverse: through the geometric sampling, brightness,
 * contrast, degeneration, sharpness, solarization and auto-contrast; posterization and
 * equalization pass none (0), as those layers do, so a batch that ran either passes 0 back.
 * Scratch memory: each of the numOps slots keeps room for the largest op's workspace (sharpness's,
 * about 11 batches of images), about 12·numOps times the batch's size in all.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.randAugment({ valueRange: [0, 1], numOps: 2, factor: 0.3, seed: 1, inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class RandAugment extends RandomImageLayer {
  readonly className = 'RandAugment';
  readonly valueRange: [number, number];
  readonly numOps: number;
  /** The [lower, upper] range each op's factor is, as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly interpolation: ResizeInterpolation;
  readonly #ops: ImageStep[];
  /** Unused: the ops draw, in {@link drawBatch}. */
  protected readonly drawSize = 0;
  /** The last draw, from drawBatch to the applyDrawn of the same forward pass. */
  #drawn: { chosen: number[]; params: Float32Array[] } | null = null;
  /** The ops each workspace's forward pass ran, for its backward pass (a shared layer has a workspace per call). */
  readonly #ranIn = new Map<BufferId, number[]>();

  constructor(args: RandAugmentArgs = {}) {
    super(args, 'RandAugment');
    const where = `RandAugment layer '${this.name}'`;
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
    const numOps = args.numOps ?? 2;
    if (!Number.isInteger(numOps) || numOps < 0) {
      throw new Error(`${where}: numOps must be a whole number of ops to run on each batch, 0 or more, e.g. numOps: 2 (Keras' default). Received: numOps=${JSON.stringify(args.numOps)}.`);
    }
    this.numOps = numOps;
    this.factor = policyFactorRange(args.factor ?? 0.5, where, 0.5);
    this.interpolation = policyInterpolation(args.interpolation, where);
    this.#ops = augmentOps(OPS, { range: this.factor, valueRange: this.valueRange, interpolation: this.interpolation }, this.name);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    buildAugmentOps(this.#ops, inputShapes, `RandAugment layer '${this.name}'`);
  }

  #size(batch: number): number {
    return batch * this.image[0] * this.image[1] * this.image[2];
  }

  /** Room for any op's workspace: one per slot, so that an op drawn twice keeps both passes' scratch. */
  #slotSize(batch: number): number {
    return Math.max(...this.#ops.map((op) => op.workspaceSize(batch)));
  }

  /** The workspace: the drawn op indices, a slot per op run, the images between ops, then a gradient between ops. */
  override workspaceSize(batch: number): number {
    const images = this.numOps > 1 ? this.numOps * this.#size(batch) : 0;
    return this.numOps * (1 + this.#slotSize(batch)) + images;
  }

  protected override draws(ctx: ForwardContext): boolean {
    return ctx.training && this.numOps > 0;
  }

  /** Keras' order: the op indices, then every op's draws, chosen or not. Returns the indices, which the workspace starts with. */
  protected override drawBatch(random: Random, batch: number): Float32Array {
    const chosen = Array.from({ length: this.numOps }, () => Math.floor(random.next() * this.#ops.length));
    this.#drawn = { chosen, params: this.#ops.map((op) => op.draw(random, batch)) };
    return Float32Array.from(chosen);
  }

  protected draw(): number[] {
    return [];
  }

  #slot(ctx: ForwardContext, i: number): BufferId {
    const size = this.#slotSize(ctx.batch);
    return ctx.backend.view(ctx.workspace, this.numOps + i * size, size);
  }

  /** The image after op i (i below the last), or the gradient scratch (i = numOps − 1). */
  #between(ctx: ForwardContext, i: number): BufferId {
    const size = this.#size(ctx.batch);
    return ctx.backend.view(ctx.workspace, this.numOps * (1 + this.#slotSize(ctx.batch)) + i * size, size);
  }

  /** Where the ops of a pass run: a slot each, the images between them, the last writing `output`. */
  #chain(ctx: ForwardContext, output: BufferId): StepChainBuffers {
    const last = this.numOps - 1;
    return {
      workspaces: Array.from({ length: this.numOps }, (_, i) => this.#slot(ctx, i)),
      outputs: Array.from({ length: this.numOps }, (_, i) => (i === last ? output : this.#between(ctx, i))),
    };
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const drawn = this.#drawn;
    if (!drawn) throw new Error(`kerasm internal error: RandAugment layer '${this.name}' applies ops it has not drawn.`);
    this.#drawn = null;
    this.#ranIn.set(ctx.workspace, drawn.chosen);
    drawn.chosen.forEach((k, i) => {
      const params = drawn.params[k];
      if (params.length > 0) ctx.backend.write(ctx.backend.view(this.#slot(ctx, i), 0, params.length), params);
    });
    applyStepChain(ctx, drawn.chosen.map((k) => this.#ops[k]), ctx.inputs[0], this.#chain(ctx, ctx.output));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const chosen = this.#ranIn.get(ctx.workspace);
    if (!chosen) throw new Error(`kerasm internal error: RandAugment layer '${this.name}' has no forward pass to take the gradient of.`);
    const scratch = this.numOps > 1 ? this.#between(ctx, this.numOps - 1) : dx;
    applyStepChainGrad(ctx, chosen.map((k) => this.#ops[k]), ctx.inputs[0], this.#chain(ctx, ctx.output), ctx.outputGrad, dx, scratch);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: this.valueRange,
      numOps: this.numOps,
      factor: this.factor,
      interpolation: this.interpolation,
    };
  }
}

registerBuiltinLayer('RandAugment', (config) => new RandAugment(config as unknown as RandAugmentArgs));

const RAND_AUGMENT_OPTIONS = optionNames<RandAugmentArgs>({
  ...LAYER, valueRange: true, numOps: true, factor: true, interpolation: true, seed: true, dataFormat: true,
});

/** Runs `numOps` ops drawn per batch from Keras' 11 while training, as Keras 3's RandAugment. @example `km.layers.randAugment({ valueRange: [0, 1], numOps: 2, factor: 0.3 })` */
export function randAugment(args?: RandAugmentArgs): RandAugment {
  checkOptions(args, RAND_AUGMENT_OPTIONS, 'km.layers.randAugment');
  return new RandAugment(args);
}
