import type { Backend, BufferId } from '../backend/backend.js';
import { LayerRandom } from './layer_random.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { Broadcast } from './merge_broadcast.js';
import { registerBuiltinLayer } from './registry.js';
import { DROPOUT_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** Options of {@link Dropout}. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop while training, in [0, 1). */
  rate: number;
  /** Seed for this layer's masks; by default they draw from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
  /**
   * Keras' shape of the mask, batch axis first (`[batch, ...sample]`, the input's rank): an entry of
   * 1 shares one mask value along that axis, null (or the input's size) draws one per position.
   * `[null, 1, features]` on `[batch, steps, features]` drops the same features at every step.
   * Null (the default) draws one value per input.
   */
  noiseShape?: readonly (number | null)[] | null;
}

/**
 * Sets a random fraction `rate` of its inputs to 0 while training and scales the rest by
 * 1/(1 − rate), so inference (where it passes inputs through) sees the same expected values.
 *
 * With `noiseShape` it draws a smaller mask and repeats it along the axes where noiseShape is 1,
 * as Keras and tfjs do: a gather by precomputed row indices (the merge layers' broadcast), so every
 * backend runs it with its embedding-lookup kernel.
 *
 * @example
 * ```ts
 * // [batch, steps, features]: the same features dropped at every step of a sample.
 * km.layers.dropout({ rate: 0.2, noiseShape: [null, 1, 16] });
 * ```
 */
export class Dropout extends Layer {
  // Acts on each step alone, so a padded sequence's mask passes through it unchanged.
  override get supportsMasking(): boolean {
    return true;
  }

  readonly className = 'Dropout';

  // A noiseShape batch entry other than null draws one mask value for several samples (1) or fixes the batch size.
  override get couplesSamples(): boolean {
    return this.noiseShape !== null && this.noiseShape[0] !== null;
  }
  readonly rate: number;
  readonly seed: number | undefined;
  /** The mask's shape as given (batch first, null for the input's size), or null: one mask value per input. */
  readonly noiseShape: readonly (number | null)[] | null;
  readonly #random: LayerRandom;
  #sample: Shape = [];
  #size = 0;
  /** Whether noiseShape shares the mask along some sample axis or the batch. */
  #shared = false;
  /** The repeat from the mask to the input, per batch size. */
  readonly #broadcasts = new Map<number, Broadcast>();

  constructor(args: DropoutArgs) {
    super(args, 'Dropout');
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`Dropout layer '${this.name}': rate must be a number in [0, 1). Received: rate=${args.rate}.`);
    }
    this.noiseShape = checkNoiseShape(args.noiseShape, `Dropout layer '${this.name}'`);
    this.rate = args.rate;
    this.#random = new LayerRandom(args.seed, `Dropout layer '${this.name}'`, this);
    this.seed = this.#random.seed;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return singleInput(this, inputShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const input = singleInput(this, inputShapes);
    this.#sample = input;
    this.#size = input.reduce((a, b) => a * b, 1);
    const noise = this.noiseShape;
    if (noise === null) return;
    const where = `Dropout layer '${this.name}'`;
    if (noise.length !== input.length + 1) {
      throw new Error(`${where}: noiseShape needs one entry per axis of the input, batch first (${input.length + 1} for inputs ${formatShape(input)}). Received: noiseShape=${JSON.stringify(noise)}. E.g. [null, ${input.map((_, i) => (i === input.length - 1 ? input[i] : 1)).join(', ')}] shares the mask along every axis but the last.`);
    }
    input.forEach((size, axis) => {
      const entry = noise[axis + 1];
      if (entry !== null && entry !== 1 && entry !== size) {
        throw new Error(`${where}: noiseShape[${axis + 1}] must be 1, null or the input's size ${size} on that axis of ${formatShape(input)}. Received: noiseShape=${JSON.stringify(noise)}.`);
      }
    });
    this.#shared = noise[0] === 1 || input.some((size, axis) => noise[axis + 1] === 1 && size !== 1);
  }

  /** The mask's shape for a batch of `batch` samples, batch axis included. */
  #maskShape(batch: number): Shape {
    const noise = this.noiseShape!;
    return [noise[0] === 1 ? 1 : batch, ...this.#sample.map((size, axis) => (noise[axis + 1] === 1 ? 1 : size))];
  }

  #broadcast(batch: number): Broadcast {
    let plan = this.#broadcasts.get(batch);
    if (!plan) {
      plan = new Broadcast(this.#maskShape(batch), [batch, ...this.#sample]);
      this.#broadcasts.set(batch, plan);
    }
    return plan;
  }

  /** The workspace: the gather's row indices and the drawn mask (shared masks only), then the full mask. */
  #regions(b: Backend, workspace: BufferId, batch: number): { indices: BufferId; noise: BufferId; full: BufferId } {
    const plan = this.#broadcast(batch);
    const rows = plan.rowOf.length;
    const noiseSize = plan.inputRows * plan.width;
    return { indices: b.view(workspace, 0, rows), noise: b.view(workspace, rows, noiseSize), full: b.view(workspace, rows + noiseSize, batch * this.#size) };
  }

  override workspaceSize(batch: number): number {
    if (!this.#shared) return batch * this.#size;
    const plan = this.#broadcast(batch);
    return plan.rowOf.length + plan.inputRows * plan.width + batch * this.#size;
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    // The whole batch is one "sample" of the broadcast, so its batch axis may be shared too.
    if (this.#shared) this.#broadcast(batch).writeIndices(backend, workspace, 1);
  }

  /** The mask the forward pass multiplied by. */
  #mask(b: Backend, workspace: BufferId, batch: number): BufferId {
    return this.#shared ? this.#regions(b, workspace, batch).full : workspace;
  }

  forward(ctx: ForwardContext): void {
    const b = ctx.backend;
    const n = ctx.batch * this.#size;
    if (!ctx.training || this.rate === 0) {
      b.copy(ctx.inputs[0], ctx.output, n);
      return;
    }
    // As in Keras, a fixed batch size in noiseShape matters only where masks are drawn (not in predict).
    const fixed = this.noiseShape?.[0];
    if (typeof fixed === 'number' && fixed !== 1 && fixed !== ctx.batch) {
      throw new Error(`Dropout layer '${this.name}': noiseShape[0]=${fixed} fixes the batch size, but this batch has ${ctx.batch} samples. Use null (one mask per sample) or 1 (one mask for the batch) as noiseShape[0].`);
    }
    const seed = this.#random.kernelSeed();
    if (this.#shared) {
      const plan = this.#broadcast(ctx.batch);
      const { indices, noise, full } = this.#regions(b, ctx.workspace, ctx.batch);
      b.dropoutMask(noise, plan.inputRows * plan.width, this.rate, seed);
      b.embeddingForward(indices, noise, full, plan.rowOf.length, plan.width, plan.inputRows);
    } else {
      b.dropoutMask(ctx.workspace, n, this.rate, seed);
    }
    b.mul(ctx.inputs[0], this.#mask(b, ctx.workspace, ctx.batch), ctx.output, n);
  }

  backward(ctx: BackwardContext): void {
    if (!ctx.inputGrads[0]) return;
    const n = ctx.batch * this.#size;
    if (!ctx.training || this.rate === 0) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], n);
    else ctx.backend.mul(ctx.outputGrad, this.#mask(ctx.backend, ctx.workspace, ctx.batch), ctx.inputGrads[0], n);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed ?? null };
  }
}

/** A noiseShape as given: null, or a list of positive integers and nulls; `where` names the layer. */
function checkNoiseShape(value: unknown, where: string): readonly (number | null)[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
    throw new Error(`${where}: noiseShape must be null or a list of positive integers and nulls, one per input axis with the batch first (e.g. [null, 1, 16]). Received: noiseShape=${JSON.stringify(value)}.`);
  }
  return [...(value as (number | null)[])];
}

registerBuiltinLayer('Dropout', (config) => new Dropout(config as unknown as DropoutArgs));

/** Randomly zeroes a fraction of its inputs while training, one mask value per noiseShape entry. @example `km.layers.dropout({ rate: 0.5 })` */
export function dropout(args: DropoutArgs): Dropout {
  checkRequiredOptions(args, DROPOUT_OPTIONS, 'km.layers.dropout');
  return new Dropout(args);
}
