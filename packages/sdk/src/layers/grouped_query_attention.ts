import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { positiveOption, ProjectedAttention, type AttentionHeads, type ProjectedAttentionArgs } from './projected_attention.js';
import { GROUPED_QUERY_ATTENTION_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link GroupedQueryAttention}, with Keras 3's names and defaults. */
export interface GroupedQueryAttentionArgs extends ProjectedAttentionArgs {
  /** Size of each head's query, key and value projection. */
  headDim: number;
  /** Number of query heads (positive integer, a multiple of numKeyValueHeads). */
  numQueryHeads: number;
  /** Number of key and value heads, each shared by `numQueryHeads / numKeyValueHeads` query heads (1: multi-query attention). */
  numKeyValueHeads: number;
}

const EXAMPLE = 'km.layers.groupQueryAttention({ headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2 })';

/**
 * Grouped-query attention as Keras 3's `GroupQueryAttention` (Ainslie et al., 2023): queries
 * projected to `numQueryHeads` heads, keys and values to `numKeyValueHeads` heads of `headDim` each,
 * every key/value head serving `numQueryHeads / numKeyValueHeads` consecutive query heads (Keras
 * repeats them), the weights softmax(q·kᵀ/√headDim) over the value steps, and the heads' weighted
 * values projected back to the query's features. `numKeyValueHeads: 1` is multi-query attention;
 * `numKeyValueHeads === numQueryHeads` is multi-head attention. Apply it to `[query, value]` or
 * `[query, value, key]` (key defaults to value), each `[steps, features]`, query and value with the
 * same features, as Keras requires; the output is `[querySteps, features]`.
 *
 * Masks, `attentionMask`, `useCausalMask`, dropout and `returnAttentionScores` (scores
 * `[numQueryHeads, querySteps, valueSteps]`) work as for {@link MultiHeadAttention}.
 *
 * @example
 * ```ts
 * const tokens = km.input({ shape: [32] });
 * const x = km.layers.embedding({ inputDim: 1000, outputDim: 64 }).apply(tokens);
 * const attended = km.layers.groupQueryAttention({ headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2, useCausalMask: true })
 *   .apply([x, x]); // [32, 64]
 * ```
 */
export class GroupedQueryAttention extends ProjectedAttention {
  readonly className = 'GroupedQueryAttention';
  readonly headDim: number;
  readonly numQueryHeads: number;
  readonly numKeyValueHeads: number;

  constructor(args: GroupedQueryAttentionArgs) {
    super(args, 'GroupedQueryAttention');
    this.headDim = positiveOption(args.headDim, 'headDim', this.where, EXAMPLE);
    this.numQueryHeads = positiveOption(args.numQueryHeads, 'numQueryHeads', this.where, EXAMPLE);
    this.numKeyValueHeads = positiveOption(args.numKeyValueHeads, 'numKeyValueHeads', this.where, EXAMPLE);
    if (this.numQueryHeads % this.numKeyValueHeads !== 0) {
      throw new Error(
        `${this.where}: numQueryHeads must be divisible by numKeyValueHeads (each key/value head serves an equal group of query heads). ` +
          `Received: numQueryHeads=${this.numQueryHeads}, numKeyValueHeads=${this.numKeyValueHeads}. Use a divisor of ${this.numQueryHeads} for numKeyValueHeads.`,
      );
    }
  }

  protected headSizes(query: Shape, value: Shape): AttentionHeads {
    if (query[1] !== value[1]) {
      throw new Error(
        `${this.where}: query and value must have the same number of features (the output is projected back to the query's), but received query ${formatShape(query)} and value ${formatShape(value)}. ` +
          `Project one of them first, e.g. with km.layers.dense({ units: ${query[1]} }).`,
      );
    }
    return { heads: this.numQueryHeads, keyValueHeads: this.numKeyValueHeads, keyDim: this.headDim, valueDim: this.headDim, outputDim: query[1] };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      headDim: this.headDim, numQueryHeads: this.numQueryHeads, numKeyValueHeads: this.numKeyValueHeads,
      ...this.sharedConfig(),
    };
  }
}

registerBuiltinLayer('GroupedQueryAttention', (config) => new GroupedQueryAttention(config as unknown as GroupedQueryAttentionArgs));

/**
 * Grouped-query attention (Keras 3's `GroupQueryAttention`): `numQueryHeads` query heads sharing
 * `numKeyValueHeads` key/value heads, over `[query, value]` or `[query, value, key]` sequences.
 * @example `km.layers.groupQueryAttention({ headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2 }).apply([x, x])`
 */
export function groupQueryAttention(args: GroupedQueryAttentionArgs & { returnAttentionScores: true }): ReturnsList<GroupedQueryAttention, ['output', 'scores']>;
export function groupQueryAttention(args: GroupedQueryAttentionArgs & { returnAttentionScores?: false }): GroupedQueryAttention;
export function groupQueryAttention(args: GroupedQueryAttentionArgs): MayReturnList<GroupedQueryAttention>;
export function groupQueryAttention(args: GroupedQueryAttentionArgs): GroupedQueryAttention {
  checkRequiredOptions(args, GROUPED_QUERY_ATTENTION_OPTIONS, 'km.layers.groupQueryAttention');
  return new GroupedQueryAttention(args);
}
