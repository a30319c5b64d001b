import type { BufferId, ColorAdjustment, ResizeInterpolation } from '../backend/backend.js';
import { checkOptions, optionNames } from '../utils/options.js';
import type { Random } from '../utils/random.js';
import { augmentOps, buildAugmentOps, policyFactorRange, policyInterpolation, type AugmentOpName } from './augment_ops.js';
import { valueRangeOf } from './color_options.js';
import { applyStepChain, applyStepChainGrad, type ImageStep, type StepChainBuffers } from './image_step.js';
import type { BackwardContext, ForwardContext, Shape } from './layer.js';
import { LAYER } from './layer_options.js';
import { RandomImageLayer, type RandomImageArgs } from './random_image_layer.js';
import { registerBuiltinLayer } from './registry.js';

/** Options of {@link AugMix}, with Keras 3's defaults. */
export interface AugMixArgs extends RandomImageArgs {
  /** [low, high] of the pixel values (default [0, 255]), for the colour ops and the final clip. */
  valueRange?: readonly [number, number];
  /** How many chains are mixed (default 3), a positive integer. */
  numChains?: number;
  /** The op slots of each chain (default 3), each left empty with probability 1/(ops + 1). */
  chainDepth?: number;
  /** The ops' strength (default 0.3): f in [0, 1] stands for [0, f], a pair within [0, 1] for itself; read as RandAugment reads it. */
  factor?: number | readonly [number, number];
  /** α of the Dirichlet chain weights and of the Beta(α, α) weight of the original image (default 1), a positive number. */
  alpha?: number;
  /** Whether brightness, colour degeneration, contrast and sharpness join the 7 other ops (default true). */
  allOps?: boolean;
  /** How shear, translation and rotation sample: 'bilinear' (default) or 'nearest'. */
  interpolation?: ResizeInterpolation;
  /** Keras' data_format: kerasm's augmentation layers take 'channelsLast' only. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Keras' AUGMENT_LAYERS_ALL, in its order; the first 7 are its AUGMENT_LAYERS (allOps false). */
const ALL_OPS: readonly AugmentOpName[] = [
  'random_shear', 'random_translation', 'random_rotation', 'random_posterization', 'solarization', 'auto_contrast', 'equalization',
  'random_brightness', 'random_color_degeneration', 'random_contrast', 'random_sharpness',
];

/** The ops AugMix draws from, in Keras' order: index k of a draw picks `augMixOps(allOps)[k]`, and k = length leaves the slot empty. */
export function augMixOps(allOps: boolean): readonly AugmentOpName[] {
  return allOps ? ALL_OPS : ALL_OPS.slice(0, 7);
}

/** One batch's draws: the ops of each chain (indices into the op list) and their draws. */
interface Drawn { chains: number[][]; params: Float32Array[][] }

/**
 * Keras 3's AugMix: while training, each batch runs through `numChains` chains of up to
 * `chainDepth` ops and is mixed as clip(m·x + (1 − m)·Σ wᵢ·chainᵢ(x), valueRange), with the chain
 * weights w drawn from a Dirichlet(α) and m from a Beta(α, α), once per batch. Per batch, as in
 * Keras' code: the Dirichlet weights, then m, then for each chain and each of its slots an op or
 * nothing (uniformly among the ops and "nothing"), each chosen op's per-image draws right after
 * its choice, all from this layer's one generator. The ops are RandAugment's (with `allOps`
 * false, shear, translation, rotation, posterization, solarization, auto-contrast and
 * equalization only), each given `factor` as RandAugment gives it. Predict and evaluate pass
 * images through. Needs RGB images when `allOps` is true (colour degeneration does).
 *
 * Gradients flow through the mix, the clip and each chain's ops in reverse; posterization and
 * equalization pass none (0) back along their chain.
 *
 * Scratch memory: every op slot keeps room for the largest op's workspace (sharpness's, about 11
 * batches of images) until the backward pass, so a batch takes about numChains·chainDepth·12 + 5
 * times its own size: mind it with large images.
 *
 * @example
 * ```ts
 * const augment = km.sequential([
 *   km.layers.augMix({ valueRange: [0, 1], numChains: 3, chainDepth: 3, factor: 0.3, seed: 1, inputShape: [32, 32, 3] }),
 * ]);
 * ```
 */
export class AugMix extends RandomImageLayer {
  readonly className = 'AugMix';
  readonly valueRange: [number, number];
  readonly numChains: number;
  readonly chainDepth: number;
  /** The [lower, upper] range each op's factor is, as Keras keeps and saves it. */
  readonly factor: [number, number];
  readonly alpha: number;
  readonly allOps: boolean;
  readonly interpolation: ResizeInterpolation;
  readonly #ops: ImageStep[];
  /** Unused: the mix and the ops draw, in {@link drawBatch}. */
  protected readonly drawSize = 0;
  /** The last draw, from drawBatch to the applyDrawn of the same forward pass. */
  #drawn: Drawn | null = null;
  /** The chains each workspace's forward pass ran, for its backward pass (a shared layer has a workspace per call). */
  readonly #ranIn = new Map<BufferId, number[][]>();

  constructor(args: AugMixArgs = {}) {
    super(args, 'AugMix');
    const where = `AugMix layer '${this.name}'`;
    this.valueRange = valueRangeOf(args.valueRange ?? [0, 255], where);
    const count = (option: 'numChains' | 'chainDepth', fallback: number, least: number, what: string) => {
      const value = args[option] ?? fallback;
      if (!Number.isInteger(value) || value < least) {
        throw new Error(`${where}: ${option} must be ${what}, e.g. ${option}: ${fallback} (Keras' default). Received: ${option}=${JSON.stringify(args[option])}.`);
      }
      return value;
    };
    this.numChains = count('numChains', 3, 1, 'the number of chains to mix, a whole number of 1 or more');
    this.chainDepth = count('chainDepth', 3, 0, "each chain's number of op slots, a whole number of 0 or more");
    this.factor = policyFactorRange(args.factor ?? 0.3, where, 0.3);
    this.alpha = args.alpha ?? 1;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha) || this.alpha <= 0) {
      throw new Error(`${where}: alpha must be a positive number, the concentration of the Dirichlet and Beta weights, e.g. alpha: 1 (Keras' default). Received: alpha=${JSON.stringify(args.alpha)}.`);
    }
    this.allOps = args.allOps ?? true;
    if (typeof this.allOps !== 'boolean') {
      throw new Error(`${where}: allOps must be true (all 11 ops) or false (without brightness, colour degeneration, contrast and sharpness). Received: allOps=${JSON.stringify(args.allOps)}.`);
    }
    this.interpolation = policyInterpolation(args.interpolation, where);
    this.#ops = augmentOps(augMixOps(this.allOps), { range: this.factor, valueRange: this.valueRange, interpolation: this.interpolation }, this.name);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    super.build(inputShapes);
    buildAugmentOps(this.#ops, inputShapes, `AugMix layer '${this.name}'`);
  }

  #size(batch: number): number {
    return batch * this.image[0] * this.image[1] * this.image[2];
  }

  get #runs(): number {
    return this.numChains * this.chainDepth;
  }

  #slotSize(batch: number): number {
    return Math.max(...this.#ops.map((op) => op.workspaceSize(batch)));
  }

  /** Floats before the slots: each image's weight of x and of each chain, then (1, 0) per image for the clip. */
  #headSize(batch: number): number {
    return (3 + this.numChains) * batch;
  }

  /** The workspace: the head, a slot per op run, each run's output image, the mix before the clip, then 4 gradient images. */
  override workspaceSize(batch: number): number {
    return this.#headSize(batch) + this.#runs * (this.#slotSize(batch) + this.#size(batch)) + 5 * this.#size(batch);
  }

  /** Keras' order: Dirichlet chain weights, the Beta weight, then per chain and slot an op (or none) and that op's draws. Returns the head. */
  protected override drawBatch(random: Random, batch: number): Float32Array {
    const gammas = Array.from({ length: this.numChains }, () => random.gamma(this.alpha));
    const total = gammas.reduce((a, b) => a + b, 0);
    const m = random.beta(this.alpha, this.alpha);
    const drawn: Drawn = { chains: [], params: [] };
    for (let c = 0; c < this.numChains; c++) {
      const [ops, params]: [number[], Float32Array[]] = [[], []];
      for (let d = 0; d < this.chainDepth; d++) {
        const k = Math.floor(random.next() * (this.#ops.length + 1));
        if (k === this.#ops.length) continue;
        ops.push(k);
        params.push(this.#ops[k].draw(random, batch));
      }
      drawn.chains.push(ops);
      drawn.params.push(params);
    }
    this.#drawn = drawn;
    const head = new Float32Array(this.#headSize(batch));
    const weights = [m, ...gammas.map((g) => (1 - m) * (g / total))];
    weights.forEach((weight, i) => head.fill(weight, i * batch, (i + 1) * batch));
    for (let b = 0; b < batch; b++) head[(1 + this.numChains) * batch + 2 * b] = 1;
    return head;
  }

  protected draw(): number[] {
    return [];
  }

  #at(ctx: ForwardContext, offset: number, length: number): BufferId {
    return ctx.backend.view(ctx.workspace, offset, length);
  }

  /** Each image's weight of x (i = 0) or of chain i − 1. */
  #weight(ctx: ForwardContext, i: number): BufferId {
    return this.#at(ctx, i * ctx.batch, ctx.batch);
  }

  #clipParams(ctx: ForwardContext): BufferId {
    return this.#at(ctx, (1 + this.numChains) * ctx.batch, 2 * ctx.batch);
  }

  /** Chain c's slots and run outputs, for the `length` ops it ran. */
  #chain(ctx: ForwardContext, c: number, length: number): StepChainBuffers {
    const [slot, size] = [this.#slotSize(ctx.batch), this.#size(ctx.batch)];
    const slots = this.#headSize(ctx.batch);
    const images = slots + this.#runs * slot;
    const runs = Array.from({ length }, (_, d) => c * this.chainDepth + d);
    return { workspaces: runs.map((r) => this.#at(ctx, slots + r * slot, slot)), outputs: runs.map((r) => this.#at(ctx, images + r * size, size)) };
  }

  /** Image buffer i after the runs' outputs: 0 the mix before the clip, 1–4 gradients. */
  #image(ctx: ForwardContext, i: number): BufferId {
    const size = this.#size(ctx.batch);
    return this.#at(ctx, this.#headSize(ctx.batch) + this.#runs * (this.#slotSize(ctx.batch) + size) + i * size, size);
  }

  #clip(batch: number): ColorAdjustment {
    const [h, w, channels] = this.image;
    return { batch, pixels: h * w, channels, lo: this.valueRange[0], hi: this.valueRange[1] };
  }

  /** out (+)= each image's weight · x. */
  #scale(ctx: ForwardContext, weight: BufferId, x: BufferId, out: BufferId, accumulate: boolean): void {
    ctx.backend.batchMatMul(weight, x, out, ctx.batch, 1, this.#size(ctx.batch) / ctx.batch, 1, false, false, accumulate);
  }

  protected applyDrawn(ctx: ForwardContext): void {
    const drawn = this.#drawn;
    if (!drawn) throw new Error(`kerasm internal error: AugMix layer '${this.name}' mixes chains it has not drawn.`);
    this.#drawn = null;
    this.#ranIn.set(ctx.workspace, drawn.chains);
    const [x, mix] = [ctx.inputs[0], this.#image(ctx, 0)];
    this.#scale(ctx, this.#weight(ctx, 0), x, mix, false);
    drawn.chains.forEach((ops, c) => {
      const buffers = this.#chain(ctx, c, ops.length);
      drawn.params[c].forEach((params, d) => {
        if (params.length > 0) ctx.backend.write(ctx.backend.view(buffers.workspaces[d], 0, params.length), params);
      });
      applyStepChain(ctx, ops.map((k) => this.#ops[k]), x, buffers);
      this.#scale(ctx, this.#weight(ctx, 1 + c), ops.length > 0 ? buffers.outputs[ops.length - 1] : x, mix, true);
    });
    ctx.backend.adjustImages(mix, ctx.output, this.#clipParams(ctx), this.#clip(ctx.batch));
  }

  protected applyDrawnGrad(ctx: BackwardContext, dx: BufferId): void {
    const chains = this.#ranIn.get(ctx.workspace);
    if (!chains) throw new Error(`kerasm internal error: AugMix layer '${this.name}' has no forward pass to take the gradient of.`);
    const [mix, dMix, dChain, scratch, dChainX] = [0, 1, 2, 3, 4].map((i) => this.#image(ctx, i));
    const x = ctx.inputs[0];
    ctx.backend.adjustImagesGrad(mix, ctx.outputGrad, dMix, this.#clipParams(ctx), this.#clip(ctx.batch));
    this.#scale(ctx, this.#weight(ctx, 0), dMix, dx, false);
    chains.forEach((ops, c) => {
      if (ops.length === 0) {
        this.#scale(ctx, this.#weight(ctx, 1 + c), dMix, dx, true);
        return;
      }
      this.#scale(ctx, this.#weight(ctx, 1 + c), dMix, dChain, false);
      applyStepChainGrad(ctx, ops.map((k) => this.#ops[k]), x, this.#chain(ctx, c, ops.length), dChain, dChainX, scratch);
      ctx.backend.add(dx, dChainX, dx, this.#size(ctx.batch));
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: this.valueRange,
      numChains: this.numChains,
      chainDepth: this.chainDepth,
      factor: this.factor,
      alpha: this.alpha,
      allOps: this.allOps,
      interpolation: this.interpolation,
    };
  }
}

registerBuiltinLayer('AugMix', (config) => new AugMix(config as unknown as AugMixArgs));

const AUG_MIX_OPTIONS = optionNames<AugMixArgs>({
  ...LAYER, valueRange: true, numChains: true, chainDepth: true, factor: true, alpha: true, allOps: true, interpolation: true, seed: true, dataFormat: true,
});

/** Mixes the images with `numChains` chains of ops drawn per batch while training, as Keras 3's AugMix. @example `km.layers.augMix({ valueRange: [0, 1], numChains: 3, chainDepth: 3, factor: 0.3 })` */
export function augMix(args?: AugMixArgs): AugMix {
  checkOptions(args, AUG_MIX_OPTIONS, 'km.layers.augMix');
  return new AugMix(args);
}
