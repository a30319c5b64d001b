import type { Shape } from './layer.js';
import { registerBuiltinLayer } from './registry.js';
import { positiveOption, ProjectedAttention, type AttentionHeads, type ProjectedAttentionArgs } from './projected_attention.js';
import { MULTI_HEAD_ATTENTION_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link MultiHeadAttention}, with Keras 3's names and defaults. */
export interface MultiHeadAttentionArgs extends ProjectedAttentionArgs {
  /** Number of attention heads (positive integer). */
  numHeads: number;
  /** Size of each head's query and key projection. */
  keyDim: number;
  /** Size of each head's value projection (default keyDim). */
  valueDim?: number | null;
  /** Features of the output at each query step (default: the query's last dimension); a number or a one-element list. */
  outputShape?: number | readonly number[] | null;
  /** Axes attention runs over; only Keras' default (the steps axis) is supported. */
  attentionAxes?: number | readonly number[] | null;
}


/**
 * Multi-head attention as Keras 3's `MultiHeadAttention`: for each of `numHeads` heads, queries and
 * keys projected to `keyDim` and values to `valueDim`, the weights softmax(q·kᵀ/√keyDim) over the
 * value steps, and the heads' weighted values projected back to `outputShape` features. Apply it to
 * `[query, value]` or `[query, value, key]` (key defaults to value), each `[steps, features]`; the
 * output is `[querySteps, outputShape]`. Self-attention is `apply([x, x])`.
 *
 * Keras' `attention_mask` is the keyword input `attentionMask`, `[querySteps, valueSteps]` per
 * sample (1: query step i may attend to value step j, 0: not), combined with the inputs' padding
 * masks and the causal mask by a logical AND, as Keras does; a query step that may attend to
 * nothing gets uniform weights, as in Keras. Given without a key, the value serves as the key and
 * the call records it as `[query, value, value]`.
 *
 * @example
 * ```ts
 * const tokens = km.input({ shape: [32] });
 * const x = km.layers.embedding({ inputDim: 1000, outputDim: 64 }).apply(tokens);
 * const attended = km.layers.multiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([x, x]);
 * const block = km.layers.layerNormalization().apply(km.layers.add().apply([x, attended]));
 * // An explicit mask, and the attention weights as a second output:
 * const mask = km.input({ shape: [32, 32] });
 * const [out, scores] = km.layers.multiHeadAttention({ numHeads: 4, keyDim: 16, returnAttentionScores: true })
 *   .apply([x, x], { attentionMask: mask }); // scores: [4, 32, 32]
 * ```
 */
export class MultiHeadAttention extends ProjectedAttention {
  readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly #outputShape: number | null;

  constructor(args: MultiHeadAttentionArgs) {
    super(args, 'MultiHeadAttention');
    const positive = (value: unknown, name: string) => positiveOption(value, name, this.where, 'km.layers.multiHeadAttention({ numHeads: 4, keyDim: 16 })');
    this.numHeads = positive(args.numHeads, 'numHeads');
    this.keyDim = positive(args.keyDim, 'keyDim');
    this.valueDim = args.valueDim == null ? this.keyDim : positive(args.valueDim, 'valueDim');
    this.#outputShape = outputFeatures(args.outputShape, this.where);
    checkAttentionAxes(args.attentionAxes, this.where);
  }

  protected headSizes(query: Shape): AttentionHeads {
    return { heads: this.numHeads, keyValueHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, outputDim: this.#outputShape ?? query[1] };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, outputShape: this.#outputShape, attentionAxes: null,
      ...this.sharedConfig(),
    };
  }
}

/** outputShape as a feature count: a positive integer or a one-element list of one (Keras' tuple), null for the query's. */
function outputFeatures(value: unknown, where: string): number | null {
  if (value === undefined || value === null) return null;
  const n = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw new Error(`${where}: outputShape must be a positive integer (features per query step) or a one-element list of one; kerasm does not project to several output axes. Received: outputShape=${JSON.stringify(value)}. Use e.g. outputShape: 64, or reshape the output.`);
  }
  return n as number;
}

/** Keras' default attention axes for [batch, steps, features] inputs is the steps axis; anything else is refused. */
function checkAttentionAxes(value: unknown, where: string): void {
  if (value === undefined || value === null) return;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 1 && (list[0] === 1 || list[0] === -2)) return;
  throw new Error(`${where}: kerasm attends over the steps axis of [batch, steps, features] inputs only (Keras' default). Received: attentionAxes=${JSON.stringify(value)}. Remove attentionAxes (or pass null), and reshape higher-rank inputs to [steps, features].`);
}

registerBuiltinLayer('MultiHeadAttention', (config) => new MultiHeadAttention(config as unknown as MultiHeadAttentionArgs));

/**
 * Multi-head attention (Keras 3's `MultiHeadAttention`) over `[query, value]` or `[query, value, key]`
 * sequences; `apply([x, x])` is self-attention.
 * @example `km.layers.multiHeadAttention({ numHeads: 2, keyDim: 16 }).apply([x, x])`
 */
export function multiHeadAttention(args: MultiHeadAttentionArgs & { returnAttentionScores: true }): ReturnsList<MultiHeadAttention, ['output', 'scores']>;
export function multiHeadAttention(args: MultiHeadAttentionArgs & { returnAttentionScores?: false }): MultiHeadAttention;
export function multiHeadAttention(args: MultiHeadAttentionArgs): MayReturnList<MultiHeadAttention>;
export function multiHeadAttention(args: MultiHeadAttentionArgs): MultiHeadAttention {
  checkRequiredOptions(args, MULTI_HEAD_ATTENTION_OPTIONS, 'km.layers.multiHeadAttention');
  return new MultiHeadAttention(args);
}
