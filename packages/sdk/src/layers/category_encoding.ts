import type { Backend, BufferId } from '../backend/backend.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { outputSize } from './resizing.js';
import { encodedShape, encodeTokens, encodingScratch, initEncodingWorkspace, tokenListLength, type TokenBatch } from './token_encoding.js';
import { CATEGORY_ENCODING_OPTIONS, checkRequiredOptions } from './layer_options.js';

/** How {@link CategoryEncoding} encodes tokens, by tfjs' names. */
export type CategoryOutputMode = 'oneHot' | 'multiHot' | 'count';

/** Options of {@link CategoryEncoding}, with Keras' defaults. */
export interface CategoryEncodingArgs extends LayerArgs {
  /** Size of the vocabulary: tokens run from 0 to numTokens − 1. */
  numTokens: number;
  /**
   * 'multiHot' (default): one row per sample, 1 where a token occurs; 'count': how many times it
   * occurs; 'oneHot': one row per token (a sample of one token gives `[numTokens]`).
   */
  outputMode?: CategoryOutputMode | 'one_hot' | 'multi_hot' | 'binary';
}

const MODES: readonly CategoryOutputMode[] = ['oneHot', 'multiHot', 'count'];
/** Keras' spellings of the modes (and Keras 2's 'binary'), which its files hold. */
const KERAS_MODES: Readonly<Record<string, CategoryOutputMode>> = { one_hot: 'oneHot', multi_hot: 'multiHot', binary: 'multiHot' };

/**
 * Keras' preprocessing layer that turns integer token ids into one-hot, multi-hot or count
 * vectors over a vocabulary of `numTokens`. Its input is a model input of int32 tokens (or whole
 * float32 values) of shape `[length]`; fit, evaluate and predict reject a token outside
 * `[0, numTokens)` before anything runs. It has no weights and passes no gradient to its input.
 *
 * It runs on the Embedding kernels: each token adds 1 into its row of the output.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.categoryEncoding({ numTokens: 100, outputMode: 'count', inputShape: [20] }),
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * ```
 */
export class CategoryEncoding extends Layer {
  readonly className = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: CategoryOutputMode;
  readonly #where: string;
  #length = 0;

  constructor(args: CategoryEncodingArgs) {
    super(args, 'CategoryEncoding');
    this.#where = `CategoryEncoding layer '${this.name}'`;
    this.numTokens = outputSize(args.numTokens, 'numTokens', this.#where);
    const mode = args.outputMode ?? 'multiHot';
    this.outputMode = KERAS_MODES[mode] ?? mode;
    if (!MODES.includes(this.outputMode)) {
      throw new Error(`${this.#where}: outputMode must be 'oneHot', 'multiHot' or 'count' (Keras' 'one_hot' and 'multi_hot' work too). Received: outputMode=${JSON.stringify(args.outputMode)}.`);
    }
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return encodedShape(tokenListLength(singleInput(this, inputShapes), this.#where), this.outputMode, this.numTokens);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#length = tokenListLength(singleInput(this, inputShapes), this.#where);
  }

  override get readsIndices(): boolean {
    return true;
  }

  override checkModelInput(values: Float32Array | Int32Array, perSample: number, what: string): void {
    const limit = this.numTokens;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isInteger(v) && v >= 0 && v < limit) continue;
      const at = `${what} holds ${v} at sample ${Math.floor(i / perSample)} (position ${i % perSample} of the sample)`;
      const fix = Number.isInteger(v) && v >= limit
        ? `Raise numTokens to at least ${v + 1}, or map tokens at or above ${limit} to one out-of-vocabulary id below it.`
        : `Pass whole token ids from 0 to ${limit - 1} (an int32 tensor), not ${Number.isInteger(v) ? 'negative numbers' : 'fractions'}.`;
      throw new Error(`${this.#where} reads ${what} as token ids below numTokens=${limit}, but ${at}. ${fix}`);
    }
  }

  override workspaceSize(batch: number): number {
    return encodingScratch(batch, this.#length, this.numTokens, this.outputMode);
  }

  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    initEncodingWorkspace(backend, workspace, this.#tokens(batch), this.outputMode);
  }

  forward(ctx: ForwardContext): void {
    encodeTokens(ctx.backend, ctx.inputs[0], ctx.output, ctx.workspace, this.#tokens(ctx.batch), this.outputMode);
  }

  #tokens(batch: number): TokenBatch {
    return { batch, length: this.#length, depth: this.numTokens };
  }

  backward(ctx: BackwardContext): void {
    // Token ids have no gradient; a layer upstream that asks for one gets zeros.
    if (ctx.inputGrads[0]) ctx.backend.fill(ctx.inputGrads[0], ctx.batch * this.#length, 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode };
  }
}

registerBuiltinLayer('CategoryEncoding', (config) => new CategoryEncoding(config as unknown as CategoryEncodingArgs));

/** Token ids to one-hot, multi-hot or count vectors. @example `km.layers.categoryEncoding({ numTokens: 10, outputMode: 'multiHot' })` */
export function categoryEncoding(args: CategoryEncodingArgs): CategoryEncoding {
  checkRequiredOptions(args, CATEGORY_ENCODING_OPTIONS, 'km.layers.categoryEncoding');
  return new CategoryEncoding(args);
}
